// Internal to the result-file parsers (slip_result.cc, analytical_table.cc, utm_curve.cc): the text,
// date, delimiter, "Key: value" header and row helpers they share, and the list that keeps their
// per-row FileErrors. Not part of the instruments API; error messages are the parsers' own wording.
//
// Text helpers are ASCII only: bytes >= 0x80 are UTF-8 and pass through untouched.
#ifndef LIMS_INSTRUMENTS_FILE_FIELDS_H_
#define LIMS_INSTRUMENTS_FILE_FIELDS_H_

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "instruments/result_file.h"
#include "instruments/text_input.h"
#include "lims/core/status.h"

namespace lims::instruments {

// Without leading and trailing blanks and tabs.
std::string_view Trim(std::string_view s);

// Lower case, each of `as_blank` as a space, runs of blanks as one space, trimmed:
// Canonical("Heel-Forward  Slip", "-_\t") → "heel forward slip". Names in a file are compared so.
std::string Canonical(std::string_view s, std::string_view as_blank = "\t");

bool IsDelimiter(char c);  // ';', ',' or tab

// Blank, or only delimiters (a spreadsheet's empty row ";;;;").
bool IsBlankRow(std::string_view line);

bool IsComment(std::string_view line);  // "# ..."

// The next line that is neither a blank row nor a comment; false at the end or on an input error.
bool NextDataLine(TextInput& input, std::string& line);

std::string Quoted(std::string_view s);  // "\"s\""

// The first 60 bytes of a line for a message, never cutting a UTF-8 sequence.
std::string_view Excerpt(std::string_view line);

// kInvalidArgument "line N: reason", what a file that cannot be read as its format returns.
Status LineError(int line, const std::string& reason);

// The delimiter the column header line uses most (outside quotes); 0 when it has none.
char DetectDelimiter(std::string_view line);

struct HeaderLine {
  std::string key;    // as written, trimmed
  std::string value;  // trimmed, trailing spreadsheet padding (";;;") removed
};

// "Key: value" where the key holds no delimiter or quote; anything else ends the header block.
std::optional<HeaderLine> SplitHeaderLine(std::string_view line);

// Records the canonical `key` of `field` on `line` in `seen`; an error when it was given before.
Status RecordHeaderKey(std::map<std::string, int>& seen, const std::string& key, const HeaderLine& field, int line);

// "2026-03-14", "14.03.2026", "14/03/2026" or "14-03-2026", optionally followed by a time after a
// blank or 'T' → "2026-03-14".
std::optional<std::string> ParseDate(std::string_view text);

// The date of a "Date: ..." header field into `test_date`, or a line error.
Status ReadHeaderDate(const HeaderLine& field, int line, std::string& test_date);

// The column header line's fields, its delimiter into `delimiter`; a line error naming `not_what`
// ("a slip result file") when it has no delimiter or does not split.
Result<std::vector<std::string>> SplitColumnHeader(const std::string& line, int number, std::string_view not_what,
                                                   char& delimiter);

// A data row's fields; kInvalidArgument with the row's FileError reason when it does not split or
// has non-empty fields beyond the header's `columns`.
Result<std::vector<std::string>> SplitDataRow(const std::string& text, char delimiter, size_t columns);

// The trimmed field of `column` (by `index`), "" when the row or the header lacks it.
template <typename Column>
std::string FieldOf(const std::vector<std::string>& fields, const std::map<Column, size_t>& index, Column column) {
  const auto it = index.find(column);
  if (it == index.end() || it->second >= fields.size()) return "";
  return std::string(Trim(fields[it->second]));
}

// A line error when a file already has limits.max_results results and wants one more.
Status CheckResultLimit(size_t results, const ParseLimits& limits, int line);

// Keeps the first max_errors FileErrors and counts the rest in one last error.
class ErrorList {
 public:
  explicit ErrorList(int max_errors) : max_(max_errors) {}
  void Add(int line, std::string reason);
  // Add, returning what a refused row's reader returns.
  std::nullopt_t Refuse(int line, std::string reason);
  bool Reject(int line, std::string reason);
  std::vector<FileError> Take();

 private:
  int max_;
  long long dropped_ = 0;
  std::vector<FileError> errors_;
};

}  // namespace lims::instruments

#endif  // LIMS_INSTRUMENTS_FILE_FIELDS_H_
