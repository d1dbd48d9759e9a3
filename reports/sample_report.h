// The preliminary sample report: the PDF a lab hands out while a sample is still being tested.
//
// It lists what was received and every requirement with its results so far. It is unsigned and says
// so in its title; the signed certificate is a different document. Rendering is a pure function of
// its inputs (the data and the font files), so the same record always gives the same bytes.
#ifndef LIMS_REPORTS_SAMPLE_REPORT_H_
#define LIMS_REPORTS_SAMPLE_REPORT_H_

#include <string>
#include <vector>

#include "lims/core/status.h"

namespace lims::reports {

// One line of the results table. All text is UTF-8 and printed as given.
struct ReportResultRow {
  std::string requirement;  // e.g. "REACH Annex XVII entry 47"
  std::string property;     // e.g. "Chromium(VI) content"
  std::string method;       // e.g. "EN ISO 17075-2"
  std::string values;       // replicate values as entered, joined: "2.9; 3.1"
  std::string unit;         // "mg/kg", "N/mm", "µg/cm²/week"
  std::string limit;        // "< 3 mg/kg", "≥ 4.0 N/mm"
  std::string verdict;      // "pass", "fail", or "pending" (no result yet)
  std::string explanation;  // one sentence, may be empty
};

struct SampleReportData {
  std::string lab_name, lab_address, lab_accreditation;
  std::string sample_number;  // "AGR-2026-000123", printed on every page with "page x of y"
  std::string exporter_name, product, article, lot, destination, condition;
  std::string received_at;      // RFC 3339 UTC, e.g. "2026-11-23T10:15:00Z"
  std::string status;           // "received", "in_testing", ...
  std::string generated_at;     // RFC 3339 UTC; taken from the record, never from the clock
  std::string decision_rule;    // "guarded acceptance, w = U (ILAC-G8:09/2019)"
  std::string overall_verdict;  // "Fail (2 requirements)", "Pass", "Pending (3 tests open)"
  std::vector<ReportResultRow> rows;
};

// The TrueType files the report is set in. They must cover every character of the data; characters
// they lack print as the font's .notdef box.
struct FontSet {
  std::string regular;  // path to a TrueType file
  std::string bold;
  static FontSet Default();  // the build-time subsets in LIMS_DEFAULT_FONT_DIR
};

// Renders a preliminary (unsigned) test report: title "Preliminary test report — not a certificate",
// a header block with lab name/address/accreditation, a sample block, and a results table
// (requirement, property, method, values, unit, limit, verdict), with repeated table headers when
// the table continues on the next page, and footer "AGR-2026-000123 · page x of y" on every page,
// plus the sentence "The results relate only to the items tested." Returns the PDF bytes.
// Deterministic: the same data gives byte-identical output (no /ID, CreationDate from generated_at
// or none). Thread-safe: no shared state; each call owns its HPDF_Doc.
//
// Errors: InvalidArgument when sample_number is empty, a verdict is not pass/fail/pending, or
// generated_at is neither empty nor an RFC 3339 timestamp; Internal when a font file is missing or
// libharu fails (the message names the step).
lims::Result<std::string> RenderSampleReport(const SampleReportData& data, const FontSet& fonts);

}  // namespace lims::reports

#endif  // LIMS_REPORTS_SAMPLE_REPORT_H_
