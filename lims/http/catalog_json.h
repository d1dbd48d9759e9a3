// JSON shapes of the catalog: standards, requirements, test-plan requests and plans, decision rules.
// Shared by the catalog routes and sample intake (whose "test_plan" is a test-plan request).
#ifndef LIMS_HTTP_CATALOG_JSON_H_
#define LIMS_HTTP_CATALOG_JSON_H_

#include "lims/core/catalog.h"
#include "lims/core/decision.h"
#include "lims/core/test_plan.h"
#include "lims/http/json_io.h"

namespace lims::http {

// Reads a test-plan request from `in`'s object; problems are recorded in `in`.
TestPlanRequest ReadTestPlanRequest(BodyReader& in);
// "simple", "guarded", or {"guarded": {"r": "0.5"}}; problems are recorded in `in` under `field`.
DecisionRule ReadDecisionRule(BodyReader& in, const std::string& field);

JsonObject LimitJson(const Limit& limit);

// The specification a planned test and a registered test share, in one field order.
template <typename Test>
void SetTestSpec(JsonObject& o, const Test& t) {
  o.set("requirement", t.requirement);
  o.set("standard", t.standard);
  o.set("clause", t.clause);
  o.set("property", t.property);
  o.set("label", t.label);
  o.set("part", t.part);
  o.set("material", t.material);
  o.set("method", t.method);
  o.set("specimens", t.specimens);
  o.set("combine", std::string(CombineName(t.combine)));
  o.set("limit", LimitJson(t.limit));
  o.set("sources", StringsJson(t.sources));
}
JsonObject PlannedTestJson(const PlannedTest& t);
JsonObject StandardJson(const StandardEdition& s);
JsonObject RequirementJson(const CatalogRequirement& r);

}  // namespace lims::http

#endif  // LIMS_HTTP_CATALOG_JSON_H_
