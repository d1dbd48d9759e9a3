// ImportResultFile: the example instrument files of tests/data/instruments go through the same
// SampleService as typed results (in-memory store): every value reaches its test, the file's test
// date is the day the gate is asked about, and a refused row is reported, not imported.
#include "instruments/importer.h"

#include <gtest/gtest.h>

#include <sstream>

#include "lims/core/in_memory_sample_store.h"
#include "tests/support/test_support.h"

namespace lims::instruments {
namespace {

using ::lims::testing::At;
using ::lims::testing::MakeLimit;
using ::lims::testing::ReadFile;
using ::lims::testing::SourcePath;

// Remembers what it was asked, and refuses `refuse` (an instrument id).
class RecordingGate : public InstrumentGate {
 public:
  Status CheckUsable(const std::string& instrument, const TestRecord&, const ResultEntry&, Timestamp at) override {
    asked_at.push_back(at);
    if (instrument == refuse) return Status::Unprocessable("not usable", {{"instrument", "out of service"}});
    return Status::Ok();
  }
  std::string refuse;
  std::vector<Timestamp> asked_at;
};

PlannedTest Planned(std::string key, Limit limit, int specimens) {
  PlannedTest t;
  t.requirement = "REQ-" + key;
  t.standard = "EN ISO 20345:2022";
  t.clause = "5.x";
  t.property = key;
  t.label = key;
  t.property_key = std::move(key);
  t.method = "EN ISO 20344:2021";
  t.part = "whole";
  t.limit = std::move(limit);
  t.specimens = specimens;
  return t;
}

class ImporterTest : public ::testing::Test {
 protected:
  ImporterTest() : clock_(At("2026-03-20T09:00:00Z")) {
    Organization org;
    org.name = "Agra Safety Shoes";
    org.district = "Agra";
    exporter_ = store_.AddOrganization(org);
  }

  SampleService Service() {
    return SampleService(store_, clock_, "AGR", SampleService::Options{nullptr, nullptr, &gate_, {7, "ravi"}});
  }

  // A sample with the given planned tests; returns its number.
  std::string Register(std::vector<PlannedTest> tests) {
    NewSample s;
    s.exporter_id = exporter_;
    s.product = "safety boot";
    s.quantity = 4;
    s.quantity_unit = "pairs";
    s.destination = "DE";
    s.planned_tests = std::move(tests);  // as the service plans them from the catalog
    Result<SampleRecord> r = store_.CreateSample("AGR", s, clock_.Now());
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? r->number : "";
  }

  // The example file with its sample numbers replaced by this store's.
  static std::string Example(const std::string& path, const std::map<std::string, std::string>& numbers) {
    std::string text = ReadFile(SourcePath("tests/data/instruments/" + path));
    for (const auto& [from, to] : numbers) {
      for (size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
        text.replace(at, from.size(), to);
      }
    }
    return text;
  }

  Result<ImportReport> Import(const std::string& bytes, FileFormat format,
                              ImportMode mode = ImportMode::kAllOrNothing) {
    SampleService service = Service();
    std::istringstream in(bytes);
    return ImportResultFile(service, {"5", format, mode, "run.csv", std::string(64, 'a')}, in);
  }

  const TestRecord& TestOf(const std::string& number, const std::string& key) {
    SampleService service = Service();
    Result<SampleRecord> s = service.Get(number);
    EXPECT_TRUE(s.ok());
    samples_.push_back(std::move(s).value());
    for (const TestRecord& t : samples_.back().tests) {
      if (t.property_key == key) return t;
    }
    ADD_FAILURE() << "no test " << key;
    return samples_.back().tests.front();
  }

  FakeClock clock_;
  InMemorySampleStore store_;
  RecordingGate gate_;
  int64_t exporter_ = 0;
  std::vector<SampleRecord> samples_;
};

TEST_F(ImporterTest, AUtmRunFillsTheBondTestsOfBothSamples) {
  const std::string a =
      Register({Planned("sole-bond-strength", MakeLimit(Comparator::kGreaterOrEqual, "4.0", "N/mm"), 2)});
  const std::string b =
      Register({Planned("sole-bond-strength", MakeLimit(Comparator::kGreaterOrEqual, "4.0", "N/mm"), 2)});
  const std::string file = Example("utm/sole_bond.csv", {{"AGR-2026-000123", a}, {"AGR-2026-000124", b}});
  Result<ImportReport> report = Import(file, FileFormat::kUtmCurve);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_EQ(report->outcome, "imported");
  EXPECT_EQ(report->accepted, 2);
  EXPECT_EQ(report->rejected, 0);
  EXPECT_EQ(report->header.test_date, "2026-03-14");
  for (const std::string& number : {a, b}) {
    const TestRecord& t = TestOf(number, "sole-bond-strength");
    EXPECT_EQ(t.status, TestStatus::kEntered) << number;
    ASSERT_TRUE(t.result.has_value());
    EXPECT_EQ(t.result->unit, "N/mm");
    EXPECT_EQ(t.result->values.size(), 2u);
    EXPECT_EQ(t.result->instrument, "5");
    EXPECT_NE(t.result->remarks.find("imported from utm-curve-csv aaaaaaaaaaaa line"), std::string::npos);
  }
  // The gate was asked about the day of the file, not the day of the import.
  ASSERT_EQ(gate_.asked_at.size(), 2u);
  EXPECT_EQ(gate_.asked_at[0], At("2026-03-14T00:00:00Z"));
}

TEST_F(ImporterTest, SlipValuesAreDimensionlessAndEachModeFindsItsTest) {
  const Limit heel = MakeLimit(Comparator::kGreaterOrEqual, "0.31", "1");
  const Limit fore = MakeLimit(Comparator::kGreaterOrEqual, "0.36", "1");
  const std::string a = Register(
      {Planned("slip-ceramic-nals-heel-forward", heel, 2), Planned("slip-ceramic-nals-forepart-backward", fore, 2)});
  const std::string b = Register(
      {Planned("slip-ceramic-nals-heel-forward", heel, 2), Planned("slip-ceramic-nals-forepart-backward", fore, 2)});
  const std::string file = Example("slip/sr-2022-ceramic-nals.csv", {{"AGR-2026-000123", a}, {"AGR-2026-000124", b}});
  Result<ImportReport> report = Import(file, FileFormat::kSlipResult);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_EQ(report->accepted, 4) << (report->rows.empty() ? "" : report->rows[0].reason);
  const TestRecord& heel_a = TestOf(a, "slip-ceramic-nals-heel-forward");
  ASSERT_TRUE(heel_a.result.has_value());
  EXPECT_EQ(heel_a.result->unit, "1");
  EXPECT_EQ(heel_a.result->values, (std::vector<std::string>{"0.42", "0.40"}));
  // Sample b's right shoe slips at 0.30 heel forward: the import records it, the decision fails it.
  EXPECT_EQ(TestOf(b, "slip-ceramic-nals-heel-forward").result->verdict, Verdict::kFail);
}

TEST_F(ImporterTest, ARefusedRowIsReportedAndAllOrNothingSaysRejected) {
  const std::string a =
      Register({Planned("sole-bond-strength", MakeLimit(Comparator::kGreaterOrEqual, "4.0", "N/mm"), 2)});
  // The second sample of the file does not exist here.
  const std::string file = Example("utm/sole_bond.csv", {{"AGR-2026-000123", a}});
  gate_.refuse = "";
  Result<ImportReport> all = Import(file, FileFormat::kUtmCurve);
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->outcome, "rejected");
  EXPECT_EQ(all->rejected, 1);
  ASSERT_EQ(all->rows.size(), 2u);
  EXPECT_FALSE(all->rows[1].accepted);
  EXPECT_NE(all->rows[1].reason.find("unknown sample"), std::string::npos) << all->rows[1].reason;

  const std::string b =
      Register({Planned("sole-bond-strength", MakeLimit(Comparator::kGreaterOrEqual, "4.0", "N/mm"), 2)});
  gate_.refuse = "5";
  const std::string again = Example("utm/sole_bond.csv", {{"AGR-2026-000123", b}});
  Result<ImportReport> refused = Import(again, FileFormat::kUtmCurve, ImportMode::kValidRows);
  ASSERT_TRUE(refused.ok());
  EXPECT_EQ(refused->outcome, "rejected");  // nothing valid to keep
  EXPECT_EQ(refused->rows[0].errors.size(), 1u);
  EXPECT_EQ(TestOf(b, "sole-bond-strength").status, TestStatus::kPending);
}

TEST(FileFormats, NamesAndDefaults) {
  for (FileFormat f : {FileFormat::kUtmCurve, FileFormat::kSlipResult, FileFormat::kAnalyticalTable}) {
    EXPECT_EQ(*ParseFileFormat(FileFormatName(f)), f);
  }
  EXPECT_FALSE(ParseFileFormat("pdf").ok());
  EXPECT_EQ(DefaultFormatFor("universal_testing_machine"), FileFormat::kUtmCurve);
  EXPECT_EQ(DefaultFormatFor("icp_oes"), FileFormat::kAnalyticalTable);
  EXPECT_EQ(DefaultFormatFor("balance"), std::nullopt);
  EXPECT_EQ(*ParseImportMode("valid"), ImportMode::kValidRows);
  EXPECT_FALSE(ParseImportMode("some").ok());
}

}  // namespace
}  // namespace lims::instruments
