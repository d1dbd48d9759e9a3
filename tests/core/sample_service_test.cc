#include "lims/core/sample_service.h"

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "lims/core/in_memory_sample_store.h"
#include "tests/support/test_support.h"

namespace lims {
namespace {

using ::lims::testing::At;
using ::lims::testing::Entry;

using ::lims::testing::D;
using ::lims::testing::Fields;
using ::lims::testing::MakeLimit;

constexpr char kChromium[] = "REACH-XVII-47-CRVI-LEATHER";
constexpr char kFlex[] = "EN-ISO-17707-FLEX";

// A store with one exporter and two requirements, a clock in late November 2026 and a service over
// them, as one request of the running server would see them.
class SampleServiceTest : public ::testing::Test {
 protected:
  SampleServiceTest() : clock_(At("2026-11-23T10:15:00Z")), service_(store_, clock_, "AGR") {
    Organization org;
    org.name = "Agra Leather Exports";
    org.district = "Agra";
    exporter_ = store_.AddOrganization(org);
    store_.AddRequirement(kChromium, "REACH Annex XVII", "entry 47", "Chromium(VI) content", "EN ISO 17075-1",
                          MakeLimit(Comparator::kLess, "3", "mg/kg"));
    store_.AddRequirement(kFlex, "EN ISO 20344", "5.2", "Flex resistance", "EN ISO 17707",
                          MakeLimit(Comparator::kGreaterOrEqual, "30000", "1"));
  }

  NewSample Intake(std::vector<std::string> requirements = {kChromium, kFlex}) const {
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

  // Registers a sample with the chromium test only and returns that test's id.
  int64_t RegisterChromiumTest() {
    Result<SampleRecord> r = service_.Register(Intake({kChromium}));
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() && !r->tests.empty() ? r->tests[0].id : -1;
  }

  InMemorySampleStore store_;
  FakeClock clock_;
  SampleService service_;
  int64_t exporter_ = 0;
};

TEST_F(SampleServiceTest, RegisterAssignsGaplessNumbers) {
  Result<SampleRecord> first = service_.Register(Intake());
  Result<SampleRecord> second = service_.Register(Intake());
  ASSERT_OK(first);
  ASSERT_OK(second);
  EXPECT_EQ(first->number, "AGR-2026-000001");
  EXPECT_EQ(second->number, "AGR-2026-000002");
  EXPECT_NE(first->id, second->id);
}

TEST_F(SampleServiceTest, RegisterRecordsTheIntake) {
  Result<SampleRecord> r = service_.Register(Intake());
  ASSERT_OK(r);
  EXPECT_EQ(r->exporter_id, exporter_);
  EXPECT_EQ(r->exporter_name, "Agra Leather Exports");
  EXPECT_EQ(r->product, "leather footwear");
  EXPECT_EQ(r->quantity, 6);
  EXPECT_EQ(r->status, SampleStatus::kReceived);
  EXPECT_EQ(r->received_at, clock_.Now());
}

TEST_F(SampleServiceTest, RegisterCreatesOnePendingTestPerRequirement) {
  Result<SampleRecord> r = service_.Register(Intake());
  ASSERT_OK(r);
  ASSERT_EQ(r->tests.size(), 2u);
  const TestRecord& chromium = r->tests[0];
  EXPECT_EQ(chromium.requirement, kChromium);
  EXPECT_EQ(chromium.sample_number, r->number);
  EXPECT_EQ(chromium.standard, "REACH Annex XVII");
  EXPECT_EQ(chromium.clause, "entry 47");
  EXPECT_EQ(chromium.method, "EN ISO 17075-1");
  EXPECT_EQ(chromium.limit.ToDisplay(), "< 3 mg/kg");
  EXPECT_EQ(chromium.status, TestStatus::kPending);
  EXPECT_FALSE(chromium.result.has_value());
  EXPECT_EQ(r->tests[1].requirement, kFlex);
  EXPECT_NE(r->tests[0].id, r->tests[1].id);
}

TEST_F(SampleServiceTest, RegisterWritesTheReceivedCustodyEvent) {
  NewSample intake = Intake();
  intake.condition = ReceiptCondition::kDamaged;
  intake.condition_note = "box crushed";
  Result<SampleRecord> r = service_.Register(intake);
  ASSERT_OK(r);
  ASSERT_EQ(r->custody.size(), 1u);
  EXPECT_EQ(r->custody[0].event, "received");
  EXPECT_EQ(r->custody[0].location, "Shelf A3");
  EXPECT_EQ(r->custody[0].note, "box crushed");
  EXPECT_EQ(r->custody[0].at, clock_.Now());
}

TEST_F(SampleServiceTest, RegisterRestartsNumberingInANewYear) {
  FakeClock clock(At("2026-12-31T23:00:00Z"));
  SampleService service(store_, clock, "AGR");
  Result<SampleRecord> december = service.Register(Intake());
  ASSERT_OK(december);
  EXPECT_EQ(december->number, "AGR-2026-000001");
  clock.Advance(std::chrono::hours(2));
  Result<SampleRecord> january = service.Register(Intake());
  ASSERT_OK(january);
  EXPECT_EQ(january->number, "AGR-2027-000001");
  Result<SampleRecord> next = service.Register(Intake());
  ASSERT_OK(next);
  EXPECT_EQ(next->number, "AGR-2027-000002");
}

TEST_F(SampleServiceTest, RegisterNumbersEachLabSeparately) {
  SampleService other_lab(store_, clock_, "KNP");
  ASSERT_OK(service_.Register(Intake()));
  Result<SampleRecord> r = other_lab.Register(Intake());
  ASSERT_OK(r);
  EXPECT_EQ(r->number, "KNP-2026-000001");
}

TEST_F(SampleServiceTest, RegisterRejectsBrokenIntakeRules) {
  NewSample intake = Intake();
  intake.quantity = 0;
  Result<SampleRecord> r = service_.Register(intake);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kUnprocessable);
  EXPECT_EQ(Fields(r.status()), std::vector<std::string>{"quantity"});
}

TEST_F(SampleServiceTest, RegisterRejectsUnknownExporter) {
  NewSample intake = Intake();
  intake.exporter_id = exporter_ + 100;
  Result<SampleRecord> r = service_.Register(intake);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kUnprocessable);
  ASSERT_EQ(r.status().field_errors().size(), 1u);
  EXPECT_EQ(r.status().field_errors()[0], (FieldError{"exporter", "no such organization"}));
}

TEST_F(SampleServiceTest, RegisterRejectsUnknownRequirement) {
  Result<SampleRecord> r = service_.Register(Intake({kChromium, "NO-SUCH-REQUIREMENT"}));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kUnprocessable);
  ASSERT_EQ(r.status().field_errors().size(), 1u);
  EXPECT_EQ(r.status().field_errors()[0], (FieldError{"requirements[1]", "unknown requirement"}));
}

TEST_F(SampleServiceTest, RejectedIntakeLeavesNoGapAndNoRecords) {
  ASSERT_FALSE(service_.Register(Intake({kChromium, "NO-SUCH-REQUIREMENT"})).ok());
  Result<SampleRecord> r = service_.Register(Intake());
  ASSERT_OK(r);
  EXPECT_EQ(r->number, "AGR-2026-000001");
  Result<std::vector<SampleRecord>> all = store_.ListSamples(SampleQuery{});
  ASSERT_OK(all);
  EXPECT_EQ(all->size(), 1u);
}

TEST_F(SampleServiceTest, TestsKeepTheLimitTheyWereRegisteredWith) {
  const int64_t test_id = RegisterChromiumTest();
  // The catalog tightens the limit after intake.
  store_.AddRequirement(kChromium, "REACH Annex XVII", "entry 47", "Chromium(VI) content", "EN ISO 17075-1",
                        MakeLimit(Comparator::kLess, "1", "mg/kg"));
  Result<ResultRecord> r = service_.EnterResult(test_id, Entry({"2.0"}));
  ASSERT_OK(r);
  EXPECT_EQ(r->verdict, Verdict::kPass) << r->explanation;
  Result<SampleRecord> later = service_.Register(Intake({kChromium}));
  ASSERT_OK(later);
  EXPECT_EQ(later->tests[0].limit.ToDisplay(), "< 1 mg/kg");
}

TEST_F(SampleServiceTest, GetReturnsTheRegisteredSample) {
  Result<SampleRecord> registered = service_.Register(Intake());
  ASSERT_OK(registered);
  Result<SampleRecord> found = service_.Get(registered->number);
  ASSERT_OK(found);
  EXPECT_EQ(found->id, registered->id);
  EXPECT_EQ(found->tests.size(), 2u);
}

TEST_F(SampleServiceTest, GetUnknownNumberIsNotFound) {
  Result<SampleRecord> r = service_.Get("AGR-2026-000099");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kNotFound);
}

TEST_F(SampleServiceTest, GetMalformedNumberIsNotFoundWithoutAskingTheStore) {
  FaultyStore faulty(store_);
  faulty.SetFailure(Status::Unavailable("database down"));
  SampleService service(faulty, clock_, "AGR");
  for (const char* number : {"", "AGR-26-1", "'; DROP TABLE sample; --", "agr-2026-000001"}) {
    Result<SampleRecord> r = service.Get(number);
    ASSERT_FALSE(r.ok()) << number;
    EXPECT_EQ(r.status().code(), Status::Code::kNotFound) << number;
  }
}

TEST_F(SampleServiceTest, EnterResultPassesWhenEveryValueMeetsTheLimit) {
  const int64_t test_id = RegisterChromiumTest();
  clock_.Advance(std::chrono::hours(3));
  Result<ResultRecord> r = service_.EnterResult(test_id, Entry({"1.20", "2.95"}));
  ASSERT_OK(r);
  EXPECT_EQ(r->verdict, Verdict::kPass);
  EXPECT_TRUE(r->explanation.starts_with("Chromium(VI) content specimen ")) << r->explanation;
  EXPECT_TRUE(r->explanation.ends_with(" < 3 mg/kg (REACH Annex XVII entry 47; simple acceptance): PASS"))
      << r->explanation;
  EXPECT_EQ(r->test_id, test_id);
  EXPECT_GT(r->id, 0);
  EXPECT_EQ(r->entered_at, clock_.Now());
  EXPECT_EQ(r->values, (std::vector<std::string>{"1.20", "2.95"}));
  EXPECT_EQ(r->unit, "mg/kg");
}

TEST_F(SampleServiceTest, EnterResultFailsAndNamesTheFailingSpecimen) {
  const int64_t test_id = RegisterChromiumTest();
  Result<ResultRecord> r = service_.EnterResult(test_id, Entry({"1.5", "3.20"}));
  ASSERT_OK(r);
  EXPECT_EQ(r->verdict, Verdict::kFail);
  EXPECT_EQ(r->explanation,
            "Chromium(VI) content specimen 2 of 2: 3.20 mg/kg > 3 mg/kg (REACH Annex XVII entry 47; simple "
            "acceptance): FAIL");
}

TEST_F(SampleServiceTest, TestsCarryTheSamplesDecisionRule) {
  NewSample intake = Intake({kChromium});
  Result<DecisionRule> rule = ParseDecisionRule("guarded:r=0.5");
  ASSERT_OK(rule);
  intake.decision_rule = *rule;
  Result<SampleRecord> r = service_.Register(intake);
  ASSERT_OK(r);
  EXPECT_EQ(r->decision_rule.Token(), "guarded:r=0.5");
  ASSERT_EQ(r->tests.size(), 1u);
  EXPECT_EQ(r->tests[0].decision_rule.Token(), "guarded:r=0.5");
}

TEST_F(SampleServiceTest, GuardedSampleNeedsAnUncertainty) {
  NewSample intake = Intake({kChromium});
  intake.decision_rule.kind = DecisionRule::Kind::kGuarded;
  Result<SampleRecord> registered = service_.Register(intake);
  ASSERT_OK(registered);
  const int64_t test_id = registered->tests[0].id;
  Result<ResultRecord> missing = service_.EnterResult(test_id, Entry({"2.8"}));
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), Status::Code::kUnprocessable);
  EXPECT_EQ(Fields(missing.status()), std::vector<std::string>{"uncertainty"});

  ResultEntry entry = Entry({"2.8"});
  entry.uncertainty = "0.4";
  Result<ResultRecord> r = service_.EnterResult(test_id, entry);
  ASSERT_OK(r);
  // 2.8 < 3, but 2.8 + 0.4 = 3.2 is not.
  EXPECT_EQ(r->verdict, Verdict::kConditionalPass);
  EXPECT_EQ(r->explanation,
            "Chromium(VI) content 2.8 mg/kg < 3 mg/kg, U = 0.4 mg/kg (REACH Annex XVII entry 47; guarded "
            "acceptance, w = U): CONDITIONAL PASS");
  ASSERT_TRUE(r->uncertainty.has_value());
  EXPECT_EQ(r->uncertainty->ToString(), "0.4");
}

TEST_F(SampleServiceTest, EnterResultInAnotherUnitOfTheSameDimension) {
  const int64_t test_id = RegisterChromiumTest();
  Result<ResultRecord> r = service_.EnterResult(test_id, Entry({"0.00041"}, "% w/w"));
  ASSERT_OK(r);
  EXPECT_EQ(r->verdict, Verdict::kFail);
  EXPECT_EQ(r->values, std::vector<std::string>{"0.00041"});
  EXPECT_EQ(r->unit, "% w/w");
  EXPECT_EQ(r->explanation,
            "Chromium(VI) content 4.1 mg/kg > 3 mg/kg (REACH Annex XVII entry 47; simple acceptance): FAIL");
}

TEST_F(SampleServiceTest, EnterResultMovesTestAndSampleForward) {
  Result<SampleRecord> registered = service_.Register(Intake());
  ASSERT_OK(registered);
  ASSERT_OK(service_.EnterResult(registered->tests[0].id, Entry({"0.5"})));
  Result<SampleRecord> sample = service_.Get(registered->number);
  ASSERT_OK(sample);
  EXPECT_EQ(sample->status, SampleStatus::kInTesting);
  EXPECT_EQ(sample->tests[0].status, TestStatus::kEntered);
  ASSERT_TRUE(sample->tests[0].result.has_value());
  EXPECT_EQ(sample->tests[0].result->values, std::vector<std::string>{"0.5"});
  EXPECT_EQ(sample->tests[1].status, TestStatus::kPending);
}

TEST_F(SampleServiceTest, SecondEntryIsConflict) {
  const int64_t test_id = RegisterChromiumTest();
  ASSERT_OK(service_.EnterResult(test_id, Entry({"1.0"})));
  Result<ResultRecord> again = service_.EnterResult(test_id, Entry({"1.1"}));
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.status().code(), Status::Code::kConflict);
  Result<TestRecord> test = store_.FindTest(test_id);
  ASSERT_OK(test);
  EXPECT_EQ(test->result->values, std::vector<std::string>{"1.0"});  // the first entry stands
}

TEST_F(SampleServiceTest, StoreRejectsAStaleEntry) {
  // Two requests read the test at version 1; the store lets only the first one write, and the
  // second is told by the version, not by the status.
  const int64_t test_id = RegisterChromiumTest();
  Result<TestRecord> stale = store_.FindTest(test_id);
  ASSERT_OK(stale);
  ASSERT_OK(service_.EnterResult(test_id, Entry({"1.0"})));
  Result<ResultRecord> late = store_.AddResult(*stale, ResultRecord{});
  ASSERT_FALSE(late.ok());
  EXPECT_EQ(late.status().code(), Status::Code::kConflict);
  EXPECT_EQ(late.status().message(), "test " + std::to_string(test_id) + " changed meanwhile");
  Result<TestRecord> test = store_.FindTest(test_id);
  ASSERT_OK(test);
  EXPECT_EQ(test->version, 2);
  EXPECT_EQ(test->result->values, std::vector<std::string>{"1.0"});
}

TEST_F(SampleServiceTest, StoreRejectsAStaleCorrectionOfARejectedTest) {
  // A rejected test may be entered again, but only by whoever read its current version.
  const int64_t test_id = RegisterChromiumTest();
  ASSERT_OK(service_.EnterResult(test_id, Entry({"1.0"})));
  Result<TestRecord> entered = store_.FindTest(test_id);
  ASSERT_OK(entered);
  ReviewRecord reject;
  reject.decision = "reject";
  reject.comment = "wrong extraction";
  ASSERT_OK(store_.AddReview(*entered, reject));
  Result<TestRecord> rejected = store_.FindTest(test_id);
  ASSERT_OK(rejected);
  EXPECT_EQ(store_.AddResult(*entered, ResultRecord{}).status().code(), Status::Code::kConflict);
  ASSERT_OK(store_.AddResult(*rejected, ResultRecord{}));
  EXPECT_EQ(store_.AddResult(*rejected, ResultRecord{}).status().code(), Status::Code::kConflict);
}

TEST_F(SampleServiceTest, ConcurrentEntriesLetExactlyOneWin) {
  const int64_t test_id = RegisterChromiumTest();
  std::vector<Status> outcomes(8);
  std::vector<std::thread> threads;
  for (size_t i = 0; i < outcomes.size(); ++i) {
    threads.emplace_back([&, i] {
      SampleService service(store_, clock_, "AGR");  // one service per request
      outcomes[i] = service.EnterResult(test_id, Entry({"1." + std::to_string(i)})).status();
    });
  }
  for (std::thread& t : threads) t.join();
  int wins = 0;
  for (const Status& s : outcomes) {
    if (s.ok()) {
      ++wins;
    } else {
      EXPECT_EQ(s.code(), Status::Code::kConflict) << s.ToString();
    }
  }
  EXPECT_EQ(wins, 1);
}

TEST_F(SampleServiceTest, EnterResultForUnknownTestIsNotFound) {
  Result<ResultRecord> r = service_.EnterResult(4242, Entry({"1.0"}));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kNotFound);
}

TEST_F(SampleServiceTest, MalformedEntryLeavesTheTestPending) {
  const int64_t test_id = RegisterChromiumTest();
  Result<ResultRecord> r = service_.EnterResult(test_id, Entry({"1.0", "1,1"}));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(Fields(r.status()), std::vector<std::string>{"values[1]"});
  Result<TestRecord> test = store_.FindTest(test_id);
  ASSERT_OK(test);
  EXPECT_EQ(test->status, TestStatus::kPending);
}

TEST_F(SampleServiceTest, WrongUnitIsUnprocessable) {
  const int64_t test_id = RegisterChromiumTest();
  Result<ResultRecord> r = service_.EnterResult(test_id, Entry({"1.0"}, "ppm"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kUnprocessable);
  EXPECT_EQ(Fields(r.status()), std::vector<std::string>{"unit"});
}

TEST_F(SampleServiceTest, UnavailableStoreIsPropagated) {
  const int64_t test_id = RegisterChromiumTest();
  FaultyStore faulty(store_);
  SampleService service(faulty, clock_, "AGR");
  faulty.SetFailure(Status::Unavailable("cannot reach MariaDB"));

  Result<SampleRecord> registered = service.Register(Intake());
  ASSERT_FALSE(registered.ok());
  EXPECT_EQ(registered.status().code(), Status::Code::kUnavailable);
  EXPECT_EQ(registered.status().message(), "cannot reach MariaDB");
  Result<SampleRecord> found = service.Get("AGR-2026-000001");
  ASSERT_FALSE(found.ok());
  EXPECT_EQ(found.status().code(), Status::Code::kUnavailable);
  Result<ResultRecord> entered = service.EnterResult(test_id, Entry({"1.0"}));
  ASSERT_FALSE(entered.ok());
  EXPECT_EQ(entered.status().code(), Status::Code::kUnavailable);
}

TEST_F(SampleServiceTest, FaultyStoreHealsAndNeverTouchedTheBaseWhileFailing) {
  FaultyStore faulty(store_);
  SampleService service(faulty, clock_, "AGR");
  faulty.SetFailure(Status::Unavailable("down"));
  ASSERT_FALSE(service.Register(Intake()).ok());
  faulty.SetFailure(Status::Ok());
  Result<SampleRecord> r = service.Register(Intake());
  ASSERT_OK(r);
  EXPECT_EQ(r->number, "AGR-2026-000001");  // the failed call consumed no number
}

TEST_F(SampleServiceTest, FaultyStoreFailsEveryMethod) {
  FaultyStore faulty(store_);
  faulty.SetFailure(Status::Internal("boom"));
  EXPECT_EQ(faulty.CreateSample("AGR", Intake(), clock_.Now()).status().code(), Status::Code::kInternal);
  EXPECT_EQ(faulty.FindSample("AGR-2026-000001").status().code(), Status::Code::kInternal);
  EXPECT_EQ(faulty.ListSamples(SampleQuery{}).status().code(), Status::Code::kInternal);
  EXPECT_EQ(faulty.FindTest(1).status().code(), Status::Code::kInternal);
  EXPECT_EQ(faulty.AddResult(TestRecord{}, ResultRecord{}).status().code(), Status::Code::kInternal);
  EXPECT_EQ(faulty.AddReview(TestRecord{}, ReviewRecord{}).status().code(), Status::Code::kInternal);
  EXPECT_EQ(faulty.Retest(TestRecord{}, "spilled", 1, clock_.Now()).status().code(), Status::Code::kInternal);
  EXPECT_EQ(faulty.AssignTest(TestRecord{}, 7).status().code(), Status::Code::kInternal);
  EXPECT_EQ(faulty.AddCustody(SampleRecord{}, CustodyEvent{}, "").status().code(), Status::Code::kInternal);
  EXPECT_EQ(faulty.UpdateSample(1, SampleStatus::kReady).code(), Status::Code::kInternal);
  EXPECT_EQ(faulty.Worklist(WorklistQuery{}).status().code(), Status::Code::kInternal);
  EXPECT_EQ(faulty.Progress("AGR-2026-000001").status().code(), Status::Code::kInternal);
  EXPECT_EQ(faulty.ListOrganizations().status().code(), Status::Code::kInternal);
  EXPECT_EQ(faulty.FindOrganization(1).status().code(), Status::Code::kInternal);
  EXPECT_EQ(faulty.CreateOrganization(Organization{}, 1).status().code(), Status::Code::kInternal);
}

TEST_F(SampleServiceTest, FaultyStoreForwardsEveryMethodWhenHealthy) {
  const int64_t test_id = RegisterChromiumTest();
  FaultyStore faulty(store_);
  Result<TestRecord> test = faulty.FindTest(test_id);
  ASSERT_OK(test);
  Result<TestRecord> assigned = faulty.AssignTest(*test, 7);
  ASSERT_OK(assigned);
  EXPECT_EQ(assigned->assignee_id, 7);
  ASSERT_OK(faulty.Worklist(WorklistQuery{}));
  ASSERT_OK(faulty.Progress("AGR-2026-000001"));
  Result<SampleRecord> sample = faulty.FindSample("AGR-2026-000001");
  ASSERT_OK(sample);
  ASSERT_OK(faulty.UpdateSample(sample->id, SampleStatus::kInTesting));
  Organization org;
  org.name = "Kanpur Tannery";
  org.iec = "0512345678";
  Result<Organization> created = faulty.CreateOrganization(org, 1);
  ASSERT_OK(created);
  ASSERT_OK(faulty.FindOrganization(created->id));
}

// A catalog with REACH entries 47 (Cr(VI) in leather parts) and 61 (DMFu in the whole product).
Catalog ReachCatalog() {
  Vocabulary vocabulary;
  vocabulary.family_parts["footwear"] = {"upper", "lining", "insock", "outsole", "whole"};
  vocabulary.materials = {"leather", "textile", "rubber"};
  StandardEdition reach;
  reach.id = "REACH-XVII";
  reach.code = "REACH Annex XVII";
  reach.kind = "regulation";
  reach.product_families = {"footwear"};
  reach.file = "reach-annex-xvii.json";
  CatalogRequirement crvi;
  crvi.id = "R-47-CRVI";
  crvi.standard_id = reach.id;
  crvi.clause = "entry 47";
  crvi.property = "Chromium(VI) content";
  crvi.label = "Cr(VI)";
  crvi.property_key = "chromium-vi";
  crvi.method = "EN ISO 17075-1";
  crvi.limit = MakeLimit(Comparator::kNotDetected, "3", "mg/kg");
  crvi.specimens = 2;
  crvi.parts = {"upper", "lining"};
  crvi.materials = {"leather"};
  crvi.product_families = {"footwear"};
  CatalogRequirement dmfu = crvi;
  dmfu.id = "R-61-DMFU";
  dmfu.clause = "entry 61";
  dmfu.property = "Dimethyl fumarate";
  dmfu.label = "DMFu";
  dmfu.property_key = "dmfu";
  dmfu.limit = MakeLimit(Comparator::kLessOrEqual, "0.1", "mg/kg");
  dmfu.specimens = 1;
  dmfu.parts.clear();
  dmfu.materials.clear();
  reach.requirements = {crvi, dmfu};
  Result<Catalog> catalog = Catalog::Build(vocabulary, {reach});
  EXPECT_TRUE(catalog.ok()) << catalog.status().ToString();
  return catalog.ok() ? std::move(catalog).value() : Catalog();
}

const TestRecord* TestOf(const SampleRecord& s, const std::string& requirement, const std::string& part) {
  for (const TestRecord& t : s.tests) {
    if (t.requirement == requirement && t.part == part) return &t;
  }
  return nullptr;
}

TEST_F(SampleServiceTest, RegisterDerivesTestsFromATestPlan) {
  const Catalog catalog = ReachCatalog();
  SampleService service(store_, clock_, "AGR", &catalog);
  NewSample intake = Intake({});
  intake.decision_rule.kind = DecisionRule::Kind::kGuarded;
  TestPlanRequest plan;
  plan.product_family = "footwear";
  plan.materials = {{"upper", "leather"}, {"lining", "textile"}};
  plan.regulations = {"REACH Annex XVII"};
  intake.test_plan = plan;
  Result<SampleRecord> r = service.Register(intake);
  ASSERT_OK(r);
  ASSERT_EQ(r->tests.size(), 2u);  // Cr(VI) on the leather upper only, DMFu on the whole shoe
  const TestRecord* crvi = TestOf(*r, "R-47-CRVI", "upper");
  ASSERT_NE(crvi, nullptr);
  EXPECT_EQ(crvi->label, "Cr(VI)");
  EXPECT_EQ(crvi->material, "leather");
  EXPECT_EQ(crvi->specimens, 2);
  EXPECT_EQ(crvi->sources, std::vector<std::string>{"REACH Annex XVII entry 47"});
  EXPECT_EQ(crvi->limit.ToDisplay(), "not detected (< 3 mg/kg)");
  EXPECT_EQ(crvi->decision_rule.Token(), "guarded");
  EXPECT_EQ(crvi->status, TestStatus::kPending);
  const TestRecord* dmfu = TestOf(*r, "R-61-DMFU", "whole");
  ASSERT_NE(dmfu, nullptr);
  EXPECT_EQ(dmfu->material, "");

  ResultEntry entry = Entry({"2.1", "3.4"});
  entry.uncertainty = "0.5";
  Result<ResultRecord> result = service.EnterResult(crvi->id, entry);
  ASSERT_OK(result);
  // Specimen 2: 3.4 − 0.5 = 2.9 < 3 but 3.4 is not.
  EXPECT_EQ(result->verdict, Verdict::kConditionalFail);
  EXPECT_EQ(result->explanation,
            "Cr(VI) specimen 2 of 2: 3.4 mg/kg > 3 mg/kg, U = 0.5 mg/kg (REACH Annex XVII entry 47; guarded "
            "acceptance, w = U): CONDITIONAL FAIL");
}

TEST_F(SampleServiceTest, RegisterResolvesCatalogIdsAndStoreCodesTogether) {
  const Catalog catalog = ReachCatalog();
  SampleService service(store_, clock_, "AGR", &catalog);
  Result<SampleRecord> r = service.Register(Intake({kChromium, "R-61-DMFU"}));
  ASSERT_OK(r);
  ASSERT_EQ(r->tests.size(), 2u);
  const TestRecord* dmfu = TestOf(*r, "R-61-DMFU", "whole");
  ASSERT_NE(dmfu, nullptr);
  EXPECT_EQ(dmfu->label, "DMFu");
  EXPECT_EQ(dmfu->standard, "REACH Annex XVII");
  EXPECT_NE(TestOf(*r, kChromium, "whole"), nullptr);
}

TEST_F(SampleServiceTest, TestPlanErrorsArePrefixed) {
  const Catalog catalog = ReachCatalog();
  SampleService service(store_, clock_, "AGR", &catalog);
  NewSample intake = Intake({});
  TestPlanRequest plan;
  plan.product_family = "footwear";
  plan.materials = {{"upper", "plastic"}};
  plan.regulations = {"REACH Annex XVII"};
  intake.test_plan = plan;
  Result<SampleRecord> r = service.Register(intake);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kUnprocessable);
  EXPECT_EQ(Fields(r.status()), std::vector<std::string>{"test_plan.materials.upper"});
}

// The in-memory store's own contract, beyond what the service exercises.
class InMemorySampleStoreTest : public SampleServiceTest {
 protected:
  std::vector<std::string> Numbers(const SampleQuery& query) {
    Result<std::vector<SampleRecord>> page = store_.ListSamples(query);
    EXPECT_TRUE(page.ok()) << page.status().ToString();
    std::vector<std::string> out;
    if (page.ok()) {
      for (const SampleRecord& s : *page) out.push_back(s.number);
    }
    return out;
  }
};

TEST_F(InMemorySampleStoreTest, ListSamplesPagesInNumberOrder) {
  for (int i = 0; i < 5; ++i) ASSERT_OK(service_.Register(Intake()));
  SampleQuery query;
  query.limit = 2;
  EXPECT_EQ(Numbers(query), (std::vector<std::string>{"AGR-2026-000001", "AGR-2026-000002"}));
  query.after = "AGR-2026-000002";
  EXPECT_EQ(Numbers(query), (std::vector<std::string>{"AGR-2026-000003", "AGR-2026-000004"}));
  query.after = "AGR-2026-000004";
  EXPECT_EQ(Numbers(query), std::vector<std::string>{"AGR-2026-000005"});
  query.after = "AGR-2026-000005";
  EXPECT_TRUE(Numbers(query).empty());
}

TEST_F(InMemorySampleStoreTest, ListSamplesAfterANumberThatDoesNotExist) {
  for (int i = 0; i < 3; ++i) ASSERT_OK(service_.Register(Intake()));
  SampleQuery query;
  query.after = "AGR-2026-000001x";  // sorts between 000001 and 000002
  EXPECT_EQ(Numbers(query), (std::vector<std::string>{"AGR-2026-000002", "AGR-2026-000003"}));
}

TEST_F(InMemorySampleStoreTest, ListSamplesFiltersByStatus) {
  const int64_t test_id = RegisterChromiumTest();  // AGR-2026-000001
  ASSERT_OK(service_.Register(Intake()));          // AGR-2026-000002
  ASSERT_OK(service_.EnterResult(test_id, Entry({"1.0"})));
  SampleQuery query;
  query.status = SampleStatus::kUnderReview;  // its only test is entered
  EXPECT_EQ(Numbers(query), std::vector<std::string>{"AGR-2026-000001"});
  query.status = SampleStatus::kReceived;
  EXPECT_EQ(Numbers(query), std::vector<std::string>{"AGR-2026-000002"});
  query.status = SampleStatus::kIssued;
  EXPECT_TRUE(Numbers(query).empty());
}

TEST_F(InMemorySampleStoreTest, ListSamplesFiltersByExporterBeforeLimiting) {
  Organization other;
  other.name = "Kanpur Tannery";
  const int64_t other_id = store_.AddOrganization(other);
  NewSample theirs = Intake();
  theirs.exporter_id = other_id;
  ASSERT_OK(service_.Register(Intake()));  // 000001
  ASSERT_OK(service_.Register(Intake()));  // 000002
  ASSERT_OK(service_.Register(theirs));    // 000003
  ASSERT_OK(service_.Register(theirs));    // 000004
  SampleQuery query;
  query.exporter_id = other_id;
  query.limit = 1;
  EXPECT_EQ(Numbers(query), std::vector<std::string>{"AGR-2026-000003"});
  query.after = "AGR-2026-000003";
  EXPECT_EQ(Numbers(query), std::vector<std::string>{"AGR-2026-000004"});
}

TEST_F(InMemorySampleStoreTest, ListSamplesWithZeroLimitIsEmpty) {
  ASSERT_OK(service_.Register(Intake()));
  SampleQuery query;
  query.limit = 0;
  EXPECT_TRUE(Numbers(query).empty());
}

TEST_F(InMemorySampleStoreTest, FindTestReturnsTheSnapshot) {
  const int64_t test_id = RegisterChromiumTest();
  Result<TestRecord> test = store_.FindTest(test_id);
  ASSERT_OK(test);
  EXPECT_EQ(test->sample_number, "AGR-2026-000001");
  EXPECT_EQ(test->requirement, kChromium);
  EXPECT_EQ(test->limit.value, D("3.0"));
  EXPECT_EQ(store_.FindTest(test_id + 1000).status().code(), Status::Code::kNotFound);
}

TEST_F(InMemorySampleStoreTest, FindSampleUnknownIsNotFound) {
  EXPECT_EQ(store_.FindSample("AGR-2026-000001").status().code(), Status::Code::kNotFound);
}

TEST_F(InMemorySampleStoreTest, AddOrganizationAssignsIdsInOrder) {
  Organization second;
  second.name = "Kanpur Tannery";
  const int64_t id = store_.AddOrganization(second);
  EXPECT_GT(id, exporter_);
  Result<std::vector<Organization>> orgs = store_.ListOrganizations();
  ASSERT_OK(orgs);
  ASSERT_EQ(orgs->size(), 2u);
  EXPECT_EQ((*orgs)[0].id, exporter_);
  EXPECT_EQ((*orgs)[0].name, "Agra Leather Exports");
  EXPECT_EQ((*orgs)[1].id, id);
}

TEST_F(InMemorySampleStoreTest, AddResultToUnknownTestIsNotFound) {
  TestRecord ghost;
  ghost.id = 999;
  EXPECT_EQ(store_.AddResult(ghost, ResultRecord{}).status().code(), Status::Code::kNotFound);
}

TEST_F(InMemorySampleStoreTest, AddResultKeepsTheRejectedResultAsHistory) {
  const int64_t test_id = RegisterChromiumTest();
  Result<TestRecord> test = store_.FindTest(test_id);
  ASSERT_OK(test);
  ResultRecord first;
  first.values = {"1.0"};
  ASSERT_OK(store_.AddResult(*test, first));
  test = store_.FindTest(test_id);
  ASSERT_OK(test);
  ReviewRecord review;
  review.decision = "reject";
  review.reviewer_id = 2;
  Result<ReviewRecord> stored_review = store_.AddReview(*test, review);
  ASSERT_OK(stored_review);
  EXPECT_GT(stored_review->id, 0);
  EXPECT_EQ(stored_review->test_id, test_id);
  test = store_.FindTest(test_id);
  ASSERT_OK(test);
  EXPECT_EQ(test->status, TestStatus::kRejected);
  EXPECT_EQ(test->version, 3);
  ResultRecord second;
  second.values = {"1.1"};
  ASSERT_OK(store_.AddResult(*test, second));
  test = store_.FindTest(test_id);
  ASSERT_OK(test);
  EXPECT_EQ(test->status, TestStatus::kEntered);
  EXPECT_EQ(test->version, 4);
  EXPECT_EQ(test->result->values, std::vector<std::string>{"1.1"});
  ASSERT_EQ(test->earlier_results.size(), 1u);
  EXPECT_EQ(test->earlier_results[0].values, std::vector<std::string>{"1.0"});
  ASSERT_EQ(test->reviews.size(), 1u);
  EXPECT_EQ(test->reviews[0].decision, "reject");
}

TEST_F(InMemorySampleStoreTest, AddReviewNeedsAnEnteredTestAndAKnownDecision) {
  const int64_t test_id = RegisterChromiumTest();
  Result<TestRecord> test = store_.FindTest(test_id);
  ASSERT_OK(test);
  ReviewRecord review;
  review.decision = "approve";
  EXPECT_EQ(store_.AddReview(*test, review).status().code(), Status::Code::kConflict);  // pending
  ASSERT_OK(store_.AddResult(*test, ResultRecord{}));
  test = store_.FindTest(test_id);
  ASSERT_OK(test);
  review.decision = "maybe";
  EXPECT_EQ(store_.AddReview(*test, review).status().code(), Status::Code::kInvalidArgument);
}

TEST_F(InMemorySampleStoreTest, RetestInvalidatesAndOpensTheRepeat) {
  const int64_t test_id = RegisterChromiumTest();
  Result<TestRecord> test = store_.FindTest(test_id);
  ASSERT_OK(test);
  ASSERT_OK(store_.AssignTest(*test, 3));
  test = store_.FindTest(test_id);
  ASSERT_OK(test);
  ASSERT_OK(store_.AddResult(*test, ResultRecord{}));
  test = store_.FindTest(test_id);
  ASSERT_OK(test);
  Result<TestRecord> repeat = store_.Retest(*test, "balance drifted", 4, clock_.Now());
  ASSERT_OK(repeat);
  EXPECT_NE(repeat->id, test_id);
  EXPECT_EQ(repeat->status, TestStatus::kPending);
  EXPECT_EQ(repeat->attempt, 2);
  EXPECT_EQ(repeat->replaces_test_id, test_id);
  EXPECT_FALSE(repeat->result.has_value());
  EXPECT_FALSE(repeat->assignee_id.has_value());
  EXPECT_EQ(repeat->version, 1);
  EXPECT_EQ(repeat->requirement, kChromium);
  EXPECT_EQ(repeat->limit.ToDisplay(), "< 3 mg/kg");
  Result<TestRecord> old = store_.FindTest(test_id);
  ASSERT_OK(old);
  EXPECT_EQ(old->status, TestStatus::kInvalidated);
  EXPECT_EQ(old->replaced_by_test_id, repeat->id);
  EXPECT_EQ(old->invalidation_reason, "balance drifted");
  Result<SampleRecord> sample = store_.FindSample("AGR-2026-000001");
  ASSERT_OK(sample);
  ASSERT_EQ(sample->tests.size(), 2u);
  EXPECT_EQ(sample->tests[1].id, repeat->id);
  // The stale copy cannot invalidate it a second time.
  EXPECT_EQ(store_.Retest(*test, "balance drifted", 4, clock_.Now()).status().code(), Status::Code::kConflict);
}

TEST_F(InMemorySampleStoreTest, AssignTestIsConditionalOnTheVersion) {
  const int64_t test_id = RegisterChromiumTest();
  Result<TestRecord> test = store_.FindTest(test_id);
  ASSERT_OK(test);
  Result<TestRecord> assigned = store_.AssignTest(*test, 5);
  ASSERT_OK(assigned);
  EXPECT_EQ(assigned->assignee_id, 5);
  EXPECT_EQ(assigned->version, 2);
  EXPECT_EQ(store_.AssignTest(*test, 6).status().code(), Status::Code::kConflict);
  Result<TestRecord> released = store_.AssignTest(*assigned, std::nullopt);
  ASSERT_OK(released);
  EXPECT_FALSE(released->assignee_id.has_value());
}

TEST_F(InMemorySampleStoreTest, SplitCreatesNumberedPortions) {
  ASSERT_OK(service_.Register(Intake()));
  Result<SampleRecord> sample = store_.FindSample("AGR-2026-000001");
  ASSERT_OK(sample);
  CustodyEvent split;
  split.event = "split";
  split.at = clock_.Now();
  Result<CustodyEvent> first = store_.AddCustody(*sample, split, "left shoe");
  ASSERT_OK(first);
  EXPECT_EQ(first->portion, "AGR-2026-000001-P1");
  Result<CustodyEvent> second = store_.AddCustody(*sample, split, "right shoe");
  ASSERT_OK(second);
  EXPECT_EQ(second->portion, "AGR-2026-000001-P2");
  sample = store_.FindSample("AGR-2026-000001");
  ASSERT_OK(sample);
  ASSERT_EQ(sample->portions.size(), 2u);
  EXPECT_EQ(sample->portions[0].ordinal, 1);
  EXPECT_EQ(sample->portions[0].description, "left shoe");
  EXPECT_EQ(sample->portions[1].code, "AGR-2026-000001-P2");
  ASSERT_EQ(sample->custody.size(), 3u);
  EXPECT_EQ(sample->custody[2].portion, "AGR-2026-000001-P2");
}

TEST_F(InMemorySampleStoreTest, AddCustodyIsConditionalOnTheSampleVersion) {
  ASSERT_OK(service_.Register(Intake()));
  Result<SampleRecord> sample = store_.FindSample("AGR-2026-000001");
  ASSERT_OK(sample);
  ASSERT_OK(store_.UpdateSample(sample->id, SampleStatus::kReceived));  // a change of the sample
  CustodyEvent moved;
  moved.event = "moved";
  moved.location = "Fridge 2";
  Result<CustodyEvent> r = store_.AddCustody(*sample, moved, "");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kConflict);
  EXPECT_EQ(r.status().message(), "sample AGR-2026-000001 changed meanwhile");
}

TEST_F(InMemorySampleStoreTest, AddCustodyRefusesForeignReferences) {
  ASSERT_OK(service_.Register(Intake()));
  Result<SampleRecord> sample = store_.FindSample("AGR-2026-000001");
  ASSERT_OK(sample);
  CustodyEvent handed;
  handed.event = "handed_to_test";
  handed.test_id = 999;
  Result<CustodyEvent> r = store_.AddCustody(*sample, handed, "");
  EXPECT_EQ(r.status().code(), Status::Code::kUnprocessable);
  EXPECT_EQ(Fields(r.status()), std::vector<std::string>{"test"});
  CustodyEvent moved;
  moved.event = "moved";
  moved.portion = "AGR-2026-000001-P9";
  r = store_.AddCustody(*sample, moved, "");
  EXPECT_EQ(Fields(r.status()), std::vector<std::string>{"portion"});
}

TEST_F(InMemorySampleStoreTest, UpdateSampleBumpsTheVersionEvenWhenTheStatusStays) {
  ASSERT_OK(service_.Register(Intake()));
  Result<SampleRecord> before = store_.FindSample("AGR-2026-000001");
  ASSERT_OK(before);
  ASSERT_OK(store_.UpdateSample(before->id, SampleStatus::kReceived));
  ASSERT_OK(store_.UpdateSample(before->id, SampleStatus::kInTesting));
  Result<SampleRecord> after = store_.FindSample("AGR-2026-000001");
  ASSERT_OK(after);
  EXPECT_EQ(after->version, before->version + 2);
  EXPECT_EQ(after->status, SampleStatus::kInTesting);
  EXPECT_EQ(store_.UpdateSample(4242, SampleStatus::kReady).code(), Status::Code::kNotFound);
}

TEST_F(InMemorySampleStoreTest, WorklistFiltersAndPages) {
  NewSample soon = Intake({kChromium, kFlex});
  soon.due_date = "2026-11-30";
  NewSample later = Intake({kChromium});
  later.due_date = "2026-12-20";
  Result<SampleRecord> a = service_.Register(soon);   // tests 1 (chromium), 2 (flex)
  Result<SampleRecord> b = service_.Register(later);  // test 3 (chromium)
  ASSERT_OK(a);
  ASSERT_OK(b);
  const int64_t chromium_a = a->tests[0].id;
  const int64_t flex_a = a->tests[1].id;
  const int64_t chromium_b = b->tests[0].id;
  ResultEntry entry = Entry({"1.0"});
  entry.instrument = "UV-VIS-01";
  ASSERT_OK(service_.EnterResult(chromium_a, entry));  // entered: off the worklist
  Result<TestRecord> flex = store_.FindTest(flex_a);
  ASSERT_OK(flex);
  ASSERT_OK(store_.AssignTest(*flex, 9));

  auto ids = [&](const WorklistQuery& q) {
    std::vector<int64_t> out;
    Result<std::vector<WorkItem>> items = store_.Worklist(q);
    EXPECT_TRUE(items.ok()) << items.status().ToString();
    if (items.ok()) {
      for (const WorkItem& w : *items) out.push_back(w.test.id);
    }
    return out;
  };
  WorklistQuery q;
  EXPECT_EQ(ids(q), (std::vector<int64_t>{flex_a, chromium_b}));
  q.method = "EN ISO 17075-1";
  EXPECT_EQ(ids(q), std::vector<int64_t>{chromium_b});
  q = WorklistQuery{};
  q.assignee = 9;
  EXPECT_EQ(ids(q), std::vector<int64_t>{flex_a});
  q.assignee = 0;
  EXPECT_EQ(ids(q), std::vector<int64_t>{chromium_b});
  q = WorklistQuery{};
  q.due_before = "2026-12-01";
  EXPECT_EQ(ids(q), std::vector<int64_t>{flex_a});
  q = WorklistQuery{};
  q.limit = 1;
  EXPECT_EQ(ids(q), std::vector<int64_t>{flex_a});
  q.after = flex_a;
  EXPECT_EQ(ids(q), std::vector<int64_t>{chromium_b});

  // A rejected test returns to the worklist, findable by the instrument its result named.
  Result<TestRecord> entered = store_.FindTest(chromium_a);
  ASSERT_OK(entered);
  ReviewRecord reject;
  reject.decision = "reject";
  ASSERT_OK(store_.AddReview(*entered, reject));
  q = WorklistQuery{};
  q.instrument = "UV-VIS-01";
  EXPECT_EQ(ids(q), std::vector<int64_t>{chromium_a});
  Result<std::vector<WorkItem>> items = store_.Worklist(q);
  ASSERT_OK(items);
  ASSERT_EQ(items->size(), 1u);
  EXPECT_EQ((*items)[0].sample_number, "AGR-2026-000001");
  EXPECT_EQ((*items)[0].exporter_name, "Agra Leather Exports");
  EXPECT_EQ((*items)[0].due_date, "2026-11-30");
  EXPECT_EQ((*items)[0].received_at, clock_.Now());
  EXPECT_EQ((*items)[0].test.status, TestStatus::kRejected);
}

TEST_F(InMemorySampleStoreTest, CreateOrganizationRefusesADuplicateIec) {
  Organization org;
  org.name = "Kanpur Tannery";
  org.iec = "AAACK1234B";
  Result<Organization> created = store_.CreateOrganization(org, 1);
  ASSERT_OK(created);
  EXPECT_GT(created->id, exporter_);
  Result<Organization> found = store_.FindOrganization(created->id);
  ASSERT_OK(found);
  EXPECT_EQ(found->name, "Kanpur Tannery");
  Result<Organization> again = store_.CreateOrganization(org, 1);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.status().code(), Status::Code::kConflict);
  EXPECT_EQ(again.status().message(), "an organization with IEC AAACK1234B already exists");
  EXPECT_EQ(store_.FindOrganization(4242).status().code(), Status::Code::kNotFound);
}

TEST_F(InMemorySampleStoreTest, ReportsEveryUnknownRequirement) {
  Result<SampleRecord> r = store_.CreateSample("AGR", Intake({"X", kFlex, "Y"}), clock_.Now());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kUnprocessable);
  EXPECT_EQ(Fields(r.status()), (std::vector<std::string>{"requirements[0]", "requirements[2]"}));
}

TEST_F(InMemorySampleStoreTest, UnknownExporterIsReportedBeforeRequirements) {
  // The MySQL store stops at the exporter; the fake answers the same way.
  NewSample intake = Intake({"X"});
  intake.exporter_id = 0;
  Result<SampleRecord> r = store_.CreateSample("AGR", intake, clock_.Now());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kUnprocessable);
  EXPECT_EQ(Fields(r.status()), std::vector<std::string>{"exporter"});
}

}  // namespace
}  // namespace lims
