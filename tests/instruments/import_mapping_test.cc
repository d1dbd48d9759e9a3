// MapResults: a file's results reach exactly the one current test they name, or a refusal with
// the line.
#include "instruments/import_mapping.h"

#include <gtest/gtest.h>

#include <map>

namespace lims::instruments {
namespace {

TestRecord MakeTest(int64_t id, std::string property_key, std::string label, TestStatus status = TestStatus::kPending) {
  TestRecord t;
  t.id = id;
  t.requirement = "REQ-" + std::to_string(id);
  t.property_key = std::move(property_key);
  t.label = std::move(label);
  t.status = status;
  return t;
}

ImportedResult Imported(int line, std::string sample, std::string quantity, std::vector<std::string> values) {
  ImportedResult r;
  r.line = line;
  r.sample_ref = std::move(sample);
  r.quantity = std::move(quantity);
  r.values = std::move(values);
  r.unit = "N/mm";
  return r;
}

class ImportMappingTest : public ::testing::Test {
 protected:
  ImportPlan Map(const ParsedFile& file) {
    return MapResults(
        file,
        [this](const std::string& number) -> const std::vector<TestRecord>* {
          auto it = samples_.find(number);
          return it == samples_.end() ? nullptr : &it->second;
        },
        "UTM-01", "utm-curve-csv/1 run.csv");
  }
  std::map<std::string, std::vector<TestRecord>> samples_{
      {"AGR-2026-000001",
       {MakeTest(1, "sole-bond-strength", "Sole bond"), MakeTest(2, "chromium-vi", "Cr(VI)"),
        MakeTest(3, "upper-tear-strength", "Tear", TestStatus::kInvalidated),
        MakeTest(4, "upper-tear-strength", "Tear")}},
      {"AGR-2026-000002", {MakeTest(5, "upper-tear-strength", "Tear"), MakeTest(6, "upper-tear-strength", "Tear")}},
  };
};

TEST(SampleNumberOf, StripsThePortionAndForgivesCaseAndBlanks) {
  EXPECT_EQ(SampleNumberOf("AGR-2026-000123-P1"), "AGR-2026-000123");
  EXPECT_EQ(SampleNumberOf(" agr-2026-000123-p12 "), "AGR-2026-000123");
  EXPECT_EQ(SampleNumberOf("AGR-2026-000123"), "AGR-2026-000123");
  EXPECT_EQ(SampleNumberOf("AGR-2026-000123-P"), "AGR-2026-000123-P");
  EXPECT_EQ(SampleNumberOf("AGR-2026-000123-PX"), "AGR-2026-000123-PX");
}

TEST_F(ImportMappingTest, ResultsFindTheirTestByPropertyKeyLabelOrRequirement) {
  ParsedFile file;
  file.results = {Imported(10, "AGR-2026-000001-P1", "sole-bond-strength", {"4.1", "4.3"}),
                  Imported(20, "AGR-2026-000001", "cr(vi)", {"<0.5"}),
                  Imported(30, "agr-2026-000001", "REQ-4", {"80"})};
  file.results[0].temperature_c = "23.0";
  file.results[0].remarks = "specimen 2: adhesive failure";
  const ImportPlan plan = Map(file);
  ASSERT_EQ(plan.accepted.size(), 3u);
  EXPECT_TRUE(plan.rejected.empty());
  EXPECT_EQ(plan.accepted[0].test_id, 1);
  EXPECT_EQ(plan.accepted[0].sample_number, "AGR-2026-000001");
  EXPECT_EQ(plan.accepted[0].entry.values, (std::vector<std::string>{"4.1", "4.3"}));
  EXPECT_EQ(plan.accepted[0].entry.unit, "N/mm");
  EXPECT_EQ(plan.accepted[0].entry.instrument, "UTM-01");
  EXPECT_EQ(plan.accepted[0].entry.temperature_c, "23.0");
  EXPECT_EQ(plan.accepted[0].entry.remarks,
            "imported from utm-curve-csv/1 run.csv line 10; specimen 2: adhesive failure");
  EXPECT_EQ(plan.accepted[1].test_id, 2);
  EXPECT_EQ(plan.accepted[2].test_id, 4);  // the invalidated test 3 is not current
}

TEST_F(ImportMappingTest, AnalytesAsInstrumentsNameThem) {
  samples_["AGR-2026-000003"] = {MakeTest(7, "chromium-vi", "Cr(VI) in leather"), MakeTest(8, "lead-content", "Lead"),
                                 MakeTest(9, "pah-benzo-a-pyrene", "BaP"), MakeTest(10, "lead-textile", "Lead")};
  ParsedFile file;
  file.results = {Imported(10, "AGR-2026-000003", "Cr(VI)", {"<3.0"}), Imported(20, "AGR-2026-000003", "CrVI", {"1"}),
                  Imported(30, "AGR-2026-000003", "Benzo[a]pyrene", {"0.2"}),
                  Imported(40, "AGR-2026-000003", "Pb", {"10"}), Imported(50, "AGR-2026-000003", "Zn", {"10"})};
  const ImportPlan plan = Map(file);
  ASSERT_EQ(plan.accepted.size(), 2u);
  EXPECT_EQ(plan.accepted[0].test_id, 7);
  EXPECT_EQ(plan.accepted[1].test_id, 9);
  ASSERT_EQ(plan.rejected.size(), 3u);
  EXPECT_EQ(plan.rejected[0].line, 20);                                               // Cr(VI) twice
  EXPECT_NE(plan.rejected[1].reason.find("matches tests 8, 10"), std::string::npos);  // lead in two materials
  EXPECT_NE(plan.rejected[2].reason.find("no current test of \"Zn\""), std::string::npos);
}

TEST_F(ImportMappingTest, UnitsBecomeTheCatalogs) {
  ParsedFile file;
  file.results = {Imported(10, "AGR-2026-000001", "sole-bond-strength", {"0.41"}),
                  Imported(20, "AGR-2026-000001", "chromium-vi", {"0.0002"})};
  file.results[0].unit = "";
  file.results[1].unit = "% w/w";
  const ImportPlan plan = Map(file);
  ASSERT_EQ(plan.accepted.size(), 2u);
  EXPECT_EQ(plan.accepted[0].entry.unit, "1");
  EXPECT_EQ(plan.accepted[1].entry.unit, "%");
}

TEST_F(ImportMappingTest, RefusalsNameTheLineAndTheReason) {
  ParsedFile file;
  file.errors = {{15, "specimen 3: curve ends before the plateau"}};
  file.results = {Imported(10, "AGR-2026-000009", "sole-bond-strength", {"4"}),
                  Imported(20, "AGR-2026-000001", "outsole-abrasion-volume-loss", {"120"}),
                  Imported(30, "AGR-2026-000002", "upper-tear-strength", {"80"}),
                  Imported(40, "AGR-2026-000001", "sole-bond-strength", {"4"}),
                  Imported(50, "AGR-2026-000001-P2", "sole-bond-strength", {"5"})};
  const ImportPlan plan = Map(file);
  ASSERT_EQ(plan.accepted.size(), 1u);
  EXPECT_EQ(plan.accepted[0].line, 40);
  ASSERT_EQ(plan.rejected.size(), 5u);
  EXPECT_EQ(plan.rejected[0].line, 10);
  EXPECT_EQ(plan.rejected[0].reason, "unknown sample \"AGR-2026-000009\"");
  EXPECT_EQ(plan.rejected[1].line, 15);
  EXPECT_EQ(plan.rejected[2].line, 20);
  EXPECT_NE(plan.rejected[2].reason.find("no current test of \"outsole-abrasion-volume-loss\""), std::string::npos);
  EXPECT_EQ(plan.rejected[3].line, 30);
  EXPECT_NE(plan.rejected[3].reason.find("matches tests 5, 6"), std::string::npos);
  EXPECT_EQ(plan.rejected[4].line, 50);
  EXPECT_EQ(plan.rejected[4].reason, "test 1 is already filled by line 40 of this file");
}

}  // namespace
}  // namespace lims::instruments
