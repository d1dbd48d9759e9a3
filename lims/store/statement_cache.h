// StatementCache: server-side prepared statements kept for the life of a pooled connection.
//
// Preparing a statement costs a round trip and a parse on the server, and the workflow runs the
// same few dozen statements on every request: the pool enables a cache per connection it opens,
// and Prepare() (sql_util.h) then prepares each text once per connection and hands out the same
// statement again. A statement's parameters are all set again before each execution (every store
// does), and a connection is used by one thread at a time (one lease), so a cached statement is
// never shared between threads. Connections the pool did not open (tests, tools) are not cached.
#ifndef LIMS_STORE_STATEMENT_CACHE_H_
#define LIMS_STORE_STATEMENT_CACHE_H_

#include <memory>
#include <string>

namespace sql {
class Connection;
class PreparedStatement;
}  // namespace sql

namespace lims::store {

void EnableStatementCache(const sql::Connection* c);
// Closes the connection's cached statements; call before the connection itself is closed.
void ForgetStatementCache(const sql::Connection* c);
// The cached statement of `text` on `c`, prepared on first use; null when `c` has no cache.
sql::PreparedStatement* CachedStatement(sql::Connection& c, const std::string& text);

// Owns a pooled connection: forgets its statements before closing it.
struct CloseWithStatements {
  void operator()(sql::Connection* c) const;
};
using PooledConnection = std::unique_ptr<sql::Connection, CloseWithStatements>;

}  // namespace lims::store

#endif  // LIMS_STORE_STATEMENT_CACHE_H_
