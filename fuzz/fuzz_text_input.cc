// libFuzzer target: TextInput, NormalizeDecimal and SplitFields (instruments/text_input.h).
//
// Invariants:
// - TextInput ends with OK or kInvalidArgument "line N: ..."; every line it returns is valid UTF-8
//   (checked here independently) without NUL, CR or LF and within max_line_bytes; line_number()
//   counts the lines returned; reading one byte per read gives the same lines and status.
// - NormalizeDecimal of every line: the result is [-]digits[.digits], the input without spaces, '+'
//   and with ',' → '.'; it is idempotent.
// - SplitFields: quoting every field (RFC 4180) and splitting again gives the same fields.
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>
#include <vector>

#include "fuzz_check.h"
#include "instruments/text_input.h"
#include "tests/instruments/parser_test_util.h"

namespace {

using lims::instruments::ParseLimits;
using lims::instruments::TextInput;

using lims::instruments::parser_test::OneByteBuf;

// RFC 3629, written independently of text_input.cc's decoder.
bool ValidUtf8(const std::string& s) {
  for (size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    size_t n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    if (n == 0 || i + n > s.size()) return false;
    uint32_t cp = n == 1 ? c : c & (0x7F >> n);
    for (size_t k = 1; k < n; ++k) {
      const auto cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xC0) != 0x80) return false;
      cp = cp << 6 | (cc & 0x3F);
    }
    static constexpr uint32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < kMin[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    i += n;
  }
  return true;
}

struct Read {
  std::vector<std::string> lines;
  std::string status;
};

Read ReadLines(std::istream& in, const ParseLimits& limits) {
  TextInput input(in, limits);
  Read out;
  std::string line;
  while (input.NextLine(line)) {
    out.lines.push_back(line);
    FUZZ_CHECK(input.line_number() == static_cast<int>(out.lines.size()));
  }
  FUZZ_CHECK(input.status().ok() || input.status().code() == lims::Status::Code::kInvalidArgument);
  FUZZ_CHECK(input.status().ok() || input.status().message().rfind("line ", 0) == 0);
  out.status = input.status().message();
  return out;
}

void CheckDecimal(const std::string& line) {
  const auto d = lims::instruments::NormalizeDecimal(line);
  if (!d.ok()) return;
  std::string expected;
  for (char c : line) {
    if (c == ' ' || c == '\t' || c == '+') continue;
    expected += c == ',' ? '.' : c;
  }
  FUZZ_CHECK(*d == expected);
  size_t dots = 0;
  for (size_t i = 0; i < d->size(); ++i) {
    const char c = (*d)[i];
    FUZZ_CHECK((c >= '0' && c <= '9') || c == '.' || (c == '-' && i == 0));
    dots += c == '.' ? 1 : 0;
  }
  FUZZ_CHECK(dots <= 1);
  const auto again = lims::instruments::NormalizeDecimal(*d);
  FUZZ_CHECK(again.ok() && *again == *d);
}

void CheckSplit(const std::string& line, char delimiter) {
  const auto fields = lims::instruments::SplitFields(line, delimiter);
  if (!fields.ok()) return;
  FUZZ_CHECK(!fields->empty());
  std::string joined;
  for (size_t i = 0; i < fields->size(); ++i) {
    if (i > 0) joined += delimiter;
    joined += '"';
    for (char c : (*fields)[i]) joined += c == '"' ? std::string("\"\"") : std::string(1, c);
    joined += '"';
  }
  const auto again = lims::instruments::SplitFields(joined, delimiter);
  FUZZ_CHECK(again.ok() && *again == *fields);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string input = lims::fuzz::AsString(data, size);
  ParseLimits limits;
  limits.max_bytes = 1 << 16;
  limits.max_line_bytes = 256;
  std::istringstream whole(input);
  const Read read = ReadLines(whole, limits);
  for (const std::string& line : read.lines) {
    FUZZ_CHECK(ValidUtf8(line));
    FUZZ_CHECK(line.find_first_of(std::string("\r\n\0", 3)) == std::string::npos);
    FUZZ_CHECK(line.size() <= static_cast<size_t>(limits.max_line_bytes));
    CheckDecimal(line);
    CheckSplit(line, ';');
    CheckSplit(line, ',');
  }
  OneByteBuf buf(input);
  std::istream slow(&buf);
  const Read again = ReadLines(slow, limits);
  FUZZ_CHECK(again.lines == read.lines);
  FUZZ_CHECK(again.status == read.status);
  return 0;
}
