// What an instrument result file says, independent of its format: the parsers (utm_curve.h,
// slip_result.h, analytical_table.h) produce it; the import (lims/http/instrument_routes.cc and the
// drop-folder watcher) maps it onto a sample's tests and sends every value through the same
// calibration gate and review as a typed result.
//
// Errors come in two kinds. A file that cannot be read as its format at all (wrong format, bad
// encoding, truncated header, too large) is a Status whose message starts "line N: ". A row or
// specimen block that is wrong on its own is a FileError in ParsedFile::errors and parsing goes on,
// so the per-row report can name every bad line at once; whether such a file imports its valid rows
// or nothing is the import's mode, not the parser's business.
#ifndef LIMS_INSTRUMENTS_RESULT_FILE_H_
#define LIMS_INSTRUMENTS_RESULT_FILE_H_

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace lims::instruments {

// A line-numbered complaint about one row or block of a file (line 0: the file as a whole).
struct FileError {
  int line = 0;
  std::string reason;
};

// One result for one test of one sample: every specimen's value for one quantity.
struct ImportedResult {
  int line = 0;            // first line of the row or specimen block it came from
  std::string sample_ref;  // the sample number or portion code as the file names it ("AGR-2026-000123-P1")
  // What was measured: a catalog property key ("sole-bond-strength", "slip-ceramic-nals-heel-forward")
  // for physical tests; for analytical tables the analyte as the file writes it ("Cr(VI)", "Pb").
  std::string quantity;
  std::string method;               // as the file names it; "" when it does not
  std::vector<std::string> values;  // per specimen, in file order: "3.41" ('.' decimal), or "<0.5" below the LOQ
  std::string unit;                 // as reported: "N/mm", "N", "" for a coefficient of friction, "mg/kg"
  std::string remarks;              // e.g. "specimen 2: adhesive failure; dilution 10"
  std::optional<std::string> temperature_c;  // conditioning, when the file gives it
  std::optional<std::string> humidity_pct;
};

// The file's header block: who measured what on which instrument and when.
struct FileHeader {
  std::string format;               // "utm-curve-csv/1", "slip-result/1", "analytical-table/1"
  std::string instrument_serial;    // "" when the file does not say
  std::string test_date;            // YYYY-MM-DD, "" when the file does not say
  std::string operator_name;
  std::map<std::string, std::string> fields;  // every other header field, as written
};

struct ParsedFile {
  FileHeader header;
  std::vector<ImportedResult> results;
  std::vector<FileError> errors;  // rows or blocks refused; the others are in `results`
  long long lines = 0;            // lines read
};

// Bounds that keep a hostile or broken file from exhausting memory or time.
struct ParseLimits {
  long long max_bytes = 512LL << 20;   // whole file
  int max_line_bytes = 64 * 1024;      // one line
  int max_results = 100000;            // ImportedResults kept
  int max_errors = 1000;               // FileErrors kept (later ones are counted in one last error)
};

}  // namespace lims::instruments

#endif  // LIMS_INSTRUMENTS_RESULT_FILE_H_
