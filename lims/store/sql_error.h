// Translation of Connector/C++ exceptions into Status at the store boundary.
//
// Lost or refused connections become kUnavailable (HTTP 503, the pool replaces the connection);
// duplicate keys become kConflict; everything else is kInternal with the server's message kept for
// the log (never for the client).
#ifndef LIMS_STORE_SQL_ERROR_H_
#define LIMS_STORE_SQL_ERROR_H_

#include <string_view>

#include "lims/core/status.h"

namespace sql {
class SQLException;
}

namespace lims::store {

Status FromSqlException(const sql::SQLException& e, std::string_view what);
// True for client error codes that mean the connection itself is unusable.
bool IsConnectionError(int mysql_error_code);

}  // namespace lims::store

#endif  // LIMS_STORE_SQL_ERROR_H_
