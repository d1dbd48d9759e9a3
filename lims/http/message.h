// Request and Response: the HTTP layer's own value types. Handlers take a Request and return a
// Response, so they can be called in tests without sockets; only dispatcher.cc touches Poco's
// server classes.
#ifndef LIMS_HTTP_MESSAGE_H_
#define LIMS_HTTP_MESSAGE_H_

#include <functional>
#include <map>
#include <optional>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "lims/core/user.h"

namespace lims::http {

struct Request {
  std::string method;
  std::string path;
  std::multimap<std::string, std::string> query;
  std::map<std::string, std::string> params;   // path parameters from the route pattern
  std::map<std::string, std::string> headers;  // names in lower case
  std::string body;
  std::string request_id;
  std::string client_address;          // the peer's IP address (brute-force counters)
  std::optional<Principal> principal;  // set by the dispatcher on authenticated routes
  std::string acting_role;             // the route's role the principal acted in (audit trail)

  // The first value of a query parameter, or "" when absent.
  std::string Query(const std::string& name) const;
  bool HasQuery(const std::string& name) const { return query.count(name) > 0; }
};

struct Response {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  // What went wrong behind a 5xx, for the log only (never sent: it can hold SQL or paths).
  std::string log_detail = {};
  // Set for a streamed body (large exports): the dispatcher sends the status and headers with
  // chunked transfer encoding, then calls it to write the body as it is produced, so neither side
  // holds the whole body; `body` is ignored. It returns false when it stopped early (the client
  // left or the database failed), which is logged. Runs on the request's thread after the handler
  // returned: whatever it reads (a leased connection) it must own.
  std::function<bool(std::ostream&)> stream = {};
};

}  // namespace lims::http

#endif  // LIMS_HTTP_MESSAGE_H_
