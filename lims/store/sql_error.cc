#include "lims/store/sql_error.h"

#include <cppconn/exception.h>

#include <string>

namespace lims::store {

bool IsConnectionError(int code) {
  switch (code) {
    case 1040:  // too many connections
    case 1053:  // server shutdown in progress
    case 1927:  // connection was killed
    case 2002:  // can't connect through socket
    case 2003:  // can't connect to server
    case 2005:  // unknown host
    case 2006:  // server has gone away
    case 2013:  // lost connection during query
    case 2026:  // TLS error
    case 2055:  // lost connection at reading
      return true;
    default:
      return false;
  }
}

Status FromSqlException(const sql::SQLException& e, std::string_view what) {
  const int code = e.getErrorCode();
  const std::string detail = std::string(what) + ": " + e.what() + " (MySQL error " + std::to_string(code) +
                             ", SQLSTATE " + e.getSQLStateCStr() + ")";
  // Connector/C++ reports some lost connections with code 0 and SQLSTATE HY000 / 08S01.
  if (IsConnectionError(code) || std::string(e.getSQLStateCStr()).rfind("08", 0) == 0) {
    return Status::Unavailable(detail);
  }
  // The server's text names tables and keys: the client gets a plain statement (callers that
  // know which key it was say so themselves, e.g. a duplicate IEC).
  if (code == 1062) return Status::Conflict(std::string(what) + ": a record with the same identity already exists");
  if (code == 1213 || code == 1205) return Status::Aborted(detail);  // deadlock, lock wait timeout
  return Status::Internal(detail);
}

}  // namespace lims::store
