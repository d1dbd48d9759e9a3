// libFuzzer target: ParseSlipResultFile (instruments/slip_result.h) on arbitrary bytes.
//
// Invariants, under the default limits and under tight ones: a refusal is a "line N: " message; an
// accepted file says "slip-result/1", keeps at most max_results results and max_errors errors (plus
// the one that counts the rest), and every result has a sample, one of the eight catalog slip
// properties, unit "", at least one value, a line in 1..lines, and values "d.dd" within 0..2. Every
// FileError has a reason and a line in 0..lines.
#include <cstddef>
#include <cstdint>
#include <set>
#include <sstream>
#include <string>

#include "fuzz_check.h"
#include "fuzz_parsed_file.h"
#include "instruments/slip_result.h"

namespace {

using lims::instruments::ParsedFile;
using lims::instruments::ParseLimits;

bool IsCofValue(const std::string& v) {
  if (v.size() != 4 || v[1] != '.') return false;
  if (v[0] < '0' || v[0] > '2' || v[2] < '0' || v[2] > '9' || v[3] < '0' || v[3] > '9') return false;
  return v[0] != '2' || v == "2.00";
}

void Check(const std::string& bytes, const ParseLimits& limits) {
  static const std::set<std::string> kKeys = {
      "slip-ceramic-nals-heel-forward",
      "slip-ceramic-nals-forepart-backward",
      "slip-ceramic-glycerine-heel-forward",
      "slip-ceramic-glycerine-forepart-backward",
      "slip-sra-heel-forward",
      "slip-sra-flat-forward",
      "slip-srb-heel-forward",
      "slip-srb-flat-forward",
  };
  std::istringstream in(bytes);
  const lims::Result<ParsedFile> parsed = lims::instruments::ParseSlipResultFile(in, limits);
  const ParsedFile* file = lims::fuzz::CheckParsedFile(parsed, limits, "slip-result/1");
  if (file == nullptr) return;
  for (const lims::instruments::ImportedResult& r : file->results) {
    FUZZ_CHECK(kKeys.count(r.quantity) == 1);
    FUZZ_CHECK(r.unit.empty());
    for (const std::string& v : r.values) FUZZ_CHECK(IsCofValue(v));
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  return lims::fuzz::CheckUnderDefaultAndTightLimits(data, size, Check);
}
