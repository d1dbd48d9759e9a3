#include "lims/store/sql_util.h"

#include <cppconn/prepared_statement.h>
#include <cppconn/resultset.h>
#include <mysql_connection.h>

#include "lims/store/statement_cache.h"

namespace lims::store {

Statement::Statement(sql::PreparedStatement* p, bool owned) : p_(p) {
  if (owned) owned_.reset(p);
}

Statement Statement::Owned(sql::PreparedStatement* p) {
  return Statement(p, true);
}
Statement Statement::Borrowed(sql::PreparedStatement* p) {
  return Statement(p, false);
}

int BindOptionalTwice(sql::PreparedStatement& ps, int index, const std::optional<Timestamp>& t) {
  for (int k = 0; k < 2; ++k) {
    if (t)
      ps.setString(index++, ToSqlDatetime(*t));
    else
      ps.setNull(index++, 0);
  }
  return index;
}

int BindOptionalTwice(sql::PreparedStatement& ps, int index, const std::optional<int64_t>& id) {
  for (int k = 0; k < 2; ++k) {
    if (id)
      ps.setInt64(index++, *id);
    else
      ps.setNull(index++, 0);
  }
  return index;
}

Statement Prepare(sql::Connection& c, const std::string& text) {
  if (sql::PreparedStatement* cached = CachedStatement(c, text)) return Statement::Borrowed(cached);
  return Statement::Owned(c.prepareStatement(text));
}

std::string ToSqlDatetime(Timestamp t) {
  std::string text = FormatRfc3339(t);
  text[10] = ' ';
  text.pop_back();
  return text;
}

Timestamp FromSqlDatetime(const std::string& text) {
  if (text.size() < 19) return Timestamp();
  Result<Timestamp> t = ParseRfc3339(text.substr(0, 10) + "T" + text.substr(11, 8) + "Z");
  return t.ok() ? *t : Timestamp();
}

std::optional<Timestamp> OptionalDatetime(sql::ResultSet& rs, const char* column) {
  if (rs.isNull(column)) return std::nullopt;
  return FromSqlDatetime(rs.getString(column));
}

int64_t LastInsertId(sql::Connection& c) {
  Statement ps = Prepare(c, "SELECT LAST_INSERT_ID()");
  Rows rs(ps->executeQuery());
  rs->next();
  return rs->getInt64(1);
}

}  // namespace lims::store
