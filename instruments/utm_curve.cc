#include "instruments/utm_curve.h"

#include <array>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "instruments/file_fields.h"
#include "instruments/text_input.h"

namespace lims::instruments {
namespace {

constexpr double kDefaultOnsetForceN = 5.0;
constexpr double kDefaultPlateauFromMm = 10.0;
constexpr double kDefaultPlateauToMm = 40.0;
constexpr long long kMinPlateauReadings = 10;
constexpr size_t kMaxNumberChars = 64;
// No instrument reading comes near this; bounding every number keeps sums and products finite.
constexpr double kMaxMagnitude = 1e15;

enum class Quantity { kSoleBond, kTear };

// The common case "-123.45" with at most 15 digits: the digits as an integer are exact in a double,
// and so is 10^k for k <= 15, so one division gives the correctly rounded value (Clinger's fast
// path), the same double std::from_chars returns. False when `text` is not that simple.
bool ParseSimpleDecimal(std::string_view text, double& value) {
  static constexpr std::array<double, 16> kPow10 = {1e0, 1e1, 1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                                    1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};
  size_t i = 0;
  const bool negative = !text.empty() && text[0] == '-';
  i += negative ? 1 : 0;
  uint64_t mantissa = 0;
  int digits = 0;
  int fraction = -1;  // digits after the separator, -1 before it
  for (; i < text.size(); ++i) {
    const char c = text[i];
    if (c >= '0' && c <= '9') {
      mantissa = mantissa * 10 + static_cast<uint64_t>(c - '0');
      ++digits;
      fraction += fraction >= 0 ? 1 : 0;
    } else if ((c == '.' || c == ',') && fraction < 0 && digits > 0) {
      fraction = 0;
    } else {
      return false;
    }
  }
  if (digits == 0 || digits > 15 || fraction == 0) return false;
  const double v = static_cast<double>(mantissa) / kPow10[fraction < 0 ? 0 : fraction];
  value = negative ? -v : v;
  return true;
}

// A number as the instruments write it: '.' or ',' as the decimal separator (never both, so no
// thousands separators), an optional exponent; at most kMaxMagnitude. Locale-independent and
// allocation-free: it runs twice per curve row.
std::optional<double> ParseNumber(std::string_view text) {
  text = Trim(text);
  if (double v = 0; ParseSimpleDecimal(text, v)) return v;  // |v| < 1e15 by construction
  if (!text.empty() && text.front() == '+') {
    text.remove_prefix(1);
    if (!text.empty() && text.front() == '-') return std::nullopt;
  }
  if (text.empty() || text.size() > kMaxNumberChars) return std::nullopt;
  std::array<char, kMaxNumberChars> buf;
  bool dot = false;
  bool comma = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    dot |= c == '.';
    comma |= c == ',';
    buf[i] = c == ',' ? '.' : c;
  }
  if (dot && comma) return std::nullopt;
  double value = 0;
  const char* end = buf.data() + text.size();
  const auto [ptr, ec] = std::from_chars(buf.data(), end, value, std::chars_format::general);
  if (ec != std::errc() || ptr != end || !(std::fabs(value) <= kMaxMagnitude)) return std::nullopt;
  return value;
}

// Rounds half away from zero to `decimals` places and prints with '.', whatever the locale.
std::string FormatRounded(double value, int decimals) {
  const double scale = std::pow(10.0, decimals);
  double rounded = std::round(value * scale) / scale;
  if (rounded == 0) rounded = 0;  // no "-0.00"
  std::array<char, 64> buf;
  const auto [ptr, ec] =
      std::to_chars(buf.data(), buf.data() + buf.size(), rounded, std::chars_format::fixed, decimals);
  if (ec != std::errc()) return "overflow";  // unreachable: callers pass |value| <= kMaxMagnitude
  return std::string(buf.data(), ptr);
}

// A derived value within what FormatRounded prints (a kN column or a tiny width can push it out).
std::optional<double> InRange(double value, std::string& why) {
  if (std::fabs(value) <= kMaxMagnitude) return value;
  why = "derived value out of range";
  return std::nullopt;
}

// Quoted, cut after 40 bytes.
std::string ShortQuoted(std::string_view s) {
  constexpr size_t kShown = 40;
  return "\"" + std::string(s.substr(0, kShown)) + (s.size() > kShown ? "...\"" : "\"");
}

// Splits a curve row without allocating, in one pass; false when it has a quote (the caller falls
// back to SplitFields) or more than `out.size()` fields.
bool SplitRow(std::string_view line, char delimiter, std::array<std::string_view, 4>& out, int& count) {
  count = 0;
  size_t start = 0;
  for (size_t i = 0; i < line.size(); ++i) {
    if (line[i] == '"') return false;
    if (line[i] != delimiter) continue;
    if (count + 1 == static_cast<int>(out.size())) return false;
    out[count++] = line.substr(start, i - start);
    start = i + 1;
  }
  out[count++] = line.substr(start);
  return true;
}

bool IsValidDate(std::string_view d) {
  if (d.size() != 10 || d[4] != '-' || d[7] != '-') return false;
  int year = 0, month = 0, day = 0;
  const auto num = [&](size_t pos, size_t len, int& v) {
    const auto [ptr, ec] = std::from_chars(d.data() + pos, d.data() + pos + len, v);
    return ec == std::errc() && ptr == d.data() + pos + len;
  };
  if (!num(0, 4, year) || !num(5, 2, month) || !num(8, 2, day)) return false;
  constexpr std::array<int, 12> kDays = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month < 1 || month > 12 || day < 1 || day > kDays[month - 1]) return false;
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return !(month == 2 && day == 29 && !leap);
}

// The method-specific settings, fixed once the header is read.
struct Settings {
  Quantity quantity = Quantity::kTear;
  std::string method;
  std::string default_sample;
  std::optional<double> width_mm;
  double onset_force_n = kDefaultOnsetForceN;
  double plateau_from_mm = kDefaultPlateauFromMm;
  double plateau_to_mm = kDefaultPlateauToMm;
  std::optional<std::string> temperature_c;
  std::optional<std::string> humidity_pct;
};

// One specimen block: its identity and the running aggregates of its curve.
struct Specimen {
  int line = 0;
  std::string id;
  std::string sample_ref;
  std::string remark;
  std::optional<double> width_mm;
  int columns = 0;
  int extension_col = -1;
  int force_col = -1;
  double force_scale = 1.0;  // kN columns are read as N
  long long readings = 0;
  double peak_force = -std::numeric_limits<double>::infinity();
  double max_extension = -std::numeric_limits<double>::infinity();
  bool onset = false;
  double onset_extension = 0;
  double plateau_sum = 0;
  long long plateau_readings = 0;
};

class UtmCurveParser {
 public:
  UtmCurveParser(std::istream& in, const ParseLimits& limits) : input_(in, limits), limits_(limits) {}
  UtmCurveParser(const UtmCurveParser&) = delete;
  UtmCurveParser& operator=(const UtmCurveParser&) = delete;

  Result<ParsedFile> Run();

 private:
  enum class State { kStart, kHeader, kBetween, kMeta, kCurve, kSkipping, kDone };

  Status Line(std::string_view line);
  Status FormatLine(std::string_view line);
  Status HeaderLine(std::string_view line);
  Status FinishHeader();
  Status ApplyHeaderSetting(const std::string& key, const std::string& value);
  Status ApplyMethodSetting(const std::string& key, const std::string& value);
  Status SetQuantity(const std::string& value);
  Status StructureLine(const std::vector<std::string>& fields);
  Status StartSpecimen(const std::vector<std::string>& fields);
  Status EndOfFile(const std::vector<std::string>& fields);
  void MetaLine(const std::vector<std::string>& fields);
  bool ColumnLine(const std::vector<std::string>& fields);
  void CurveRow(std::string_view line);
  void AddReading(double extension, double force);
  Status EndSpecimen(const std::vector<std::string>& fields);
  std::optional<double> DeriveValue(std::string& why) const;
  Status Keep(double value);
  void Refuse(int line, const std::string& reason);
  Status Finish();
  Status Error(const std::string& reason) const { return LineError(input_.line_number(), reason); }

  TextInput input_;
  ParseLimits limits_;
  ParsedFile file_;
  State state_ = State::kStart;
  char delimiter_ = ';';
  std::set<std::string> header_keys_;
  Settings settings_;
  Specimen specimen_;
  int blocks_ = 0;
  long long values_kept_ = 0;
  long long errors_dropped_ = 0;
  std::unordered_map<std::string, size_t> result_of_sample_;
};

Result<ParsedFile> UtmCurveParser::Run() {
  std::string line;
  while (input_.NextLine(line)) {
    LIMS_RETURN_IF_ERROR(Line(line));
  }
  LIMS_RETURN_IF_ERROR(input_.status());
  LIMS_RETURN_IF_ERROR(Finish());
  file_.lines = input_.line_number();
  return std::move(file_);
}

Status UtmCurveParser::Line(std::string_view line) {
  if (state_ == State::kCurve && !line.empty() && line.front() != 'e' && line.front() != 's' && line.front() != '#') {
    CurveRow(line);  // the hot path: no allocation
    return Status::Ok();
  }
  if (Trim(line).empty() || line.front() == '#') {
    return state_ == State::kDone && !Trim(line).empty() ? Error("text after end_of_file") : Status::Ok();
  }
  switch (state_) {
    case State::kStart:
      return FormatLine(line);
    case State::kHeader:
      return HeaderLine(line);
    case State::kDone:
      return Error("text after end_of_file");
    default:
      break;
  }
  auto fields = SplitFields(line, delimiter_);
  if (!fields.ok()) {
    if (state_ == State::kBetween) return Error(fields.status().message());
    if (state_ == State::kSkipping) return Status::Ok();
    Refuse(input_.line_number(), "specimen " + specimen_.id + ": " + fields.status().message());
    return Status::Ok();
  }
  return StructureLine(*fields);
}

Status UtmCurveParser::FormatLine(std::string_view line) {
  constexpr std::string_view kKey = "format";
  if (line.substr(0, kKey.size()) != kKey || line.size() == kKey.size()) {
    return Error("not a utm-curve-csv file (no \"format;utm-curve-csv/1\" line)");
  }
  delimiter_ = line[kKey.size()];
  if (delimiter_ != ';' && delimiter_ != ',' && delimiter_ != '\t') {
    return Error("not a utm-curve-csv file (no \"format;utm-curve-csv/1\" line)");
  }
  const auto fields = SplitFields(line, delimiter_);
  if (!fields.ok() || fields->size() != 2 || Trim((*fields)[1]) != kUtmCurveFormat) {
    return Error("unsupported format " + ShortQuoted(line.substr(kKey.size() + 1)) + " (expected utm-curve-csv/1)");
  }
  file_.header.format = std::string(kUtmCurveFormat);
  state_ = State::kHeader;
  return Status::Ok();
}

Status UtmCurveParser::HeaderLine(std::string_view line) {
  auto fields = SplitFields(line, delimiter_);
  if (!fields.ok()) return Error(fields.status().message());
  if (!fields->empty() && Trim((*fields)[0]) == "specimen") {
    LIMS_RETURN_IF_ERROR(FinishHeader());
    return StartSpecimen(*fields);
  }
  if (fields->size() != 2) return Error("header line must be key" + std::string(1, delimiter_) + "value");
  const std::string key(Trim((*fields)[0]));
  const std::string value(Trim((*fields)[1]));
  if (key.empty()) return Error("header line has an empty key");
  if (key == "end_of_file") return Error("file has no specimen blocks");
  if (!header_keys_.insert(key).second) return Error("header key " + ShortQuoted(key) + " appears twice");
  return ApplyHeaderSetting(key, value);
}

Status UtmCurveParser::FinishHeader() {
  if (header_keys_.count("quantity") == 0) return Error("header has no quantity");
  if (settings_.plateau_to_mm <= settings_.plateau_from_mm) {
    return Error("plateau_to_mm must be greater than plateau_from_mm");
  }
  return Status::Ok();
}

// One header key: who and when go to FileHeader, every other key is kept as written in its fields
// and may also be a setting.
Status UtmCurveParser::ApplyHeaderSetting(const std::string& key, const std::string& value) {
  FileHeader& h = file_.header;
  if (key == "instrument_serial") {
    h.instrument_serial = value;
  } else if (key == "operator") {
    h.operator_name = value;
  } else if (key == "test_date") {
    if (!IsValidDate(value)) return Error("test_date " + ShortQuoted(value) + " is not a date YYYY-MM-DD");
    h.test_date = value;
  } else {
    h.fields[key] = value;
    return ApplyMethodSetting(key, value);
  }
  return Status::Ok();
}

Status UtmCurveParser::ApplyMethodSetting(const std::string& key, const std::string& value) {
  Settings& s = settings_;
  const auto number = [&](double& out, bool zero_ok) -> Status {
    const auto v = ParseNumber(value);
    if (!v || *v < 0 || (*v == 0 && !zero_ok)) {
      return Error(key + " " + ShortQuoted(value) + (zero_ok ? " is not a number >= 0" : " is not a positive number"));
    }
    out = *v;
    return Status::Ok();
  };
  const auto decimal = [&](std::optional<std::string>& out) -> Status {
    auto v = NormalizeDecimal(value);
    if (!v.ok()) return Error(key + " " + ShortQuoted(value) + " is not a decimal number");
    out = std::move(*v);
    return Status::Ok();
  };
  if (key == "quantity") return SetQuantity(value);
  if (key == "method") s.method = value;
  if (key == "sample") s.default_sample = value;
  if (key == "specimen_width_mm") return number(s.width_mm.emplace(), false);
  if (key == "onset_force_n") return number(s.onset_force_n, false);
  if (key == "plateau_from_mm") return number(s.plateau_from_mm, true);
  if (key == "plateau_to_mm") return number(s.plateau_to_mm, false);
  if (key == "temperature_c") return decimal(s.temperature_c);
  if (key == "humidity_pct") return decimal(s.humidity_pct);
  return Status::Ok();
}

Status UtmCurveParser::SetQuantity(const std::string& value) {
  if (value == kSoleBondStrength) {
    settings_.quantity = Quantity::kSoleBond;
  } else if (value == kUpperTearStrength) {
    settings_.quantity = Quantity::kTear;
  } else {
    return Error("quantity " + ShortQuoted(value) + " is not sole-bond-strength or upper-tear-strength");
  }
  return Status::Ok();
}

// A line outside the curve rows (or one that looked like a keyword inside them).
Status UtmCurveParser::StructureLine(const std::vector<std::string>& fields) {
  const std::string_view key = Trim(fields[0]);
  const bool in_block = state_ == State::kMeta || state_ == State::kCurve || state_ == State::kSkipping;
  if (key == "end" && in_block) return EndSpecimen(fields);
  if (key == "specimen" || key == "end_of_file") {
    if (in_block && state_ != State::kSkipping) {
      Refuse(specimen_.line, "specimen " + specimen_.id + ": block has no end line");
    }
    return key == "specimen" ? StartSpecimen(fields) : EndOfFile(fields);
  }
  switch (state_) {
    case State::kMeta:
      MetaLine(fields);
      return Status::Ok();
    case State::kCurve:
      Refuse(input_.line_number(), "specimen " + specimen_.id + ": " + ShortQuoted(fields[0]) + " is not a number");
      return Status::Ok();
    case State::kSkipping:
      return Status::Ok();
    default:
      return Error("expected a specimen line or end_of_file, found " + ShortQuoted(key));
  }
}

Status UtmCurveParser::StartSpecimen(const std::vector<std::string>& fields) {
  ++blocks_;
  specimen_ = Specimen{};
  specimen_.line = input_.line_number();
  specimen_.id = fields.size() > 1 ? std::string(Trim(fields[1])) : "";
  specimen_.sample_ref = fields.size() > 2 ? std::string(Trim(fields[2])) : settings_.default_sample;
  state_ = State::kMeta;
  if (specimen_.id.empty() || fields.size() > 3) {
    specimen_.id = std::to_string(blocks_);
    Refuse(specimen_.line, "specimen line must be specimen;<id>[;<sample>]");
  } else if (specimen_.sample_ref.empty()) {
    Refuse(specimen_.line, "specimen " + specimen_.id + ": no sample reference (header sample or specimen line)");
  }
  return Status::Ok();
}

void UtmCurveParser::MetaLine(const std::vector<std::string>& fields) {
  const std::string_view key = Trim(fields[0]);
  const std::string who = "specimen " + specimen_.id + ": ";
  if (key == "width_mm" && fields.size() == 2) {
    const auto w = ParseNumber(fields[1]);
    if (!w || *w <= 0) {
      return Refuse(input_.line_number(), who + "width_mm " + ShortQuoted(fields[1]) + " is not a positive number");
    }
    specimen_.width_mm = *w;
  } else if (key == "remark" && fields.size() == 2) {
    specimen_.remark = std::string(Trim(fields[1]));
  } else if (!ColumnLine(fields)) {
    Refuse(input_.line_number(), who + "unknown line " + ShortQuoted(key) + " before the column names");
  }
}

// The column-name line that starts the curve: extension_mm and force_n or force_kn, optionally
// time_s, in any order.
bool UtmCurveParser::ColumnLine(const std::vector<std::string>& fields) {
  const std::string who = "specimen " + specimen_.id + ": ";
  bool any_known = false;
  int time_col = -1;
  for (size_t i = 0; i < fields.size(); ++i) {
    std::string name(Trim(fields[i]));
    for (char& c : name) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    int* slot = name == "extension_mm"                    ? &specimen_.extension_col
                : name == "force_n" || name == "force_kn" ? &specimen_.force_col
                : name == "time_s"                        ? &time_col
                                                          : nullptr;
    if (slot == nullptr) continue;
    any_known = true;
    if (*slot >= 0) {
      Refuse(input_.line_number(), who + "column " + ShortQuoted(name) + " appears twice");
      return true;
    }
    *slot = static_cast<int>(i);
    if (name == "force_kn") specimen_.force_scale = 1000.0;
  }
  if (!any_known) return false;
  specimen_.columns = static_cast<int>(fields.size());
  if (specimen_.extension_col < 0 || specimen_.force_col < 0 || fields.size() > 3 ||
      specimen_.columns != 2 + (time_col >= 0 ? 1 : 0)) {
    Refuse(input_.line_number(), who + "columns must be extension_mm and force_n or force_kn, optionally time_s");
    return true;
  }
  if (settings_.quantity == Quantity::kSoleBond && !specimen_.width_mm) specimen_.width_mm = settings_.width_mm;
  if (settings_.quantity == Quantity::kSoleBond && !specimen_.width_mm) {
    Refuse(specimen_.line, who + "no specimen width (header specimen_width_mm or block width_mm)");
    return true;
  }
  state_ = State::kCurve;
  return true;
}

void UtmCurveParser::CurveRow(std::string_view line) {
  std::array<std::string_view, 4> fields;
  int count = 0;
  if (!SplitRow(line, delimiter_, fields, count) || count != specimen_.columns) {
    if (count == 1 && Trim(line).empty()) return;  // a blank line
    auto split = SplitFields(line, delimiter_);    // rare: quoted numbers ("1,5" in a ','-file)
    if (!split.ok() || static_cast<int>(split->size()) != specimen_.columns) {
      return Refuse(input_.line_number(),
                    "specimen " + specimen_.id + ": row must have " + std::to_string(specimen_.columns) + " fields");
    }
    const auto e = ParseNumber((*split)[specimen_.extension_col]);
    const auto f = ParseNumber((*split)[specimen_.force_col]);
    if (!e || !f) return Refuse(input_.line_number(), "specimen " + specimen_.id + ": not a finite number");
    return AddReading(*e, *f);
  }
  const auto e = ParseNumber(fields[specimen_.extension_col]);
  const auto f = ParseNumber(fields[specimen_.force_col]);
  if (!e || !f) {
    const std::string_view bad = e ? fields[specimen_.force_col] : fields[specimen_.extension_col];
    return Refuse(input_.line_number(),
                  "specimen " + specimen_.id + ": " + ShortQuoted(Trim(bad)) + " is not a finite number");
  }
  AddReading(*e, *f);
}

// Folds one reading into the aggregates (see docs/instruments/utm-curve-csv.md, "Derived values").
void UtmCurveParser::AddReading(double extension, double force) {
  Specimen& s = specimen_;
  force *= s.force_scale;
  ++s.readings;
  if (force > s.peak_force) s.peak_force = force;
  if (extension > s.max_extension) s.max_extension = extension;
  if (!s.onset && force >= settings_.onset_force_n) {
    s.onset = true;
    s.onset_extension = extension;
  }
  if (s.onset) {
    const double travel = extension - s.onset_extension;
    if (travel >= settings_.plateau_from_mm && travel <= settings_.plateau_to_mm) {
      s.plateau_sum += force;
      ++s.plateau_readings;
    }
  }
}

Status UtmCurveParser::EndSpecimen(const std::vector<std::string>& fields) {
  const bool skipping = state_ == State::kSkipping;
  state_ = State::kBetween;
  if (skipping) return Status::Ok();
  const std::string who = "specimen " + specimen_.id + ": ";
  if (fields.size() > 2 || (fields.size() == 2 && Trim(fields[1]) != specimen_.id)) {
    Refuse(input_.line_number(), who + "end line does not name this specimen");
    return Status::Ok();
  }
  if (specimen_.columns == 0) {
    Refuse(specimen_.line, who + "no column names and no readings");
    return Status::Ok();
  }
  std::string why;
  const auto value = DeriveValue(why);
  if (!value) {
    Refuse(specimen_.line, who + why);
    return Status::Ok();
  }
  return Keep(*value);
}

std::optional<double> UtmCurveParser::DeriveValue(std::string& why) const {
  const Specimen& s = specimen_;
  if (s.readings == 0) {
    why = "no readings";
    return std::nullopt;
  }
  if (settings_.quantity == Quantity::kTear) return InRange(s.peak_force, why);
  if (!s.onset) {
    why = "force never reaches onset_force_n " + FormatRounded(settings_.onset_force_n, 2) + " N";
    return std::nullopt;
  }
  const double plateau_end = s.onset_extension + settings_.plateau_to_mm;
  if (s.max_extension < plateau_end) {
    why = "curve ends at " + FormatRounded(s.max_extension, 2) + " mm, before the plateau end at " +
          FormatRounded(plateau_end, 2) + " mm";
    return std::nullopt;
  }
  if (s.plateau_readings < kMinPlateauReadings) {
    why = std::to_string(s.plateau_readings) + " readings in the plateau, at least " +
          std::to_string(kMinPlateauReadings) + " needed";
    return std::nullopt;
  }
  return InRange(s.plateau_sum / static_cast<double>(s.plateau_readings) / *s.width_mm, why);
}

// Appends the specimen's value to its sample's result (one ImportedResult per sample, file order).
Status UtmCurveParser::Keep(double value) {
  if (++values_kept_ > limits_.max_results) {
    return Error("more than " + std::to_string(limits_.max_results) + " specimen values");
  }
  const bool bond = settings_.quantity == Quantity::kSoleBond;
  auto [it, fresh] = result_of_sample_.emplace(specimen_.sample_ref, file_.results.size());
  if (fresh) {
    ImportedResult r;
    r.line = specimen_.line;
    r.sample_ref = specimen_.sample_ref;
    r.quantity = std::string(bond ? kSoleBondStrength : kUpperTearStrength);
    r.method = settings_.method;
    r.unit = bond ? "N/mm" : "N";
    r.temperature_c = settings_.temperature_c;
    r.humidity_pct = settings_.humidity_pct;
    file_.results.push_back(std::move(r));
  }
  ImportedResult& r = file_.results[it->second];
  r.values.push_back(FormatRounded(value, bond ? 2 : 1));
  if (!specimen_.remark.empty()) {
    r.remarks += (r.remarks.empty() ? "" : "; ") + ("specimen " + specimen_.id + ": " + specimen_.remark);
  }
  return Status::Ok();
}

// Refuses the current specimen block: one FileError, and its remaining lines are skipped.
void UtmCurveParser::Refuse(int line, const std::string& reason) {
  if (state_ == State::kMeta || state_ == State::kCurve) state_ = State::kSkipping;
  if (static_cast<int>(file_.errors.size()) < limits_.max_errors) {
    file_.errors.push_back(FileError{line, reason});
  } else {
    ++errors_dropped_;
  }
}

Status UtmCurveParser::EndOfFile(const std::vector<std::string>& fields) {
  const std::string count = fields.size() == 2 ? std::string(Trim(fields[1])) : "";
  if (count != std::to_string(blocks_)) {
    return Error("end_of_file says " + ShortQuoted(count) + " specimen blocks, the file has " +
                 std::to_string(blocks_));
  }
  state_ = State::kDone;
  return Status::Ok();
}

Status UtmCurveParser::Finish() {
  switch (state_) {
    case State::kStart:
      return Error("no format line (empty file?)");
    case State::kHeader:
      return Error("file ends before the first specimen block (truncated?)");
    case State::kDone:
      break;
    default:
      return Error("file ends without end_of_file" +
                   std::string(state_ == State::kBetween ? "" : ", inside specimen " + specimen_.id) + " (truncated?)");
  }
  if (errors_dropped_ > 0) {
    file_.errors.push_back(FileError{0, std::to_string(errors_dropped_) + " more errors not listed"});
  }
  return Status::Ok();
}

}  // namespace

Result<ParsedFile> ParseUtmCurveFile(std::istream& in, const ParseLimits& limits) {
  UtmCurveParser parser(in, limits);
  return parser.Run();
}

}  // namespace lims::instruments
