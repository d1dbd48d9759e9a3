#include "lims/http/problem.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <cstdint>
#include <sstream>

namespace lims::http {
namespace {

// JSON is UTF-8 (RFC 8259), but a detail may quote client bytes that are not: a percent-decoded
// path segment ("no route for /a/%B8") or a parser's message about a stray byte. Each byte that
// does not start a valid UTF-8 sequence becomes U+FFFD, so every problem body is valid JSON.
std::string ValidUtf8(const std::string& s) {
  std::string out;
  out.reserve(s.size());
  size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    const size_t len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
    bool ok = len > 0 && i + len <= s.size();
    uint32_t cp = len == 2 ? c & 0x1Fu : len == 3 ? c & 0x0Fu : c & 0x07u;
    for (size_t k = 1; ok && k < len; ++k) {
      const auto cc = static_cast<unsigned char>(s[i + k]);
      ok = (cc >> 6) == 0x2;
      cp = (cp << 6) | (cc & 0x3Fu);
    }
    if (ok && len > 1) {
      const uint32_t min = len == 2 ? 0x80 : len == 3 ? 0x800 : 0x10000;
      ok = cp >= min && cp <= 0x10FFFF && (cp < 0xD800 || cp > 0xDFFF);
    }
    if (ok) {
      out.append(s, i, len);
      i += len;
    } else {
      out += "\xEF\xBF\xBD";
      ++i;
    }
  }
  return out;
}

const char* TypeSlug(int status) {
  switch (status) {
    case 400:
      return "malformed-request";
    case 401:
      return "unauthenticated";
    case 403:
      return "forbidden";
    case 404:
      return "not-found";
    case 405:
      return "method-not-allowed";
    case 409:
      return "conflict";
    case 413:
      return "payload-too-large";
    case 422:
      return "rule-violation";
    case 429:
      return "rate-limited";
    case 503:
      return "unavailable";
    default:
      return "internal-error";
  }
}

const char* TitleFor(Status::Code code) {
  switch (code) {
    case Status::Code::kInvalidArgument:
      return "Malformed request";
    case Status::Code::kNotFound:
      return "Not found";
    case Status::Code::kConflict:
      return "Conflict";
    case Status::Code::kUnprocessable:
      return "Request breaks a rule";
    case Status::Code::kUnavailable:
    case Status::Code::kAborted:
      return "Service unavailable";
    default:
      return "Internal server error";
  }
}

}  // namespace

int HttpStatusFor(Status::Code code) {
  switch (code) {
    case Status::Code::kOk:
      return 200;
    case Status::Code::kInvalidArgument:
      return 400;
    case Status::Code::kNotFound:
      return 404;
    case Status::Code::kConflict:
      return 409;
    case Status::Code::kUnprocessable:
      return 422;
    case Status::Code::kUnavailable:
    case Status::Code::kAborted:
      return 503;
    case Status::Code::kInternal:
      return 500;
  }
  return 500;
}

Response Problem(int status, const std::string& title, const std::string& detail,
                 const std::vector<FieldError>& errors) {
  Poco::JSON::Object body(Poco::JSON_PRESERVE_KEY_ORDER);
  body.set("type", std::string("https://pramaan.dev/problems/") + TypeSlug(status));
  body.set("title", ValidUtf8(title));
  body.set("status", status);
  body.set("detail", ValidUtf8(detail));
  if (!errors.empty()) {
    Poco::JSON::Array list;
    for (const FieldError& e : errors) {
      Poco::JSON::Object item(Poco::JSON_PRESERVE_KEY_ORDER);
      item.set("field", ValidUtf8(e.field));
      item.set("reason", ValidUtf8(e.reason));
      list.add(item);
    }
    body.set("errors", list);
  }
  std::ostringstream out;
  body.stringify(out);
  Response r{status, "application/problem+json", out.str(), {}};
  if (status == 503) r.headers.emplace_back("Retry-After", "5");
  return r;
}

Response ProblemFromStatus(const Status& status) {
  const int code = HttpStatusFor(status.code());
  // Internal messages can carry SQL or file paths: keep them in the log only.
  const std::string detail =
      status.code() == Status::Code::kInternal      ? "an unexpected error occurred; it was logged"
      : status.code() == Status::Code::kUnavailable ? "the database is unreachable; try again shortly"
      : status.code() == Status::Code::kAborted     ? "the database was busy with a conflicting change; try again"
                                                    : status.message();
  Response r = Problem(code, TitleFor(status.code()), detail, status.field_errors());
  if (code >= 500) r.log_detail = status.ToString();
  return r;
}

}  // namespace lims::http
