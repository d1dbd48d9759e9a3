// The browser UI's static files. Only names from one flat directory are served (no '/', no '..'),
// with a content type chosen from a short allow-list of extensions.
#include <fstream>
#include <sstream>

#include "lims/http/problem.h"
#include "lims/http/routes.h"

namespace lims::http {
namespace {

const char* ContentTypeFor(const std::string& name) {
  auto ends_with = [&](const char* ext) {
    const std::string e(ext);
    return name.size() > e.size() && name.compare(name.size() - e.size(), e.size(), e) == 0;
  };
  if (ends_with(".html")) return "text/html; charset=utf-8";
  if (ends_with(".js")) return "text/javascript; charset=utf-8";
  if (ends_with(".css")) return "text/css; charset=utf-8";
  if (ends_with(".svg")) return "image/svg+xml";
  return nullptr;
}

bool IsPlainName(const std::string& name) {
  if (name.empty() || name.size() > 64 || name[0] == '.') return false;
  for (char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.';
    if (!ok) return false;
  }
  return true;
}

Response ServeFile(const std::string& dir, const std::string& name) {
  const char* type = ContentTypeFor(name);
  if (!IsPlainName(name) || type == nullptr) return Problem(404, "Not found", "no file " + name);
  std::ifstream in(dir + "/" + name, std::ios::binary);
  if (!in) return Problem(404, "Not found", "no file " + name);
  std::ostringstream body;
  body << in.rdbuf();
  return Response{200, type, body.str(), {}};
}

}  // namespace

void AddWebRoutes(Router& router, AppContext& ctx) {
  router.Add("GET", "/", Access::Public(), [&ctx](const Request&) { return ServeFile(ctx.web_dir, "index.html"); });
  router.Add("GET", "/static/{file}", Access::Public(),
             [&ctx](const Request& r) { return ServeFile(ctx.web_dir, r.params.at("file")); });
}

}  // namespace lims::http
