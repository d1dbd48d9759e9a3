#include "lims/http/dispatcher.h"

#include <Poco/Exception.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/URI.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <optional>
#include <random>

#include "lims/http/problem.h"

namespace lims::http {
namespace {

std::string NewRequestId() {
  thread_local std::mt19937_64 rng(std::random_device{}());
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(rng()));
  return buf;
}

// Constant-time comparison, so that the CSRF token cannot be guessed byte by byte from timing.
bool CsrfMatches(const std::string& given, const std::string& expected) {
  if (given.size() != expected.size() || expected.empty()) return false;
  unsigned char diff = 0;
  for (size_t i = 0; i < given.size(); ++i) diff |= static_cast<unsigned char>(given[i] ^ expected[i]);
  return diff == 0;
}

bool IsSaneRequestId(const std::string& id) {
  if (id.empty() || id.size() > 64) return false;
  for (char c : id) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    if (!ok) return false;
  }
  return true;
}

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// Reads at most `limit` + 1 bytes, so an oversized chunked body is detected without buffering it.
bool ReadBody(std::istream& in, size_t limit, std::string* body) {
  char buf[8192];
  while (in) {
    in.read(buf, sizeof buf);
    body->append(buf, static_cast<size_t>(in.gcount()));
    if (body->size() > limit) return false;
  }
  return true;
}

Response TooLarge(size_t limit) {
  return Problem(413, "Payload too large", "the request body exceeds " + std::to_string(limit) + " bytes");
}

class DispatchHandler final : public Poco::Net::HTTPRequestHandler {
 public:
  DispatchHandler(const Router& router, log::Log& log, Authenticator& auth, const DispatcherOptions& options)
      : router_(router), log_(log), auth_(auth), options_(options) {}

  void handleRequest(Poco::Net::HTTPServerRequest& in, Poco::Net::HTTPServerResponse& out) override {
    const auto start = std::chrono::steady_clock::now();
    Request request;
    Response response = Prepare(in, &request);
    if (response.status == 0) response = Dispatch(router_, log_, auth_, request);
    Send(response, request, out);
    const auto micros = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - start);
    char latency[32];
    std::snprintf(latency, sizeof latency, "%.3f", static_cast<double>(micros.count()) / 1000.0);
    if (!response.log_detail.empty()) {
      log_.Error("request failed", {{"request_id", request.request_id}, {"error", response.log_detail}});
    }
    log_.Info("request", {{"method", request.method},
                          {"path", request.path},
                          {"status", std::to_string(response.status)},
                          {"latency_ms", latency},
                          {"request_id", request.request_id}});
  }

 private:
  // Fills `request`; returns a response with status 0 to go on, or the error to send.
  Response Prepare(Poco::Net::HTTPServerRequest& in, Request* request) {
    request->method = in.getMethod();
    request->client_address = in.clientAddress().host().toString();
    const std::string client_id = in.get("X-Request-Id", "");
    request->request_id = IsSaneRequestId(client_id) ? client_id : NewRequestId();
    try {
      Poco::URI uri(in.getURI());
      request->path = uri.getPath();
      for (const auto& [k, v] : uri.getQueryParameters()) request->query.emplace(k, v);
    } catch (const Poco::Exception&) {
      request->path = in.getURI().substr(0, 200);
      return Problem(400, "Malformed request", "the request URI is not valid");
    }
    for (const auto& [name, value] : in) request->headers[Lower(name)] = value;
    // Routes that take files (instrument imports) allow more; they only admit signed-in staff, and
    // a request without credentials is not worth reading that far.
    size_t limit = options_.max_body_bytes;
    const size_t route_limit = router_.BodyLimit(request->method, request->path);
    if (route_limit > limit && (request->headers.count("authorization") || request->headers.count("cookie"))) {
      limit = route_limit;
    }
    if (in.hasContentLength() && in.getContentLength64() > static_cast<int64_t>(limit)) return TooLarge(limit);
    if (!ReadBody(in.stream(), limit, &request->body)) return TooLarge(limit);
    return Response{0, "", "", {}};
  }

  void Send(const Response& r, const Request& request, Poco::Net::HTTPServerResponse& out) {
    out.setStatusAndReason(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(r.status));
    out.setContentType(r.content_type);
    out.set("X-Request-Id", request.request_id);
    out.set("X-Content-Type-Options", "nosniff");
    out.set("Content-Security-Policy", "default-src 'self'; frame-ancestors 'none'");
    out.set("Cache-Control", "no-store");
    for (const auto& [name, value] : r.headers) out.set(name, value);
    // An unread oversized body would be parsed as the next request: close the connection.
    if (r.status == 413) out.setKeepAlive(false);
    if (r.stream) {
      SendStream(r, request, out);
      return;
    }
    out.setContentLength64(static_cast<Poco::Int64>(r.body.size()));
    if (request.method == "HEAD") {
      out.send();
    } else {
      out.sendBuffer(r.body.data(), r.body.size());
    }
  }

  // A streamed body: chunked, written as the handler's stream produces it (constant memory).
  void SendStream(const Response& r, const Request& request, Poco::Net::HTTPServerResponse& out) {
    out.setChunkedTransferEncoding(true);
    std::ostream& body = out.send();
    if (request.method == "HEAD") return;
    bool complete = false;
    try {
      complete = r.stream(body) && body.good();
    } catch (const std::exception& e) {
      log_.Error("streamed response failed", {{"request_id", request.request_id}, {"error", e.what()}});
    }
    if (!complete) log_.Error("streamed response incomplete", {{"request_id", request.request_id}});
  }

  const Router& router_;
  log::Log& log_;
  Authenticator& auth_;
  const DispatcherOptions& options_;
};

// The session token: "Authorization: Bearer X" first (scripts, instruments), else the cookie.
std::optional<std::pair<std::string, bool>> Credentials(const Request& request) {
  auto auth = request.headers.find("authorization");
  if (auth != request.headers.end() && auth->second.rfind("Bearer ", 0) == 0) {
    return std::make_pair(auth->second.substr(7), false);
  }
  auto cookie = request.headers.find("cookie");
  if (cookie == request.headers.end()) return std::nullopt;
  const std::string name = std::string(kSessionCookie) + "=";
  const std::string& all = cookie->second;
  for (size_t start = 0; start < all.size();) {
    while (start < all.size() && all[start] == ' ') ++start;
    const size_t end = std::min(all.find(';', start), all.size());
    if (all.compare(start, name.size(), name) == 0) {
      return std::make_pair(all.substr(start + name.size(), end - start - name.size()), true);
    }
    start = end + 1;
  }
  return std::nullopt;
}

bool IsWrite(const std::string& method) {
  return method != "GET" && method != "HEAD" && method != "OPTIONS";
}

Response Unauthenticated(const std::string& detail) {
  Response r = Problem(401, "Authentication required", detail);
  r.headers.emplace_back("WWW-Authenticate", "Bearer");
  return r;
}

// Deny by default: nullopt lets the handler run; otherwise the response that refuses it.
// The first of the route's roles that the principal holds: what the audit trail records as the
// role of the act (a user who is technician and reviewer reviews as reviewer).
std::string ActingRole(const Access& access, const Principal& p) {
  for (Role r : access.roles) {
    if (p.Has(r)) return std::string(RoleName(r));
  }
  return p.roles.empty() ? "" : std::string(RoleName(p.roles.front()));
}

std::optional<Response> Authorize(const Access& access, Authenticator& auth, Request& request) {
  if (access.anyone) return std::nullopt;
  const auto credentials = Credentials(request);
  if (!credentials) return Unauthenticated("sign in: send a bearer token or the session cookie");
  Result<Principal> principal = auth.Authenticate(credentials->first, credentials->second);
  if (!principal.ok()) {
    if (principal.status().code() == Status::Code::kUnavailable) return ProblemFromStatus(principal.status());
    return Unauthenticated("the token is unknown, expired or revoked");
  }
  if (!access.Allows(*principal)) {
    return Problem(403, "Forbidden", "your roles do not allow " + request.method + " " + request.path);
  }
  if (principal->via_cookie && IsWrite(request.method)) {
    auto csrf = request.headers.find("x-csrf-token");
    if (csrf == request.headers.end() || !CsrfMatches(csrf->second, principal->csrf_token)) {
      return Problem(403, "Forbidden", "a browser write needs the X-CSRF-Token header of its session");
    }
  }
  request.acting_role = ActingRole(access, *principal);
  request.principal = std::move(principal).value();
  return std::nullopt;
}

Response RouteNotFound(const Request& request, const Router::Match& match) {
  if (match.allowed.empty()) return Problem(404, "Not found", "no route for " + request.path);
  Response r = Problem(405, "Method not allowed", request.method + " is not allowed on " + request.path);
  std::string allow;
  for (const std::string& m : match.allowed) allow += (allow.empty() ? "" : ", ") + m;
  r.headers.emplace_back("Allow", allow);
  return r;
}

}  // namespace

Response Dispatch(const Router& router, log::Log& log, Authenticator& auth, Request& request) {
  Router::Match match = router.Find(request.method, request.path);
  if (match.handler == nullptr) return RouteNotFound(request, match);
  request.params = std::move(match.params);
  try {
    if (std::optional<Response> denied = Authorize(*match.access, auth, request)) return *denied;
    return (*match.handler)(request);
  } catch (const Poco::Exception& e) {
    log.Error("unhandled exception", {{"request_id", request.request_id}, {"error", e.displayText()}});
  } catch (const std::exception& e) {
    log.Error("unhandled exception", {{"request_id", request.request_id}, {"error", e.what()}});
  }
  return Problem(500, "Internal server error", "an unexpected error occurred; it was logged");
}

Poco::Net::HTTPRequestHandler* DispatcherFactory::createRequestHandler(const Poco::Net::HTTPServerRequest&) {
  return new DispatchHandler(router_, log_, auth_, options_);  // Poco takes ownership
}

}  // namespace lims::http
