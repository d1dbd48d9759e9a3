#include "instruments/analytical_table.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <optional>
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
// The table's vocabulary.

enum class Column { kSample, kSpecimen, kAnalyte, kCas, kConcentration, kUnit, kLoq, kDilution, kFlag, kIgnored };

Column ColumnFor(const std::string& canonical) {
  static const std::map<std::string, Column, std::less<>> kNames = {
      {"sample id", Column::kSample},
      {"sample", Column::kSample},
      {"sample name", Column::kSample},
      {"sample no", Column::kSample},
      {"sample no.", Column::kSample},
      {"sample number", Column::kSample},
      {"specimen id", Column::kSpecimen},
      {"specimen", Column::kSpecimen},
      {"portion", Column::kSpecimen},
      {"analyte", Column::kAnalyte},
      {"compound", Column::kAnalyte},
      {"element", Column::kAnalyte},
      {"component", Column::kAnalyte},
      {"parameter", Column::kAnalyte},
      {"cas", Column::kCas},
      {"cas no", Column::kCas},
      {"cas no.", Column::kCas},
      {"cas number", Column::kCas},
      {"cas rn", Column::kCas},
      {"concentration", Column::kConcentration},
      {"conc", Column::kConcentration},
      {"conc.", Column::kConcentration},
      {"result", Column::kConcentration},
      {"amount", Column::kConcentration},
      {"unit", Column::kUnit},
      {"units", Column::kUnit},
      {"loq", Column::kLoq},
      {"limit of quantification", Column::kLoq},
      {"reporting limit", Column::kLoq},
      {"rl", Column::kLoq},
      {"dilution factor", Column::kDilution},
      {"dilution", Column::kDilution},
      {"dil. factor", Column::kDilution},
      {"dil factor", Column::kDilution},
      {"dil.", Column::kDilution},
      {"df", Column::kDilution},
      {"flag", Column::kFlag},
      {"flags", Column::kFlag},
      {"qualifier", Column::kFlag},
  };
  const auto it = kNames.find(canonical);
  return it == kNames.end() ? Column::kIgnored : it->second;
}

// "ND", "n.d.", "<LOQ", "< LOQ", "not detected" (any case): the analyte was not found.
bool MeansNotDetected(std::string_view text) {
  std::string compact;
  for (char c : Canonical(text)) {
    if (c != ' ') compact.push_back(c);
  }
  return compact == "nd" || compact == "n.d." || compact == "n.d" || compact == "<loq" || compact == "notdetected";
}

// "ppm", "µg/g" and "ug/g" are mg/kg of the (solid) sample; every other unit stays as written.
std::string NormalizeUnit(std::string_view text) {
  std::string unit(Trim(text));
  const std::string lower = Canonical(unit);
  // "µg/g" with the micro sign (U+00B5) or the Greek mu (U+03BC); Canonical leaves both bytes alone.
  if (lower == "ppm" || lower == "ug/g" || lower == "\xC2\xB5g/g" || lower == "\xCE\xBCg/g" || lower == "mg/kg") {
    return "mg/kg";
  }
  return unit;
}

// A plain decimal number ("0,5" allowed) as '.'-decimal text and its value; nullopt otherwise.
std::optional<std::pair<std::string, Decimal>> ParseNumber(std::string_view text) {
  Result<std::string> normal = NormalizeDecimal(text);
  if (!normal.ok()) return std::nullopt;
  Result<Decimal> value = Decimal::Parse(*normal);
  if (!value.ok()) return std::nullopt;
  return std::pair{std::move(normal).value(), *value};
}

// ---------------------------------------------------------------------------------------------
// The parser.

struct Row {
  int line = 0;
  std::string sample;
  std::string analyte;
  std::string unit;
  std::string value;               // the concentration as '.'-decimal text, or "<LOQ"
  std::vector<std::string> notes;  // "not detected (< LOQ 0.5 mg/kg)", "dilution 10", "flag E"
};

struct Cells {
  std::string concentration;
  std::string loq;
  std::string dilution;
  std::string flag;
};

class AnalyticalParser {
 public:
  AnalyticalParser(std::istream& in, const ParseLimits& limits)
      : input_(in, limits), limits_(limits), errors_(limits.max_errors) {
    file_.header.format = kAnalyticalTableFormat;
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
                     "no column header line (Sample ID, Analyte, Concentration, Unit, LOQ, ...) after the header "
                     "block: not an analytical result table, or cut off before its table");
  }

  Status AddHeaderField(const HeaderLine& field) {
    const int line = input_.line_number();
    const std::string key = Canonical(field.key);
    LIMS_RETURN_IF_ERROR(RecordHeaderKey(seen_keys_, key, field, line));
    if (key == "serial" || key == "serial number" || key == "serial no" || key == "serial no." || key == "s/n" ||
        key == "instrument serial") {
      file_.header.instrument_serial = field.value;
    } else if (key == "analyst" || key == "operator" || key == "analysed by" || key == "analyzed by") {
      file_.header.operator_name = field.value;
    } else if (key == "date" || key == "acquisition date" || key == "analysis date" || key == "test date") {
      return ReadHeaderDate(field, line, file_.header.test_date);
    } else {
      file_.header.fields[field.key] = field.value;
      if (key == "method") method_ = field.value;
    }
    return Status::Ok();
  }

  Status ReadColumns(const std::string& line) {
    const int number = input_.line_number();
    Result<std::vector<std::string>> names = SplitColumnHeader(line, number, "an analytical result table", delimiter_);
    if (!names.ok()) return names.status();
    column_count_ = names->size();
    for (size_t i = 0; i < names->size(); ++i) {
      const std::string name(Trim((*names)[i]));
      const Column column = ColumnFor(Canonical(name));
      if (column == Column::kIgnored) continue;
      if (!column_index_.emplace(column, i).second) {
        return LineError(number, "column " + Quoted(name) + " appears twice");
      }
    }
    return CheckColumns(number);
  }

  Status CheckColumns(int line) const {
    if (column_index_.count(Column::kSample) == 0 && column_index_.count(Column::kSpecimen) == 0) {
      return LineError(line, "column \"Sample ID\" missing: not an analytical result table");
    }
    for (const auto& [column, name] :
         {std::pair{Column::kAnalyte, "Analyte"}, std::pair{Column::kConcentration, "Concentration"},
          std::pair{Column::kUnit, "Unit"}, std::pair{Column::kLoq, "LOQ"}}) {
      if (column_index_.count(column) == 0) {
        return LineError(line, "column \"" + std::string(name) + "\" missing: not an analytical result table");
      }
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
    Result<std::vector<std::string>> fields = SplitDataRow(text, delimiter_, column_count_);
    if (!fields.ok()) return errors_.Refuse(row.line, fields.status().message());
    row.sample = Field(*fields, Column::kSample);
    if (row.sample.empty()) row.sample = Field(*fields, Column::kSpecimen);
    row.analyte = Field(*fields, Column::kAnalyte);
    const std::string unit = Field(*fields, Column::kUnit);
    const Cells cells{Field(*fields, Column::kConcentration), Field(*fields, Column::kLoq),
                      Field(*fields, Column::kDilution), Field(*fields, Column::kFlag)};
    if (row.sample.empty()) return errors_.Refuse(row.line, "Sample ID: empty");
    if (row.analyte.empty()) return errors_.Refuse(row.line, "Analyte: empty");
    if (cells.concentration.empty() && !MeansNotDetected(cells.flag)) {
      return errors_.Refuse(row.line, "Concentration: missing");
    }
    if (unit.empty()) return errors_.Refuse(row.line, "Unit: empty");
    row.unit = NormalizeUnit(unit);
    if (!Quantify(cells, row)) return std::nullopt;
    return row;
  }

  // Decides the row's value from its concentration, LOQ, flag and dilution; false after a refusal.
  bool Quantify(const Cells& cells, Row& row) {
    if (cells.loq.empty()) return errors_.Reject(row.line, "LOQ: missing");
    const auto loq = ParseNumber(cells.loq);
    if (!loq) return errors_.Reject(row.line, "LOQ: " + Quoted(cells.loq) + " is not a number");
    if (loq->second.IsNegative() || loq->second.IsZero()) {
      return errors_.Reject(row.line, "LOQ: " + loq->first + " is not greater than 0");
    }
    std::optional<bool> detected = Detected(cells, loq->second, row);
    if (!detected) return false;
    if (!RecordDilution(cells.dilution, row)) return false;
    if (!*detected) {
      row.value = "<" + loq->first;
      row.notes.insert(row.notes.begin(), "not detected (< LOQ " + loq->first + " " + row.unit + ")");
    }
    const std::string flag = cells.flag;
    if (!flag.empty() && !MeansNotDetected(flag)) row.notes.push_back("flag " + flag);
    return true;
  }

  // Whether the concentration is at or above the LOQ (row.value set); nullopt after a refusal.
  std::optional<bool> Detected(const Cells& cells, const Decimal& loq, Row& row) {
    const std::string& conc = cells.concentration;
    const bool flagged = MeansNotDetected(cells.flag);
    if (conc.empty()) return false;  // flagged: ReadRow refused an empty unflagged cell
    // "ND" or "<0.5" in the concentration cell: not detected, reported against the LOQ column.
    if (MeansNotDetected(conc) || (conc.front() == '<' && ParseNumber(conc.substr(1)))) return false;
    const auto value = ParseNumber(conc);
    if (!value) return errors_.Refuse(row.line, "Concentration: " + Quoted(conc) + " is not a number");
    if (value->second.IsNegative()) return errors_.Refuse(row.line, "Concentration: " + value->first + " is negative");
    row.value = value->first;  // zero (even "-0") is always below the LOQ, which is > 0
    return !flagged && !(value->second < loq);
  }

  bool RecordDilution(const std::string& text, Row& row) {
    if (text.empty()) return true;
    const auto factor = ParseNumber(text);
    if (!factor) return errors_.Reject(row.line, "Dilution factor: " + Quoted(text) + " is not a number");
    if (factor->second.IsNegative() || factor->second.IsZero()) {
      return errors_.Reject(row.line, "Dilution factor: " + factor->first + " is not greater than 0");
    }
    if (factor->second != Decimal::FromInteger(1)) row.notes.push_back("dilution " + factor->first);
    return true;
  }

  Status AddRow(Row row) {
    const std::pair<std::string, std::string> key{row.sample, row.analyte};
    auto it = result_index_.find(key);
    if (it == result_index_.end()) {
      LIMS_RETURN_IF_ERROR(CheckResultLimit(file_.results.size(), limits_, row.line));
      it = result_index_.emplace(key, file_.results.size()).first;
      file_.results.push_back(NewResult(row));
      notes_.emplace_back();
    }
    ImportedResult& result = file_.results[it->second];
    if (result.unit != row.unit) {
      errors_.Add(row.line, "Unit: " + Quoted(row.unit) + " differs from " + Quoted(result.unit) + " of " + row.sample +
                                " " + row.analyte + " on line " + std::to_string(result.line));
      return Status::Ok();
    }
    result.values.push_back(row.value);
    notes_[it->second].push_back(std::move(row.notes));
    return Status::Ok();
  }

  ImportedResult NewResult(const Row& row) const {
    ImportedResult result;
    result.line = row.line;
    result.sample_ref = row.sample;
    result.quantity = row.analyte;
    result.method = method_;
    result.unit = row.unit;
    return result;
  }

  // One value: its notes joined by "; ". Replicates: "replicate 2: not detected (...), dilution 10".
  void FinishResults() {
    for (size_t i = 0; i < file_.results.size(); ++i) {
      const std::vector<std::vector<std::string>>& notes = notes_[i];
      if (notes.size() == 1) {
        file_.results[i].remarks = Join(notes[0], "; ");
        continue;
      }
      std::vector<std::string> replicates;
      for (size_t v = 0; v < notes.size(); ++v) {
        if (!notes[v].empty()) replicates.push_back("replicate " + std::to_string(v + 1) + ": " + Join(notes[v], ", "));
      }
      file_.results[i].remarks = Join(replicates, "; ");
    }
  }

  static std::string Join(const std::vector<std::string>& parts, std::string_view separator) {
    std::string out;
    for (const std::string& part : parts) {
      if (!out.empty()) out += separator;
      out += part;
    }
    return out;
  }

  TextInput input_;
  ParseLimits limits_;
  ErrorList errors_;
  ParsedFile file_;
  std::map<std::string, int> seen_keys_;  // canonical header key → line
  std::string method_;
  char delimiter_ = 0;
  size_t column_count_ = 0;
  std::map<Column, size_t> column_index_;
  std::map<std::pair<std::string, std::string>, size_t> result_index_;  // (sample, analyte) → results[i]
  std::vector<std::vector<std::vector<std::string>>> notes_;            // per result, per value
};

}  // namespace

Result<ParsedFile> ParseAnalyticalTable(std::istream& in, const ParseLimits& limits) {
  AnalyticalParser parser(in, limits);
  return parser.Run();
}

}  // namespace lims::instruments
