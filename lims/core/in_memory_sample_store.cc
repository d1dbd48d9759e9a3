#include "lims/core/in_memory_sample_store.h"

namespace lims {

void InMemorySampleStore::AddRequirement(std::string code, std::string standard, std::string clause,
                                         std::string property, std::string method, Limit limit) {
  std::lock_guard<std::mutex> lock(mu_);
  requirements_[std::move(code)] =
      Requirement{std::move(standard), std::move(clause), std::move(property), std::move(method), std::move(limit)};
}

int64_t InMemorySampleStore::AddOrganization(Organization org) {
  std::lock_guard<std::mutex> lock(mu_);
  org.id = next_organization_id_++;
  const int64_t id = org.id;
  organizations_.emplace(id, std::move(org));
  return id;
}

Result<SampleRecord> InMemorySampleStore::CreateSample(std::string_view lab_code, const NewSample& sample,
                                                       Timestamp received_at) {
  std::lock_guard<std::mutex> lock(mu_);
  // Every check happens before anything is written: like the database transaction, a rejected
  // intake consumes no sample number and leaves no tests behind.
  LIMS_RETURN_IF_ERROR(CheckReferences(sample));
  const int year = YearOf(received_at);
  const int64_t sequence = ++sequences_[{std::string(lab_code), year}];
  SampleRecord record = MakeSample(sample, received_at);
  record.id = next_sample_id_++;
  record.number = FormatSampleNumber(lab_code, year, sequence);
  record.exporter_name = organizations_.at(sample.exporter_id).name;
  record.tests = MakeTests(sample, record.number);
  samples_.emplace(record.number, record);
  return record;
}

Result<SampleRecord> InMemorySampleStore::FindSample(std::string_view number) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = samples_.find(number);
  if (it == samples_.end()) return Status::NotFound("no sample " + std::string(number));
  return it->second;
}

Result<std::vector<SampleRecord>> InMemorySampleStore::ListSamples(const SampleQuery& query) {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<SampleRecord> page;
  if (query.limit <= 0) return page;
  // Numbers compare as strings, as the database's index on them does; the fixed-width year and
  // six-digit sequence make that the order of receipt within a lab.
  auto it = query.after.empty() ? samples_.begin() : samples_.upper_bound(query.after);
  for (; it != samples_.end() && page.size() < static_cast<size_t>(query.limit); ++it) {
    if (Matches(it->second, query)) page.push_back(it->second);
  }
  return page;
}

Result<TestRecord> InMemorySampleStore::FindTest(int64_t test_id) {
  std::lock_guard<std::mutex> lock(mu_);
  const TestRecord* test = MutableTest(test_id);
  if (test == nullptr) return Status::NotFound("no test " + std::to_string(test_id));
  return *test;
}

Result<ResultRecord> InMemorySampleStore::AddResult(const TestRecord& test, const ResultRecord& result) {
  std::lock_guard<std::mutex> lock(mu_);
  TestRecord* stored = MutableTest(test.id);
  if (stored == nullptr) return Status::NotFound("no test " + std::to_string(test.id));
  // The caller's copy of the test may be stale; the stored status decides who won a race.
  if (stored->status != TestStatus::kPending) {
    return Status::Conflict("test " + std::to_string(test.id) + " is " + std::string(TestStatusName(stored->status)) +
                            ", no longer pending");
  }
  ResultRecord record = result;
  record.id = next_result_id_++;
  record.test_id = stored->id;
  stored->result = record;
  stored->status = TestStatus::kEntered;
  SampleRecord& sample = samples_.at(stored->sample_number);
  // Only a freshly received sample moves; a sample further along is never walked back.
  if (sample.status == SampleStatus::kReceived) sample.status = SampleStatus::kInTesting;
  return record;
}

Result<std::vector<Organization>> InMemorySampleStore::ListOrganizations() {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<Organization> out;
  out.reserve(organizations_.size());
  for (const auto& [id, org] : organizations_) out.push_back(org);
  return out;
}

Status InMemorySampleStore::CheckReferences(const NewSample& sample) const {
  // The exporter is checked on its own first, as the MySQL store does, so that both stores answer
  // an intake with several bad references in the same way.
  if (organizations_.count(sample.exporter_id) == 0) {
    return Status::Unprocessable("unknown exporter", {{"exporter", "no such organization"}});
  }
  std::vector<FieldError> errors;
  for (size_t i = 0; i < sample.requirements.size(); ++i) {
    if (requirements_.count(sample.requirements[i]) == 0) {
      errors.push_back({"requirements[" + std::to_string(i) + "]", "unknown requirement"});
    }
  }
  if (errors.empty()) return Status::Ok();
  return Status::Unprocessable("the sample names unknown requirements", std::move(errors));
}

std::vector<TestRecord> InMemorySampleStore::MakeTests(const NewSample& sample, const std::string& number) {
  std::vector<TestRecord> tests;
  // Tests the service planned from the catalog come first, then requirements the store resolves.
  for (const PlannedTest& p : sample.planned_tests) {
    TestRecord t;
    t.id = next_test_id_++;
    t.sample_number = number;
    t.requirement = p.requirement;
    t.standard = p.standard;
    t.clause = p.clause;
    t.property = p.property;
    t.label = p.label;
    t.method = p.method;
    t.part = p.part;
    t.material = p.material;
    t.limit = p.limit;
    t.combine = p.combine;
    t.specimens = p.specimens;
    t.sources = p.sources;
    t.decision_rule = sample.decision_rule;
    sample_of_test_.emplace(t.id, number);
    tests.push_back(std::move(t));
  }
  for (const std::string& code : sample.requirements) {
    const Requirement& r = requirements_.at(code);
    TestRecord t;
    t.id = next_test_id_++;
    t.sample_number = number;
    t.requirement = code;
    t.standard = r.standard;
    t.clause = r.clause;
    t.property = r.property;
    t.method = r.method;
    t.limit = r.limit;  // a copy: later catalog edits must not change how this sample is judged
    t.part = "whole";
    t.sources = {r.standard + " " + r.clause};
    t.decision_rule = sample.decision_rule;
    sample_of_test_.emplace(t.id, number);
    tests.push_back(std::move(t));
  }
  return tests;
}

SampleRecord InMemorySampleStore::MakeSample(const NewSample& sample, Timestamp received_at) {
  SampleRecord r;
  r.exporter_id = sample.exporter_id;
  r.product = sample.product;
  r.article = sample.article;
  r.sizes = sample.sizes;
  r.lot = sample.lot;
  r.quantity = sample.quantity;
  r.quantity_unit = sample.quantity_unit;
  r.destination = sample.destination;
  r.decision_rule = sample.decision_rule;
  r.condition = sample.condition;
  r.condition_note = sample.condition_note;
  r.storage_location = sample.storage_location;
  r.status = SampleStatus::kReceived;
  r.received_at = received_at;
  r.custody.push_back({"received", sample.storage_location, sample.condition_note, received_at});
  return r;
}

TestRecord* InMemorySampleStore::MutableTest(int64_t test_id) {
  auto owner = sample_of_test_.find(test_id);
  if (owner == sample_of_test_.end()) return nullptr;
  SampleRecord& sample = samples_.at(owner->second);
  for (TestRecord& t : sample.tests) {
    if (t.id == test_id) return &t;
  }
  return nullptr;
}

bool InMemorySampleStore::Matches(const SampleRecord& s, const SampleQuery& query) {
  if (query.status && s.status != *query.status) return false;
  if (query.exporter_id && s.exporter_id != *query.exporter_id) return false;
  return true;
}

void FaultyStore::SetFailure(Status failure) {
  std::lock_guard<std::mutex> lock(mu_);
  failure_ = std::move(failure);
}

Status FaultyStore::Failure() {
  std::lock_guard<std::mutex> lock(mu_);
  return failure_;
}

Result<SampleRecord> FaultyStore::CreateSample(std::string_view lab_code, const NewSample& sample,
                                               Timestamp received_at) {
  LIMS_RETURN_IF_ERROR(Failure());
  return base_.CreateSample(lab_code, sample, received_at);
}

Result<SampleRecord> FaultyStore::FindSample(std::string_view number) {
  LIMS_RETURN_IF_ERROR(Failure());
  return base_.FindSample(number);
}

Result<std::vector<SampleRecord>> FaultyStore::ListSamples(const SampleQuery& query) {
  LIMS_RETURN_IF_ERROR(Failure());
  return base_.ListSamples(query);
}

Result<TestRecord> FaultyStore::FindTest(int64_t test_id) {
  LIMS_RETURN_IF_ERROR(Failure());
  return base_.FindTest(test_id);
}

Result<ResultRecord> FaultyStore::AddResult(const TestRecord& test, const ResultRecord& result) {
  LIMS_RETURN_IF_ERROR(Failure());
  return base_.AddResult(test, result);
}

Result<std::vector<Organization>> FaultyStore::ListOrganizations() {
  LIMS_RETURN_IF_ERROR(Failure());
  return base_.ListOrganizations();
}

}  // namespace lims
