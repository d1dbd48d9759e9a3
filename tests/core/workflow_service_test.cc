// The lab workflow through SampleService: result entry, four-eyes review, retests, assignment and
// chain of custody, each with the audit changes it records, against the in-memory store.
#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "lims/core/audit.h"
#include "lims/core/in_memory_sample_store.h"
#include "lims/core/instrument_gate.h"
#include "lims/core/sample_service.h"
#include "tests/support/test_support.h"

namespace lims {
namespace {

using ::lims::testing::At;
using ::lims::testing::Entry;

using ::lims::testing::Fields;
using ::lims::testing::MakeLimit;

constexpr char kChromium[] = "REACH-XVII-47-CRVI-LEATHER";
constexpr char kFlex[] = "EN-ISO-17707-FLEX";
const ActingUser kTechnician{11, "ravi"};
const ActingUser kReviewer{12, "meera"};

// Refuses every instrument, as the registry does for one out of calibration.
class RefusingGate : public InstrumentGate {
 public:
  Status CheckUsable(const std::string& instrument, const TestRecord& /*test*/, const ResultEntry& entry,
                     Timestamp /*at*/) override {
    ++calls;
    values = entry.values;  // the range check needs what is reported
    return Status::Unprocessable("instrument not usable", {{"instrument", instrument + " is out of calibration"}});
  }
  int calls = 0;
  std::vector<std::string> values;
};

class WorkflowServiceTest : public ::testing::Test {
 protected:
  WorkflowServiceTest()
      : clock_(At("2026-11-23T10:15:00Z")), technician_(Service(kTechnician)), reviewer_(Service(kReviewer)) {
    Organization org;
    org.name = "Agra Leather Exports";
    org.district = "Agra";
    exporter_ = store_.AddOrganization(org);
    store_.AddRequirement(kChromium, "REACH Annex XVII", "entry 47", "Chromium(VI) content", "EN ISO 17075-1",
                          MakeLimit(Comparator::kLess, "3", "mg/kg"));
    store_.AddRequirement(kFlex, "EN ISO 20344", "5.2", "Flex resistance", "EN ISO 17707",
                          MakeLimit(Comparator::kGreaterOrEqual, "30000", "1"));
  }

  // One request of `user`, recording into the fixture's audit sink.
  SampleService Service(const ActingUser& user, InstrumentGate* gate = nullptr) {
    return SampleService(store_, clock_, "AGR", SampleService::Options{nullptr, &audit_, gate, user});
  }

  NewSample Intake(std::vector<std::string> requirements) const {
    NewSample s;
    s.exporter_id = exporter_;
    s.product = "leather footwear";
    s.article = "ART-7";
    s.lot = "L-2026-04";
    s.quantity = 6;
    s.quantity_unit = "pairs";
    s.destination = "DE";
    s.storage_location = "Shelf A3";
    s.requirements = std::move(requirements);
    return s;
  }

  // Registers a sample with the given requirements; the audit trail starts empty afterwards.
  SampleRecord Register(std::vector<std::string> requirements = {kChromium}) {
    Result<SampleRecord> r = technician_.Register(Intake(std::move(requirements)));
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    audit_.Take();
    return r.ok() ? *r : SampleRecord{};
  }

  // The actions recorded since the last call, in order.
  std::vector<std::string> Actions() {
    std::vector<std::string> out;
    for (const AuditChange& c : audit_.Take()) out.push_back(c.action);
    return out;
  }

  TestRecord Test(int64_t id) {
    Result<TestRecord> t = store_.FindTest(id);
    EXPECT_TRUE(t.ok()) << t.status().ToString();
    return t.ok() ? *t : TestRecord{};
  }

  SampleRecord Sample(const std::string& number) {
    Result<SampleRecord> s = store_.FindSample(number);
    EXPECT_TRUE(s.ok()) << s.status().ToString();
    return s.ok() ? *s : SampleRecord{};
  }

  // Enters `values` as the technician and approves them as the reviewer.
  void EnterAndApprove(int64_t test_id, const ResultEntry& entry) {
    ASSERT_OK(technician_.EnterResult(test_id, entry));
    ASSERT_OK(reviewer_.Review(test_id, ReviewDecision::kApprove, ""));
  }

  InMemorySampleStore store_;
  FakeClock clock_;
  RecordingAuditSink audit_;
  SampleService technician_;
  SampleService reviewer_;
  int64_t exporter_ = 0;
};

TEST_F(WorkflowServiceTest, RegisterRecordsOneChange) {
  Result<SampleRecord> r = technician_.Register(Intake({kChromium}));
  ASSERT_OK(r);
  ASSERT_EQ(audit_.changes().size(), 1u);
  const AuditChange& c = audit_.changes()[0];
  EXPECT_EQ(c.action, "sample.register");
  EXPECT_EQ(c.entity, "sample");
  EXPECT_EQ(c.entity_id, r->number);
  EXPECT_EQ(c.before, "");
  EXPECT_NE(c.after.find("\"number\":\"AGR-2026-000001\""), std::string::npos) << c.after;
  EXPECT_EQ(r->custody[0].actor_id, kTechnician.id);
}

TEST_F(WorkflowServiceTest, EnterMovesTestAndSample) {
  const SampleRecord s = Register({kChromium, kFlex});
  const int64_t chromium = s.tests[0].id;
  Result<ResultRecord> r = technician_.EnterResult(chromium, Entry({"1.0"}));
  ASSERT_OK(r);
  EXPECT_EQ(r->entered_by, kTechnician.id);
  EXPECT_EQ(r->entered_by_name, "ravi");
  EXPECT_EQ(Test(chromium).status, TestStatus::kEntered);
  EXPECT_EQ(Test(chromium).version, 2);
  EXPECT_EQ(Sample(s.number).status, SampleStatus::kInTesting);  // flex is still pending
  const std::vector<AuditChange> changes = audit_.Take();
  ASSERT_EQ(changes.size(), 2u);
  EXPECT_EQ(changes[0].action, "test.result");
  EXPECT_EQ(changes[0].entity_id, std::to_string(chromium));
  EXPECT_EQ(changes[0].before, R"({"status":"pending","version":1})");
  EXPECT_EQ(changes[1].action, "sample.status");
  EXPECT_EQ(changes[1].before, R"({"status":"received"})");
  EXPECT_EQ(changes[1].after, R"({"status":"in_testing"})");

  ASSERT_OK(technician_.EnterResult(s.tests[1].id, Entry({"35000"}, "1")));
  EXPECT_EQ(Sample(s.number).status, SampleStatus::kUnderReview);
  EXPECT_EQ(Actions(), (std::vector<std::string>{"test.result", "sample.status"}));
}

TEST_F(WorkflowServiceTest, EnterOnlyTestGoesStraightToUnderReview) {
  const SampleRecord s = Register();
  ASSERT_OK(technician_.EnterResult(s.tests[0].id, Entry({"1.0"})));
  EXPECT_EQ(Sample(s.number).status, SampleStatus::kUnderReview);
  EXPECT_EQ(Actions(), (std::vector<std::string>{"test.result", "sample.status"}));
}

TEST_F(WorkflowServiceTest, ReviewerMayNotReviewTheirOwnResult) {
  const int64_t id = Register().tests[0].id;
  ASSERT_OK(technician_.EnterResult(id, Entry({"1.0"})));
  Actions();
  Result<ReviewRecord> r = technician_.Review(id, ReviewDecision::kApprove, "");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kUnprocessable);
  EXPECT_EQ(Fields(r.status()), std::vector<std::string>{"reviewer"});
  EXPECT_EQ(Test(id).status, TestStatus::kEntered);
  EXPECT_TRUE(Actions().empty());
}

TEST_F(WorkflowServiceTest, AnotherUserApproves) {
  const SampleRecord s = Register();
  const int64_t id = s.tests[0].id;
  ASSERT_OK(technician_.EnterResult(id, Entry({"1.0"})));
  Actions();
  Result<ReviewRecord> r = reviewer_.Review(id, ReviewDecision::kApprove, "");
  ASSERT_OK(r);
  EXPECT_EQ(r->decision, "approve");
  EXPECT_EQ(r->reviewer_id, kReviewer.id);
  EXPECT_EQ(r->reviewer, "meera");
  const TestRecord t = Test(id);
  EXPECT_EQ(t.status, TestStatus::kApproved);
  ASSERT_EQ(t.reviews.size(), 1u);
  EXPECT_EQ(t.reviews[0].result_id, t.result->id);
  EXPECT_EQ(Sample(s.number).status, SampleStatus::kReady);  // its only test is approved
  EXPECT_EQ(Actions(), (std::vector<std::string>{"test.review", "sample.status"}));
}

TEST_F(WorkflowServiceTest, RejectionNeedsAComment) {
  const int64_t id = Register().tests[0].id;
  ASSERT_OK(technician_.EnterResult(id, Entry({"1.0"})));
  Actions();
  Result<ReviewRecord> r = reviewer_.Review(id, ReviewDecision::kReject, "  ");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kUnprocessable);
  EXPECT_EQ(Fields(r.status()), std::vector<std::string>{"comment"});
  EXPECT_EQ(Test(id).status, TestStatus::kEntered);
  EXPECT_TRUE(Actions().empty());
}

TEST_F(WorkflowServiceTest, RejectedResultIsEnteredAgainAndKeptAsHistory) {
  const SampleRecord s = Register();
  const int64_t id = s.tests[0].id;
  ASSERT_OK(technician_.EnterResult(id, Entry({"1.0"})));
  Actions();
  ASSERT_OK(reviewer_.Review(id, ReviewDecision::kReject, "extraction time too short"));
  EXPECT_EQ(Test(id).status, TestStatus::kRejected);
  EXPECT_EQ(Sample(s.number).status, SampleStatus::kInTesting);
  const std::vector<AuditChange> rejection = audit_.Take();
  ASSERT_EQ(rejection.size(), 2u);
  EXPECT_EQ(rejection[0].action, "test.review");
  EXPECT_EQ(rejection[0].reason, "extraction time too short");
  EXPECT_EQ(rejection[1].action, "sample.status");

  ASSERT_OK(technician_.EnterResult(id, Entry({"1.4"})));
  const TestRecord t = Test(id);
  EXPECT_EQ(t.status, TestStatus::kEntered);
  EXPECT_EQ(t.result->values, std::vector<std::string>{"1.4"});
  ASSERT_EQ(t.earlier_results.size(), 1u);
  EXPECT_EQ(t.earlier_results[0].values, std::vector<std::string>{"1.0"});
  ASSERT_EQ(t.reviews.size(), 1u);
  EXPECT_EQ(t.reviews[0].decision, "reject");
  EXPECT_EQ(Sample(s.number).status, SampleStatus::kUnderReview);
  EXPECT_EQ(Actions(), (std::vector<std::string>{"test.result", "sample.status"}));
}

TEST_F(WorkflowServiceTest, RetestNeedsAReason) {
  const int64_t id = Register().tests[0].id;
  EnterAndApprove(id, Entry({"1.0"}));
  Actions();
  Result<TestRecord> r = reviewer_.Retest(id, "oops");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kUnprocessable);
  EXPECT_EQ(Fields(r.status()), std::vector<std::string>{"reason"});
  EXPECT_EQ(Test(id).status, TestStatus::kApproved);
  EXPECT_TRUE(Actions().empty());
}

TEST_F(WorkflowServiceTest, RetestReplacesAFailingTestAndTheVerdictForgetsIt) {
  const SampleRecord s = Register({kChromium, kFlex});
  const int64_t chromium = s.tests[0].id;
  EnterAndApprove(chromium, Entry({"4.0"}));
  EnterAndApprove(s.tests[1].id, Entry({"35000"}, "1"));
  EXPECT_EQ(Sample(s.number).status, SampleStatus::kReady);
  EXPECT_EQ(JudgeSample(Sample(s.number)).verdict, Verdict::kFail);
  Actions();

  Result<TestRecord> repeat = reviewer_.Retest(chromium, "reference material out of range");
  ASSERT_OK(repeat);
  EXPECT_EQ(repeat->status, TestStatus::kPending);
  EXPECT_EQ(repeat->attempt, 2);
  EXPECT_EQ(repeat->replaces_test_id, chromium);
  EXPECT_EQ(repeat->requirement, kChromium);
  const TestRecord old = Test(chromium);
  EXPECT_EQ(old.status, TestStatus::kInvalidated);
  EXPECT_EQ(old.replaced_by_test_id, repeat->id);
  EXPECT_EQ(old.invalidation_reason, "reference material out of range");
  const std::vector<AuditChange> changes = audit_.Take();
  ASSERT_EQ(changes.size(), 3u);
  EXPECT_EQ(changes[0].action, "test.retest");
  EXPECT_EQ(changes[0].entity_id, std::to_string(chromium));
  EXPECT_EQ(changes[0].reason, "reference material out of range");
  EXPECT_EQ(changes[1].action, "test.open");
  EXPECT_EQ(changes[1].entity_id, std::to_string(repeat->id));
  EXPECT_EQ(changes[2].action, "sample.status");
  EXPECT_EQ(changes[2].after, R"({"status":"in_testing"})");

  // The invalidated failure no longer counts: the sample waits for the repeat ...
  SampleVerdict pending = JudgeSample(Sample(s.number));
  EXPECT_FALSE(pending.verdict.has_value());
  EXPECT_FALSE(pending.rejected());
  EXPECT_EQ(pending.open, 1);
  // ... and is judged from the current tests once it is in.
  EnterAndApprove(repeat->id, Entry({"1.0"}));
  EXPECT_EQ(Sample(s.number).status, SampleStatus::kReady);
  EXPECT_EQ(JudgeSample(Sample(s.number)).verdict, Verdict::kPass);
}

TEST_F(WorkflowServiceTest, RetestOfASamplesOnlyTestKeepsItInTesting) {
  // The repeat is the sample's only current test and is pending, but testing has begun: the
  // sample goes back to in_testing, never to received.
  const SampleRecord s = Register();
  EnterAndApprove(s.tests[0].id, Entry({"1.0"}));
  Actions();
  Result<TestRecord> repeat = reviewer_.Retest(s.tests[0].id, "balance out of calibration");
  ASSERT_OK(repeat);
  EXPECT_EQ(Sample(s.number).status, SampleStatus::kInTesting);
  EXPECT_EQ(Actions(), (std::vector<std::string>{"test.retest", "test.open", "sample.status"}));
}

TEST_F(WorkflowServiceTest, IllegalTransitionsNameTheAllowedStates) {
  const int64_t id = Register().tests[0].id;
  Result<ReviewRecord> review = reviewer_.Review(id, ReviewDecision::kApprove, "");
  ASSERT_FALSE(review.ok());
  EXPECT_EQ(review.status().code(), Status::Code::kConflict);
  EXPECT_EQ(review.status().message(), "test " + std::to_string(id) + " is pending; it can go to: entered");
  Result<TestRecord> retest = reviewer_.Retest(id, "nothing to repeat yet");
  ASSERT_FALSE(retest.ok());
  EXPECT_EQ(retest.status().code(), Status::Code::kConflict);

  EnterAndApprove(id, Entry({"1.0"}));
  Actions();
  Result<ResultRecord> again = technician_.EnterResult(id, Entry({"1.1"}));
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.status().code(), Status::Code::kConflict);
  EXPECT_EQ(again.status().message(), "test " + std::to_string(id) + " is approved; it can go to: invalidated");
  Result<TestRecord> assign = technician_.Assign(id, kTechnician.id);
  ASSERT_FALSE(assign.ok());
  EXPECT_EQ(assign.status().code(), Status::Code::kConflict);
  EXPECT_TRUE(Actions().empty());
}

TEST_F(WorkflowServiceTest, StaleIfMatchIsAConflict) {
  const SampleRecord s = Register();
  const int64_t id = s.tests[0].id;
  ASSERT_OK(technician_.Assign(id, kTechnician.id, 1));
  EXPECT_EQ(Actions(), std::vector<std::string>{"test.assign"});
  EXPECT_EQ(Test(id).version, 2);
  EXPECT_EQ(Test(id).assignee_id, kTechnician.id);

  Result<ResultRecord> stale = technician_.EnterResult(id, Entry({"1.0"}), 1);
  ASSERT_FALSE(stale.ok());
  EXPECT_EQ(stale.status().code(), Status::Code::kConflict);
  EXPECT_EQ(Test(id).status, TestStatus::kPending);
  ASSERT_OK(technician_.EnterResult(id, Entry({"1.0"}), 2));
  Actions();

  const int sample_version = Sample(s.number).version;
  CustodyRequest moved;
  moved.kind = CustodyKind::kMoved;
  moved.location = "Fridge 2";
  Result<CustodyEvent> custody = technician_.RecordCustody(s.number, moved, sample_version - 1);
  ASSERT_FALSE(custody.ok());
  EXPECT_EQ(custody.status().code(), Status::Code::kConflict);
  ASSERT_OK(technician_.RecordCustody(s.number, moved, sample_version));
  EXPECT_EQ(Actions(), std::vector<std::string>{"custody.moved"});
}

TEST_F(WorkflowServiceTest, AssignAndRelease) {
  const int64_t id = Register().tests[0].id;
  Result<TestRecord> assigned = technician_.Assign(id, kTechnician.id);
  ASSERT_OK(assigned);
  EXPECT_EQ(assigned->assignee_id, kTechnician.id);
  const std::vector<AuditChange> changes = audit_.Take();
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(changes[0].action, "test.assign");
  EXPECT_EQ(changes[0].before, R"({"assignee":""})");
  EXPECT_EQ(changes[0].after, R"({"assignee":"11"})");
  Result<TestRecord> released = technician_.Assign(id, std::nullopt);
  ASSERT_OK(released);
  EXPECT_FALSE(released->assignee_id.has_value());
  EXPECT_EQ(Actions(), std::vector<std::string>{"test.assign"});
}

TEST_F(WorkflowServiceTest, MovedNeedsALocation) {
  const SampleRecord s = Register();
  CustodyRequest moved;
  moved.kind = CustodyKind::kMoved;
  Result<CustodyEvent> r = technician_.RecordCustody(s.number, moved);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kUnprocessable);
  EXPECT_EQ(Fields(r.status()), std::vector<std::string>{"location"});
  EXPECT_EQ(Sample(s.number).custody.size(), 1u);
  EXPECT_TRUE(Actions().empty());
}

TEST_F(WorkflowServiceTest, NothingFollowsADisposal) {
  const SampleRecord s = Register();
  CustodyRequest disposed;
  disposed.kind = CustodyKind::kDisposed;
  disposed.note = "incinerated after the retention period";
  Result<CustodyEvent> r = technician_.RecordCustody(s.number, disposed);
  ASSERT_OK(r);
  EXPECT_EQ(r->actor_id, kTechnician.id);
  EXPECT_EQ(Actions(), std::vector<std::string>{"custody.disposed"});
  CustodyRequest moved;
  moved.kind = CustodyKind::kMoved;
  moved.location = "Shelf B1";
  Result<CustodyEvent> after = technician_.RecordCustody(s.number, moved);
  ASSERT_FALSE(after.ok());
  EXPECT_EQ(after.status().code(), Status::Code::kConflict);
  EXPECT_EQ(Sample(s.number).custody.size(), 2u);
  EXPECT_TRUE(Actions().empty());
}

TEST_F(WorkflowServiceTest, SplitCreatesNumberedPortions) {
  const SampleRecord s = Register();
  CustodyRequest split;
  split.kind = CustodyKind::kSplit;
  split.note = "left shoe";
  Result<CustodyEvent> first = technician_.RecordCustody(s.number, split);
  ASSERT_OK(first);
  EXPECT_EQ(first->portion, s.number + "-P1");
  split.note = "right shoe";
  Result<CustodyEvent> second = technician_.RecordCustody(s.number, split);
  ASSERT_OK(second);
  EXPECT_EQ(second->portion, s.number + "-P2");
  const std::vector<AuditChange> changes = audit_.Take();
  ASSERT_EQ(changes.size(), 2u);
  EXPECT_EQ(changes[0].action, "custody.split");
  EXPECT_EQ(changes[0].after, R"({"event":"split","location":"","note":"left shoe","portion":"AGR-2026-000001-P1"})");
  EXPECT_EQ(changes[1].action, "custody.split");
  const SampleRecord after = Sample(s.number);
  ASSERT_EQ(after.portions.size(), 2u);
  EXPECT_EQ(after.portions[1].description, "right shoe");

  // A portion of the sample can then be moved on its own.
  CustodyRequest moved;
  moved.kind = CustodyKind::kMoved;
  moved.location = "Oven 1";
  moved.portion = s.number + "-P2";
  ASSERT_OK(technician_.RecordCustody(s.number, moved));
  moved.portion = s.number + "-P3";
  Result<CustodyEvent> unknown = technician_.RecordCustody(s.number, moved);
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(Fields(unknown.status()), std::vector<std::string>{"portion"});
}

TEST_F(WorkflowServiceTest, HandedToAForeignTestIsUnprocessable) {
  const SampleRecord mine = Register();
  const SampleRecord other = Register();
  CustodyRequest handed;
  handed.kind = CustodyKind::kHandedToTest;
  handed.test_id = other.tests[0].id;
  Result<CustodyEvent> r = technician_.RecordCustody(mine.number, handed);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kUnprocessable);
  EXPECT_EQ(Fields(r.status()), std::vector<std::string>{"test"});
  EXPECT_TRUE(Actions().empty());
}

TEST_F(WorkflowServiceTest, HandingOverStartsTesting) {
  const SampleRecord s = Register();
  CustodyRequest handed;
  handed.kind = CustodyKind::kHandedToTest;
  handed.test_id = s.tests[0].id;
  ASSERT_OK(technician_.RecordCustody(s.number, handed));
  EXPECT_EQ(Sample(s.number).status, SampleStatus::kInTesting);
  EXPECT_EQ(Actions(), (std::vector<std::string>{"custody.handed_to_test", "sample.status"}));
}

TEST_F(WorkflowServiceTest, SampleIsReadyOnceEveryTestIsApproved) {
  const SampleRecord s = Register({kChromium, kFlex});
  EnterAndApprove(s.tests[0].id, Entry({"1.0"}));
  EXPECT_EQ(Sample(s.number).status, SampleStatus::kInTesting);
  ASSERT_OK(technician_.EnterResult(s.tests[1].id, Entry({"35000"}, "1")));
  EXPECT_EQ(Sample(s.number).status, SampleStatus::kUnderReview);
  Actions();
  ASSERT_OK(reviewer_.Review(s.tests[1].id, ReviewDecision::kApprove, ""));
  EXPECT_EQ(Sample(s.number).status, SampleStatus::kReady);
  EXPECT_EQ(Actions(), (std::vector<std::string>{"test.review", "sample.status"}));
  EXPECT_EQ(JudgeSample(Sample(s.number)).verdict, Verdict::kPass);
}

// A test has its own version; the sample's moves with the sample itself (its status, its custody),
// so a technician recording custody is not refused because a colleague took a test meanwhile.
TEST_F(WorkflowServiceTest, TestChangesMoveTheTestsVersionAndStatusChangesTheSamples) {
  const SampleRecord s = Register({kChromium, kFlex});
  const int before = Sample(s.number).version;
  const int test_before = Test(s.tests[1].id).version;
  ASSERT_OK(technician_.Assign(s.tests[1].id, kTechnician.id));  // no status change
  EXPECT_EQ(Sample(s.number).version, before);
  EXPECT_EQ(Test(s.tests[1].id).version, test_before + 1);
  ASSERT_OK(technician_.EnterResult(s.tests[0].id, Entry({"1.0"})));  // received → in_testing
  EXPECT_GT(Sample(s.number).version, before);
}

TEST_F(WorkflowServiceTest, HumidityAboveAHundredIsUnprocessable) {
  const int64_t id = Register().tests[0].id;
  ResultEntry entry = Entry({"1.0"});
  entry.temperature_c = "23.0";
  entry.humidity_pct = "101";
  Result<ResultRecord> r = technician_.EnterResult(id, entry);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kUnprocessable);
  EXPECT_EQ(Fields(r.status()), std::vector<std::string>{"humidity_pct"});
  EXPECT_EQ(Test(id).status, TestStatus::kPending);
  EXPECT_TRUE(Actions().empty());

  entry.humidity_pct = "50";
  Result<ResultRecord> ok = technician_.EnterResult(id, entry);
  ASSERT_OK(ok);
  EXPECT_EQ(Test(id).result->temperature_c, "23.0");
  EXPECT_EQ(Test(id).result->humidity_pct, "50");
}

TEST_F(WorkflowServiceTest, NegativeValueIsUnprocessable) {
  const int64_t id = Register().tests[0].id;
  Result<ResultRecord> r = technician_.EnterResult(id, Entry({"1.0", "-0.2"}));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kUnprocessable);
  EXPECT_EQ(Fields(r.status()), std::vector<std::string>{"values[1]"});
  EXPECT_EQ(Test(id).status, TestStatus::kPending);
  EXPECT_TRUE(Actions().empty());
}

TEST_F(WorkflowServiceTest, RefusedInstrumentWritesNothing) {
  const SampleRecord s = Register();
  const int64_t id = s.tests[0].id;
  RefusingGate gate;
  SampleService service = Service(kTechnician, &gate);
  ResultEntry entry = Entry({"1.0"});
  entry.instrument = "UV-VIS-01";
  Result<ResultRecord> r = service.EnterResult(id, entry);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kUnprocessable);
  EXPECT_EQ(Fields(r.status()), std::vector<std::string>{"instrument"});
  EXPECT_EQ(gate.calls, 1);
  EXPECT_EQ(gate.values, std::vector<std::string>{"1.0"});
  const TestRecord t = Test(id);
  EXPECT_EQ(t.status, TestStatus::kPending);
  EXPECT_EQ(t.version, 1);
  EXPECT_FALSE(t.result.has_value());
  EXPECT_EQ(Sample(s.number).status, SampleStatus::kReceived);
  EXPECT_TRUE(Actions().empty());

  // Without an instrument named, the gate is not asked.
  ASSERT_OK(service.EnterResult(id, Entry({"1.0"})));
  EXPECT_EQ(gate.calls, 1);
}

TEST_F(WorkflowServiceTest, InstrumentIsRecordedWithTheResult) {
  const int64_t id = Register().tests[0].id;
  ResultEntry entry = Entry({"1.0"});
  entry.instrument = "UV-VIS-01";
  ASSERT_OK(technician_.EnterResult(id, entry));
  EXPECT_EQ(Test(id).result->instrument, "UV-VIS-01");
  WorklistQuery query;
  query.instrument = "UV-VIS-01";
  Result<std::vector<WorkItem>> work = store_.Worklist(query);
  ASSERT_OK(work);
  EXPECT_TRUE(work->empty());  // entered: no longer work at the bench
}

}  // namespace
}  // namespace lims
