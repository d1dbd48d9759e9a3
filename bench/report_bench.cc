// Renders a typical 15-row sample report N times (default 200; argv[1] overrides) and prints the
// latency distribution and the PDF size. Run by hand: `report_bench [N]`.
#include <cstdio>
#include <ratio>
#include <string>

#include "bench/bench_util.h"
#include "reports/sample_report.h"
#include "tests/reports/report_fixtures.h"

namespace {

using lims::reports::ReportResultRow;
using lims::reports::SampleReportData;

SampleReportData BenchData() {
  SampleReportData data = lims::reports::fixtures::FullReportHeader();
  for (int i = 1; i <= 15; ++i) {
    const std::string n = std::to_string(i);
    data.rows.push_back(
        ReportResultRow{"REACH Annex XVII entry " + n, "Nickel release", "EN 1811", "0." + n + "; 0.1" + n,
                        "µg/cm²/week", "≤ 0.5 µg/cm²/week", i % 4 == 0 ? "fail" : (i % 5 == 0 ? "pending" : "pass"),
                        i % 3 == 0 ? "Both replicates are within the limit after the uncertainty is applied." : ""});
  }
  return data;
}

}  // namespace

int main(int argc, char** argv) {
  const int runs = lims::bench::RunsFromArgs(argc, argv, 200);
  if (runs == 0) return 2;
  const SampleReportData data = BenchData();
  const lims::reports::FontSet fonts = lims::reports::FontSet::Default();
  lims::Result<lims::bench::Timing> timing =
      lims::bench::TimeRuns<std::milli>(runs, "render", [&] { return lims::reports::RenderSampleReport(data, fonts); });
  if (!timing.ok()) return 1;
  std::printf("report_bench: %d renders of a 15-row report\n", runs);
  lims::bench::PrintLatency(*timing, "ms", 0, 2);
  std::printf("  pdf %zu bytes\n", timing->bytes);
  return 0;
}
