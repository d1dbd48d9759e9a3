// TextInput: reads an instrument file line by line as UTF-8, whatever its encoding, in constant
// memory.
//
// Instrument software writes what its PC's locale says: UTF-8 with or without a BOM, UTF-16 LE or BE
// with a BOM (Windows "Unicode" exports), CRLF or LF line ends, and decimal commas on European-locale
// machines. TextInput takes care of the first three; NormalizeDecimal of the last. Bytes that are not
// valid in the detected encoding, NUL bytes in UTF-8 text, a line longer than the limit or a file
// larger than the limit are errors naming the line, never silently replaced.
#ifndef LIMS_INSTRUMENTS_TEXT_INPUT_H_
#define LIMS_INSTRUMENTS_TEXT_INPUT_H_

#include <istream>
#include <string>
#include <string_view>
#include <vector>

#include "instruments/result_file.h"
#include "lims/core/status.h"

namespace lims::instruments {

enum class TextEncoding { kUtf8, kUtf16Le, kUtf16Be };

class TextInput {
 public:
  // Borrows `in`; detects the encoding from a BOM (none: UTF-8) on the first read.
  TextInput(std::istream& in, const ParseLimits& limits);

  // The next line without its line end, as UTF-8 (a leading BOM removed). Returns false at the
  // end of input or after an error; then status() says which (Ok at a clean end).
  bool NextLine(std::string& line);

  int line_number() const { return line_number_; }  // of the line NextLine returned last
  long long bytes_read() const { return bytes_read_; }
  TextEncoding encoding() const { return encoding_; }
  const Status& status() const { return status_; }  // kInvalidArgument "line N: ..." on error

 private:
  bool Fill();
  bool DecodeUtf16(std::string& line);
  bool TakeLine(size_t length, bool non_ascii, std::string& line);
  bool Fail(std::string reason);

  std::istream& in_;
  ParseLimits limits_;
  TextEncoding encoding_ = TextEncoding::kUtf8;
  bool started_ = false;
  bool eof_ = false;
  int line_number_ = 0;
  long long bytes_read_ = 0;
  std::string buffer_;  // raw bytes read ahead
  size_t pos_ = 0;      // next unread byte in buffer_
  Status status_;
};

// "1,23" → "1.23", "1.23" → "1.23", " -0,5 " → "-0.5"; thousands separators are refused (they
// cannot be told apart from a decimal comma): "1.234,5" and "1,234.5" are errors. Returns
// kInvalidArgument for anything that is not a plain decimal number.
Result<std::string> NormalizeDecimal(std::string_view text);

// Splits one delimited line (';', ',' or '\t') into fields; double quotes around a field are
// removed and "" inside them is one quote (RFC 4180). A quote left open is an error.
Result<std::vector<std::string>> SplitFields(std::string_view line, char delimiter);

}  // namespace lims::instruments

#endif  // LIMS_INSTRUMENTS_TEXT_INPUT_H_
