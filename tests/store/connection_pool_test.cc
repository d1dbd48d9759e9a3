#include "lims/store/connection_pool.h"

#include <cppconn/resultset.h>
#include <cppconn/statement.h>
#include <gtest/gtest.h>
#include <mysql_connection.h>

#include <memory>
#include <optional>
#include <string>

#include "tests/support/test_database.h"
#include "tests/support/test_support.h"

namespace lims::store {
namespace {

using ::lims::testing::TestDatabase;

std::string SelectOne(sql::Connection& c, const std::string& query) {
  std::unique_ptr<sql::Statement> st(c.createStatement());
  std::unique_ptr<sql::ResultSet> rs(st->executeQuery(query));
  return rs->next() ? std::string(rs->getString(1)) : "";
}

TEST(ConnectionPool, AcquireAndPingSucceed) {
  TestDatabase db;
  ConnectionPool pool(db.config());
  Result<ConnectionPool::Lease> lease = pool.Acquire();
  ASSERT_OK(lease);
  EXPECT_EQ(SelectOne(lease->connection(), "SELECT DATABASE()"), db.name());
  EXPECT_EQ(SelectOne(lease->connection(), "SELECT @@session.time_zone"), "+00:00");
  EXPECT_OK(pool.Ping());
}

TEST(ConnectionPool, ReusesReturnedConnections) {
  TestDatabase db;
  ConnectionPool pool(db.config());
  std::string first_id;
  {
    Result<ConnectionPool::Lease> lease = pool.Acquire();
    ASSERT_OK(lease);
    first_id = SelectOne(lease->connection(), "SELECT CONNECTION_ID()");
  }
  Result<ConnectionPool::Lease> again = pool.Acquire();
  ASSERT_OK(again);
  EXPECT_EQ(SelectOne(again->connection(), "SELECT CONNECTION_ID()"), first_id);
}

TEST(ConnectionPool, BrokenLeaseIsReplaced) {
  TestDatabase db;
  ConnectionPool pool(db.config());
  std::string first_id;
  {
    Result<ConnectionPool::Lease> lease = pool.Acquire();
    ASSERT_OK(lease);
    first_id = SelectOne(lease->connection(), "SELECT CONNECTION_ID()");
    lease->MarkBroken();
  }
  Result<ConnectionPool::Lease> fresh = pool.Acquire();
  ASSERT_OK(fresh);
  EXPECT_NE(SelectOne(fresh->connection(), "SELECT CONNECTION_ID()"), first_id);
}

TEST(ConnectionPool, HandsOutAtMostPoolSizeConnections) {
  TestDatabase db;
  DbConfig config = db.config();
  config.pool_size = 2;
  ConnectionPool pool(config);
  Result<ConnectionPool::Lease> a = pool.Acquire();
  Result<ConnectionPool::Lease> b = pool.Acquire();
  ASSERT_OK(a);
  ASSERT_OK(b);
  Result<ConnectionPool::Lease> c = pool.Acquire();  // waits, then gives up
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.status().code(), Status::Code::kUnavailable);
}

TEST(ConnectionPool, WrongSocketIsUnavailable) {
  TestDatabase db;
  DbConfig config = db.config();
  config.socket = "/nonexistent-lims-test-dir/mysqld.sock";
  ConnectionPool pool(config);
  Result<ConnectionPool::Lease> lease = pool.Acquire();
  ASSERT_FALSE(lease.ok());
  EXPECT_EQ(lease.status().code(), Status::Code::kUnavailable);
  const Status ping = pool.Ping();
  ASSERT_FALSE(ping.ok());
  EXPECT_EQ(ping.code(), Status::Code::kUnavailable);
}

}  // namespace
}  // namespace lims::store
