// A database outage while limsd runs: requests fail fast with 503 instead of hanging or crashing,
// and limsd recovers by itself once the database is back (no restart). Uses its own socket-only
// MariaDB in a temporary directory so that stopping it disturbs no other test.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <thread>

#include "lims/store/connection_pool.h"
#include "lims/store/db_config.h"
#include "lims/store/mysql_sample_store.h"
#include "tests/support/json_test_util.h"
#include "tests/support/limsd_process.h"
#include "tests/support/test_support.h"

namespace lims::testing {
namespace {

// Calls `done` until it returns true or `limit` has passed; returns the last outcome.
bool PollFor(std::chrono::seconds limit, const std::function<bool()>& done) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  for (;;) {
    if (done()) return true;
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
}

class OutageTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = MakeTempDir("lims-outage-");
    std::string out;
    ASSERT_EQ(DbScript("start", &out), 0) << out;
    std::string password = ReadFile(dir_ + "/root.password");
    while (!password.empty() && (password.back() == '\n' || password.back() == '\r')) password.pop_back();
    ASSERT_FALSE(password.empty());
    config_.socket = dir_ + "/mysqld.sock";
    config_.user = "root";
    config_.password = password;
    config_.database = "pramaan";
    config_.pool_size = 2;
  }

  void TearDown() override {
    limsd_.reset();
    if (dir_.empty()) return;
    std::string out;
    if (DbScript("stop", &out) != 0) ADD_FAILURE() << "could not stop the outage database: " << out;
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }

  int DbScript(const std::string& action, std::string* out) const {
    return RunCommand("LIMS_DB_DIR='" + dir_ + "' LIMS_DB_PORT=none LIMS_DB_NAME=pramaan '" +
                          SourcePath("scripts/db.sh") + "' " + action,
                      out);
  }

  // Adds the exporter (limsd has migrated by now) and returns its id.
  std::string AddExporter() const {
    store::ConnectionPool pool(config_);
    Result<store::ConnectionPool::Lease> lease = pool.Acquire();
    EXPECT_OK(lease);
    if (!lease.ok()) return "";
    store::MysqlSampleStore store(lease->connection());
    Organization org;
    org.name = "Jajmau Leather Works";
    org.iec = "0598765432";
    org.district = "Kanpur Nagar";
    Result<int64_t> id = store.EnsureOrganization(org);
    EXPECT_OK(id);
    return id.ok() ? std::to_string(*id) : "";
  }

  std::string dir_;
  store::DbConfig config_;
  std::unique_ptr<LimsdProcess> limsd_;
};

TEST_F(OutageTest, ServesUnavailableDuringOutageAndRecoversWithoutRestart) {
  limsd_ = std::make_unique<LimsdProcess>(config_);
  const std::string exporter = AddExporter();
  ASSERT_FALSE(exporter.empty());
  const HttpReply created = limsd_->Post(
      "/api/v1/samples", "{\"exporter\": \"" + exporter +
                             "\", \"product\": \"Women's sandal\", \"quantity\": 4, \"quantity_unit\": \"pairs\","
                             " \"destination\": \"FR\", \"requirements\": [\"REACH-XVII-47-CRVI-LEATHER\"]}");
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string number = JsonString(ParseJsonObject(created.body), "number");
  ASSERT_FALSE(number.empty());
  const std::string sample_path = "/api/v1/samples/" + number;
  ASSERT_EQ(limsd_->Get("/health").status, 200);

  std::string out;
  ASSERT_EQ(DbScript("stop", &out), 0) << out;

  HttpReply health;
  EXPECT_TRUE(PollFor(std::chrono::seconds(10),
                      [&] {
                        health = limsd_->Get("/health");
                        return health.status == 503;
                      }))
      << "last /health: " << health.status << " " << health.body;
  EXPECT_NE(JsonString(ParseJsonObject(health.body), "db"), "ok") << health.body;
  HttpReply sample;
  EXPECT_TRUE(PollFor(std::chrono::seconds(10),
                      [&] {
                        sample = limsd_->Get(sample_path);
                        return sample.status == 503;
                      }))
      << "last sample read: " << sample.status << " " << sample.body;
  EXPECT_EQ(sample.content_type, "application/problem+json");
  EXPECT_FALSE(ParseJsonObject(sample.body).isNull()) << sample.body;
  ASSERT_TRUE(limsd_->running()) << ReadFile(limsd_->log_path());

  ASSERT_EQ(DbScript("start", &out), 0) << out;
  EXPECT_TRUE(PollFor(std::chrono::seconds(15),
                      [&] {
                        health = limsd_->Get("/health");
                        sample = limsd_->Get(sample_path);
                        return health.status == 200 && sample.status == 200;
                      }))
      << "after restart: /health " << health.status << " " << health.body << "; sample " << sample.status << " "
      << sample.body;
  EXPECT_EQ(JsonString(ParseJsonObject(sample.body), "number"), number);
  EXPECT_TRUE(limsd_->running());
}

}  // namespace
}  // namespace lims::testing
