#include "lims/store/connection_pool.h"

#include <cppconn/exception.h>
#include <cppconn/resultset.h>
#include <cppconn/statement.h>
#include <mysql_connection.h>
#include <mysql_driver.h>

#include <string>

#include "lims/store/sql_error.h"

namespace lims::store {
namespace {

// A connection idle for less than this is handed out without a ping: the common case under load.
constexpr auto kRevalidateAfter = std::chrono::seconds(1);
constexpr auto kWaitForConnection = std::chrono::seconds(5);

// The client library needs per-thread set-up; threadEnd() runs when the thread exits.
struct ThreadRegistration {
  explicit ThreadRegistration(sql::mysql::MySQL_Driver* d) : driver(d) { driver->threadInit(); }
  ~ThreadRegistration() { driver->threadEnd(); }
  sql::mysql::MySQL_Driver* driver;
};

void RegisterThread(sql::mysql::MySQL_Driver* driver) {
  thread_local ThreadRegistration registration(driver);
}

sql::ConnectOptionsMap OptionsFor(const DbConfig& c) {
  sql::ConnectOptionsMap options;
  options["hostName"] = c.socket.empty() ? sql::SQLString("tcp://" + c.host + ":" + std::to_string(c.port))
                                         : sql::SQLString("unix://" + c.socket);
  options["userName"] = sql::SQLString(c.user);
  options["password"] = sql::SQLString(c.password);
  options["schema"] = sql::SQLString(c.database);
  options["OPT_CHARSET_NAME"] = sql::SQLString("utf8mb4");
  options["OPT_CONNECT_TIMEOUT"] = c.connect_timeout_s;
  options["OPT_READ_TIMEOUT"] = c.read_timeout_s;
  options["OPT_WRITE_TIMEOUT"] = c.read_timeout_s;
  options["OPT_RECONNECT"] = false;  // a silent reconnect would lose transaction state
  return options;
}

}  // namespace

ConnectionPool::Lease::Lease(ConnectionPool* pool, PooledConnection c) : pool_(pool), connection_(std::move(c)) {}

ConnectionPool::Lease::Lease(Lease&& other) noexcept
    : pool_(other.pool_), connection_(std::move(other.connection_)), broken_(other.broken_) {}

ConnectionPool::Lease::~Lease() {
  if (connection_) pool_->Return(std::move(connection_), broken_);
}

ConnectionPool::ConnectionPool(DbConfig config)
    : config_(std::move(config)), driver_(sql::mysql::get_mysql_driver_instance()) {}

ConnectionPool::~ConnectionPool() = default;

Result<PooledConnection> ConnectionPool::Connect() {
  try {
    sql::ConnectOptionsMap options = OptionsFor(config_);
    PooledConnection c(driver_->connect(options));
    std::unique_ptr<sql::Statement> st(c->createStatement());
    st->execute("SET time_zone = '+00:00'");  // all DATETIMEs are UTC
    EnableStatementCache(c.get());
    return c;
  } catch (const sql::SQLException& e) {
    return Status::Unavailable("cannot connect to " + config_.Describe() + ": " + e.what());
  }
}

PooledConnection ConnectionPool::TakeIdle() {
  std::unique_lock lock(mu_);
  while (!idle_.empty()) {
    Idle idle = std::move(idle_.back());
    idle_.pop_back();
    lock.unlock();
    const bool fresh = std::chrono::steady_clock::now() - idle.since < kRevalidateAfter;
    if (fresh || idle.connection->isValid()) return std::move(idle.connection);
    idle.connection.reset();  // closed outside the lock: closing may block on the network
    lock.lock();
    --open_;
  }
  return nullptr;
}

Result<ConnectionPool::Lease> ConnectionPool::Acquire() {
  RegisterThread(driver_);
  const auto deadline = std::chrono::steady_clock::now() + kWaitForConnection;
  const size_t max_open = static_cast<size_t>(config_.pool_size);
  for (;;) {
    if (auto c = TakeIdle()) return Lease(this, std::move(c));
    std::unique_lock lock(mu_);
    if (!idle_.empty()) continue;
    if (open_ < max_open) {
      ++open_;  // reserve a slot for the connection made below, outside the lock
      break;
    }
    const bool woke = available_.wait_until(lock, deadline, [&] { return !idle_.empty() || open_ < max_open; });
    if (!woke) return Status::Unavailable("all database connections are busy");
  }
  Result<PooledConnection> fresh = Connect();
  if (!fresh.ok()) {
    std::lock_guard lock(mu_);
    --open_;
    available_.notify_one();
    return fresh.status();
  }
  return Lease(this, std::move(fresh).value());
}

void ConnectionPool::Return(PooledConnection c, bool broken) {
  if (broken) c.reset();
  std::lock_guard lock(mu_);
  if (c) {
    idle_.push_back({std::move(c), std::chrono::steady_clock::now()});
  } else {
    --open_;
  }
  available_.notify_one();
}

Status ConnectionPool::Ping() {
  Result<Lease> lease = Acquire();
  if (!lease.ok()) return lease.status();
  try {
    std::unique_ptr<sql::Statement> st(lease->connection().createStatement());
    std::unique_ptr<sql::ResultSet> rs(st->executeQuery("SELECT 1"));
    return Status::Ok();
  } catch (const sql::SQLException& e) {
    lease->MarkBroken();
    return FromSqlException(e, "ping");
  }
}

}  // namespace lims::store
