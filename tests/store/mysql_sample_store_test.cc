#include "lims/store/mysql_sample_store.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "lims/core/clock.h"
#include "lims/core/sample_service.h"
#include "lims/store/connection_pool.h"
#include "lims/store/demo_data.h"
#include "lims/store/migrator.h"
#include "tests/support/test_database.h"
#include "tests/support/test_support.h"

namespace lims::store {
namespace {

using ::lims::testing::At;

using ::lims::testing::Fields;

using ::lims::testing::SourcePath;
using ::lims::testing::TestDatabase;

constexpr char kChromium[] = "REACH-XVII-47-CRVI-LEATHER";
constexpr char kNickel[] = "REACH-XVII-27-NI-RELEASE";
constexpr char kNickelUnit[] = "µg/cm²/week";

Lab TestLab() {
  return Lab{"AGR", "Footwear Testing Laboratory, Agra", "Agra, Uttar Pradesh", "TC-0000"};
}

// A migrated database with the lab and one exporter, and a service over a pooled connection
// whose clock stands in November 2026.
class MysqlSampleStoreTest : public ::testing::Test {
 protected:
  MysqlSampleStoreTest() : pool_(db_.config()), clock_(At("2026-11-23T10:15:00Z")) {}

  void SetUp() override {
    Result<ConnectionPool::Lease> lease = pool_.Acquire();
    ASSERT_OK(lease);
    lease_.emplace(std::move(lease).value());
    Result<std::vector<MigrationFile>> files = ReadMigrations(SourcePath("schema"));
    ASSERT_OK(files);
    ASSERT_OK(Migrate(lease_->connection(), *files));
    store_ = std::make_unique<MysqlSampleStore>(lease_->connection());
    ASSERT_OK(store_->EnsureLab(TestLab()));
    Organization org;
    org.name = "Sikandra Footwear Exports";
    org.iec = "0512345678";
    org.district = "Agra";
    Result<int64_t> id = store_->EnsureOrganization(org);
    ASSERT_OK(id);
    exporter_ = *id;
    service_ = std::make_unique<SampleService>(*store_, clock_, "AGR");
  }

  NewSample Intake(std::vector<std::string> requirements = {kChromium}) const {
    NewSample s;
    s.exporter_id = exporter_;
    s.product = "Men's safety boot, black leather";
    s.article = "AGR-BT-204";
    s.sizes = {"41", "42"};
    s.lot = "L-2026-118";
    s.quantity = 6;
    s.quantity_unit = "pairs";
    s.destination = "DE";
    s.storage_location = "R2-S4";
    s.requirements = std::move(requirements);
    return s;
  }

  ResultEntry Entry(std::vector<std::string> values, std::string unit = "mg/kg") const {
    ResultEntry e;
    e.values = std::move(values);
    e.unit = std::move(unit);
    e.uncertainty = "0.5";
    return e;
  }

  // Registers a chromium sample and returns it (with its one test).
  SampleRecord RegisterChromium() {
    Result<SampleRecord> r = service_->Register(Intake());
    EXPECT_OK(r);
    return r.ok() ? *r : SampleRecord();
  }

  std::string Count(const std::string& table) const { return db_.QueryValue("SELECT COUNT(*) FROM " + table); }

  TestDatabase db_;
  ConnectionPool pool_;
  FakeClock clock_;
  std::optional<ConnectionPool::Lease> lease_;
  std::unique_ptr<MysqlSampleStore> store_;
  std::unique_ptr<SampleService> service_;
  int64_t exporter_ = 0;
};

TEST_F(MysqlSampleStoreTest, RegisterAssignsGaplessNumbers) {
  Result<SampleRecord> first = service_->Register(Intake());
  ASSERT_OK(first);
  Result<SampleRecord> second = service_->Register(Intake());
  ASSERT_OK(second);
  EXPECT_EQ(first->number, "AGR-2026-000001");
  EXPECT_EQ(second->number, "AGR-2026-000002");
}

TEST_F(MysqlSampleStoreTest, RegisterStoresTheSampleAsGiven) {
  Result<SampleRecord> created = service_->Register(Intake());
  ASSERT_OK(created);
  Result<SampleRecord> read = service_->Get(created->number);
  ASSERT_OK(read);
  EXPECT_EQ(read->exporter_id, exporter_);
  EXPECT_EQ(read->exporter_name, "Sikandra Footwear Exports");
  EXPECT_EQ(read->product, "Men's safety boot, black leather");
  EXPECT_EQ(read->sizes, (std::vector<std::string>{"41", "42"}));
  EXPECT_EQ(read->quantity, 6);
  EXPECT_EQ(read->destination, "DE");
  EXPECT_EQ(read->status, SampleStatus::kReceived);
  EXPECT_EQ(read->received_at, At("2026-11-23T10:15:00Z"));
  ASSERT_EQ(read->tests.size(), 1u);
  EXPECT_EQ(read->tests[0].requirement, kChromium);
  EXPECT_EQ(read->tests[0].limit.comparator, Comparator::kLess);
  EXPECT_EQ(read->tests[0].limit.value.ToString(), "3");
  EXPECT_EQ(read->tests[0].limit.unit, "mg/kg");
  EXPECT_EQ(read->tests[0].status, TestStatus::kPending);
  ASSERT_EQ(read->custody.size(), 1u);
  EXPECT_EQ(read->custody[0].event, "received");
  EXPECT_EQ(read->custody[0].location, "R2-S4");
}

TEST_F(MysqlSampleStoreTest, UnknownSampleIsNotFound) {
  Result<SampleRecord> r = service_->Get("AGR-2026-000099");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kNotFound);
}

TEST_F(MysqlSampleStoreTest, UnknownExporterIsUnprocessable) {
  NewSample s = Intake();
  s.exporter_id = exporter_ + 1000;
  Result<SampleRecord> r = service_->Register(s);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kUnprocessable);
  EXPECT_EQ(Fields(r.status()), std::vector<std::string>{"exporter"});
  EXPECT_EQ(Count("samples"), "0");
}

TEST_F(MysqlSampleStoreTest, UnknownRequirementLeavesNoTraceAndConsumesNoNumber) {
  const std::string samples_before = Count("samples");
  const std::string counters_before = Count("sample_counters");
  Result<SampleRecord> r = service_->Register(Intake({"NO-SUCH-REQUIREMENT"}));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kUnprocessable);
  EXPECT_EQ(Fields(r.status()), std::vector<std::string>{"requirements[0]"});
  EXPECT_EQ(Count("samples"), samples_before);
  EXPECT_EQ(Count("sample_counters"), counters_before);
  EXPECT_EQ(Count("tests"), "0");
  EXPECT_EQ(Count("custody_events"), "0");

  Result<SampleRecord> next = service_->Register(Intake());
  ASSERT_OK(next);
  EXPECT_EQ(next->number, "AGR-2026-000001");
}

TEST_F(MysqlSampleStoreTest, WriteFailingAfterNumberingRollsBackTheNumber) {
  ASSERT_EQ(RegisterChromium().number, "AGR-2026-000001");
  // Too long for samples.product (VARCHAR(400)): the insert fails after the counter moved.
  NewSample too_long = Intake();
  too_long.product = std::string(401, 'x');
  Result<SampleRecord> r = store_->CreateSample("AGR", too_long, clock_.Now());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(Count("samples"), "1");
  EXPECT_EQ(db_.QueryValue("SELECT last_sequence FROM sample_counters"), "1");

  Result<SampleRecord> next = service_->Register(Intake());
  ASSERT_OK(next);
  EXPECT_EQ(next->number, "AGR-2026-000002");
}

TEST_F(MysqlSampleStoreTest, NumbersRestartEachYear) {
  ASSERT_EQ(RegisterChromium().number, "AGR-2026-000001");
  clock_.Advance(std::chrono::hours(24 * 60));
  EXPECT_EQ(RegisterChromium().number, "AGR-2027-000001");
}

TEST_F(MysqlSampleStoreTest, EnteringAFailingResultJudgesAndMovesStatuses) {
  const SampleRecord sample = RegisterChromium();
  ASSERT_EQ(sample.tests.size(), 1u);
  Result<ResultRecord> result = service_->EnterResult(sample.tests[0].id, Entry({"2.9", "3.20"}));
  ASSERT_OK(result);
  EXPECT_EQ(result->verdict, Verdict::kFail);

  Result<SampleRecord> read = service_->Get(sample.number);
  ASSERT_OK(read);
  // Its only test has a result awaiting the second person's review.
  EXPECT_EQ(read->status, SampleStatus::kUnderReview);
  ASSERT_EQ(read->tests.size(), 1u);
  EXPECT_EQ(read->tests[0].status, TestStatus::kEntered);
  ASSERT_TRUE(read->tests[0].result.has_value());
  EXPECT_EQ(read->tests[0].result->verdict, Verdict::kFail);
  EXPECT_EQ(read->tests[0].result->values, (std::vector<std::string>{"2.9", "3.20"}));
  ASSERT_TRUE(read->tests[0].result->uncertainty.has_value());
  EXPECT_EQ(read->tests[0].result->uncertainty->ToString(), "0.5");
  EXPECT_EQ(db_.QueryValue("SELECT value FROM result_values WHERE replicate = 2"), "3.20");
}

TEST_F(MysqlSampleStoreTest, EnteringAPassingResult) {
  const SampleRecord sample = RegisterChromium();
  ASSERT_EQ(sample.tests.size(), 1u);
  Result<ResultRecord> result = service_->EnterResult(sample.tests[0].id, Entry({"1.10", "2.95"}));
  ASSERT_OK(result);
  EXPECT_EQ(result->verdict, Verdict::kPass);
  Result<SampleRecord> read = service_->Get(sample.number);
  ASSERT_OK(read);
  ASSERT_TRUE(read->tests[0].result.has_value());
  EXPECT_EQ(read->tests[0].result->verdict, Verdict::kPass);
  EXPECT_EQ(read->tests[0].result->values, (std::vector<std::string>{"1.10", "2.95"}));
}

TEST_F(MysqlSampleStoreTest, SecondResultOnATestConflicts) {
  const SampleRecord sample = RegisterChromium();
  ASSERT_EQ(sample.tests.size(), 1u);
  ASSERT_OK(service_->EnterResult(sample.tests[0].id, Entry({"1.0"})));
  Result<ResultRecord> again = service_->EnterResult(sample.tests[0].id, Entry({"1.5"}));
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.status().code(), Status::Code::kConflict);
  EXPECT_EQ(Count("results"), "1");
}

TEST_F(MysqlSampleStoreTest, StoreRefusesAResultOnAStaleTest) {
  // Two requests read the pending test; the first one to write wins, the other gets kConflict.
  const SampleRecord sample = RegisterChromium();
  ASSERT_EQ(sample.tests.size(), 1u);
  Result<TestRecord> stale = store_->FindTest(sample.tests[0].id);
  ASSERT_OK(stale);
  ASSERT_OK(service_->EnterResult(sample.tests[0].id, Entry({"1.0"})));
  ResultRecord late;
  late.test_id = stale->id;
  late.values = {"2.0"};
  late.unit = "mg/kg";
  late.verdict = Verdict::kPass;
  late.explanation = "late";
  late.entered_at = clock_.Now();
  Result<ResultRecord> r = store_->AddResult(*stale, late);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kConflict);
  EXPECT_EQ(Count("results"), "1");
  EXPECT_EQ(Count("result_values"), "1");
}

TEST_F(MysqlSampleStoreTest, UnknownTestIsNotFound) {
  Result<ResultRecord> r = service_->EnterResult(987654, Entry({"1.0"}));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kNotFound);
}

TEST_F(MysqlSampleStoreTest, ConcurrentIntakeGetsDistinctGaplessNumbers) {
  constexpr int kThreads = 4;
  constexpr int kPerThread = 10;
  std::vector<std::vector<std::string>> numbers(kThreads);
  std::vector<std::vector<std::string>> errors(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        Result<ConnectionPool::Lease> lease = pool_.Acquire();
        if (!lease.ok()) {
          errors[t].push_back(lease.status().ToString());
          continue;
        }
        MysqlSampleStore store(lease->connection());
        SampleService service(store, clock_, "AGR");
        Result<SampleRecord> r = service.Register(Intake());
        if (r.ok()) {
          numbers[t].push_back(r->number);
        } else {
          errors[t].push_back(r.status().ToString());
        }
      }
    });
  }
  for (std::thread& th : threads) th.join();

  std::vector<std::string> all;
  for (int t = 0; t < kThreads; ++t) {
    for (const std::string& e : errors[t]) ADD_FAILURE() << "thread " << t << ": " << e;
    all.insert(all.end(), numbers[t].begin(), numbers[t].end());
  }
  std::sort(all.begin(), all.end());
  std::vector<std::string> expected;
  for (int i = 1; i <= kThreads * kPerThread; ++i) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "AGR-2026-%06d", i);
    expected.push_back(buf);
  }
  EXPECT_EQ(all, expected);
  EXPECT_EQ(Count("samples"), std::to_string(kThreads * kPerThread));
}

TEST_F(MysqlSampleStoreTest, NonAsciiUnitRoundTrips) {
  Result<SampleRecord> created = service_->Register(Intake({kNickel}));
  ASSERT_OK(created);
  ASSERT_EQ(created->tests.size(), 1u);
  EXPECT_EQ(created->tests[0].limit.unit, kNickelUnit);
  Result<ResultRecord> result = service_->EnterResult(created->tests[0].id, Entry({"0.3"}, kNickelUnit));
  ASSERT_OK(result);
  EXPECT_EQ(result->verdict, Verdict::kPass);
  Result<SampleRecord> read = service_->Get(created->number);
  ASSERT_OK(read);
  ASSERT_TRUE(read->tests[0].result.has_value());
  EXPECT_EQ(read->tests[0].result->unit, kNickelUnit);
  EXPECT_EQ(read->tests[0].limit.unit, kNickelUnit);
  EXPECT_EQ(db_.QueryValue("SELECT HEX(unit) FROM results"), "C2B5672F636DC2B22F7765656B");  // UTF-8 bytes
}

TEST_F(MysqlSampleStoreTest, ListFiltersAndPages) {
  for (int i = 0; i < 3; ++i) RegisterChromium();
  SampleQuery page;
  page.limit = 2;
  Result<std::vector<SampleRecord>> first = store_->ListSamples(page);
  ASSERT_OK(first);
  ASSERT_EQ(first->size(), 2u);
  EXPECT_EQ((*first)[0].number, "AGR-2026-000001");
  page.after = first->back().number;
  Result<std::vector<SampleRecord>> second = store_->ListSamples(page);
  ASSERT_OK(second);
  ASSERT_EQ(second->size(), 1u);
  EXPECT_EQ((*second)[0].number, "AGR-2026-000003");
  SampleQuery in_testing;
  in_testing.status = SampleStatus::kInTesting;
  Result<std::vector<SampleRecord>> none = store_->ListSamples(in_testing);
  ASSERT_OK(none);
  EXPECT_TRUE(none->empty());
}

TEST_F(MysqlSampleStoreTest, LoadDemoDataIsIdempotent) {
  ASSERT_OK(LoadDemoData(lease_->connection(), TestLab(), clock_));
  const std::string samples = Count("samples");
  const std::string organizations = Count("organizations");
  EXPECT_NE(samples, "0");
  ASSERT_OK(LoadDemoData(lease_->connection(), TestLab(), clock_));
  EXPECT_EQ(Count("samples"), samples);
  EXPECT_EQ(Count("organizations"), organizations);
}

}  // namespace
}  // namespace lims::store
