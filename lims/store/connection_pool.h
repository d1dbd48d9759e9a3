// ConnectionPool: hands out MySQL connections, one per request.
//
// Connector/C++ connections are not thread-safe, so a connection belongs to one Lease at a time.
// An idle connection is checked (ping) before reuse when it has been idle for a while, and a
// connection whose Lease was marked broken is closed, never returned, so that after a database
// outage the pool refills with fresh connections without a restart of limsd.
// Thread-safe. Construct before the server threads start (the driver singleton is not thread-safe
// to create). Must outlive every Lease.
#ifndef LIMS_STORE_CONNECTION_POOL_H_
#define LIMS_STORE_CONNECTION_POOL_H_

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <memory>
#include <mutex>
#include <vector>

#include "lims/core/status.h"
#include "lims/store/db_config.h"
#include "lims/store/statement_cache.h"

namespace sql {
class Connection;
namespace mysql {
class MySQL_Driver;
}
}  // namespace sql

namespace lims::store {

class ConnectionPool {
 public:
  class Lease {
   public:
    Lease(Lease&& other) noexcept;
    Lease& operator=(Lease&&) = delete;
    Lease(const Lease&) = delete;
    ~Lease();

    sql::Connection& connection() { return *connection_; }
    // The connection failed mid-request: close it instead of returning it to the pool.
    void MarkBroken() { broken_ = true; }

   private:
    friend class ConnectionPool;
    Lease(ConnectionPool* pool, PooledConnection c);

    ConnectionPool* pool_;
    PooledConnection connection_;
    bool broken_ = false;
  };

  explicit ConnectionPool(DbConfig config);
  ~ConnectionPool();
  ConnectionPool(const ConnectionPool&) = delete;
  ConnectionPool& operator=(const ConnectionPool&) = delete;

  // kUnavailable when the database cannot be reached or every connection stays busy past the wait.
  Result<Lease> Acquire();
  // Round trip to the server on a pooled connection: what /health reports.
  Status Ping();

  const DbConfig& config() const { return config_; }

 private:
  struct Idle {
    PooledConnection connection;
    std::chrono::steady_clock::time_point since;
  };

  Result<PooledConnection> Connect();
  PooledConnection TakeIdle();  // null when none is idle and valid
  void Return(PooledConnection c, bool broken);

  const DbConfig config_;
  sql::mysql::MySQL_Driver* driver_;  // process-wide singleton owned by Connector/C++
  std::mutex mu_;
  std::condition_variable available_;
  std::vector<Idle> idle_;  // guarded by mu_
  size_t open_ = 0;         // guarded by mu_: leased + idle
};

}  // namespace lims::store

#endif  // LIMS_STORE_CONNECTION_POOL_H_
