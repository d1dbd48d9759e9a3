// Instrument result files end to end: a real limsd over HTTP against a fresh database, with its
// drop folder watched. An analytical result table (UV-Vis, Cr(VI)) is uploaded and dropped; each
// value lands on its sample's test as an entered result (below LOQ as "<LOQ"), the same bytes twice
// add nothing, a file with a bad row imports nothing (or only its valid rows when asked), the
// calibration gate refuses an instrument out of service, and the raw file is kept byte for byte.
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "lims/core/clock.h"
#include "tests/support/json_test_util.h"
#include "tests/support/limsd_process.h"
#include "tests/support/test_database.h"

namespace lims::testing {
namespace {

namespace fs = std::filesystem;
using Json = Poco::JSON::Object::Ptr;

constexpr char kCrViMethod[] = "EN ISO 17075-1 / EN ISO 17075-2";  // of the catalog's REACH-XVII-47-CRVI

// A member as text, numbers and booleans included ("2", "true").
std::string Text(const Json& object, const std::string& key) {
  return object.isNull() || !object->has(key) ? "" : object->get(key).toString();
}

std::string Today() {
  return FormatRfc3339(SystemClock().Now()).substr(0, 10);
}

// A UV-Vis quantitation export (docs/instruments/analytical-table.md) with one row per
// (sample, concentration or "ND") pair.
std::string CrViTable(const std::vector<std::pair<std::string, std::string>>& rows) {
  std::string out =
      "# UVProbe 2.71 - Quantitation report (analytical-table/1)\n"
      "Instrument: Shimadzu UV-1900i\nSerial: E2E-UV\nMethod: EN ISO 17075-1:2017\nAnalyst: e2e\n"
      "Date: " +
      Today() +
      " 10:00\n\n"
      "Sample ID,Specimen ID,Analyte,CAS,Concentration,Unit,LOQ,Dilution factor,Flag\n";
  for (const auto& [sample, value] : rows) {
    const bool nd = value == "ND";
    out += sample + "-P1,A,Cr(VI),18540-29-9," + (nd ? "" : value) + ",mg/kg,3.0,1," + (nd ? "ND" : "") + "\n";
  }
  return out;
}

class InstrumentImportTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    try {
      drop_ = fs::temp_directory_path() / ("pramaan-drop-" + std::to_string(::getpid()));
      fs::create_directories(drop_);
      db_ = std::make_unique<TestDatabase>();
      limsd_ = std::make_unique<LimsdProcess>(
          db_->config(), std::vector<std::string>{"LIMS_INSTRUMENTS_DROP_DIR=" + drop_.string(),
                                                  std::string("LIMS_INSTRUMENTS_DROP_USER=") + LimsdProcess::kStaffUser,
                                                  "LIMS_INSTRUMENTS_DROP_POLL_MS=200"});
      db_->Execute(
          "INSERT INTO organizations (name, iec, address, district) VALUES "
          "('Import Footwear Exports', '0598765432', 'Sikandra, Agra', 'Agra')");
      exporter_ = db_->QueryValue("SELECT id FROM organizations WHERE iec = '0598765432'");
      const HttpReply reg = limsd_->CallAs(
          limsd_->admin_token(), "POST", "/api/v1/instruments",
          R"({"name": "UV-Vis spectrophotometer", "type": "spectrophotometer", "make": "Shimadzu",)"
          R"( "model": "UV-1900i", "serial": "E2E-UV", "location": "Chemistry", "methods": [")" +
              std::string(kCrViMethod) +
              R"("], "ranges": [{"quantity": "mass fraction", "unit": "mg/kg", "min": "0", "max": "100"}]})");
      if (reg.status != 201) throw std::runtime_error("instrument: " + reg.body);
      instrument_ = JsonString(ParseJsonObject(reg.body), "id");
      const std::string today = Today();
      const HttpReply cal =
          limsd_->CallAs(limsd_->admin_token(), "POST", "/api/v1/instruments/" + instrument_ + "/calibrations",
                         R"({"date": ")" + today +
                             R"(", "due_date": "2099-12-31", "certificate": "CAL-E2E",)"
                             R"( "calibration_lab": "NABL CC-2291", "result": "pass", "uncertainty": "0.3 mg/kg"})");
      if (cal.status != 201) throw std::runtime_error("calibration: " + cal.body);
    } catch (const std::exception& e) {
      setup_error_ = e.what();
    }
  }
  static void TearDownTestSuite() {
    limsd_.reset();
    db_.reset();
    std::error_code ignored;
    fs::remove_all(drop_, ignored);
  }
  void SetUp() override { ASSERT_TRUE(setup_error_.empty()) << setup_error_; }

  // A fresh sample with one Cr(VI) test; returns its number and test id.
  static std::pair<std::string, std::string> Sample() {
    const HttpReply r = limsd_->Post("/api/v1/samples", R"({"exporter": ")" + exporter_ +
                                                            R"(", "product": "Leather upper", "quantity": 2,)"
                                                            R"( "quantity_unit": "pairs", "destination": "DE",)"
                                                            R"( "requirements": ["REACH-XVII-47-CRVI"]})");
    EXPECT_EQ(r.status, 201) << r.body;
    Json s = ParseJsonObject(r.body);
    return {JsonString(s, "number"), JsonString(JsonArrayObject(s, "tests", 0), "id")};
  }

  static HttpReply Upload(const std::string& bytes, const std::string& query = "?file_name=crvi.csv") {
    return limsd_->Call("POST", "/api/v1/instruments/" + instrument_ + "/imports" + query, bytes,
                        {{"Content-Type", "text/csv"}});
  }

  static Json Test(const std::string& id) {
    const HttpReply r = limsd_->Get("/api/v1/tests/" + id);
    EXPECT_EQ(r.status, 200) << r.body;
    return ParseJsonObject(r.body);
  }

  static std::string Results() { return db_->QueryValue("SELECT COUNT(*) FROM results"); }

  static inline fs::path drop_;
  static inline std::unique_ptr<TestDatabase> db_;
  static inline std::unique_ptr<LimsdProcess> limsd_;
  static inline std::string exporter_;
  static inline std::string instrument_;
  static inline std::string setup_error_;
};

TEST_F(InstrumentImportTest, AFileFillsItsTestsOnceAndKeepsTheRawBytes) {
  const auto [a, a_test] = Sample();
  const auto [b, b_test] = Sample();
  const std::string file = CrViTable({{a, "1.2"}, {b, "ND"}});
  const HttpReply first = Upload(file);
  ASSERT_EQ(first.status, 201) << first.body;
  Json report = ParseJsonObject(first.body);
  EXPECT_EQ(JsonString(report, "outcome"), "imported");
  EXPECT_EQ(Text(report, "accepted"), "2");
  EXPECT_EQ(JsonString(report, "format"), "analytical-table");
  EXPECT_EQ(Text(report, "duplicate"), "false");
  EXPECT_EQ(JsonString(JsonArrayObject(report, "rows", 0), "status"), "accepted");
  EXPECT_EQ(JsonString(JsonArrayObject(report, "rows", 0), "test"), a_test);

  Json ta = Test(a_test);
  EXPECT_EQ(JsonString(ta, "status"), "entered");
  Json tb = Test(b_test);
  EXPECT_EQ(JsonString(tb, "status"), "entered");
  const std::string b_values = db_->QueryValue(
      "SELECT GROUP_CONCAT(v.value) FROM result_values v JOIN results r ON r.id = v.result_id WHERE r.test_id = " +
      b_test);
  EXPECT_EQ(b_values, "<3.0");
  EXPECT_EQ(db_->QueryValue("SELECT instrument FROM results WHERE test_id = " + a_test), instrument_);

  // The same bytes again: the first report, nothing added.
  const std::string before = Results();
  const HttpReply again = Upload(file);
  ASSERT_EQ(again.status, 200) << again.body;
  EXPECT_EQ(Text(ParseJsonObject(again.body), "duplicate"), "true");
  EXPECT_EQ(JsonString(ParseJsonObject(again.body), "id"), JsonString(report, "id"));
  EXPECT_EQ(Results(), before);

  // The raw file, byte for byte, and the import in the instrument's list and in the audit trail.
  const std::string id = JsonString(report, "id");
  const HttpReply raw = limsd_->Get("/api/v1/instruments/" + instrument_ + "/imports/" + id + "/raw");
  ASSERT_EQ(raw.status, 200);
  EXPECT_EQ(raw.body, file);
  const HttpReply list = limsd_->Get("/api/v1/instruments/" + instrument_ + "/imports");
  ASSERT_EQ(list.status, 200);
  EXPECT_NE(list.body.find(JsonString(report, "sha256")), std::string::npos);
  EXPECT_EQ(db_->QueryValue("SELECT COUNT(*) FROM audit_events WHERE action = 'instrument.import' AND entity_id = '" +
                            id + "'"),
            "1");
  EXPECT_EQ(db_->QueryValue("SELECT COUNT(*) FROM instrument_import_results WHERE import_id = " + id), "2");
}

TEST_F(InstrumentImportTest, ABadRowImportsNothingUnlessValidRowsAreAskedFor) {
  const auto [a, a_test] = Sample();
  const std::string file = CrViTable({{a, "2.0"}, {"AGR-2026-999999", "1.0"}});
  const std::string before = Results();
  const HttpReply all = Upload(file);
  ASSERT_EQ(all.status, 422) << all.body;
  EXPECT_EQ(all.content_type, "application/problem+json");
  const std::vector<std::string> fields = ProblemFields(ParseJsonObject(all.body));
  ASSERT_EQ(fields.size(), 1u) << all.body;
  EXPECT_EQ(fields[0], "line 10");  // the table starts at line 9
  EXPECT_NE(all.body.find("unknown sample"), std::string::npos) << all.body;
  EXPECT_EQ(Results(), before);
  EXPECT_EQ(JsonString(Test(a_test), "status"), "pending");

  const HttpReply valid = Upload(file, "?mode=valid");
  ASSERT_EQ(valid.status, 201) << valid.body;
  EXPECT_EQ(JsonString(ParseJsonObject(valid.body), "outcome"), "partial");
  EXPECT_EQ(Text(ParseJsonObject(valid.body), "rejected"), "1");
  EXPECT_EQ(JsonString(Test(a_test), "status"), "entered");

  // A test date after today cannot be checked against the calibration: refused.
  const auto [c, c_test] = Sample();
  std::string future = CrViTable({{c, "1.0"}});
  future.replace(future.find("Date: ") + 6, 10, "2099-01-01");
  const HttpReply later = Upload(future);
  EXPECT_EQ(later.status, 422) << later.body;
  EXPECT_NE(later.body.find("future"), std::string::npos) << later.body;
  EXPECT_EQ(JsonString(Test(c_test), "status"), "pending");

  EXPECT_EQ(Upload(file, "?mode=some").status, 400);
  EXPECT_EQ(Upload(file, "?format=pdf").status, 400);
  EXPECT_EQ(Upload("").status, 400);
  EXPECT_EQ(Upload("\xff\xfe\x41").status, 400);  // UTF-16 with an odd byte: unreadable, names the line
  EXPECT_EQ(limsd_->Call("POST", "/api/v1/instruments/999999/imports", file).status, 404);
}

TEST_F(InstrumentImportTest, FilesLargerThanAJsonRequestAreAccepted) {
  const auto [a, a_test] = Sample();
  std::string file = CrViTable({{a, "0.9"}});
  std::string padding;
  for (int i = 0; i < 30000; ++i)
    padding += "# calibration point " + std::to_string(i) + ": absorbance 0.1234 at 540 nm\n";
  file.insert(0, padding);  // about 1.8 MB, more than the 1 MiB of a JSON request
  const HttpReply r = Upload(file);
  EXPECT_EQ(r.status, 201) << r.body.substr(0, 500);
  EXPECT_EQ(JsonString(Test(a_test), "status"), "entered");
}

TEST_F(InstrumentImportTest, TheCalibrationGateAppliesToImportsToo) {
  const auto [a, a_test] = Sample();
  const HttpReply out = limsd_->CallAs(limsd_->admin_token(), "POST", "/api/v1/instruments/" + instrument_ + "/status",
                                       R"({"status": "out_of_service", "reason": "lamp failure during e2e"})");
  ASSERT_EQ(out.status, 200) << out.body;
  const HttpReply refused = Upload(CrViTable({{a, "1.5"}}));
  EXPECT_EQ(refused.status, 422) << refused.body;
  EXPECT_NE(refused.body.find("out of service"), std::string::npos) << refused.body;
  EXPECT_EQ(JsonString(Test(a_test), "status"), "pending");
  const HttpReply back = limsd_->CallAs(limsd_->admin_token(), "POST", "/api/v1/instruments/" + instrument_ + "/status",
                                        R"({"status": "in_service", "reason": "lamp replaced and checked"})");
  ASSERT_EQ(back.status, 200) << back.body;
}

TEST_F(InstrumentImportTest, TheDropFolderImportsAndFilesWhatItTook) {
  const auto [a, a_test] = Sample();
  const fs::path dir = drop_ / instrument_;
  fs::create_directories(dir);
  { std::ofstream(dir / "crvi-run.csv.part") << CrViTable({{a, "2.2"}}); }
  fs::rename(dir / "crvi-run.csv.part", dir / "crvi-run.csv");  // as instrument software does
  { std::ofstream(dir / "garbage.csv") << "this is not a result table\n"; }
  bool imported = false, rejected = false;
  for (int i = 0; i < 150 && !(imported && rejected); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    imported = fs::is_directory(dir / "imported") && !fs::is_empty(dir / "imported");
    rejected = fs::is_directory(dir / "rejected") && !fs::is_empty(dir / "rejected");
  }
  ASSERT_TRUE(imported) << "nothing imported from " << dir;
  ASSERT_TRUE(rejected) << "garbage.csv not refused";
  EXPECT_FALSE(fs::exists(dir / "crvi-run.csv"));
  EXPECT_EQ(JsonString(Test(a_test), "status"), "entered");
  EXPECT_EQ(db_->QueryValue("SELECT source FROM instrument_imports WHERE file_name = 'crvi-run.csv'"), "drop_folder");
  bool has_report = false;
  for (const fs::directory_entry& e : fs::directory_iterator(dir / "rejected")) {
    if (e.path().string().ends_with("garbage.csv.report.json")) {
      std::ifstream in(e.path());
      std::stringstream text;
      text << in.rdbuf();
      has_report = text.str().find("line") != std::string::npos;
    }
  }
  EXPECT_TRUE(has_report);
}

}  // namespace
}  // namespace lims::testing
