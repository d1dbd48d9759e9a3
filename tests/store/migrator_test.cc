#include "lims/store/migrator.h"

#include <gtest/gtest.h>
#include <mysql_connection.h>

#include <algorithm>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "lims/core/sha256.h"
#include "tests/support/test_database.h"
#include "tests/support/test_support.h"

namespace lims::store {
namespace {

namespace fs = std::filesystem;
using ::lims::testing::ReadFile;
using ::lims::testing::SourcePath;
using ::lims::testing::TestDatabase;
using ::lims::testing::WriteFile;

// Names of the NNN_*.sql files in `dir`, counted independently of ReadMigrations.
std::vector<std::string> SqlFileNames(const std::string& dir) {
  std::vector<std::string> names;
  for (const fs::directory_entry& e : fs::directory_iterator(dir)) {
    const std::string name = e.path().filename().string();
    if (e.is_regular_file() && name.size() > 4 && name.substr(name.size() - 4) == ".sql") names.push_back(name);
  }
  std::sort(names.begin(), names.end());
  return names;
}

class MigratorTest : public ::testing::Test {
 protected:
  MigratorTest() : connection_(db_.Connect()) {}
  ~MigratorTest() override {
    std::error_code ec;
    if (!temp_.empty()) fs::remove_all(temp_, ec);
  }

  Result<MigrationReport> MigrateFrom(const std::string& dir) {
    Result<std::vector<MigrationFile>> files = ReadMigrations(dir);
    if (!files.ok()) return files.status();
    return Migrate(*connection_, *files);
  }

  // A copy of the real schema/ directory that a test may edit.
  std::string CopyOfSchema() {
    temp_ = testing::MakeTempDir("lims-schema-");
    fs::copy(SourcePath("schema"), temp_, fs::copy_options::recursive);
    return temp_;
  }

  TestDatabase db_;
  std::unique_ptr<sql::Connection> connection_;
  std::string temp_;
};

TEST_F(MigratorTest, AppliesEveryFileToAFreshDatabase) {
  const std::vector<std::string> names = SqlFileNames(SourcePath("schema"));
  ASSERT_GE(names.size(), 2u);
  Result<MigrationReport> report = MigrateFrom(SourcePath("schema"));
  ASSERT_OK(report);
  EXPECT_EQ(report->applied, names);
  EXPECT_EQ(report->already_applied, 0);
  EXPECT_EQ(db_.QueryValue("SELECT COUNT(*) FROM schema_migrations"), std::to_string(names.size()));
  EXPECT_NE(db_.QueryValue("SELECT COUNT(*) FROM requirements"), "0");  // 002's seed ran
}

TEST_F(MigratorTest, SecondRunAppliesNothing) {
  ASSERT_OK(MigrateFrom(SourcePath("schema")));
  Result<MigrationReport> again = MigrateFrom(SourcePath("schema"));
  ASSERT_OK(again);
  EXPECT_TRUE(again->applied.empty());
  EXPECT_EQ(again->already_applied, static_cast<int>(SqlFileNames(SourcePath("schema")).size()));
}

TEST_F(MigratorTest, RecordsSha256OfEachFile) {
  ASSERT_OK(MigrateFrom(SourcePath("schema")));
  for (const std::string& name : SqlFileNames(SourcePath("schema"))) {
    const std::string expected = Sha256Hex(ReadFile(SourcePath("schema/" + name)));
    EXPECT_EQ(db_.QueryValue("SELECT sha256 FROM schema_migrations WHERE name = '" + name + "'"), expected) << name;
  }
}

TEST_F(MigratorTest, RefusesAnEditedAppliedFile) {
  const std::string dir = CopyOfSchema();
  ASSERT_OK(MigrateFrom(dir));
  const std::string file = dir + "/001_foundation.sql";
  WriteFile(file, ReadFile(file) + "-- an innocent-looking comment\n");
  Result<MigrationReport> report = MigrateFrom(dir);
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.status().code(), Status::Code::kConflict);
  EXPECT_NE(report.status().message().find("001_foundation.sql"), std::string::npos) << report.status().message();
  EXPECT_NE(report.status().message().find("edited"), std::string::npos) << report.status().message();
}

TEST_F(MigratorTest, RefusesAMissingAppliedFile) {
  const std::string dir = CopyOfSchema();
  ASSERT_OK(MigrateFrom(dir));
  fs::remove(dir + "/002_seed_requirements.sql");
  Result<MigrationReport> report = MigrateFrom(dir);
  ASSERT_FALSE(report.ok());
  EXPECT_NE(report.status().message().find("002_seed_requirements.sql"), std::string::npos)
      << report.status().message();
  EXPECT_NE(report.status().message().find("missing"), std::string::npos) << report.status().message();
}

TEST_F(MigratorTest, AppliesOnlyANewFile) {
  const std::string dir = CopyOfSchema();
  ASSERT_OK(MigrateFrom(dir));
  WriteFile(dir + "/900_extra.sql", "CREATE TABLE extra_t (id INT PRIMARY KEY);\nINSERT INTO extra_t VALUES (7);\n");
  Result<MigrationReport> report = MigrateFrom(dir);
  ASSERT_OK(report);
  EXPECT_EQ(report->applied, std::vector<std::string>{"900_extra.sql"});
  EXPECT_EQ(db_.QueryValue("SELECT id FROM extra_t"), "7");
}

TEST_F(MigratorTest, FailingFileIsNotRecordedAndNamesItsLine) {
  const std::string dir = CopyOfSchema();
  WriteFile(dir + "/900_broken.sql", "CREATE TABLE ok_t (id INT);\n\nTHIS IS NOT SQL;\n");
  Result<MigrationReport> report = MigrateFrom(dir);
  ASSERT_FALSE(report.ok());
  EXPECT_NE(report.status().message().find("900_broken.sql line 3"), std::string::npos) << report.status().message();
  EXPECT_EQ(db_.QueryValue("SELECT COUNT(*) FROM schema_migrations WHERE name = '900_broken.sql'"), "0");
}

TEST(ReadMigrations, RejectsTwoFilesWithTheSameVersion) {
  const std::string dir = testing::MakeTempDir("lims-dup-");
  WriteFile(dir + "/001_first.sql", "SELECT 1;\n");
  WriteFile(dir + "/001_second.sql", "SELECT 2;\n");
  Result<std::vector<MigrationFile>> files = ReadMigrations(dir);
  fs::remove_all(dir);
  ASSERT_FALSE(files.ok());
  EXPECT_EQ(files.status().code(), Status::Code::kInvalidArgument);
  EXPECT_NE(files.status().message().find("001_first.sql"), std::string::npos) << files.status().message();
  EXPECT_NE(files.status().message().find("001_second.sql"), std::string::npos) << files.status().message();
}

TEST(ReadMigrations, SortsByVersionAndSkipsOtherFiles) {
  const std::string dir = testing::MakeTempDir("lims-order-");
  WriteFile(dir + "/010_later.sql", "SELECT 10;\n");
  WriteFile(dir + "/002_early.sql", "SELECT 2;\n");
  WriteFile(dir + "/README.md", "not a migration\n");
  WriteFile(dir + "/3_short.sql", "SELECT 3;\n");
  Result<std::vector<MigrationFile>> files = ReadMigrations(dir);
  fs::remove_all(dir);
  ASSERT_OK(files);
  ASSERT_EQ(files->size(), 2u);
  EXPECT_EQ((*files)[0].name, "002_early.sql");
  EXPECT_EQ((*files)[0].version, 2);
  EXPECT_EQ((*files)[1].name, "010_later.sql");
  EXPECT_EQ((*files)[1].sha256, Sha256Hex("SELECT 10;\n"));
}

}  // namespace
}  // namespace lims::store
