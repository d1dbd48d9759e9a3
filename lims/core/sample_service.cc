#include "lims/core/sample_service.h"

namespace lims {

Result<SampleRecord> SampleService::Register(const NewSample& sample) {
  LIMS_RETURN_IF_ERROR(ValidateNewSample(sample));
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
  Result<ResultRecord> parsed = ParseResultEntry(*test, entry);
  if (!parsed.ok()) return parsed.status();
  ResultRecord record = std::move(parsed).value();
  const Evaluation evaluation = EvaluateSimpleAcceptance(test->limit, record.values);
  record.verdict = evaluation.verdict;
  record.explanation = evaluation.explanation;
  record.entered_at = clock_.Now();
  return store_.AddResult(*test, record);
}

}  // namespace lims
