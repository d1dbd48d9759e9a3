// Import mapping: which test of which sample each result of an instrument file fills.
//
// A file names samples (or their portions, "AGR-2026-000123-P1") and quantities (catalog property
// keys such as "sole-bond-strength", or an analyte such as "Cr(VI)"). A result goes to the one
// current test of its sample whose property key, label or requirement code is that quantity;
// none, several, or a test another line of the same file already fills is a refusal naming the
// line. The entry built here is exactly what a technician would type, so the import then runs
// through the same checks, calibration gate and review as a typed result. Pure: no I/O.
#ifndef LIMS_INSTRUMENTS_IMPORT_MAPPING_H_
#define LIMS_INSTRUMENTS_IMPORT_MAPPING_H_

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "instruments/result_file.h"
#include "lims/core/sample.h"

namespace lims::instruments {

struct MappedResult {
  int line = 0;
  std::string sample_number;
  int64_t test_id = 0;
  ResultEntry entry;
};

struct ImportPlan {
  std::vector<MappedResult> accepted;
  std::vector<FileError> rejected;  // in line order, with the parser's own refusals
};

// "AGR-2026-000123-P1" → "AGR-2026-000123"; a sample number stays as it is. Surrounding blanks and
// letter case of a reference typed on an instrument's keyboard are forgiven.
std::string SampleNumberOf(std::string_view reference);

// The sample's tests, or nullptr when there is no such sample (or the importer may not see it).
using TestsOfSample = std::function<const std::vector<TestRecord>*(const std::string& sample_number)>;

// Maps every result of `file` for an import with `instrument` (its registry id, recorded on each
// entry); `file_label` ("utm-curve-csv/1 abc123.csv") goes into each entry's remarks with the line.
ImportPlan MapResults(const ParsedFile& file, const TestsOfSample& tests_of, const std::string& instrument,
                      const std::string& file_label);

}  // namespace lims::instruments

#endif  // LIMS_INSTRUMENTS_IMPORT_MAPPING_H_
