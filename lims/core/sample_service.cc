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

std::string ClaimedMarkings(const TestPlanRequest& plan) {
  std::string out;
  for (const MarkingRequest& m : plan.markings) {
    std::string claim = m.standard + " " + m.marking;
    for (const std::string& e : m.extra) claim += " " + e;
    out += (out.empty() ? "" : "; ") + claim;
  }
  return out;
}

Status SampleService::PlanTests(NewSample* s) const {
  if (options_.catalog == nullptr) return Status::Ok();
  const std::optional<int> size = FirstWholeSize(s->sizes);
  if (s->test_plan) {
    TestPlanRequest request = *s->test_plan;
    if (!request.size) request.size = size;
    Result<TestPlan> plan = DeriveTestPlan(*options_.catalog, request);
    if (!plan.ok()) return Prefixed(plan.status(), "test_plan.");
    s->planned_tests = std::move(plan).value().tests;
  }
  std::vector<std::string> unknown;
  for (size_t i = 0; i < s->requirements.size(); ++i) {
    const CatalogRequirement* r = options_.catalog->FindRequirement(s->requirements[i]);
    if (r == nullptr) {
      unknown.push_back(s->requirements[i]);
      continue;
    }
    Result<PlannedTest> t = PlanRequirement(*r, *options_.catalog->FindStandard(r->standard_id), size);
    if (!t.ok()) return Prefixed(t.status(), "requirements[" + std::to_string(i) + "].");
    s->planned_tests.push_back(std::move(t).value());
  }
  s->requirements = std::move(unknown);
  return Status::Ok();
}

Result<SampleRecord> SampleService::Register(const NewSample& input) {
  LIMS_RETURN_IF_ERROR(ValidateNewSample(input));
  NewSample sample = input;
  sample.received_by = options_.user.id;
  if (sample.markings.empty() && sample.test_plan) sample.markings = ClaimedMarkings(*sample.test_plan);
  LIMS_RETURN_IF_ERROR(PlanTests(&sample));
  Result<SampleRecord> created = store_.CreateSample(lab_code_, sample, clock_.Now());
  if (!created.ok()) return created;
  Audit({"sample.register", "sample", created->number, "", AuditDocument(*created), ""});
  return created;
}

Result<SampleRecord> SampleService::Get(const std::string& number) {
  if (!LooksLikeSampleNumber(number)) return Status::NotFound("no sample " + number);
  return store_.FindSample(number);
}

void SampleService::Audit(AuditChange change) {
  if (options_.audit != nullptr) options_.audit->Record(std::move(change));
}

namespace {

Status StaleVersion(const std::string& what, int current, int sent) {
  return Status::Conflict(what + " is at version " + std::to_string(current) + " but If-Match names version " +
                          std::to_string(sent) + ": it changed since you read it; reload and try again");
}

std::string StatusDocument(const TestRecord& t) {
  return AuditJson().Set("status", TestStatusName(t.status)).Set("version", int64_t{t.version}).str();
}

Result<std::optional<Decimal>> OptionalDecimal(const std::optional<std::string>& text, const std::string& field) {
  if (!text) return std::optional<Decimal>();
  Result<Decimal> d = Decimal::Parse(*text);
  if (!d.ok()) return Status::InvalidArgument("the request body has invalid fields", {{field, "not a decimal number"}});
  return std::optional<Decimal>(*d);
}

}  // namespace

Result<TestRecord> SampleService::LoadTest(int64_t test_id, std::optional<int> if_match) {
  Result<TestRecord> test = store_.FindTest(test_id);
  if (!test.ok()) return test;
  // Every change of a sample or its tests first locks the sample (Progress reads it FOR UPDATE in
  // the database): writers of one sample queue there instead of deadlocking further on. The test
  // need not be read again under the lock: every store write is conditional on the version read
  // here, so a change that slipped in between is refused (409) like any concurrent change.
  Result<SampleProgress> locked = store_.Progress(test->sample_number);
  if (!locked.ok()) return locked.status();
  locked_ = std::move(locked).value();
  if (if_match && *if_match != test->version) {
    return StaleVersion("test " + std::to_string(test_id), test->version, *if_match);
  }
  return test;
}

Result<ResultRecord> SampleService::EnterResult(int64_t test_id, const ResultEntry& entry, std::optional<int> if_match,
                                                int* new_version) {
  Result<TestRecord> test = LoadTest(test_id, if_match);
  if (!test.ok()) return test.status();
  LIMS_RETURN_IF_ERROR(CheckTestTransition(test_id, test->status, TestStatus::kEntered));
  Result<std::optional<Decimal>> temperature = OptionalDecimal(entry.temperature_c, "temperature_c");
  if (!temperature.ok()) return temperature.status();
  Result<std::optional<Decimal>> humidity = OptionalDecimal(entry.humidity_pct, "humidity_pct");
  if (!humidity.ok()) return humidity.status();
  LIMS_RETURN_IF_ERROR(CheckConditions({*temperature, *humidity}));
  LIMS_RETURN_IF_ERROR(CheckPhysicallyPossible(entry.values, entry.unit));
  Result<ParsedResult> parsed = ParseResultEntry(*test, entry);
  if (!parsed.ok()) return parsed.status();
  const Timestamp now = clock_.Now();
  if (options_.instruments != nullptr && !entry.instrument.empty()) {
    // The gate judges the instrument on the day of the measurement: an imported file's test date.
    if (entry.tested_at && *entry.tested_at > now) {
      return Status::Unprocessable("the test date is in the future", {{"tested_at", "is after now"}});
    }
    LIMS_RETURN_IF_ERROR(
        options_.instruments->CheckUsable(entry.instrument, *test, entry, entry.tested_at.value_or(now)));
  }
  const Decision decision = DecideTest(*test, *parsed);
  ResultRecord record = std::move(parsed).value().record;
  record.verdict = decision.verdict;
  record.explanation = decision.explanation;
  record.entered_at = now;
  record.entered_by = options_.user.id;
  record.entered_by_name = options_.user.username;
  record.instrument = entry.instrument;
  record.temperature_c = entry.temperature_c;
  record.humidity_pct = entry.humidity_pct;
  Result<ResultRecord> stored = store_.AddResult(*test, record);
  if (!stored.ok()) return stored;
  Audit({"test.result", "test", std::to_string(test_id), StatusDocument(*test),
         AuditJson().Set("status", TestStatusName(TestStatus::kEntered)).SetRaw("result", AuditDocument(*stored)).str(),
         ""});
  LIMS_RETURN_IF_ERROR(SyncSample(test->sample_number, test->status, TestStatus::kEntered));
  if (new_version != nullptr) *new_version = test->version + 1;  // the store's write incremented it
  return stored;
}

Result<ReviewRecord> SampleService::Review(int64_t test_id, ReviewDecision decision, const std::string& comment,
                                           std::optional<int> if_match) {
  Result<TestRecord> test = LoadTest(test_id, if_match);
  if (!test.ok()) return test.status();
  const TestStatus to = decision == ReviewDecision::kApprove ? TestStatus::kApproved : TestStatus::kRejected;
  LIMS_RETURN_IF_ERROR(CheckTestTransition(test_id, test->status, to));
  if (!test->result) return Status::Internal("test " + std::to_string(test_id) + " is entered but has no result");
  LIMS_RETURN_IF_ERROR(CheckReview(test->result->entered_by, options_.user.id, decision, comment));
  ReviewRecord review;
  review.test_id = test_id;
  review.result_id = test->result->id;
  review.reviewer_id = options_.user.id;
  review.reviewer = options_.user.username;
  review.decision = decision == ReviewDecision::kApprove ? "approve" : "reject";
  review.comment = comment;
  review.at = clock_.Now();
  Result<ReviewRecord> stored = store_.AddReview(*test, review);
  if (!stored.ok()) return stored;
  Audit({"test.review", "test", std::to_string(test_id), StatusDocument(*test),
         AuditJson()
             .Set("status", TestStatusName(to))
             .Set("decision", review.decision)
             .Set("comment", comment)
             .Set("result", std::to_string(review.result_id))
             .str(),
         decision == ReviewDecision::kReject ? comment : ""});
  LIMS_RETURN_IF_ERROR(SyncSample(test->sample_number, test->status, to));
  return stored;
}

Result<TestRecord> SampleService::Retest(int64_t test_id, const std::string& reason, std::optional<int> if_match) {
  Result<TestRecord> test = LoadTest(test_id, if_match);
  if (!test.ok()) return test.status();
  LIMS_RETURN_IF_ERROR(CheckRetestReason(reason));
  LIMS_RETURN_IF_ERROR(CheckTestTransition(test_id, test->status, TestStatus::kInvalidated));
  Result<SampleRecord> sample = store_.FindSample(test->sample_number);
  if (!sample.ok()) return sample.status();
  if (sample->status == SampleStatus::kIssued) {
    return Status::Conflict("sample " + sample->number +
                            " is issued: its certificate must be amended, not its tests retested");
  }
  Result<TestRecord> repeat = store_.Retest(*test, reason, options_.user.id, clock_.Now());
  if (!repeat.ok()) return repeat;
  Audit({"test.retest", "test", std::to_string(test_id), StatusDocument(*test),
         AuditJson()
             .Set("status", TestStatusName(TestStatus::kInvalidated))
             .Set("replaced_by", std::to_string(repeat->id))
             .str(),
         reason});
  Audit({"test.open", "test", std::to_string(repeat->id), "", AuditDocument(*repeat), reason});
  // The invalidated test leaves the current ones and its repeat joins them, pending.
  LIMS_RETURN_IF_ERROR(SyncSample(test->sample_number, test->status, TestStatus::kPending));
  return repeat;
}

Result<TestRecord> SampleService::Assign(int64_t test_id, std::optional<int64_t> assignee,
                                         std::optional<int> if_match) {
  Result<TestRecord> test = LoadTest(test_id, if_match);
  if (!test.ok()) return test.status();
  if (test->status != TestStatus::kPending && test->status != TestStatus::kRejected) {
    return Status::Conflict("test " + std::to_string(test_id) + " is " + std::string(TestStatusName(test->status)) +
                            "; only pending or rejected tests are on the worklist");
  }
  Result<TestRecord> assigned = store_.AssignTest(*test, assignee);
  if (!assigned.ok()) return assigned;
  auto who = [](const std::optional<int64_t>& id) { return id ? std::to_string(*id) : std::string(); };
  Audit({"test.assign", "test", std::to_string(test_id), AuditJson().Set("assignee", who(test->assignee_id)).str(),
         AuditJson().Set("assignee", who(assigned->assignee_id)).str(), ""});
  return assigned;  // the sample's status does not depend on who tests
}

Result<CustodyEvent> SampleService::RecordCustody(const std::string& number, const CustodyRequest& request,
                                                  std::optional<int> if_match) {
  if (!LooksLikeSampleNumber(number)) return Status::NotFound("no sample " + number);
  Result<SampleProgress> locked = store_.Progress(number);  // see LoadTest
  if (!locked.ok()) return locked.status();
  locked_ = std::move(locked).value();
  Result<SampleRecord> sample = store_.FindSample(number);
  if (!sample.ok()) return sample.status();
  if (if_match && *if_match != sample->version) return StaleVersion("sample " + number, sample->version, *if_match);
  std::vector<std::string> earlier;
  for (const CustodyEvent& e : sample->custody) earlier.push_back(e.event);
  LIMS_RETURN_IF_ERROR(ValidateCustody(request, earlier));
  if (request.test_id) {
    bool found = false;
    for (const TestRecord& t : sample->tests) found = found || t.id == *request.test_id;
    if (!found) return Status::Unprocessable("no such test on this sample", {{"test", "not a test of " + number}});
  }
  if (!request.portion.empty()) {
    bool found = false;
    for (const PortionRecord& p : sample->portions) found = found || p.code == request.portion;
    if (!found) {
      return Status::Unprocessable("no such portion", {{"portion", "not a portion of " + number}});
    }
  }
  CustodyEvent event;
  event.event = std::string(CustodyKindName(request.kind));
  event.location = request.location;
  event.note = request.note;
  event.at = clock_.Now();
  event.actor_id = options_.user.id;
  event.actor = options_.user.username;
  event.portion = request.portion;
  event.test_id = request.test_id;
  event.retain_until = request.retain_until;
  Result<CustodyEvent> stored = store_.AddCustody(*sample, event, request.note);
  if (!stored.ok()) return stored;
  AuditJson after;
  after.Set("event", stored->event).Set("location", stored->location).Set("note", stored->note);
  if (!stored->portion.empty()) after.Set("portion", stored->portion);
  if (stored->test_id) after.Set("test", std::to_string(*stored->test_id));
  if (!stored->retain_until.empty()) after.Set("retain_until", stored->retain_until);
  Audit({"custody." + stored->event, "sample", number, "", after.str(), ""});
  if (request.kind == CustodyKind::kHandedToTest) locked_->handed_over = true;
  // A custody event changes the sample itself: its version moves even when its status does not.
  LIMS_RETURN_IF_ERROR(SyncSample(number, std::nullopt, std::nullopt, /*touch=*/true));
  return stored;
}

Status SampleService::SyncSample(const std::string& number, std::optional<TestStatus> from,
                                 std::optional<TestStatus> to, bool touch) {
  // The state read under the sample's lock, with the one test's move applied: no second read.
  if (!locked_) {
    Result<SampleProgress> read = store_.Progress(number);
    if (!read.ok()) return read.status();
    locked_ = std::move(read).value();
  }
  SampleProgress& progress = *locked_;
  if (from) {
    auto it = std::find(progress.current_tests.begin(), progress.current_tests.end(), *from);
    if (it != progress.current_tests.end()) progress.current_tests.erase(it);
  }
  if (to) progress.current_tests.push_back(*to);
  SampleStatus next = progress.status;
  if (progress.status != SampleStatus::kIssued) next = DeriveSampleStatus(progress.current_tests, progress.handed_over);
  // Testing has begun once a sample left received: a retest of its only test(s) leaves every
  // current test pending, but the sample is in_testing again, never back at received.
  if (next == SampleStatus::kReceived && progress.status != SampleStatus::kReceived) next = SampleStatus::kInTesting;
  if (next == progress.status && !touch) return Status::Ok();
  if (next != progress.status) {
    LIMS_RETURN_IF_ERROR(CheckSampleTransition(number, progress.status, next));
    Audit({"sample.status", "sample", number, AuditJson().Set("status", SampleStatusName(progress.status)).str(),
           AuditJson().Set("status", SampleStatusName(next)).str(), ""});
  }
  LIMS_RETURN_IF_ERROR(store_.UpdateSample(progress.id, next));
  progress.status = next;
  return Status::Ok();
}

std::string AuditDocument(const ResultRecord& r) {
  AuditJson j;
  j.Set("id", std::to_string(r.id))
      .Set("values", r.values)
      .Set("unit", r.unit)
      .Set("verdict", VerdictName(r.verdict))
      .Set("explanation", r.explanation)
      .Set("entered_by", r.entered_by_name)
      .Set("instrument", r.instrument)
      .Set("remarks", r.remarks);
  if (r.uncertainty) j.Set("uncertainty", r.uncertainty->ToString());
  if (r.temperature_c) j.Set("temperature_c", *r.temperature_c);
  if (r.humidity_pct) j.Set("humidity_pct", *r.humidity_pct);
  return j.str();
}

std::string AuditDocument(const TestRecord& t) {
  AuditJson j;
  j.Set("id", std::to_string(t.id))
      .Set("sample", t.sample_number)
      .Set("requirement", t.requirement)
      .Set("sources", t.sources)
      .Set("method", t.method)
      .Set("limit", t.limit.ToDisplay())
      .Set("status", TestStatusName(t.status))
      .Set("attempt", int64_t{t.attempt});
  if (t.replaces_test_id) j.Set("replaces", std::to_string(*t.replaces_test_id));
  return j.str();
}

std::string AuditDocument(const SampleRecord& s) {
  std::vector<std::string> tests;
  for (const TestRecord& t : s.tests) tests.push_back(std::to_string(t.id) + " " + t.requirement);
  return AuditJson()
      .Set("number", s.number)
      .Set("exporter", std::to_string(s.exporter_id))
      .Set("product", s.product)
      .Set("product_family", s.product_family)
      .Set("article", s.article)
      .Set("sizes", s.sizes)
      .Set("lot", s.lot)
      .Set("quantity", s.quantity)
      .Set("quantity_unit", s.quantity_unit)
      .Set("destination", s.destination)
      .Set("decision_rule", s.decision_rule.Token())
      .Set("condition", ReceiptConditionName(s.condition))
      .Set("condition_note", s.condition_note)
      .Set("storage_location", s.storage_location)
      .Set("due_date", s.due_date)
      .Set("status", SampleStatusName(s.status))
      .Set("tests", tests)
      .str();
}

Result<SampleProgress> SampleStore::Progress(std::string_view number) {
  Result<SampleRecord> sample = FindSample(number);
  if (!sample.ok()) return sample.status();
  SampleProgress p;
  p.id = sample->id;
  p.status = sample->status;
  for (const TestRecord& t : sample->tests) {
    if (t.status != TestStatus::kInvalidated) p.current_tests.push_back(t.status);
  }
  for (const CustodyEvent& e : sample->custody) p.handed_over = p.handed_over || e.event == "handed_to_test";
  return p;
}

}  // namespace lims
