// Dispatcher: the bridge from Poco's HTTP server to the Router.
//
// For every request: assigns a request id (a client's X-Request-Id is kept when it is sane),
// enforces the body size limit (413 before reading an oversized body), routes (404 / 405), turns
// any exception into a logged 500 problem (Poco's connection catches only Poco::Exception), adds
// security headers, and writes one access-log line: method, path, status, latency, request id.
// The factory borrows the router and the log; both must outlive the HTTP server.
#ifndef LIMS_HTTP_DISPATCHER_H_
#define LIMS_HTTP_DISPATCHER_H_

#include <Poco/Net/HTTPRequestHandlerFactory.h>

#include <cstddef>

#include "lims/http/router.h"
#include "lims/log/log.h"

namespace lims::http {

struct DispatcherOptions {
  size_t max_body_bytes = 1 << 20;
};

// Turns a bearer token or session cookie into the caller. Implementations must be thread-safe.
class Authenticator {
 public:
  virtual ~Authenticator() = default;
  // kNotFound when the token is unknown, expired or revoked (or its user disabled);
  // kUnavailable when the database cannot be reached.
  virtual Result<Principal> Authenticate(const std::string& token, bool via_cookie) = 0;
};

// The cookie that carries a browser session.
inline constexpr const char* kSessionCookie = "pramaan_session";

class DispatcherFactory final : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  DispatcherFactory(const Router& router, log::Log& log, Authenticator& auth, DispatcherOptions options)
      : router_(router), log_(log), auth_(auth), options_(options) {}

  Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest& request) override;

 private:
  const Router& router_;
  log::Log& log_;
  Authenticator& auth_;
  const DispatcherOptions options_;
};

// Routes one parsed request (no sockets): what the dispatcher runs after reading the body.
// Authenticates and authorises before the handler (401 without valid credentials, 403 for a role
// the route does not admit or a cookie-borne write without its CSRF header). Exceptions thrown by
// handlers become a 500 problem here; `log` records their detail.
Response Dispatch(const Router& router, log::Log& log, Authenticator& auth, Request& request);

}  // namespace lims::http

#endif  // LIMS_HTTP_DISPATCHER_H_
