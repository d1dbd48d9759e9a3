#include "lims/http/dispatcher.h"

#include <Poco/Exception.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/URI.h>

#include <chrono>
#include <cstdio>
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
  DispatchHandler(const Router& router, log::Log& log, const DispatcherOptions& options)
      : router_(router), log_(log), options_(options) {}

  void handleRequest(Poco::Net::HTTPServerRequest& in, Poco::Net::HTTPServerResponse& out) override {
    const auto start = std::chrono::steady_clock::now();
    Request request;
    Response response = Prepare(in, &request);
    if (response.status == 0) response = Dispatch(router_, log_, request);
    Send(response, request, out);
    const auto micros = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - start);
    char latency[32];
    std::snprintf(latency, sizeof latency, "%.3f", static_cast<double>(micros.count()) / 1000.0);
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
    if (in.hasContentLength() && in.getContentLength64() > static_cast<int64_t>(options_.max_body_bytes)) {
      return TooLarge(options_.max_body_bytes);
    }
    if (!ReadBody(in.stream(), options_.max_body_bytes, &request->body)) return TooLarge(options_.max_body_bytes);
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
    out.setContentLength64(static_cast<Poco::Int64>(r.body.size()));
    if (request.method == "HEAD") {
      out.send();
    } else {
      out.sendBuffer(r.body.data(), r.body.size());
    }
  }

  const Router& router_;
  log::Log& log_;
  const DispatcherOptions& options_;
};

Response RouteNotFound(const Request& request, const Router::Match& match) {
  if (match.allowed.empty()) return Problem(404, "Not found", "no route for " + request.path);
  Response r = Problem(405, "Method not allowed", request.method + " is not allowed on " + request.path);
  std::string allow;
  for (const std::string& m : match.allowed) allow += (allow.empty() ? "" : ", ") + m;
  r.headers.emplace_back("Allow", allow);
  return r;
}

}  // namespace

Response Dispatch(const Router& router, log::Log& log, Request& request) {
  Router::Match match = router.Find(request.method, request.path);
  if (match.handler == nullptr) return RouteNotFound(request, match);
  request.params = std::move(match.params);
  try {
    return (*match.handler)(request);
  } catch (const Poco::Exception& e) {
    log.Error("unhandled exception", {{"request_id", request.request_id}, {"error", e.displayText()}});
  } catch (const std::exception& e) {
    log.Error("unhandled exception", {{"request_id", request.request_id}, {"error", e.what()}});
  }
  return Problem(500, "Internal server error", "an unexpected error occurred; it was logged");
}

Poco::Net::HTTPRequestHandler* DispatcherFactory::createRequestHandler(const Poco::Net::HTTPServerRequest&) {
  return new DispatchHandler(router_, log_, options_);  // Poco takes ownership
}

}  // namespace lims::http
