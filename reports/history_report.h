// The auditors' summary of the rejection history for a period and a district (issue 8): key
// figures, a bar chart of the rejection rate by month and one of the requirements failed most,
// drawn as vector graphics, and the tables behind them. Rendered here unsigned; the HTTP layer signs
// the bytes with the lab's key (reports/pdf_signer.h) as it signs certificates.
//
// Rendering is a pure function of its inputs (no clock: the one date printed and set as the PDF
// creation date is data.generated_at), so the same figures give the same bytes. Thread-safe: each
// call owns its libharu document.
#ifndef LIMS_REPORTS_HISTORY_REPORT_H_
#define LIMS_REPORTS_HISTORY_REPORT_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "lims/core/status.h"
#include "reports/sample_report.h"  // FontSet

namespace lims::reports {

struct HistoryMonth {
  std::string month;  // "2026-03"
  int64_t tested = 0;
  int64_t rejected = 0;
};

struct HistoryRequirement {
  std::string code;  // "EN20345-2022-CRVI"
  std::string standard, clause, property;
  int64_t failures = 0;
};

struct HistoryExporter {
  std::string exporter;
  int64_t tested = 0;
  int64_t rejected = 0;
};

struct HistoryOffender {
  std::string exporter;
  std::string requirement;
  int64_t rejections = 0;
};

struct HistoryReportData {
  std::string number;  // "AGR-RH-20261126T101500Z": printed on every page
  std::string lab_name, lab_address, lab_accreditation;
  std::string district;                // "" = all districts
  std::string period_from, period_to;  // printed as given: "2026-01-01", "2026-12-31" (inclusive)
  std::string generated_at;            // RFC 3339 UTC: printed, and the PDF creation date
  std::string generated_by;            // "asha (auditor)"
  int64_t tested = 0;                  // samples issued in the period
  int64_t rejected = 0;                // of them, with at least one requirement not met
  std::optional<double> turnaround_median_h, turnaround_p90_h;
  std::vector<HistoryMonth> months;                  // chronological; months with nothing tested included
  std::vector<HistoryRequirement> top_requirements;  // most failures first
  std::vector<HistoryExporter> exporters;            // most rejections first
  std::vector<HistoryOffender> repeat_offenders;     // most rejections first
};

// A4 portrait: lab block, title with district and period, key figures, the two charts (or a
// sentence when nothing was issued), then the tables by month, requirement, exporter and repeat
// offender, which break across pages with their headings repeated. Every page has a footer with
// the number and "page x of y"; the last ends with who generated it and "End of document".
// Errors: InvalidArgument (field errors) for a missing number or period, a malformed
// generated_at or more than 240 months; Internal when a font cannot be read or libharu fails.
lims::Result<std::string> RenderHistoryReport(const HistoryReportData& data, const FontSet& fonts);

}  // namespace lims::reports

#endif  // LIMS_REPORTS_HISTORY_REPORT_H_
