// Renders a typical 15-row sample report N times (default 200; argv[1] overrides) and prints the
// latency distribution and the PDF size. Run by hand: `report_bench [N]`.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "reports/sample_report.h"

namespace {

using lims::reports::ReportResultRow;
using lims::reports::SampleReportData;

SampleReportData BenchData() {
  SampleReportData data;
  data.lab_name = "Pramaan Test Laboratory";
  data.lab_address = "Plot 12, Industrial Estate, Kanpur 208012, India";
  data.lab_accreditation = "Accredited to ISO/IEC 17025:2017, certificate TC-1234";
  data.sample_number = "AGR-2026-000123";
  data.exporter_name = "Łódź Šoe Exports";
  data.product = "Leather footwear";
  data.article = "ART-7";
  data.lot = "L-2026-11";
  data.destination = "European Union";
  data.condition = "Sealed bag, intact";
  data.received_at = "2026-11-23T10:15:00Z";
  data.status = "in_testing";
  data.generated_at = "2026-11-24T08:00:00Z";
  for (int i = 1; i <= 15; ++i) {
    const std::string n = std::to_string(i);
    data.rows.push_back(
        ReportResultRow{"REACH Annex XVII entry " + n, "Nickel release", "EN 1811", "0." + n + "; 0.1" + n,
                        "µg/cm²/week", "≤ 0.5 µg/cm²/week", i % 4 == 0 ? "fail" : (i % 5 == 0 ? "pending" : "pass"),
                        i % 3 == 0 ? "Both replicates are within the limit after the uncertainty is applied." : ""});
  }
  return data;
}

// Nearest-rank percentile of sorted samples.
double Percentile(const std::vector<double>& sorted, double p) {
  const size_t rank = static_cast<size_t>(p / 100.0 * static_cast<double>(sorted.size()) + 0.5);
  return sorted[std::clamp<size_t>(rank, 1, sorted.size()) - 1];
}

}  // namespace

int main(int argc, char** argv) {
  const int runs = argc > 1 ? std::atoi(argv[1]) : 200;
  if (runs <= 0) {
    std::fprintf(stderr, "usage: %s [runs > 0]\n", argv[0]);
    return 2;
  }
  const SampleReportData data = BenchData();
  const lims::reports::FontSet fonts = lims::reports::FontSet::Default();
  std::vector<double> ms;
  size_t bytes = 0;
  for (int i = 0; i < runs; ++i) {
    const auto start = std::chrono::steady_clock::now();
    lims::Result<std::string> pdf = lims::reports::RenderSampleReport(data, fonts);
    const auto end = std::chrono::steady_clock::now();
    if (!pdf.ok()) {
      std::fprintf(stderr, "render failed: %s\n", pdf.status().ToString().c_str());
      return 1;
    }
    bytes = pdf->size();
    ms.push_back(std::chrono::duration<double, std::milli>(end - start).count());
  }
  std::sort(ms.begin(), ms.end());
  std::printf("report_bench: %d renders of a 15-row report\n", runs);
  std::printf("p50 %.2f ms  p95 %.2f ms  max %.2f ms  pdf %zu bytes\n", Percentile(ms, 50), Percentile(ms, 95),
              ms.back(), bytes);
  return 0;
}
