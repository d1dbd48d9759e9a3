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
#include "fuzz_parsed_file.h"
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
  const lims::Result<ParsedFile> parsed = lims::instruments::ParseAnalyticalTable(in, limits);
  const ParsedFile* file = lims::fuzz::CheckParsedFile(parsed, limits, "analytical-table/1");
  if (file == nullptr) return;
  for (const lims::instruments::ImportedResult& r : file->results) {
    FUZZ_CHECK(!r.quantity.empty());
    FUZZ_CHECK(!r.unit.empty() && r.unit != "ppm" && r.unit != "ug/g" && r.unit != "\xC2\xB5g/g");
    for (const std::string& v : r.values) CheckValue(v);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  return lims::fuzz::CheckUnderDefaultAndTightLimits(data, size, Check);
}
