// libFuzzer target: a request body through BodyReader, as sample intake and the test-plan preview
// read it (ReadTestPlanRequest, ReadDecisionRule, a nested "test_plan" object, the other field
// shapes), then DeriveTestPlan against the repository's catalog when the body is valid.
//
// Invariants: nothing throws; a body that is not a JSON object is refused with no field errors;
// an accepted request has a size in 15..55 and a decision rule whose token parses back to itself;
// every field error names a reason; the 400 problem built from the errors is valid JSON; a derived
// plan's tests all have a requirement, a part and at least one specimen.
#include <Poco/JSON/Object.h>

#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz_check.h"
#include "fuzz_json.h"
#include "lims/core/test_plan.h"
#include "lims/http/catalog_json.h"
#include "lims/http/json_io.h"
#include "lims/http/problem.h"
#include "real_catalog.h"

namespace {

using lims::http::BodyReader;

void CheckRule(const lims::DecisionRule& rule) {
  if (rule.kind == lims::DecisionRule::Kind::kGuarded) {
    FUZZ_CHECK(rule.r > lims::Decimal() && rule.r <= lims::Decimal::FromInteger(10));
  }
  lims::Result<lims::DecisionRule> again = lims::ParseDecisionRule(rule.Token());
  FUZZ_CHECK(again.ok() && again->Token() == rule.Token());
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  lims::fuzz::RealCatalog();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string body = lims::fuzz::AsString(data, size);
  BodyReader in(body);
  lims::TestPlanRequest request = lims::http::ReadTestPlanRequest(in);
  const lims::DecisionRule rule = lims::http::ReadDecisionRule(in, "decision_rule");
  CheckRule(rule);
  // The other shapes of sample intake and result entry.
  (void)in.RequiredId("exporter");
  (void)in.OptionalString("lot");
  (void)in.OptionalInteger("quantity");
  (void)in.NullableString("uncertainty");
  (void)in.StringArray("values", false);
  (void)in.Array("requirements", false);
  if (Poco::JSON::Object::Ptr plan = in.Object("test_plan", false); !plan.isNull()) {
    BodyReader plan_in(plan, "test_plan.");
    lims::TestPlanRequest nested = lims::http::ReadTestPlanRequest(plan_in);
    CheckRule(lims::http::ReadDecisionRule(plan_in, "decision_rule"));
    in.Absorb(plan_in);
    if (nested.size) FUZZ_CHECK(*nested.size >= 1);
  }
  const lims::Status status = in.Finish();
  if (!in.parsed()) {
    FUZZ_CHECK(!status.ok());
    FUZZ_CHECK(status.field_errors().empty());
    FUZZ_CHECK(!status.message().empty());
  }
  for (const lims::FieldError& e : status.field_errors()) FUZZ_CHECK(!e.reason.empty());
  if (!status.ok()) {
    const lims::http::Response problem = lims::http::ProblemFromStatus(status);
    FUZZ_CHECK(problem.status == 400);
    FUZZ_CHECK(lims::fuzz::IsJson(problem.body));
    return 0;
  }
  if (request.size) FUZZ_CHECK(*request.size >= 15 && *request.size <= 55);
  FUZZ_CHECK(!request.product_family.empty());
  lims::Result<lims::TestPlan> plan = lims::DeriveTestPlan(lims::fuzz::RealCatalog(), request);
  if (!plan.ok()) {
    FUZZ_CHECK(lims::fuzz::IsJson(lims::http::ProblemFromStatus(plan.status()).body));
    return 0;
  }
  for (const lims::PlannedTest& t : plan->tests) {
    FUZZ_CHECK(!t.requirement.empty());
    FUZZ_CHECK(!t.part.empty());
    FUZZ_CHECK(t.specimens >= 1);
    FUZZ_CHECK(lims::fuzz::IsJson(lims::http::JsonResponse(200, lims::http::PlannedTestJson(t)).body));
  }
  return 0;
}
