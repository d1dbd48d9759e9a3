#include "instruments/file_fields.h"

#include <algorithm>
#include <cctype>
#include <utility>

namespace lims::instruments {
namespace {

int DaysInMonth(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : kDays[month - 1];
}

std::optional<int> Digits(std::string_view s, size_t pos, size_t count) {
  if (pos + count > s.size()) return std::nullopt;
  int value = 0;
  for (size_t i = pos; i < pos + count; ++i) {
    if (std::isdigit(static_cast<unsigned char>(s[i])) == 0) return std::nullopt;
    value = value * 10 + (s[i] - '0');
  }
  return value;
}

}  // namespace

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::string Canonical(std::string_view s, std::string_view as_blank) {
  std::string out;
  for (char c : Trim(s)) {
    const char mapped = as_blank.find(c) != std::string_view::npos ? ' ' : c;
    if (mapped == ' ' && (out.empty() || out.back() == ' ')) continue;
    out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(mapped))));
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

bool IsDelimiter(char c) {
  return c == ';' || c == ',' || c == '\t';
}

bool IsBlankRow(std::string_view line) {
  return std::all_of(line.begin(), line.end(), [](char c) { return c == ' ' || IsDelimiter(c); });
}

bool IsComment(std::string_view line) {
  line = Trim(line);
  return !line.empty() && line.front() == '#';
}

bool NextDataLine(TextInput& input, std::string& line) {
  while (input.NextLine(line)) {
    if (!IsBlankRow(line) && !IsComment(line)) return true;
  }
  return false;
}

std::string Quoted(std::string_view s) {
  return "\"" + std::string(s) + "\"";
}

std::string_view Excerpt(std::string_view line) {
  size_t end = std::min<size_t>(line.size(), 60);
  while (end < line.size() && end > 0 && (static_cast<unsigned char>(line[end]) & 0xC0) == 0x80) --end;
  return line.substr(0, end);
}

Status LineError(int line, const std::string& reason) {
  return Status::InvalidArgument("line " + std::to_string(line) + ": " + reason);
}

char DetectDelimiter(std::string_view line) {
  int semicolons = 0, tabs = 0, commas = 0;
  bool quoted = false;
  for (char c : line) {
    if (c == '"') quoted = !quoted;
    if (quoted) continue;
    semicolons += c == ';';
    tabs += c == '\t';
    commas += c == ',';
  }
  if (semicolons == 0 && tabs == 0 && commas == 0) return 0;
  if (semicolons >= tabs && semicolons >= commas) return ';';
  return tabs >= commas ? '\t' : ',';
}

std::optional<HeaderLine> SplitHeaderLine(std::string_view line) {
  const size_t colon = line.find(':');
  if (colon == std::string_view::npos) return std::nullopt;
  const std::string_view key = Trim(line.substr(0, colon));
  if (key.empty() || key.find_first_of(";,\t\"") != std::string_view::npos) return std::nullopt;
  std::string_view value = line.substr(colon + 1);
  while (!value.empty() && (IsDelimiter(value.back()) || value.back() == ' ')) value.remove_suffix(1);
  return HeaderLine{std::string(key), std::string(Trim(value))};
}

Status RecordHeaderKey(std::map<std::string, int>& seen, const std::string& key, const HeaderLine& field, int line) {
  const auto [it, fresh] = seen.emplace(key, line);
  if (fresh) return Status::Ok();
  return LineError(
      line, "header field " + Quoted(field.key) + " given twice (first on line " + std::to_string(it->second) + ")");
}

std::optional<std::string> ParseDate(std::string_view text) {
  const size_t end = text.find_first_of(" T");
  const std::string_view date = text.substr(0, end);
  if (date.size() != 10) return std::nullopt;
  const bool iso = date[4] == '-' && date[7] == '-';
  const bool day_first = date[2] == date[5] && (date[2] == '.' || date[2] == '/' || date[2] == '-');
  if (!iso && !day_first) return std::nullopt;
  const auto year = Digits(date, iso ? 0 : 6, 4);
  const auto month = Digits(date, iso ? 5 : 3, 2);
  const auto day = Digits(date, iso ? 8 : 0, 2);
  if (!year || !month || !day || *month < 1 || *month > 12) return std::nullopt;
  if (*year < 1900 || *day < 1 || *day > DaysInMonth(*year, *month)) return std::nullopt;
  const std::string d = std::string(date);
  return iso ? d : d.substr(6, 4) + "-" + d.substr(3, 2) + "-" + d.substr(0, 2);
}

Status ReadHeaderDate(const HeaderLine& field, int line, std::string& test_date) {
  std::optional<std::string> date = ParseDate(field.value);
  if (!date) {
    return LineError(line, field.key + ": " + Quoted(field.value) + " is not a date (YYYY-MM-DD or DD.MM.YYYY)");
  }
  test_date = *date;
  return Status::Ok();
}

Result<std::vector<std::string>> SplitColumnHeader(const std::string& line, int number, std::string_view not_what,
                                                   char& delimiter) {
  delimiter = DetectDelimiter(line);
  if (delimiter == 0) {
    return LineError(number, Quoted(Excerpt(line)) +
                                 " is neither a \"Key: value\" header line nor a column header line (no ';', ',' "
                                 "or tab): not " +
                                 std::string(not_what));
  }
  Result<std::vector<std::string>> names = SplitFields(line, delimiter);
  if (!names.ok()) return LineError(number, "column header: " + names.status().message());
  return names;
}

Result<std::vector<std::string>> SplitDataRow(const std::string& text, char delimiter, size_t columns) {
  Result<std::vector<std::string>> fields = SplitFields(text, delimiter);
  if (!fields.ok()) return Status::InvalidArgument("row: " + fields.status().message());
  for (size_t i = columns; i < fields->size(); ++i) {
    if (!Trim((*fields)[i]).empty()) {
      return Status::InvalidArgument("row has " + std::to_string(fields->size()) + " fields, the column header only " +
                                     std::to_string(columns));
    }
  }
  return fields;
}

Status CheckResultLimit(size_t results, const ParseLimits& limits, int line) {
  if (static_cast<int>(results) < limits.max_results) return Status::Ok();
  return LineError(line, "more than " + std::to_string(limits.max_results) + " results in one file");
}

void ErrorList::Add(int line, std::string reason) {
  if (static_cast<int>(errors_.size()) < max_) {
    errors_.push_back(FileError{line, std::move(reason)});
  } else {
    ++dropped_;
  }
}

std::nullopt_t ErrorList::Refuse(int line, std::string reason) {
  Add(line, std::move(reason));
  return std::nullopt;
}

bool ErrorList::Reject(int line, std::string reason) {
  Add(line, std::move(reason));
  return false;
}

std::vector<FileError> ErrorList::Take() {
  if (dropped_ > 0) {
    errors_.push_back(FileError{
        0, std::to_string(dropped_) + " more refused rows not listed (at most " + std::to_string(max_) + " are)"});
  }
  return std::move(errors_);
}

}  // namespace lims::instruments
