// Shared helpers of the instrument result-file parser targets (fuzz_slip_result, fuzz_analytical_table):
// the tight limits each input is also parsed under, and the invariants every such parser keeps.
#ifndef LIMS_FUZZ_FUZZ_PARSED_FILE_H_
#define LIMS_FUZZ_FUZZ_PARSED_FILE_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_check.h"
#include "instruments/result_file.h"
#include "lims/core/status.h"

namespace lims::fuzz {

// Small limits, so that the limit paths are reached by small inputs.
inline instruments::ParseLimits TightLimits() {
  instruments::ParseLimits tight;
  tight.max_bytes = 4096;
  tight.max_line_bytes = 256;
  tight.max_results = 3;
  tight.max_errors = 2;
  return tight;
}

// A refusal is a "line N: " message (then nullptr); an accepted file says `format`, keeps at most
// max_results results and max_errors errors (plus the one that counts the rest), every result has a
// sample, at least one value and a line in 1..lines, every FileError a reason and a line in 0..lines.
inline const instruments::ParsedFile* CheckParsedFile(const Result<instruments::ParsedFile>& file,
                                                      const instruments::ParseLimits& limits, std::string_view format) {
  if (!file.ok()) {
    FUZZ_CHECK(file.status().message().rfind("line ", 0) == 0);
    return nullptr;
  }
  FUZZ_CHECK(file->header.format == format);
  FUZZ_CHECK(file->results.size() <= static_cast<size_t>(limits.max_results));
  FUZZ_CHECK(file->errors.size() <= static_cast<size_t>(limits.max_errors) + 1);
  for (const instruments::ImportedResult& r : file->results) {
    FUZZ_CHECK(!r.values.empty());
    FUZZ_CHECK(r.line >= 1 && r.line <= file->lines);
    FUZZ_CHECK(!r.sample_ref.empty());
  }
  for (const instruments::FileError& e : file->errors) {
    FUZZ_CHECK(!e.reason.empty());
    FUZZ_CHECK(e.line >= 0 && e.line <= file->lines);
  }
  return &*file;
}

// `check(bytes, limits)` under the default limits and under TightLimits().
template <typename Check>
int CheckUnderDefaultAndTightLimits(const uint8_t* data, size_t size, Check check) {
  const std::string bytes = AsString(data, size);
  check(bytes, instruments::ParseLimits{});
  check(bytes, TightLimits());
  return 0;
}

}  // namespace lims::fuzz

#endif  // LIMS_FUZZ_FUZZ_PARSED_FILE_H_
