// Router: method + path pattern → handler. Patterns are literal segments and {name} segments
// ("/api/v1/samples/{number}/report.pdf"); a {name} matches one non-empty segment. Routes are added
// while wiring the server and only read afterwards, so matching is thread-safe without locks.
#ifndef LIMS_HTTP_ROUTER_H_
#define LIMS_HTTP_ROUTER_H_

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "lims/core/user.h"
#include "lims/http/message.h"

namespace lims::http {

using Handler = std::function<Response(const Request&)>;

// Who may call a route: checked by the dispatcher before any handler runs (deny by default: a route
// is public only when it says so). Exporters pass only where listed, and handlers then restrict
// them to their own organisation's records.
struct Access {
  bool anyone = false;
  std::vector<Role> roles;  // any one of these suffices

  static Access Public() { return Access{true, {}}; }
  static Access Roles(std::vector<Role> roles) { return Access{false, std::move(roles)}; }
  // Every staff role (not exporter): lab-internal reads.
  static Access Staff();
  // Any signed-in user, exporters included.
  static Access AnyUser();
  bool Allows(const Principal& p) const;
};

class Router {
 public:
  // `max_body_bytes`: a larger request body this route accepts (an instrument file); 0 = the
  // server's default.
  void Add(std::string method, const std::string& pattern, Access access, Handler handler, size_t max_body_bytes = 0);

  struct Match {
    const Handler* handler = nullptr;  // null: no route for this method
    const Access* access = nullptr;
    std::map<std::string, std::string> params;
    std::vector<std::string> allowed;  // methods of the matching path (405's Allow header)
  };
  Match Find(const std::string& method, const std::string& path) const;
  // The body limit of the route `method path` matches (0: none of its own, or no route).
  size_t BodyLimit(const std::string& method, const std::string& path) const;

  // Every route, for the OpenAPI document and the docs: "GET /health".
  std::vector<std::string> Describe() const;
  // The route table with its access rules, for the authorisation matrix test and the docs.
  struct Entry {
    std::string method;
    std::string pattern;
    Access access;
  };
  std::vector<Entry> Entries() const;

 private:
  struct Route {
    std::string method;
    std::string pattern;
    std::vector<std::string> segments;
    Access access;
    Handler handler;
    size_t max_body_bytes = 0;
  };
  static bool MatchSegments(const Route& r, const std::vector<std::string>& path,
                            std::map<std::string, std::string>* params);

  std::vector<Route> routes_;
};

std::vector<std::string> SplitPath(const std::string& path);

}  // namespace lims::http

#endif  // LIMS_HTTP_ROUTER_H_
