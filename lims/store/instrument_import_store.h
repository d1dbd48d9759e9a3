// InstrumentImportStore: the instrument files whose results were imported (schema 009), each kept
// once per instrument and SHA-256 with its raw bytes (ISO/IEC 17025 7.5 technical record), its
// per-row report and the results it created. Append-only. One instance per request, on the
// request's connection (inside its unit of work for writes).
#ifndef LIMS_STORE_INSTRUMENT_IMPORT_STORE_H_
#define LIMS_STORE_INSTRUMENT_IMPORT_STORE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "lims/core/clock.h"
#include "lims/core/status.h"

namespace sql {
class Connection;
}

namespace lims::store {

struct ImportRecord {
  int64_t id = 0;
  int64_t instrument_id = 0;
  std::string sha256;
  std::string file_name;
  std::string format;   // "utm-curve-csv", ...
  std::string mode;     // "all", "valid"
  std::string source;   // "upload", "drop_folder"
  std::string outcome;  // "imported", "partial"
  int64_t byte_size = 0;
  int accepted = 0;
  int rejected = 0;
  std::string report;  // the per-row report as the API answered it (JSON)
  Timestamp imported_at;
  int64_t imported_by = 0;
  std::string imported_by_name;
};

// A result the import created and the file's line it came from.
struct ImportedResultLink {
  int64_t result_id = 0;
  int line = 0;
};

class InstrumentImportStore {
 public:
  InstrumentImportStore(sql::Connection& c, std::string lab_code) : c_(c), lab_code_(std::move(lab_code)) {}

  // The earlier import of the same bytes on the same instrument, if any.
  Result<std::optional<ImportRecord>> FindFile(int64_t instrument_id, std::string_view sha256);
  Result<ImportRecord> Find(int64_t import_id);  // of this lab; kNotFound otherwise
  // Stores the import with its raw bytes and links; fills nothing in: returns the new id.
  Result<int64_t> Record(const ImportRecord& record, std::string_view raw,
                         const std::vector<ImportedResultLink>& results);
  // Newest first.
  Result<std::vector<ImportRecord>> List(int64_t instrument_id, int limit);
  Result<std::string> Raw(int64_t import_id);

 private:
  sql::Connection& c_;
  std::string lab_code_;
};

}  // namespace lims::store

#endif  // LIMS_STORE_INSTRUMENT_IMPORT_STORE_H_
