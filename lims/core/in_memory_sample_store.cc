#include "lims/core/in_memory_sample_store.h"

#include <algorithm>

#include "lims/core/workflow.h"

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
  number_of_sample_.emplace(record.id, record.number);
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
  Result<TestRecord*> stored = WritableTest(test, TestStatus::kEntered);
  if (!stored.ok()) return stored.status();
  TestRecord& t = **stored;
  ResultRecord record = result;
  record.id = next_result_id_++;
  record.test_id = t.id;
  // A corrected entry after a rejection keeps the rejected result as history.
  if (t.result) t.earlier_results.push_back(*t.result);
  t.result = record;
  t.status = TestStatus::kEntered;
  ++t.version;
  return record;
}

Result<ReviewRecord> InMemorySampleStore::AddReview(const TestRecord& test, const ReviewRecord& review) {
  if (review.decision != "approve" && review.decision != "reject") {
    return Status::InvalidArgument("unknown review decision", {{"decision", "must be approve or reject"}});
  }
  const TestStatus to = review.decision == "approve" ? TestStatus::kApproved : TestStatus::kRejected;
  std::lock_guard<std::mutex> lock(mu_);
  Result<TestRecord*> stored = WritableTest(test, to);
  if (!stored.ok()) return stored.status();
  TestRecord& t = **stored;
  ReviewRecord record = review;
  record.id = next_review_id_++;
  record.test_id = t.id;
  t.reviews.push_back(record);
  t.status = to;
  ++t.version;
  return record;
}

Result<TestRecord> InMemorySampleStore::Retest(const TestRecord& test, const std::string& reason, int64_t /*by*/,
                                               Timestamp /*at*/) {
  std::lock_guard<std::mutex> lock(mu_);
  Result<TestRecord*> stored = WritableTest(test, TestStatus::kInvalidated);
  if (!stored.ok()) return stored.status();
  TestRecord& old = **stored;
  // The repeat measures the same specification again; everything about the first attempt's work
  // (result, reviews, assignment) stays with the invalidated test.
  TestRecord repeat = old;
  repeat.id = next_test_id_++;
  repeat.status = TestStatus::kPending;
  repeat.result.reset();
  repeat.version = 1;
  repeat.assignee_id.reset();
  repeat.assignee.clear();
  repeat.attempt = old.attempt + 1;
  repeat.replaces_test_id = old.id;
  repeat.replaced_by_test_id.reset();
  repeat.invalidation_reason.clear();
  repeat.reviews.clear();
  repeat.earlier_results.clear();
  old.status = TestStatus::kInvalidated;
  old.replaced_by_test_id = repeat.id;
  old.invalidation_reason = reason;
  ++old.version;
  sample_of_test_.emplace(repeat.id, repeat.sample_number);
  // Appending may reallocate the vector `old` lives in: it is not used below.
  samples_.at(repeat.sample_number).tests.push_back(repeat);
  return repeat;
}

Result<TestRecord> InMemorySampleStore::AssignTest(const TestRecord& test, std::optional<int64_t> assignee) {
  std::lock_guard<std::mutex> lock(mu_);
  TestRecord* t = MutableTest(test.id);
  if (t == nullptr) return Status::NotFound("no test " + std::to_string(test.id));
  if (t->version != test.version) return Status::Conflict("test " + std::to_string(test.id) + " changed meanwhile");
  t->assignee_id = assignee;
  t->assignee.clear();  // the MySQL store joins the user's name; there are no users here
  ++t->version;
  return *t;
}

Result<CustodyEvent> InMemorySampleStore::AddCustody(const SampleRecord& sample, const CustodyEvent& event,
                                                     const std::string& portion_description) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = samples_.find(sample.number);
  if (it == samples_.end()) return Status::NotFound("no sample " + sample.number);
  SampleRecord& stored = it->second;
  if (stored.version != sample.version) return Status::Conflict("sample " + sample.number + " changed meanwhile");
  LIMS_RETURN_IF_ERROR(CheckCustodyReferences(stored, event));
  CustodyEvent record = event;
  if (event.event == "split") {
    PortionRecord portion;
    portion.id = next_portion_id_++;
    portion.ordinal = static_cast<int>(stored.portions.size()) + 1;
    portion.code = stored.number + "-P" + std::to_string(portion.ordinal);
    portion.description = portion_description;
    portion.created_at = event.at;
    stored.portions.push_back(portion);
    record.portion = portion.code;
  }
  stored.custody.push_back(record);
  return record;
}

Status InMemorySampleStore::UpdateSample(int64_t sample_id, SampleStatus status) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = number_of_sample_.find(sample_id);
  if (it == number_of_sample_.end()) return Status::NotFound("no sample with id " + std::to_string(sample_id));
  SampleRecord& sample = samples_.at(it->second);
  sample.status = status;
  ++sample.version;
  return Status::Ok();
}

Result<std::vector<WorkItem>> InMemorySampleStore::Worklist(const WorklistQuery& query) {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<WorkItem> items;
  if (query.limit <= 0) return items;
  // sample_of_test_ is ordered by test id: the keyset order of the worklist.
  for (auto it = sample_of_test_.upper_bound(query.after);
       it != sample_of_test_.end() && items.size() < static_cast<size_t>(query.limit); ++it) {
    const SampleRecord& sample = samples_.at(it->second);
    const TestRecord* test = MutableTest(it->first);
    if (test == nullptr || !Matches(sample, *test, query)) continue;
    WorkItem item{*test, sample.number, sample.exporter_name, sample.due_date, sample.received_at};
    item.test.earlier_results.clear();
    items.push_back(std::move(item));
  }
  return items;
}

Result<std::vector<Organization>> InMemorySampleStore::ListOrganizations() {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<Organization> out;
  out.reserve(organizations_.size());
  for (const auto& [id, org] : organizations_) out.push_back(org);
  return out;
}

Result<Organization> InMemorySampleStore::FindOrganization(int64_t id) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = organizations_.find(id);
  if (it == organizations_.end()) return Status::NotFound("no organization " + std::to_string(id));
  return it->second;
}

Result<Organization> InMemorySampleStore::CreateOrganization(const Organization& org, int64_t /*created_by*/) {
  std::lock_guard<std::mutex> lock(mu_);
  for (const auto& [id, existing] : organizations_) {
    if (existing.iec == org.iec) return Status::Conflict("an organization with IEC " + org.iec + " already exists");
    if (!org.gstin.empty() && existing.gstin == org.gstin) {
      return Status::Conflict("an organization with GSTIN " + org.gstin + " already exists");
    }
  }
  Organization record = org;
  record.id = next_organization_id_++;
  organizations_.emplace(record.id, record);
  return record;
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
    t.property_key = p.property_key;
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
  r.product_family = sample.product_family;
  r.markings = sample.markings;
  r.due_date = sample.due_date;
  r.status = SampleStatus::kReceived;
  r.received_at = received_at;
  CustodyEvent received;
  received.event = "received";
  received.location = sample.storage_location;
  received.note = sample.condition_note;
  received.at = received_at;
  received.actor_id = sample.received_by;
  r.custody.push_back(std::move(received));
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

Result<TestRecord*> InMemorySampleStore::WritableTest(const TestRecord& test, TestStatus to) {
  TestRecord* stored = MutableTest(test.id);
  if (stored == nullptr) return Status::NotFound("no test " + std::to_string(test.id));
  // The caller's copy may be stale: the stored version decides who won a race.
  if (stored->version != test.version)
    return Status::Conflict("test " + std::to_string(test.id) + " changed meanwhile");
  LIMS_RETURN_IF_ERROR(CheckTestTransition(stored->id, stored->status, to));
  return stored;
}

Status InMemorySampleStore::CheckCustodyReferences(const SampleRecord& stored, const CustodyEvent& event) const {
  if (event.test_id) {
    const bool found = std::any_of(stored.tests.begin(), stored.tests.end(),
                                   [&](const TestRecord& t) { return t.id == *event.test_id; });
    if (!found)
      return Status::Unprocessable("no such test on this sample", {{"test", "not a test of " + stored.number}});
  }
  if (!event.portion.empty() && event.event != "split") {
    const bool found = std::any_of(stored.portions.begin(), stored.portions.end(),
                                   [&](const PortionRecord& p) { return p.code == event.portion; });
    if (!found) return Status::Unprocessable("no such portion", {{"portion", "not a portion of " + stored.number}});
  }
  return Status::Ok();
}

bool InMemorySampleStore::Matches(const SampleRecord& s, const TestRecord& t, const WorklistQuery& query) {
  if (t.status != TestStatus::kPending && t.status != TestStatus::kRejected) return false;
  if (!query.method.empty() && t.method != query.method) return false;
  if (query.assignee) {
    if (*query.assignee == 0 ? t.assignee_id.has_value() : t.assignee_id != *query.assignee) return false;
  }
  if (!query.due_before.empty() && (s.due_date.empty() || s.due_date > query.due_before)) return false;
  if (!query.instrument.empty()) {
    // The latest result: the current one, else the last superseded one.
    const ResultRecord* latest = t.result ? &*t.result : nullptr;
    if (latest == nullptr && !t.earlier_results.empty()) latest = &t.earlier_results.back();
    if (latest == nullptr || latest->instrument != query.instrument) return false;
  }
  return true;
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

Result<ReviewRecord> FaultyStore::AddReview(const TestRecord& test, const ReviewRecord& review) {
  LIMS_RETURN_IF_ERROR(Failure());
  return base_.AddReview(test, review);
}

Result<TestRecord> FaultyStore::Retest(const TestRecord& test, const std::string& reason, int64_t by, Timestamp at) {
  LIMS_RETURN_IF_ERROR(Failure());
  return base_.Retest(test, reason, by, at);
}

Result<TestRecord> FaultyStore::AssignTest(const TestRecord& test, std::optional<int64_t> assignee) {
  LIMS_RETURN_IF_ERROR(Failure());
  return base_.AssignTest(test, assignee);
}

Result<CustodyEvent> FaultyStore::AddCustody(const SampleRecord& sample, const CustodyEvent& event,
                                             const std::string& portion_description) {
  LIMS_RETURN_IF_ERROR(Failure());
  return base_.AddCustody(sample, event, portion_description);
}

Status FaultyStore::UpdateSample(int64_t sample_id, SampleStatus status) {
  LIMS_RETURN_IF_ERROR(Failure());
  return base_.UpdateSample(sample_id, status);
}

Result<std::vector<WorkItem>> FaultyStore::Worklist(const WorklistQuery& query) {
  LIMS_RETURN_IF_ERROR(Failure());
  return base_.Worklist(query);
}

Result<SampleProgress> FaultyStore::Progress(std::string_view number) {
  LIMS_RETURN_IF_ERROR(Failure());
  return base_.Progress(number);
}

Result<std::vector<Organization>> FaultyStore::ListOrganizations() {
  LIMS_RETURN_IF_ERROR(Failure());
  return base_.ListOrganizations();
}

Result<Organization> FaultyStore::FindOrganization(int64_t id) {
  LIMS_RETURN_IF_ERROR(Failure());
  return base_.FindOrganization(id);
}

Result<Organization> FaultyStore::CreateOrganization(const Organization& org, int64_t created_by) {
  LIMS_RETURN_IF_ERROR(Failure());
  return base_.CreateOrganization(org, created_by);
}

}  // namespace lims
