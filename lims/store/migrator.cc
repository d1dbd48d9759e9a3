#include "lims/store/migrator.h"

#include <cppconn/exception.h>
#include <cppconn/prepared_statement.h>
#include <cppconn/resultset.h>
#include <cppconn/statement.h>
#include <mysql_connection.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>

#include "lims/core/sha256.h"
#include "lims/store/sql_error.h"
#include "lims/store/sql_script.h"

namespace lims::store {
namespace {

namespace fs = std::filesystem;

constexpr const char* kCreateTable =
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    " version INT NOT NULL PRIMARY KEY,"
    " name VARCHAR(255) NOT NULL,"
    " sha256 CHAR(64) NOT NULL,"
    " applied_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6)"
    ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci";

struct Applied {
  std::string name;
  std::string sha256;
};

bool ParseVersion(const std::string& filename, int* version) {
  if (filename.size() < 9 || filename.substr(filename.size() - 4) != ".sql") return false;
  if (!std::all_of(filename.begin(), filename.begin() + 3, [](char c) { return c >= '0' && c <= '9'; })) return false;
  if (filename[3] != '_') return false;
  *version = std::stoi(filename.substr(0, 3));
  return true;
}

void Execute(sql::Connection& c, const std::string& statement) {
  std::unique_ptr<sql::Statement> st(c.createStatement());
  st->execute(statement);
}

std::map<int, Applied> LoadApplied(sql::Connection& c) {
  std::map<int, Applied> applied;
  std::unique_ptr<sql::Statement> st(c.createStatement());
  std::unique_ptr<sql::ResultSet> rs(st->executeQuery("SELECT version, name, sha256 FROM schema_migrations"));
  while (rs->next()) {
    applied[rs->getInt("version")] = {rs->getString("name"), rs->getString("sha256")};
  }
  return applied;
}

Status CheckHistory(const std::map<int, Applied>& applied, const std::vector<MigrationFile>& files) {
  for (const auto& entry : applied) {
    const int version = entry.first;
    const Applied& record = entry.second;
    auto file =
        std::find_if(files.begin(), files.end(), [version](const MigrationFile& f) { return f.version == version; });
    if (file == files.end()) {
      return Status::Conflict("migration " + record.name + " is recorded as applied but its file is missing");
    }
    if (file->sha256 != record.sha256) {
      return Status::Conflict("migration " + file->name + " was edited after it was applied (recorded sha256 " +
                              record.sha256 + ", file now " + file->sha256 +
                              "); restore the file and put the change in a new migration");
    }
  }
  return Status::Ok();
}

void ApplyOne(sql::Connection& c, const MigrationFile& file) {
  for (const SqlStatement& statement : SplitSqlStatements(file.sql)) {
    try {
      Execute(c, statement.text);
    } catch (const sql::SQLException& e) {
      throw sql::SQLException(file.name + " line " + std::to_string(statement.line) + ": " + e.what(), e.getSQLState(),
                              e.getErrorCode());
    }
  }
  std::unique_ptr<sql::PreparedStatement> ps(
      c.prepareStatement("INSERT INTO schema_migrations (version, name, sha256) VALUES (?, ?, ?)"));
  ps->setInt(1, file.version);
  ps->setString(2, file.name);
  ps->setString(3, file.sha256);
  ps->executeUpdate();
}

Result<MigrationReport> MigrateLocked(sql::Connection& c, const std::vector<MigrationFile>& files) {
  Execute(c, kCreateTable);
  const std::map<int, Applied> applied = LoadApplied(c);
  LIMS_RETURN_IF_ERROR(CheckHistory(applied, files));
  MigrationReport report;
  for (const MigrationFile& file : files) {
    if (applied.count(file.version) > 0) {
      ++report.already_applied;
      continue;
    }
    ApplyOne(c, file);
    report.applied.push_back(file.name);
  }
  return report;
}

}  // namespace

Result<std::vector<MigrationFile>> ReadMigrations(const std::string& dir) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return Status::InvalidArgument("schema directory " + dir + " does not exist");
  std::vector<MigrationFile> files;
  for (const fs::directory_entry& entry : fs::directory_iterator(dir)) {
    MigrationFile f;
    f.name = entry.path().filename().string();
    if (!entry.is_regular_file() || !ParseVersion(f.name, &f.version)) continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    f.sql = text.str();
    f.sha256 = Sha256Hex(f.sql);
    files.push_back(std::move(f));
  }
  std::sort(files.begin(), files.end(), [](const auto& a, const auto& b) { return a.version < b.version; });
  for (size_t i = 1; i < files.size(); ++i) {
    if (files[i].version == files[i - 1].version) {
      return Status::InvalidArgument("two migrations share version " + std::to_string(files[i].version) + ": " +
                                     files[i - 1].name + " and " + files[i].name);
    }
  }
  return files;
}

Result<MigrationReport> Migrate(sql::Connection& c, const std::vector<MigrationFile>& files) {
  try {
    std::unique_ptr<sql::Statement> st(c.createStatement());
    std::unique_ptr<sql::ResultSet> lock(st->executeQuery("SELECT GET_LOCK('pramaan.migrate', 60)"));
    if (!lock->next() || lock->getInt(1) != 1) return Status::Unavailable("could not take the migration lock");
    // Released on every path, also when a migration throws, so a caller may retry on this connection.
    struct LockRelease {
      sql::Statement& st;
      ~LockRelease() {
        try {
          st.execute("DO RELEASE_LOCK('pramaan.migrate')");
        } catch (const sql::SQLException&) {  // the connection is gone, and the lock with it
        }
      }
    } release{*st};
    return MigrateLocked(c, files);
  } catch (const sql::SQLException& e) {
    return FromSqlException(e, "migration failed");
  }
}

}  // namespace lims::store
