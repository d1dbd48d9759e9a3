#include "lims/http/router.h"

#include <algorithm>

namespace lims::http {

std::string Request::Query(const std::string& name) const {
  auto it = query.find(name);
  return it == query.end() ? "" : it->second;
}

std::vector<std::string> SplitPath(const std::string& path) {
  std::vector<std::string> segments;
  size_t start = 0;
  while (start <= path.size()) {
    size_t slash = path.find('/', start);
    if (slash == std::string::npos) slash = path.size();
    if (slash > start) segments.push_back(path.substr(start, slash - start));
    start = slash + 1;
  }
  return segments;
}

Access Access::Staff() {
  return Roles({Role::kAdmin, Role::kTechnician, Role::kReviewer, Role::kSignatory, Role::kAuditor});
}

Access Access::AnyUser() {
  return Roles(AllRoles());
}

bool Access::Allows(const Principal& p) const {
  if (anyone) return true;
  return std::any_of(roles.begin(), roles.end(), [&](Role r) { return p.Has(r); });
}

void Router::Add(std::string method, const std::string& pattern, Access access, Handler handler,
                 size_t max_body_bytes) {
  routes_.push_back(
      {std::move(method), pattern, SplitPath(pattern), std::move(access), std::move(handler), max_body_bytes});
}

size_t Router::BodyLimit(const std::string& method, const std::string& path) const {
  const std::vector<std::string> segments = SplitPath(path);
  std::map<std::string, std::string> params;
  for (const Route& r : routes_) {
    if (r.max_body_bytes > 0 && r.method == method && MatchSegments(r, segments, &params)) return r.max_body_bytes;
  }
  return 0;
}

std::vector<Router::Entry> Router::Entries() const {
  std::vector<Entry> out;
  for (const Route& r : routes_) out.push_back({r.method, r.pattern, r.access});
  return out;
}

bool Router::MatchSegments(const Route& r, const std::vector<std::string>& path,
                           std::map<std::string, std::string>* params) {
  if (r.segments.size() != path.size()) return false;
  for (size_t i = 0; i < path.size(); ++i) {
    const std::string& s = r.segments[i];
    if (s.size() > 2 && s.front() == '{' && s.back() == '}') {
      (*params)[s.substr(1, s.size() - 2)] = path[i];
    } else if (s != path[i]) {
      return false;
    }
  }
  return true;
}

Router::Match Router::Find(const std::string& method, const std::string& path) const {
  const std::vector<std::string> segments = SplitPath(path);
  Match match;
  for (const Route& r : routes_) {
    std::map<std::string, std::string> params;
    if (!MatchSegments(r, segments, &params)) continue;
    match.allowed.push_back(r.method);
    if (r.method == method && match.handler == nullptr) {
      match.handler = &r.handler;
      match.access = &r.access;
      match.params = std::move(params);
    }
  }
  return match;
}

std::vector<std::string> Router::Describe() const {
  std::vector<std::string> out;
  for (const Route& r : routes_) out.push_back(r.method + " " + r.pattern);
  return out;
}

}  // namespace lims::http
