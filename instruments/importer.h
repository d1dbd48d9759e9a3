// Importer: one instrument result file into the lab's results, exactly as if a technician had
// typed each value: parse (utm_curve.h, slip_result.h, analytical_table.h), map each result to
// its test (import_mapping.h), then SampleService::EnterResult, which applies the same checks,
// the calibration gate (on the file's test date) and leaves the result for review.
//
// The importer neither commits nor records the file: the caller runs it inside one unit of work,
// commits when the report's outcome allows it (all-or-nothing: only when no row was refused), and
// keeps the raw bytes with the report (lims/store/instrument_import_store.h).
#ifndef LIMS_INSTRUMENTS_IMPORTER_H_
#define LIMS_INSTRUMENTS_IMPORTER_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "instruments/result_file.h"
#include "lims/core/sample_service.h"
#include "lims/core/status.h"

namespace lims::instruments {

enum class FileFormat { kUtmCurve, kSlipResult, kAnalyticalTable };
std::string_view FileFormatName(FileFormat f);  // "utm-curve-csv", "slip-result", "analytical-table"
Result<FileFormat> ParseFileFormat(std::string_view name);
// The format an instrument of `type` writes by default; nullopt when it writes none of ours.
std::optional<FileFormat> DefaultFormatFor(std::string_view instrument_type);
Result<ParsedFile> ParseResultFile(FileFormat format, std::istream& in, const ParseLimits& limits = {});

// kAllOrNothing: any refused row refuses the file. kValidRows: the valid rows are imported and
// the refused ones reported.
enum class ImportMode { kAllOrNothing, kValidRows };
std::string_view ImportModeName(ImportMode m);  // "all", "valid"
Result<ImportMode> ParseImportMode(std::string_view name);

struct ImportRequest {
  std::string instrument;  // registry id, recorded on every entry
  FileFormat format = FileFormat::kUtmCurve;
  ImportMode mode = ImportMode::kAllOrNothing;
  std::string file_name;
  std::string sha256;  // of the raw bytes: names the file in every entry's remarks
};

// One line of the per-row report.
struct ImportRow {
  int line = 0;
  bool accepted = false;
  std::string sample;              // the sample number, when known
  int64_t test_id = 0;             // accepted: the test filled
  int64_t result_id = 0;           // accepted: the result recorded
  std::string verdict;             // accepted: pass / fail / ...
  std::string reason;              // refused: why
  std::vector<FieldError> errors;  // refused by result entry: its field errors
};

struct ImportReport {
  std::vector<ImportRow> rows;  // in line order
  FileHeader header;
  int accepted = 0;
  int rejected = 0;
  // "imported" (every row), "partial" (valid rows only), "rejected" (nothing may be kept)
  std::string outcome;
};

// Parses and imports `in` through `service`. A file that cannot be parsed at all is an error
// (kInvalidArgument "line N: ..."); so is a failure of the database (which aborts the unit of work).
// Refused rows are in the report.
Result<ImportReport> ImportResultFile(SampleService& service, const ImportRequest& request, std::istream& in,
                                      const ParseLimits& limits = {});

}  // namespace lims::instruments

#endif  // LIMS_INSTRUMENTS_IMPORTER_H_
