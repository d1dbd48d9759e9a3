#include "lims/http/problem.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <sstream>

namespace lims::http {
namespace {

const char* TypeSlug(int status) {
  switch (status) {
    case 400:
      return "malformed-request";
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
  body.set("title", title);
  body.set("status", status);
  body.set("detail", detail);
  if (!errors.empty()) {
    Poco::JSON::Array list;
    for (const FieldError& e : errors) {
      Poco::JSON::Object item(Poco::JSON_PRESERVE_KEY_ORDER);
      item.set("field", e.field);
      item.set("reason", e.reason);
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
  const std::string detail = status.code() == Status::Code::kInternal ? "an unexpected error occurred; it was logged"
                             : status.code() == Status::Code::kUnavailable
                                 ? "the database is unreachable; try again shortly"
                                 : status.message();
  return Problem(code, TitleFor(status.code()), detail, status.field_errors());
}

}  // namespace lims::http
