#include "tests/support/test_database.h"

#include <cppconn/resultset.h>
#include <cppconn/statement.h>
#include <mysql_connection.h>
#include <mysql_driver.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <stdexcept>

#include "tests/support/test_support.h"

namespace lims::testing {
namespace {

std::unique_ptr<sql::Connection> ConnectTo(const store::DbConfig& c, const std::string& schema) {
  sql::ConnectOptionsMap options;
  options["hostName"] = sql::SQLString("unix://" + c.socket);
  options["userName"] = sql::SQLString(c.user);
  options["password"] = sql::SQLString(c.password);
  if (!schema.empty()) options["schema"] = sql::SQLString(schema);
  options["OPT_CHARSET_NAME"] = sql::SQLString("utf8mb4");
  return std::unique_ptr<sql::Connection>(sql::mysql::get_mysql_driver_instance()->connect(options));
}

void Run(sql::Connection& c, const std::string& statement) {
  std::unique_ptr<sql::Statement> st(c.createStatement());
  st->execute(statement);
}

}  // namespace

std::string TestDbDir() {
  const char* dir = std::getenv("LIMS_TEST_DB_DIR");
  return dir != nullptr && *dir != '\0' ? dir : SourcePath("var/db");
}

TestDatabase::TestDatabase(const std::string& db_dir) {
  static std::atomic<int> counter{0};
  config_.socket = db_dir + "/mysqld.sock";
  config_.user = "root";
  config_.password = ReadFile(db_dir + "/root.password");
  while (!config_.password.empty() && config_.password.back() == '\n') config_.password.pop_back();
  if (config_.password.empty()) throw std::runtime_error("no root password in " + db_dir + "; run scripts/db.sh start");
  config_.database = "pramaan_t_" + std::to_string(getpid()) + "_" + std::to_string(counter++);
  config_.pool_size = 4;
  auto c = ConnectTo(config_, "");
  Run(*c, "DROP DATABASE IF EXISTS `" + config_.database + "`");
  Run(*c, "CREATE DATABASE `" + config_.database + "` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci");
}

TestDatabase::~TestDatabase() {
  try {
    auto c = ConnectTo(config_, "");
    Run(*c, "DROP DATABASE IF EXISTS `" + config_.database + "`");
  } catch (const std::exception&) {
    // The server may be down (an outage test): the database is dropped with its data directory.
  }
}

std::unique_ptr<sql::Connection> TestDatabase::Connect() const {
  return ConnectTo(config_, config_.database);
}

void TestDatabase::Execute(const std::string& statement) const {
  Run(*Connect(), statement);
}

std::string TestDatabase::QueryValue(const std::string& query) const {
  auto c = Connect();
  std::unique_ptr<sql::Statement> st(c->createStatement());
  std::unique_ptr<sql::ResultSet> rs(st->executeQuery(query));
  return rs->next() ? std::string(rs->getString(1)) : std::string();
}

}  // namespace lims::testing
