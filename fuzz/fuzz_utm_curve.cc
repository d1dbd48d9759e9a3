// libFuzzer target: ParseUtmCurveFile (instruments/utm_curve.h) on arbitrary bytes.
//
// Invariants:
// - It returns, never crashes: OK, or kInvalidArgument whose message starts "line N: " with N
//   between 0 and the lines read.
// - On OK: every value is a '.'-decimal with 2 places (sole-bond-strength, N/mm) or 1 place
//   (upper-tear-strength, N); every result and error names a line the file has; no more than
//   max_results values and max_errors (+1 summary) errors are kept.
// - Reading the same bytes one byte per read gives the same outcome (chunk boundaries do not matter).
// - Valid UTF-8 without NUL, re-encoded as UTF-16LE with a BOM, gives the same outcome.
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>

#include "fuzz_check.h"
#include "instruments/utm_curve.h"
#include "tests/instruments/parser_test_util.h"

namespace {

using lims::instruments::ParsedFile;
using lims::instruments::ParseLimits;

using lims::instruments::parser_test::OneByteBuf;

// Small limits, so that the limit paths are reached by small inputs.
ParseLimits FuzzLimits() {
  ParseLimits limits;
  limits.max_bytes = 1 << 20;
  limits.max_line_bytes = 512;
  limits.max_results = 16;
  limits.max_errors = 4;
  return limits;
}

bool IsDecimal(const std::string& v, size_t places) {
  size_t i = v.size() > 0 && v[0] == '-' ? 1 : 0;
  const size_t dot = v.find('.');
  if (dot == std::string::npos || dot == i || v.size() - dot - 1 != places) return false;
  for (; i < v.size(); ++i) {
    if (i != dot && (v[i] < '0' || v[i] > '9')) return false;
  }
  return true;
}

// A canonical rendering of the outcome, for the equivalence checks.
std::string Outcome(const lims::Result<ParsedFile>& r) {
  if (!r.ok()) return "error " + r.status().message();
  std::string out = "lines " + std::to_string(r->lines) + "\n";
  for (const auto& x : r->results) {
    out += std::to_string(x.line) + " " + x.sample_ref + " " + x.quantity + " " + x.unit + " [" + x.remarks + "]";
    for (const auto& v : x.values) out += " " + v;
    out += "\n";
  }
  for (const auto& e : r->errors) out += "! " + std::to_string(e.line) + " " + e.reason + "\n";
  return out + r->header.instrument_serial + "|" + r->header.test_date + "|" + r->header.operator_name;
}

void CheckOutcome(const lims::Result<ParsedFile>& r, const ParseLimits& limits) {
  if (!r.ok()) {
    FUZZ_CHECK(r.status().code() == lims::Status::Code::kInvalidArgument);
    const std::string& m = r.status().message();
    FUZZ_CHECK(m.rfind("line ", 0) == 0);
    const size_t colon = m.find(": ");
    FUZZ_CHECK(colon != std::string::npos && colon > 5);
    for (size_t i = 5; i < colon; ++i) FUZZ_CHECK(m[i] >= '0' && m[i] <= '9');
    return;
  }
  long long values = 0;
  for (const auto& x : r->results) {
    const bool bond = x.quantity == "sole-bond-strength";
    FUZZ_CHECK(bond || x.quantity == "upper-tear-strength");
    FUZZ_CHECK(x.unit == (bond ? "N/mm" : "N"));
    FUZZ_CHECK(x.line >= 1 && x.line <= r->lines);
    FUZZ_CHECK(!x.values.empty() && !x.sample_ref.empty());
    for (const auto& v : x.values) FUZZ_CHECK(IsDecimal(v, bond ? 2 : 1));
    values += static_cast<long long>(x.values.size());
  }
  FUZZ_CHECK(values <= limits.max_results);
  FUZZ_CHECK(static_cast<int>(r->errors.size()) <= limits.max_errors + 1);
  for (const auto& e : r->errors) FUZZ_CHECK(e.line >= 0 && e.line <= r->lines && !e.reason.empty());
}

// UTF-8 → UTF-16LE with a BOM; false when `in` is not valid UTF-8 or has a NUL.
bool ToUtf16Le(const std::string& in, std::string& out) {
  out = "\xFF\xFE";
  for (size_t i = 0; i < in.size();) {
    const auto c = static_cast<unsigned char>(in[i]);
    if (c == 0) return false;
    const size_t n = c < 0x80                   ? 1
                     : (c >= 0xC2 && c <= 0xDF) ? 2
                     : (c >= 0xE0 && c <= 0xEF) ? 3
                     : (c >= 0xF0 && c <= 0xF4) ? 4
                                                : 0;
    if (n == 0) return false;
    uint32_t cp = n == 1 ? c : c & (0x7Fu >> n);
    if (i + n > in.size()) return false;
    for (size_t k = 1; k < n; ++k) {
      const auto cc = static_cast<unsigned char>(in[i + k]);
      if ((cc & 0xC0) != 0x80) return false;
      cp = cp << 6 | (cc & 0x3F);
    }
    static constexpr uint32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < kMin[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    const auto unit = [&](uint32_t u) {
      out += static_cast<char>(u & 0xFF);
      out += static_cast<char>(u >> 8);
    };
    if (cp >= 0x10000) {
      unit(0xD800 + ((cp - 0x10000) >> 10));
      unit(0xDC00 + ((cp - 0x10000) & 0x3FF));
    } else {
      unit(cp);
    }
    i += n;
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string input = lims::fuzz::AsString(data, size);
  const ParseLimits limits = FuzzLimits();
  std::istringstream whole(input);
  const auto parsed = lims::instruments::ParseUtmCurveFile(whole, limits);
  CheckOutcome(parsed, limits);
  const std::string outcome = Outcome(parsed);

  OneByteBuf buf(input);
  std::istream slow(&buf);
  FUZZ_CHECK(Outcome(lims::instruments::ParseUtmCurveFile(slow, limits)) == outcome);

  std::string utf16;
  const bool has_bom =
      input.rfind("\xEF\xBB\xBF", 0) == 0 || input.rfind("\xFF\xFE", 0) == 0 || input.rfind("\xFE\xFF", 0) == 0;
  if (!has_bom && ToUtf16Le(input, utf16)) {
    std::istringstream wide(utf16);
    FUZZ_CHECK(Outcome(lims::instruments::ParseUtmCurveFile(wide, limits)) == outcome);
  }
  return 0;
}
