// Handlers of exporter organisations: list, read, register (admin), and the districts they name.
#include <Poco/JSON/Array.h>
#include <Poco/String.h>

#include "lims/http/json_io.h"
#include "lims/http/problem.h"
#include "lims/http/routes.h"
#include "lims/http/sample_json.h"
#include "lims/http/workflow_scope.h"

namespace lims::http {
namespace {

Result<Organization> ReadOrganization(const std::string& body) {
  BodyReader in(body);
  Organization o;
  o.name = in.RequiredString("name");
  o.short_name = in.OptionalString("short_name");
  o.iec = in.RequiredString("iec");
  o.gstin = in.OptionalString("gstin");
  o.address = in.RequiredString("address");
  o.district = in.RequiredString("district");
  o.state = in.OptionalString("state");
  o.odop_product = in.OptionalString("odop_product");
  LIMS_RETURN_IF_ERROR(in.Finish());
  return o;
}

std::string OrganizationDocument(const Organization& o) {
  return AuditJson()
      .Set("id", std::to_string(o.id))
      .Set("name", o.name)
      .Set("short_name", o.short_name)
      .Set("iec", o.iec)
      .Set("gstin", o.gstin)
      .Set("address", o.address)
      .Set("district", o.district)
      .Set("state", o.state)
      .Set("odop_product", o.odop_product)
      .str();
}

Response Create(AppContext& ctx, const Request& req) {
  Result<Organization> org = ReadOrganization(req.body);
  if (!org.ok()) return ProblemFromStatus(org.status());
  // Uttar Pradesh's districts are checked against the list; a lab elsewhere names its state and
  // may then register any district. "uttar pradesh" and "UP" are Uttar Pradesh too.
  std::string state = Poco::toLower(Poco::trim(org->state));
  if (state == "up" || state == "uttar pradesh") org->state = state = "";
  const bool other_state = !state.empty();
  LIMS_RETURN_IF_ERROR_RESPONSE(ValidateOrganization(&*org, ctx.districts, other_state));
  return RunWrite(ctx, req, [&](store::UnitOfWork& work) {
    store::MysqlSampleStore store(work.connection());
    Result<Organization> created = store.CreateOrganization(*org, req.principal->user_id);
    if (!created.ok()) return ProblemFromStatus(created.status());
    work.Record(
        {"organization.register", "organization", std::to_string(created->id), "", OrganizationDocument(*created), ""});
    Response r = JsonResponse(201, OrganizationJson(*created));
    r.headers.emplace_back("Location", "/api/v1/organizations/" + std::to_string(created->id));
    return r;
  });
}

Response List(AppContext& ctx, const Request& req) {
  return WithSampleService(ctx, req, [&](SampleService&, store::MysqlSampleStore& store) {
    Result<std::vector<Organization>> orgs = store.ListOrganizations();
    if (!orgs.ok()) return ProblemFromStatus(orgs.status());
    Poco::JSON::Array items;
    for (const Organization& o : *orgs) items.add(OrganizationJson(o));
    JsonObject body = NewObject();
    body.set("items", items);
    return JsonResponse(200, body);
  });
}

// Staff read any organisation; an exporter only its own (another's answers 404).
Response Get(AppContext& ctx, const Request& req) {
  std::optional<int64_t> id = PathId(req, "id");
  const Principal& p = *req.principal;
  if (!id || (p.IsExporter() && p.organization_id != id)) {
    return Problem(404, "Not found", "no organization " + req.params.at("id"));
  }
  return WithSampleService(ctx, req, [&](SampleService&, store::MysqlSampleStore& store) {
    Result<Organization> org = store.FindOrganization(*id);
    if (!org.ok()) return ProblemFromStatus(org.status());
    return JsonResponse(200, OrganizationJson(*org));
  });
}

Response Districts(const AppContext& ctx) {
  Poco::JSON::Array items;
  for (const District& d : ctx.districts) {
    JsonObject item = NewObject();
    item.set("name", d.name);
    item.set("state", d.state);
    item.set("odop_product", d.odop_product);
    items.add(item);
  }
  JsonObject body = NewObject();
  body.set("items", items);
  return JsonResponse(200, body);
}

}  // namespace

void AddOrganizationRoutes(Router& router, AppContext& ctx) {
  router.Add("GET", "/api/v1/organizations", Access::Roles({Role::kAdmin, Role::kTechnician}),
             [&ctx](const Request& r) { return List(ctx, r); });
  router.Add("POST", "/api/v1/organizations", Access::Roles({Role::kAdmin}),
             [&ctx](const Request& r) { return Create(ctx, r); });
  router.Add("GET", "/api/v1/organizations/{id}", Access::AnyUser(), [&ctx](const Request& r) { return Get(ctx, r); });
  router.Add("GET", "/api/v1/districts", Access::AnyUser(), [&ctx](const Request&) { return Districts(ctx); });
}

}  // namespace lims::http
