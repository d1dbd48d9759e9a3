#include "instruments/slip_result.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "instruments/file_fields.h"
#include "instruments/text_input.h"
#include "lims/core/decimal.h"

namespace lims::instruments {
namespace {

// ---------------------------------------------------------------------------------------------
// Slip-specific text helpers.

// Names in a slip file are compared with '-' and '_' as spaces: "Heel-Forward  Slip" → "heel forward slip".
constexpr std::string_view kAsBlank = "-_\t";

// `text` is `word` or starts with `word` followed by something that is not a letter: "nals 0.5 %"
// starts with "nals", "nalsx" does not.
bool StartsWithWord(std::string_view text, std::string_view word) {
  if (text.substr(0, word.size()) != word) return false;
  return text.size() == word.size() || std::isalpha(static_cast<unsigned char>(text[word.size()])) == 0;
}

// "23.1 °C" → "23.1", "49 %" → "49": a number (decimal comma allowed) and one of `units` (or none).
std::optional<std::string> NumberWithUnit(std::string_view text, const std::vector<std::string_view>& units) {
  text = Trim(text);
  size_t n = 0;
  while (n < text.size() && std::string_view("+-0123456789.,").find(text[n]) != std::string_view::npos) ++n;
  const std::string unit = Canonical(text.substr(n), kAsBlank);
  if (std::find(units.begin(), units.end(), unit) == units.end()) return std::nullopt;
  Result<std::string> number = NormalizeDecimal(text.substr(0, n));
  if (!number.ok()) return std::nullopt;
  return std::move(number).value();
}

// ---------------------------------------------------------------------------------------------
// The slip vocabulary and its mapping onto catalog properties.

enum class Edition { k2011, k2022 };  // EN ISO 20345:2011 / 20347:2012 (SRA, SRB) or the 2022 editions
enum class Floor { kCeramic, kSteel };
enum class Contaminant { kNaLS, kGlycerine };
enum class Mode { kHeelForward, kForepartBackward, kFlatForward };

struct PropertyMapping {
  Edition edition;
  Floor floor;
  Contaminant contaminant;
  Mode mode;
  const char* property_key;
};

constexpr PropertyMapping kMappings[] = {
    {Edition::k2022, Floor::kCeramic, Contaminant::kNaLS, Mode::kHeelForward, "slip-ceramic-nals-heel-forward"},
    {Edition::k2022, Floor::kCeramic, Contaminant::kNaLS, Mode::kForepartBackward,
     "slip-ceramic-nals-forepart-backward"},
    {Edition::k2022, Floor::kCeramic, Contaminant::kGlycerine, Mode::kHeelForward,
     "slip-ceramic-glycerine-heel-forward"},
    {Edition::k2022, Floor::kCeramic, Contaminant::kGlycerine, Mode::kForepartBackward,
     "slip-ceramic-glycerine-forepart-backward"},
    {Edition::k2011, Floor::kCeramic, Contaminant::kNaLS, Mode::kHeelForward, "slip-sra-heel-forward"},
    {Edition::k2011, Floor::kCeramic, Contaminant::kNaLS, Mode::kFlatForward, "slip-sra-flat-forward"},
    {Edition::k2011, Floor::kSteel, Contaminant::kGlycerine, Mode::kHeelForward, "slip-srb-heel-forward"},
    {Edition::k2011, Floor::kSteel, Contaminant::kGlycerine, Mode::kFlatForward, "slip-srb-flat-forward"},
};

const char* EditionName(Edition e) {
  return e == Edition::k2011 ? "EN ISO 20345:2011 / EN ISO 20347:2012" : "EN ISO 20345:2022 / EN ISO 20347:2022";
}
const char* FloorName(Floor f) {
  return f == Floor::kCeramic ? "ceramic tile" : "steel";
}
const char* ContaminantName(Contaminant c) {
  return c == Contaminant::kNaLS ? "NaLS" : "glycerine";
}
const char* ModeName(Mode m) {
  switch (m) {
    case Mode::kHeelForward:
      return "heel forward";
    case Mode::kForepartBackward:
      return "forepart backward";
    case Mode::kFlatForward:
      return "flat forward";
  }
  return "";
}

// "EN ISO 20345:2022" → k2022; the year after the standard's number decides.
std::optional<Edition> ParseEdition(std::string_view text) {
  std::string compact;
  for (char c : text) {
    if (c != ' ') compact.push_back(c);
  }
  for (const char* number : {"20345:", "20347:"}) {
    const size_t at = compact.find(number);
    if (at == std::string::npos) continue;
    const std::string year = compact.substr(at + 6, 4);
    if (year == "2022") return Edition::k2022;
    if (year == "2011" || (year == "2012" && std::string_view(number) == "20347:")) return Edition::k2011;
  }
  return std::nullopt;
}

std::optional<Floor> ParseFloor(std::string_view text) {
  const std::string c = Canonical(text, kAsBlank);
  if (StartsWithWord(c, "ceramic")) return Floor::kCeramic;
  if (StartsWithWord(c, "steel") || StartsWithWord(c, "stainless steel")) return Floor::kSteel;
  return std::nullopt;
}

std::optional<Contaminant> ParseContaminant(std::string_view text) {
  const std::string c = Canonical(text, kAsBlank);
  for (const char* name : {"nals", "sls", "sodium lauryl sulphate", "sodium lauryl sulfate", "sodium dodecyl sulphate",
                           "sodium dodecyl sulfate"}) {
    if (StartsWithWord(c, name)) return Contaminant::kNaLS;
  }
  for (const char* name : {"glycerine", "glycerin", "glycerol"}) {
    if (StartsWithWord(c, name)) return Contaminant::kGlycerine;
  }
  return std::nullopt;
}

std::optional<Mode> ParseMode(std::string_view text) {
  std::string c = Canonical(text, kAsBlank);
  if (c.size() > 5 && c.ends_with(" slip")) c.resize(c.size() - 5);
  static const std::map<std::string, Mode, std::less<>> kModes = {
      {"heel forward", Mode::kHeelForward},
      {"forward heel", Mode::kHeelForward},
      {"hf", Mode::kHeelForward},
      {"forepart backward", Mode::kForepartBackward},
      {"backward forepart", Mode::kForepartBackward},
      {"fb", Mode::kForepartBackward},
      {"flat forward", Mode::kFlatForward},
      {"forward flat", Mode::kFlatForward},
      {"ff", Mode::kFlatForward},
  };
  const auto it = kModes.find(c);
  if (it == kModes.end()) return std::nullopt;
  return it->second;
}

const char* FindPropertyKey(Edition e, Floor f, Contaminant c, Mode m) {
  for (const PropertyMapping& p : kMappings) {
    if (p.edition == e && p.floor == f && p.contaminant == c && p.mode == m) return p.property_key;
  }
  return nullptr;
}

// ---------------------------------------------------------------------------------------------
// The parser.

enum class Column { kSample, kSpecimen, kMode, kFloor, kContaminant, kRemark, kReading, kIgnored };

Column ColumnFor(const std::string& canonical) {
  static const std::map<std::string, Column, std::less<>> kNames = {
      {"sample", Column::kSample},           {"sample id", Column::kSample},      {"sample no", Column::kSample},
      {"sample no.", Column::kSample},       {"sample number", Column::kSample},  {"specimen", Column::kSpecimen},
      {"specimen id", Column::kSpecimen},    {"shoe", Column::kSpecimen},         {"mode", Column::kMode},
      {"test mode", Column::kMode},          {"slip mode", Column::kMode},        {"floor", Column::kFloor},
      {"contaminant", Column::kContaminant}, {"lubricant", Column::kContaminant}, {"remark", Column::kRemark},
      {"remarks", Column::kRemark},          {"comment", Column::kRemark},
  };
  const auto it = kNames.find(canonical);
  if (it != kNames.end()) return it->second;
  // "CoF", "CoF 1", "CoF 12": one reading each.
  if (canonical == "cof") return Column::kReading;
  if (canonical.starts_with("cof ") && canonical.size() > 4 &&
      std::all_of(canonical.begin() + 4, canonical.end(),
                  [](char ch) { return std::isdigit(static_cast<unsigned char>(ch)) != 0; })) {
    return Column::kReading;
  }
  return Column::kIgnored;
}

struct ValueSource {
  std::string value;
  int line = 0;  // where the header gave it
};

struct Row {
  int line = 0;
  std::string sample;
  std::string specimen;
  const char* property_key = nullptr;
  std::string mode_name;
  std::string value;  // mean of the readings, 2 decimals
  std::string remark;
};

class SlipParser {
 public:
  SlipParser(std::istream& in, const ParseLimits& limits)
      : input_(in, limits), limits_(limits), errors_(limits.max_errors) {
    file_.header.format = kSlipResultFormat;
  }

  Result<ParsedFile> Run() {
    LIMS_RETURN_IF_ERROR(ReadHeader());
    LIMS_RETURN_IF_ERROR(ReadRows());
    FinishResults();
    file_.errors = errors_.Take();
    file_.lines = input_.line_number();
    return std::move(file_);
  }

 private:
  Status ReadHeader() {
    std::string line;
    while (NextDataLine(input_, line)) {
      if (std::optional<HeaderLine> field = SplitHeaderLine(line)) {
        LIMS_RETURN_IF_ERROR(AddHeaderField(*field));
        continue;
      }
      return ReadColumns(line);
    }
    LIMS_RETURN_IF_ERROR(input_.status());
    return LineError(input_.line_number(),
                     "no column header line (Sample, Specimen, Mode, CoF 1, ...) after the header block: not a "
                     "slip result file, or cut off before its table");
  }

  Status AddHeaderField(const HeaderLine& field) {
    const int line = input_.line_number();
    const std::string key = Canonical(field.key, kAsBlank);
    LIMS_RETURN_IF_ERROR(RecordHeaderKey(seen_keys_, key, field, line));
    if (key == "serial" || key == "serial number" || key == "serial no" || key == "serial no." || key == "s/n") {
      file_.header.instrument_serial = field.value;
      return Status::Ok();
    }
    if (key == "operator" || key == "tested by") {
      file_.header.operator_name = field.value;
      return Status::Ok();
    }
    if (key == "date" || key == "test date") return ReadHeaderDate(field, line, file_.header.test_date);
    file_.header.fields[field.key] = field.value;
    return InterpretField(key, field, line);
  }

  // Header fields that change how rows are read; the others are only kept in header.fields.
  Status InterpretField(const std::string& key, const HeaderLine& field, int line) {
    if (key == "method" || key == "test method") method_ = field.value;
    if (key == "floor") floor_ = ValueSource{field.value, line};
    if (key == "contaminant" || key == "lubricant") contaminant_ = ValueSource{field.value, line};
    if (key == "specification" || key == "product standard") {
      edition_ = ParseEdition(field.value);
      if (!edition_) {
        return LineError(line, field.key + ": " + Quoted(field.value) +
                                   " is not EN ISO 20345:2011, EN ISO 20345:2022, EN ISO 20347:2012 or EN ISO "
                                   "20347:2022");
      }
    }
    if (key == "temperature") {
      temperature_ = NumberWithUnit(field.value, {"", "°c", "ºc", "° c", "degc", "deg c", "c"});
      if (!temperature_) return LineError(line, field.key + ": " + Quoted(field.value) + " is not a temperature in °C");
    }
    if (key == "relative humidity" || key == "humidity" || key == "rh") {
      humidity_ = NumberWithUnit(field.value, {"", "%", "% rh", "%rh"});
      if (!humidity_) return LineError(line, field.key + ": " + Quoted(field.value) + " is not a humidity in %");
    }
    return Status::Ok();
  }

  Status ReadColumns(const std::string& line) {
    const int number = input_.line_number();
    Result<std::vector<std::string>> names = SplitColumnHeader(line, number, "a slip result file", delimiter_);
    if (!names.ok()) return names.status();
    for (const std::string& name : *names) {
      LIMS_RETURN_IF_ERROR(AddColumn(std::string(Trim(name)), number));
    }
    return CheckColumns(number);
  }

  Status AddColumn(const std::string& name, int line) {
    const Column column = ColumnFor(Canonical(name, kAsBlank));
    columns_.push_back(column);
    column_names_.push_back(name);
    if (column == Column::kIgnored || column == Column::kReading) return Status::Ok();
    if (column_index_.count(column) > 0) return LineError(line, "column " + Quoted(name) + " appears twice");
    column_index_[column] = columns_.size() - 1;
    return Status::Ok();
  }

  Status CheckColumns(int line) {
    for (const auto& [column, name] : {std::pair{Column::kSample, "Sample"}, std::pair{Column::kSpecimen, "Specimen"},
                                       std::pair{Column::kMode, "Mode"}}) {
      if (column_index_.count(column) == 0) {
        return LineError(line, "column \"" + std::string(name) + "\" missing: not a slip result file");
      }
    }
    if (std::find(columns_.begin(), columns_.end(), Column::kReading) == columns_.end()) {
      return LineError(line, "no CoF reading column (\"CoF 1\", \"CoF 2\", ...): not a slip result file");
    }
    if (!edition_) {
      return LineError(line,
                       "header field \"Specification\" missing: it chooses between the 2011 (SRA/SRB) and the 2022 "
                       "properties");
    }
    return Status::Ok();
  }

  Status ReadRows() {
    std::string line;
    while (NextDataLine(input_, line)) {
      std::optional<Row> row = ReadRow(line);
      if (row) LIMS_RETURN_IF_ERROR(AddRow(std::move(*row)));
    }
    return input_.status();
  }

  std::string Field(const std::vector<std::string>& fields, Column column) const {
    return FieldOf(fields, column_index_, column);
  }

  // A row's value, or a FileError (recorded) and nullopt.
  std::optional<Row> ReadRow(const std::string& text) {
    Row row;
    row.line = input_.line_number();
    Result<std::vector<std::string>> fields = SplitDataRow(text, delimiter_, columns_.size());
    if (!fields.ok()) return errors_.Refuse(row.line, fields.status().message());
    row.sample = Field(*fields, Column::kSample);
    row.specimen = Field(*fields, Column::kSpecimen);
    row.remark = Field(*fields, Column::kRemark);
    if (row.sample.empty()) return errors_.Refuse(row.line, "Sample: empty");
    if (row.specimen.empty()) return errors_.Refuse(row.line, "Specimen: empty");
    if (!MapProperty(*fields, row)) return std::nullopt;
    if (!MeanOfReadings(*fields, row)) return std::nullopt;
    return row;
  }

  // The row's value of a column, else the header's ("Floor: ceramic tile").
  std::optional<ValueSource> RowOrHeader(const std::vector<std::string>& fields, Column column,
                                         const std::optional<ValueSource>& header) const {
    std::string value = Field(fields, column);
    if (!value.empty()) return ValueSource{value, 0};
    return header;
  }

  bool MapProperty(const std::vector<std::string>& fields, Row& row) {
    const std::string mode_text = Field(fields, Column::kMode);
    const std::optional<Mode> mode = ParseMode(mode_text);
    if (!mode) {
      return errors_.Reject(row.line, "Mode: unknown test mode " + Quoted(mode_text) +
                                          " (heel forward, forepart backward or flat forward)");
    }
    const std::optional<ValueSource> floor_text = RowOrHeader(fields, Column::kFloor, floor_);
    if (!floor_text)
      return errors_.Reject(row.line, "Floor: not given (no Floor column value, no \"Floor:\" header line)");
    const std::optional<Floor> floor = ParseFloor(floor_text->value);
    if (!floor) {
      return errors_.Reject(row.line, "Floor: unknown floor " + Quoted(floor_text->value) + From(*floor_text) +
                                          " (ceramic tile or steel)");
    }
    const std::optional<ValueSource> cont_text = RowOrHeader(fields, Column::kContaminant, contaminant_);
    if (!cont_text) {
      return errors_.Reject(row.line,
                            "Contaminant: not given (no Contaminant column value, no \"Contaminant:\" header line)");
    }
    const std::optional<Contaminant> contaminant = ParseContaminant(cont_text->value);
    if (!contaminant) {
      return errors_.Reject(row.line, "Contaminant: unknown contaminant " + Quoted(cont_text->value) +
                                          From(*cont_text) + " (NaLS or glycerine)");
    }
    row.property_key = FindPropertyKey(*edition_, *floor, *contaminant, *mode);
    row.mode_name = ModeName(*mode);
    if (row.property_key == nullptr) {
      return errors_.Reject(row.line, std::string("Mode: ") + ModeName(*mode) + " on " + FloorName(*floor) + " with " +
                                          ContaminantName(*contaminant) + " is not a slip test of " +
                                          EditionName(*edition_));
    }
    return true;
  }

  static std::string From(const ValueSource& source) {
    return source.line > 0 ? " (header line " + std::to_string(source.line) + ")" : "";
  }

  bool MeanOfReadings(const std::vector<std::string>& fields, Row& row) {
    Decimal sum;
    int count = 0;
    for (size_t i = 0; i < columns_.size() && i < fields.size(); ++i) {
      if (columns_[i] != Column::kReading) continue;
      const std::string text(Trim(fields[i]));
      if (text.empty()) continue;
      std::optional<Decimal> reading = ParseReading(row.line, column_names_[i], text);
      if (!reading) return false;
      Result<Decimal> next = sum.Plus(*reading);
      if (!next.ok()) return errors_.Reject(row.line, column_names_[i] + ": " + next.status().message());
      sum = *next;
      ++count;
    }
    if (count == 0) return errors_.Reject(row.line, "CoF: no reading in any CoF column");
    Result<Decimal> mean = sum.DividedBy(count, 2);
    if (!mean.ok()) return errors_.Reject(row.line, "CoF: " + mean.status().message());
    row.value = mean->ToString();
    return true;
  }

  std::optional<Decimal> ParseReading(int line, const std::string& column, const std::string& text) {
    Result<std::string> normal = NormalizeDecimal(text);
    Result<Decimal> value = normal.ok() ? Decimal::Parse(*normal) : Result<Decimal>(normal.status());
    if (!value.ok()) return errors_.Refuse(line, column + ": " + Quoted(text) + " is not a number");
    if (value->IsNegative() || Decimal::FromInteger(2) < *value) {
      return errors_.Refuse(line, column + ": " + value->ToString() + " is outside 0..2");
    }
    return *value;
  }

  Status AddRow(Row row) {
    const std::pair<std::string, std::string> key{row.sample, row.property_key};
    auto it = result_index_.find(key);
    if (it == result_index_.end()) {
      LIMS_RETURN_IF_ERROR(CheckResultLimit(file_.results.size(), limits_, row.line));
      it = result_index_.emplace(key, file_.results.size()).first;
      file_.results.push_back(NewResult(row));
      remarks_.emplace_back();
      specimens_.emplace_back();
    }
    const auto [seen, inserted] = specimens_[it->second].emplace(row.specimen, row.line);
    if (!inserted) {
      errors_.Add(row.line, "Specimen: " + Quoted(row.specimen) + " of " + row.sample + " already has a " +
                                row.mode_name + " result for " + row.property_key + " (line " +
                                std::to_string(seen->second) + ")");
      return Status::Ok();
    }
    file_.results[it->second].values.push_back(row.value);
    if (!row.remark.empty()) remarks_[it->second].push_back("specimen " + row.specimen + ": " + row.remark);
    return Status::Ok();
  }

  ImportedResult NewResult(const Row& row) const {
    ImportedResult result;
    result.line = row.line;
    result.sample_ref = row.sample;
    result.quantity = row.property_key;
    result.method = method_;
    result.unit = "";
    result.temperature_c = temperature_;
    result.humidity_pct = humidity_;
    return result;
  }

  void FinishResults() {
    for (size_t i = 0; i < file_.results.size(); ++i) {
      std::string joined;
      for (const std::string& remark : remarks_[i]) joined += (joined.empty() ? "" : "; ") + remark;
      file_.results[i].remarks = joined;
    }
  }

  TextInput input_;
  ParseLimits limits_;
  ErrorList errors_;
  ParsedFile file_;
  std::map<std::string, int> seen_keys_;  // canonical header key → line
  std::string method_;
  std::optional<Edition> edition_;
  std::optional<ValueSource> floor_;
  std::optional<ValueSource> contaminant_;
  std::optional<std::string> temperature_;
  std::optional<std::string> humidity_;
  char delimiter_ = 0;
  std::vector<Column> columns_;
  std::vector<std::string> column_names_;
  std::map<Column, size_t> column_index_;
  std::map<std::pair<std::string, std::string>, size_t> result_index_;  // (sample, property) → results[i]
  std::vector<std::vector<std::string>> remarks_;                       // per result
  std::vector<std::map<std::string, int>> specimens_;                   // per result: specimen → line
};

}  // namespace

Result<ParsedFile> ParseSlipResultFile(std::istream& in, const ParseLimits& limits) {
  SlipParser parser(in, limits);
  return parser.Run();
}

}  // namespace lims::instruments
