#include <Poco/JSON/Array.h>

#include "lims/http/json_io.h"
#include "lims/http/routes.h"

namespace lims::http {
namespace {

Response Health(AppContext& ctx) {
  const Status db = ctx.pool.Ping();
  JsonObject body = NewObject();
  body.set("status", db.ok() ? "ok" : "unavailable");
  body.set("db", db.ok() ? "ok" : "unreachable");
  Response r = JsonResponse(db.ok() ? 200 : 503, body);
  if (!db.ok()) r.headers.emplace_back("Retry-After", "5");
  return r;
}

Response Version(const AppContext& ctx) {
  JsonObject body = NewObject();
  body.set("name", "pramaan");
  body.set("version", ctx.version);
  body.set("revision", ctx.git_revision);
  body.set("api", "v1");
  body.set("lab", ctx.lab.code);
  return JsonResponse(200, body);
}

// A minimal OpenAPI 3 document generated from the route table, so it can never list a route that
// does not exist. Request and response schemas are added as the contract's resources are built.
Response OpenApi(const Router& router, const AppContext& ctx) {
  JsonObject info = NewObject();
  info.set("title", "Pramaan LIMS API");
  info.set("version", ctx.version);
  JsonObject paths = NewObject();
  for (const std::string& route : router.Describe()) {
    const size_t space = route.find(' ');
    std::string method = route.substr(0, space);
    for (char& c : method) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    const std::string path = route.substr(space + 1);
    Poco::JSON::Object::Ptr item = paths.has(path)
                                       ? paths.getObject(path)
                                       : Poco::JSON::Object::Ptr(new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER));
    JsonObject op = NewObject();
    op.set("operationId", method + path);
    JsonObject responses = NewObject();
    JsonObject ok = NewObject();
    ok.set("description", "see ../shared/spec/api.md");
    responses.set("default", ok);
    op.set("responses", responses);
    item->set(method, op);
    paths.set(path, item);
  }
  JsonObject doc = NewObject();
  doc.set("openapi", "3.0.3");
  doc.set("info", info);
  doc.set("paths", paths);
  return JsonResponse(200, doc);
}

}  // namespace

void AddSystemRoutes(Router& router, AppContext& ctx) {
  router.Add("GET", "/health", Access::Public(), [&ctx](const Request&) { return Health(ctx); });
  router.Add("GET", "/api/v1/version", Access::Public(), [&ctx](const Request&) { return Version(ctx); });
  router.Add("GET", "/api/openapi.json", Access::Public(),
             [&router, &ctx](const Request&) { return OpenApi(router, ctx); });
}

}  // namespace lims::http
