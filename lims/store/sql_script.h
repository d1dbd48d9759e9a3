// Splits a migration file into single statements (Connector/C++ runs one statement per call).
// Understands quotes ('...', "...", `...`), -- and # line comments and /* */ block comments, so a
// ';' inside any of them does not split. Pure function; thread-safe.
#ifndef LIMS_STORE_SQL_SCRIPT_H_
#define LIMS_STORE_SQL_SCRIPT_H_

#include <string>
#include <string_view>
#include <vector>

namespace lims::store {

struct SqlStatement {
  std::string text;
  int line = 0;  // 1-based line where the statement starts, for error messages
};

std::vector<SqlStatement> SplitSqlStatements(std::string_view script);

}  // namespace lims::store

#endif  // LIMS_STORE_SQL_SCRIPT_H_
