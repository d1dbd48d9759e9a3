// Small helpers shared by the MySQL stores: prepared statements, UTC DATETIME conversion and the
// id of the row just inserted. Internal to lims/store.
#ifndef LIMS_STORE_SQL_UTIL_H_
#define LIMS_STORE_SQL_UTIL_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "lims/core/clock.h"

namespace sql {
class Connection;
class PreparedStatement;
class ResultSet;
}  // namespace sql

namespace lims::store {

// A prepared statement: the connection's cached one (pooled connections, statement_cache.h) or one
// owned here and closed at the end of the scope. Used like a pointer.
class Statement {
 public:
  static Statement Owned(sql::PreparedStatement* p);
  static Statement Borrowed(sql::PreparedStatement* p);
  sql::PreparedStatement* operator->() const { return p_; }
  sql::PreparedStatement& operator*() const { return *p_; }

 private:
  Statement(sql::PreparedStatement* p, bool owned);

  std::shared_ptr<sql::PreparedStatement> owned_;  // empty when borrowed
  sql::PreparedStatement* p_;
};
using Rows = std::unique_ptr<sql::ResultSet>;

// Every statement of the stores is prepared: values are bound, never spliced into SQL text. On a
// pooled connection the statement is prepared once and reused (every parameter is set anew).
Statement Prepare(sql::Connection& c, const std::string& text);

// DATETIME columns hold UTC as "YYYY-MM-DD HH:MM:SS"; RFC 3339 differs in the 'T' and the 'Z'.
std::string ToSqlDatetime(Timestamp t);
Timestamp FromSqlDatetime(const std::string& text);
std::optional<Timestamp> OptionalDatetime(sql::ResultSet& rs, const char* column);

// Optional filters are written "(? IS NULL OR column >= ?)": the same value bound twice, or NULL
// twice, so the statement text stays fixed. Each returns the next parameter index.
int BindOptionalTwice(sql::PreparedStatement& ps, int index, const std::optional<Timestamp>& t);
int BindOptionalTwice(sql::PreparedStatement& ps, int index, const std::optional<int64_t>& id);

// LAST_INSERT_ID() of this connection (Connector/C++ 1.1 has no getGeneratedKeys()).
int64_t LastInsertId(sql::Connection& c);

}  // namespace lims::store

#endif  // LIMS_STORE_SQL_UTIL_H_
