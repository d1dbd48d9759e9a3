// Schema migrations: numbered SQL files in schema/ ("001_foundation.sql"), applied in order.
//
// Each applied file is recorded in `schema_migrations` with its SHA-256. A file edited after it was
// applied makes Migrate() fail with a message naming the file and both digests: the history of the
// schema is evidence too, and a silent divergence between databases is worse than a refusal.
// Concurrent limsd processes serialise on a named server lock, so only one applies each file.
// Caveat of MySQL/MariaDB: DDL commits implicitly, so a file that fails half-way leaves the
// statements before the failure applied; the error names the file and line to repair by hand.
#ifndef LIMS_STORE_MIGRATOR_H_
#define LIMS_STORE_MIGRATOR_H_

#include <string>
#include <vector>

#include "lims/core/status.h"

namespace sql {
class Connection;
}

namespace lims::store {

struct MigrationFile {
  int version = 0;
  std::string name;  // file name, e.g. "001_foundation.sql"
  std::string sql;
  std::string sha256;
};

// Reads NNN_name.sql files from `dir`, sorted by version. Rejects duplicate versions.
Result<std::vector<MigrationFile>> ReadMigrations(const std::string& dir);

struct MigrationReport {
  std::vector<std::string> applied;  // names applied by this call
  int already_applied = 0;
};

Result<MigrationReport> Migrate(sql::Connection& connection, const std::vector<MigrationFile>& files);

}  // namespace lims::store

#endif  // LIMS_STORE_MIGRATOR_H_
