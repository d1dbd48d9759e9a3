// The catalog: standards, their requirements (optionally those of one marking), test-plan previews.
#include <Poco/JSON/Array.h>

#include "lims/http/catalog_json.h"
#include "lims/http/problem.h"
#include "lims/http/routes.h"

namespace lims::http {
namespace {

Response ListStandards(const Catalog& catalog) {
  Poco::JSON::Array items;
  for (const StandardEdition& s : catalog.standards()) items.add(StandardJson(s));
  return JsonResponse(200, items);
}

Response ListRequirements(const Catalog& catalog, const Request& req) {
  const StandardEdition* s = catalog.FindStandard(req.params.at("id"));
  if (s == nullptr) return Problem(404, "Not found", "no standard " + req.params.at("id"));
  std::vector<const CatalogRequirement*> selected;
  if (req.HasQuery("marking")) {
    const Marking* m = s->FindMarking(req.Query("marking"));
    if (m == nullptr) {
      return ProblemFromStatus(Status::Unprocessable(
          "unknown marking", {{"marking", req.Query("marking") + " is not a marking of " + s->code}}));
    }
    selected = catalog.Expand(*s, *m);
  } else {
    for (const CatalogRequirement& r : s->requirements) selected.push_back(&r);
  }
  Poco::JSON::Array items;
  for (const CatalogRequirement* r : selected) items.add(RequirementJson(*r));
  JsonObject body = NewObject();
  body.set("standard", StandardJson(*s));
  body.set("requirements", items);
  return JsonResponse(200, body);
}

Response PreviewTestPlan(const Catalog& catalog, const Request& req) {
  BodyReader in(req.body);
  TestPlanRequest request = ReadTestPlanRequest(in);
  const Status read = in.Finish();
  if (!read.ok()) return ProblemFromStatus(read);
  Result<TestPlan> plan = DeriveTestPlan(catalog, request);
  if (!plan.ok()) return ProblemFromStatus(plan.status());
  Poco::JSON::Array tests;
  for (const PlannedTest& t : plan->tests) tests.add(PlannedTestJson(t));
  JsonObject body = NewObject();
  body.set("tests", tests);
  return JsonResponse(200, body);
}

}  // namespace

void AddCatalogRoutes(Router& router, AppContext& ctx) {
  router.Add("GET", "/api/v1/standards", Access::AnyUser(),
             [&ctx](const Request&) { return ListStandards(ctx.catalog); });
  router.Add("GET", "/api/v1/standards/{id}/requirements", Access::AnyUser(),
             [&ctx](const Request& r) { return ListRequirements(ctx.catalog, r); });
  router.Add("POST", "/api/v1/test-plans", Access::Roles({Role::kTechnician}),
             [&ctx](const Request& r) { return PreviewTestPlan(ctx.catalog, r); });
}

}  // namespace lims::http
