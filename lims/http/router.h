// Router: method + path pattern → handler. Patterns are literal segments and {name} segments
// ("/api/v1/samples/{number}/report.pdf"); a {name} matches one non-empty segment. Routes are added
// while wiring the server and only read afterwards, so matching is thread-safe without locks.
#ifndef LIMS_HTTP_ROUTER_H_
#define LIMS_HTTP_ROUTER_H_

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "lims/http/message.h"

namespace lims::http {

using Handler = std::function<Response(const Request&)>;

class Router {
 public:
  void Add(std::string method, const std::string& pattern, Handler handler);

  struct Match {
    const Handler* handler = nullptr;  // null: no route for this method
    std::map<std::string, std::string> params;
    std::vector<std::string> allowed;  // methods of the matching path (405's Allow header)
  };
  Match Find(const std::string& method, const std::string& path) const;

  // Every route, for the OpenAPI document and the docs: "GET /health".
  std::vector<std::string> Describe() const;

 private:
  struct Route {
    std::string method;
    std::string pattern;
    std::vector<std::string> segments;
    Handler handler;
  };
  static bool MatchSegments(const Route& r, const std::vector<std::string>& path,
                            std::map<std::string, std::string>* params);

  std::vector<Route> routes_;
};

std::vector<std::string> SplitPath(const std::string& path);

}  // namespace lims::http

#endif  // LIMS_HTTP_ROUTER_H_
