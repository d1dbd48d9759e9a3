// libFuzzer target: ParseAnalyticalTable (instruments/analytical_table.h) on arbitrary bytes.
//
// Invariants, under the default limits and under tight ones: a refusal is a "line N: " message; an
// accepted file says "analytical-table/1", keeps at most max_results results and max_errors errors
// (plus the one that counts the rest), and every result has a sample, an analyte, a unit, at least
// one value, a line in 1..lines, and values that are a non-negative '.'-decimal or "<" and a
// positive one (the LOQ), never "ppm" or "µg/g" as its unit. Every FileError has a reason and a
// line in 0..lines.
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>

#include "fuzz_check.h"
#include "instruments/analytical_table.h"
#include "lims/core/decimal.h"

namespace {

using lims::instruments::ParsedFile;
using lims::instruments::ParseLimits;

bool IsPlainDecimal(const std::string& v) {
  if (v.empty() || v.find_first_of("+eE,") != std::string::npos) return false;
  return lims::Decimal::Parse(v).ok();
}

void CheckValue(const std::string& v) {
  if (!v.empty() && v[0] == '<') {
    const std::string loq = v.substr(1);
    FUZZ_CHECK(IsPlainDecimal(loq));
    const lims::Decimal d = *lims::Decimal::Parse(loq);
    FUZZ_CHECK(!d.IsNegative() && !d.IsZero());
    return;
  }
  FUZZ_CHECK(IsPlainDecimal(v));
  FUZZ_CHECK(v[0] != '-');  // not even "-0"
  FUZZ_CHECK(!lims::Decimal::Parse(v)->IsNegative());
}

void Check(const std::string& bytes, const ParseLimits& limits) {
  std::istringstream in(bytes);
  lims::Result<ParsedFile> file = lims::instruments::ParseAnalyticalTable(in, limits);
  if (!file.ok()) {
    FUZZ_CHECK(file.status().message().rfind("line ", 0) == 0);
    return;
  }
  FUZZ_CHECK(file->header.format == "analytical-table/1");
  FUZZ_CHECK(file->results.size() <= static_cast<size_t>(limits.max_results));
  FUZZ_CHECK(file->errors.size() <= static_cast<size_t>(limits.max_errors) + 1);
  for (const lims::instruments::ImportedResult& r : file->results) {
    FUZZ_CHECK(!r.values.empty());
    FUZZ_CHECK(r.line >= 1 && r.line <= file->lines);
    FUZZ_CHECK(!r.sample_ref.empty());
    FUZZ_CHECK(!r.quantity.empty());
    FUZZ_CHECK(!r.unit.empty() && r.unit != "ppm" && r.unit != "ug/g" && r.unit != "\xC2\xB5g/g");
    for (const std::string& v : r.values) CheckValue(v);
  }
  for (const lims::instruments::FileError& e : file->errors) {
    FUZZ_CHECK(!e.reason.empty());
    FUZZ_CHECK(e.line >= 0 && e.line <= file->lines);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string bytes = lims::fuzz::AsString(data, size);
  Check(bytes, ParseLimits{});
  ParseLimits tight;
  tight.max_bytes = 4096;
  tight.max_line_bytes = 256;
  tight.max_results = 3;
  tight.max_errors = 2;
  Check(bytes, tight);
  return 0;
}
