// TestDatabase: a fresh database on the private MariaDB for one test binary or fixture, dropped in
// the destructor ("a separate database per run"). Connects as the server's root user, whose
// password scripts/db.sh keeps in LIMS_TEST_DB_DIR (default <repo>/var/db).
#ifndef LIMS_TESTS_SUPPORT_TEST_DATABASE_H_
#define LIMS_TESTS_SUPPORT_TEST_DATABASE_H_

#include <memory>
#include <string>

#include "lims/store/db_config.h"

namespace sql {
class Connection;
}

namespace lims::testing {

std::string TestDbDir();  // $LIMS_TEST_DB_DIR or <repo>/var/db

class TestDatabase {
 public:
  // Creates `pramaan_t_<pid>_<n>` on the server whose state lives in `db_dir`.
  explicit TestDatabase(const std::string& db_dir = TestDbDir());
  ~TestDatabase();
  TestDatabase(const TestDatabase&) = delete;
  TestDatabase& operator=(const TestDatabase&) = delete;

  const std::string& name() const { return config_.database; }
  const store::DbConfig& config() const { return config_; }
  // A new connection to this database (the caller owns it).
  std::unique_ptr<sql::Connection> Connect() const;
  // Runs one statement as root on this database.
  void Execute(const std::string& statement) const;
  // The first column of the first row of `query`, as a string ("" when there is no row).
  std::string QueryValue(const std::string& query) const;

 private:
  store::DbConfig config_;
};

}  // namespace lims::testing

#endif  // LIMS_TESTS_SUPPORT_TEST_DATABASE_H_
