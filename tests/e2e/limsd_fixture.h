// LimsdSuite: a test-suite fixture for end-to-end binaries. One fresh TestDatabase and one limsd
// (migrated on start, demo data not loaded) per test binary, with one exporter inserted directly
// (there is no organizations POST yet), plus helpers that register samples and enter results.
#ifndef LIMS_TESTS_E2E_LIMSD_FIXTURE_H_
#define LIMS_TESTS_E2E_LIMSD_FIXTURE_H_

#include <gtest/gtest.h>

#include <exception>
#include <memory>
#include <string>

#include "tests/support/json_test_util.h"
#include "tests/support/limsd_process.h"
#include "tests/support/test_database.h"

namespace lims::testing {

class LimsdSuite : public ::testing::Test {
 public:
  static void SetUpTestSuite() {
    try {
      db_ = std::make_unique<TestDatabase>();
      limsd_ = std::make_unique<LimsdProcess>(db_->config());
      db_->Execute(
          "INSERT INTO organizations (name, iec, address, district, odop_product) VALUES "
          "('Sikandra Footwear Exports Pvt Ltd', '0512345678', 'Sikandra, Agra', 'Agra', 'Leather footwear')");
      exporter_ = db_->QueryValue("SELECT id FROM organizations WHERE iec = '0512345678'");
    } catch (const std::exception& e) {
      setup_error_ = e.what();
    }
  }

  static void TearDownTestSuite() {
    limsd_.reset();
    db_.reset();
  }

 protected:
  void SetUp() override {
    ASSERT_TRUE(setup_error_.empty()) << setup_error_;
    ASSERT_NE(limsd_, nullptr);
    ASSERT_FALSE(exporter_.empty());
  }

  static const LimsdProcess& limsd() { return *limsd_; }
  static const TestDatabase& db() { return *db_; }

  // An intake body; `extra` is spliced in as further members.
  static std::string IntakeJson(const std::string& extra = "", const std::string& quantity = "6",
                                const std::string& requirement = "REACH-XVII-47-CRVI-LEATHER") {
    return "{\"exporter\": \"" + exporter_ +
           "\", \"product\": \"Men's safety boot, black leather\", \"quantity\": " + quantity +
           ", \"quantity_unit\": \"pairs\", \"destination\": \"DE\", \"requirements\": [\"" + requirement + "\"]" +
           extra + "}";
  }

  // Registers a sample; returns its JSON (null, with a test failure, when intake failed).
  static Poco::JSON::Object::Ptr Register() {
    const HttpReply reply = limsd_->Post("/api/v1/samples", IntakeJson());
    EXPECT_EQ(reply.status, 201) << reply.body;
    return reply.status == 201 ? ParseJsonObject(reply.body) : nullptr;
  }

  // The id of the first test of `sample` ("" when there is none).
  static std::string FirstTestId(const Poco::JSON::Object::Ptr& sample) {
    return JsonString(JsonArrayObject(sample, "tests", 0), "id");
  }

  static HttpReply PostResult(const std::string& test_id, const std::string& json) {
    return limsd_->Post("/api/v1/tests/" + test_id + "/results", json);
  }

 private:
  static inline std::unique_ptr<TestDatabase> db_;
  static inline std::unique_ptr<LimsdProcess> limsd_;
  static inline std::string exporter_;
  static inline std::string setup_error_;
};

}  // namespace lims::testing

#endif  // LIMS_TESTS_E2E_LIMSD_FIXTURE_H_
