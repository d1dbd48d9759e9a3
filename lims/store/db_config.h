// DbConfig: where the database is and how to log in, parsed from a URL so that production points
// limsd at any MySQL 8 / MariaDB 10.6+ by configuration alone.
//
//   mysql://USER@HOST:PORT/DATABASE
//   mysql://USER@localhost/DATABASE?socket=/path/to/mysqld.sock
//
// The password never appears in the URL: it comes from LIMS_DB_PASSWORD or a file (db.password_file).
#ifndef LIMS_STORE_DB_CONFIG_H_
#define LIMS_STORE_DB_CONFIG_H_

#include <string>
#include <string_view>

#include "lims/core/status.h"

namespace lims::store {

struct DbConfig {
  std::string host = "127.0.0.1";
  int port = 3306;
  std::string socket;  // when set, used instead of host:port
  std::string user;
  std::string password;
  std::string database;
  int connect_timeout_s = 3;
  int read_timeout_s = 30;
  int pool_size = 16;

  // For logs: the URL without any secret.
  std::string Describe() const;
};

Result<DbConfig> ParseDbUrl(std::string_view url);

}  // namespace lims::store

#endif  // LIMS_STORE_DB_CONFIG_H_
