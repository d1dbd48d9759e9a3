#include "lims/store/sql_util.h"

#include <cppconn/prepared_statement.h>
#include <cppconn/resultset.h>
#include <mysql_connection.h>

namespace lims::store {

Statement Prepare(sql::Connection& c, const std::string& text) { return Statement(c.prepareStatement(text)); }

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
