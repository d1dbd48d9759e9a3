#include "lims/core/sample_service.h"

#include <algorithm>

namespace lims {

namespace {

// The first size that is a whole EU size ("42"), for size-dependent limits such as toecap clearance.
std::optional<int> FirstWholeSize(const std::vector<std::string>& sizes) {
  for (const std::string& s : sizes) {
    if (!s.empty() && s.size() <= 2 && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      return std::stoi(s);
    }
  }
  return std::nullopt;
}

Status Prefixed(const Status& s, const std::string& prefix) {
  std::vector<FieldError> errors;
  for (const FieldError& e : s.field_errors()) errors.push_back({prefix + e.field, e.reason});
  return Status::Unprocessable(s.message(), std::move(errors));
}

}  // namespace

Status SampleService::PlanTests(NewSample* s) const {
  if (catalog_ == nullptr) return Status::Ok();
  const std::optional<int> size = FirstWholeSize(s->sizes);
  if (s->test_plan) {
    TestPlanRequest request = *s->test_plan;
    if (!request.size) request.size = size;
    Result<TestPlan> plan = DeriveTestPlan(*catalog_, request);
    if (!plan.ok()) return Prefixed(plan.status(), "test_plan.");
    s->planned_tests = std::move(plan).value().tests;
  }
  std::vector<std::string> unknown;
  for (size_t i = 0; i < s->requirements.size(); ++i) {
    const CatalogRequirement* r = catalog_->FindRequirement(s->requirements[i]);
    if (r == nullptr) {
      unknown.push_back(s->requirements[i]);
      continue;
    }
    Result<PlannedTest> t = PlanRequirement(*r, *catalog_->FindStandard(r->standard_id), size);
    if (!t.ok()) return Prefixed(t.status(), "requirements[" + std::to_string(i) + "].");
    s->planned_tests.push_back(std::move(t).value());
  }
  s->requirements = std::move(unknown);
  return Status::Ok();
}

Result<SampleRecord> SampleService::Register(const NewSample& input) {
  LIMS_RETURN_IF_ERROR(ValidateNewSample(input));
  NewSample sample = input;
  LIMS_RETURN_IF_ERROR(PlanTests(&sample));
  return store_.CreateSample(lab_code_, sample, clock_.Now());
}

Result<SampleRecord> SampleService::Get(const std::string& number) {
  if (!LooksLikeSampleNumber(number)) return Status::NotFound("no sample " + number);
  return store_.FindSample(number);
}

Result<ResultRecord> SampleService::EnterResult(int64_t test_id, const ResultEntry& entry) {
  Result<TestRecord> test = store_.FindTest(test_id);
  if (!test.ok()) return test.status();
  if (test->status != TestStatus::kPending) {
    return Status::Conflict("test " + std::to_string(test_id) + " is " + std::string(TestStatusName(test->status)) +
                            "; a result can be entered only while it is pending");
  }
  Result<ParsedResult> parsed = ParseResultEntry(*test, entry);
  if (!parsed.ok()) return parsed.status();
  const Decision decision = DecideTest(*test, *parsed);
  ResultRecord record = std::move(parsed).value().record;
  record.verdict = decision.verdict;
  record.explanation = decision.explanation;
  record.entered_at = clock_.Now();
  return store_.AddResult(*test, record);
}

}  // namespace lims
