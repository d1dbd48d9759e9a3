// `limsd --migrate`, and the refusal to serve when an applied migration file was edited.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "tests/support/limsd_process.h"
#include "tests/support/test_database.h"
#include "tests/support/test_support.h"

namespace lims::testing {
namespace {

namespace fs = std::filesystem;

int SqlFileCount(const std::string& dir) {
  int n = 0;
  for (const fs::directory_entry& e : fs::directory_iterator(dir)) {
    if (e.is_regular_file() && e.path().extension() == ".sql") ++n;
  }
  return n;
}

class MigrateTest : public ::testing::Test {
 protected:
  ~MigrateTest() override {
    std::error_code ec;
    if (!schema_copy_.empty()) fs::remove_all(schema_copy_, ec);
  }

  TestDatabase db_;
  std::string schema_copy_;
};

TEST_F(MigrateTest, MigrateTwiceSucceeds) {
  std::string output;
  ASSERT_EQ(LimsdProcess::RunOnce(db_.config(), {"--migrate"}, {}, &output), 0) << output;
  const std::string files = std::to_string(SqlFileCount(SourcePath("schema")));
  EXPECT_EQ(db_.QueryValue("SELECT COUNT(*) FROM schema_migrations"), files);
  EXPECT_EQ(db_.QueryValue("SELECT COUNT(*) FROM labs WHERE code = 'AGR'"), "1");

  ASSERT_EQ(LimsdProcess::RunOnce(db_.config(), {"--migrate"}, {}, &output), 0) << output;
  EXPECT_EQ(db_.QueryValue("SELECT COUNT(*) FROM schema_migrations"), files);
}

TEST_F(MigrateTest, EditedMigrationRefusesToServe) {
  schema_copy_ = MakeTempDir("lims-schema-");
  fs::copy(SourcePath("schema"), schema_copy_, fs::copy_options::recursive);
  const std::string schema_env = "LIMS_SCHEMA_DIR=" + schema_copy_;
  std::string output;
  ASSERT_EQ(LimsdProcess::RunOnce(db_.config(), {"--migrate"}, {schema_env}, &output), 0) << output;

  const std::string file = schema_copy_ + "/001_foundation.sql";
  WriteFile(file, ReadFile(file) + "-- a comment added after the file was applied\n");
  // Serve mode. Should the check wrongly pass, binding to an address this host does not have
  // (TEST-NET-1) makes limsd exit instead of serving forever; the output then lacks "edited".
  const int rc = LimsdProcess::RunOnce(db_.config(), {}, {schema_env, "LIMS_HTTP_HOST=192.0.2.1"}, &output);
  EXPECT_NE(rc, 0) << output;
  EXPECT_NE(output.find("edited"), std::string::npos) << output;
  EXPECT_NE(output.find("001_foundation.sql"), std::string::npos) << output;
}

}  // namespace
}  // namespace lims::testing
