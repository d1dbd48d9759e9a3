// The sample report that the report tests and benches render: a Kanpur lab, one sample with a
// non-ASCII exporter name, and fixed RFC 3339 times so that renders are reproducible. Callers add
// the rows (and any further fields) they need. Header-only, with no test framework dependency, so
// that bench/ can use it too.
#ifndef LIMS_TESTS_REPORTS_REPORT_FIXTURES_H_
#define LIMS_TESTS_REPORTS_REPORT_FIXTURES_H_

#include "reports/sample_report.h"

namespace lims::reports::fixtures {

// Lab, sample number, exporter, product, status and dates; no rows.
inline SampleReportData SmallReportHeader() {
  SampleReportData data;
  data.lab_name = "Pramaan Test Laboratory";
  data.lab_address = "Plot 12, Industrial Estate, Kanpur 208012, India";
  data.lab_accreditation = "Accredited to ISO/IEC 17025:2017, certificate TC-1234";
  data.sample_number = "AGR-2026-000123";
  data.exporter_name = "Łódź Šoe Exports";
  data.product = "Leather footwear";
  data.received_at = "2026-11-23T10:15:00Z";
  data.status = "in_testing";
  data.generated_at = "2026-11-24T08:00:00Z";
  return data;
}

// SmallReportHeader with article, lot, destination and condition filled in too.
inline SampleReportData FullReportHeader() {
  SampleReportData data = SmallReportHeader();
  data.article = "ART-7";
  data.lot = "L-2026-11";
  data.destination = "European Union";
  data.condition = "Sealed bag, intact";
  return data;
}

}  // namespace lims::reports::fixtures

#endif  // LIMS_TESTS_REPORTS_REPORT_FIXTURES_H_
