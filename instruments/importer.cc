#include "instruments/importer.h"

#include <algorithm>
#include <map>
#include <memory>

#include "instruments/analytical_table.h"
#include "instruments/import_mapping.h"
#include "instruments/slip_result.h"
#include "instruments/utm_curve.h"
#include "lims/core/clock.h"

namespace lims::instruments {
namespace {

// Result entry's refusals that are about the row (the rest, such as a lost connection, end the import).
bool IsRowRefusal(const Status& s) {
  return s.code() == Status::Code::kInvalidArgument || s.code() == Status::Code::kUnprocessable ||
         s.code() == Status::Code::kConflict || s.code() == Status::Code::kNotFound;
}

// The file's test date as the time of measurement: the start of that (UTC) day, which the
// calibration gate judges by its day, and which is never in the future when the file says today.
std::optional<Timestamp> TestedAt(const FileHeader& header) {
  if (header.test_date.empty()) return std::nullopt;
  Result<Timestamp> t = ParseRfc3339(header.test_date + "T00:00:00Z");
  if (!t.ok()) return std::nullopt;
  return *t;
}

std::string Outcome(ImportMode mode, int accepted, int rejected) {
  if (rejected == 0 && accepted > 0) return "imported";
  if (mode == ImportMode::kValidRows && accepted > 0) return "partial";
  return "rejected";
}

}  // namespace

std::string_view FileFormatName(FileFormat f) {
  switch (f) {
    case FileFormat::kUtmCurve:
      return "utm-curve-csv";
    case FileFormat::kSlipResult:
      return "slip-result";
    case FileFormat::kAnalyticalTable:
      return "analytical-table";
  }
  return "?";
}

Result<FileFormat> ParseFileFormat(std::string_view name) {
  for (FileFormat f : {FileFormat::kUtmCurve, FileFormat::kSlipResult, FileFormat::kAnalyticalTable}) {
    if (FileFormatName(f) == name) return f;
  }
  return Status::InvalidArgument("unknown file format",
                                 {{"format", "must be utm-curve-csv, slip-result or analytical-table"}});
}

std::optional<FileFormat> DefaultFormatFor(std::string_view type) {
  if (type == "universal_testing_machine") return FileFormat::kUtmCurve;
  if (type == "slip_tester") return FileFormat::kSlipResult;
  for (std::string_view t : {"spectrophotometer", "gc_ms", "lc_ms", "hplc", "icp_oes", "icp_ms", "aas"}) {
    if (type == t) return FileFormat::kAnalyticalTable;
  }
  return std::nullopt;
}

Result<ParsedFile> ParseResultFile(FileFormat format, std::istream& in, const ParseLimits& limits) {
  switch (format) {
    case FileFormat::kUtmCurve:
      return ParseUtmCurveFile(in, limits);
    case FileFormat::kSlipResult:
      return ParseSlipResultFile(in, limits);
    case FileFormat::kAnalyticalTable:
      return ParseAnalyticalTable(in, limits);
  }
  return Status::Internal("unknown file format");
}

std::string_view ImportModeName(ImportMode m) {
  return m == ImportMode::kAllOrNothing ? "all" : "valid";
}

Result<ImportMode> ParseImportMode(std::string_view name) {
  if (name == "all") return ImportMode::kAllOrNothing;
  if (name == "valid") return ImportMode::kValidRows;
  return Status::InvalidArgument("unknown import mode", {{"mode", "must be \"all\" or \"valid\""}});
}

Result<ImportReport> ImportResultFile(SampleService& service, const ImportRequest& request, std::istream& in,
                                      const ParseLimits& limits) {
  Result<ParsedFile> file = ParseResultFile(request.format, in, limits);
  if (!file.ok()) return file.status();

  // Each sample is read once; an unknown one is remembered as such.
  std::map<std::string, std::unique_ptr<std::vector<TestRecord>>> samples;
  Status failure;
  const TestsOfSample tests_of = [&](const std::string& number) -> const std::vector<TestRecord>* {
    auto [it, fresh] = samples.try_emplace(number);
    if (fresh) {
      Result<SampleRecord> s = service.Get(number);
      if (s.ok()) {
        it->second = std::make_unique<std::vector<TestRecord>>(std::move(s->tests));
      } else if (s.status().code() != Status::Code::kNotFound) {
        failure = s.status();
      }
    }
    return it->second.get();
  };
  const std::string label = std::string(FileFormatName(request.format)) + " " + request.sha256.substr(0, 12);
  ImportPlan plan = MapResults(*file, tests_of, request.instrument, label);
  if (!failure.ok()) return failure;

  ImportReport report;
  report.header = file->header;
  const std::optional<Timestamp> tested_at = TestedAt(file->header);
  for (const FileError& e : plan.rejected) report.rows.push_back({e.line, false, "", 0, 0, "", e.reason, {}});
  for (MappedResult& m : plan.accepted) {
    ImportRow row{m.line, false, m.sample_number, m.test_id, 0, "", "", {}};
    m.entry.tested_at = tested_at;
    Result<ResultRecord> entered = service.EnterResult(m.test_id, m.entry);
    if (entered.ok()) {
      row.accepted = true;
      row.result_id = entered->id;
      row.verdict = std::string(VerdictName(entered->verdict));
    } else if (IsRowRefusal(entered.status())) {
      row.reason = entered.status().message();
      row.errors = entered.status().field_errors();
    } else {
      return entered.status();
    }
    report.rows.push_back(std::move(row));
  }
  std::stable_sort(report.rows.begin(), report.rows.end(),
                   [](const ImportRow& a, const ImportRow& b) { return a.line < b.line; });
  for (const ImportRow& r : report.rows) (r.accepted ? report.accepted : report.rejected)++;
  report.outcome = Outcome(request.mode, report.accepted, report.rejected);
  return report;
}

}  // namespace lims::instruments
