// Renders a typical one-page certificate of conformity with 15 rows N times (default 200; argv[1]
// overrides) and prints the latency distribution and the PDF size. Run by hand:
// `certificate_bench [N]`.
#include <cstdio>
#include <ratio>
#include <string>

#include "bench/bench_util.h"
#include "bench/certificate_fixture.h"
#include "reports/certificate.h"

namespace {

using lims::reports::CertificateData;

}  // namespace

int main(int argc, char** argv) {
  const int runs = lims::bench::RunsFromArgs(argc, argv, 200);
  if (runs == 0) return 2;
  const CertificateData data = lims::bench::TypicalCertificate();
  const lims::reports::FontSet fonts = lims::reports::FontSet::Default();
  lims::Result<lims::bench::Timing> timing =
      lims::bench::TimeRuns<std::milli>(runs, "render", [&] { return lims::reports::RenderCertificate(data, fonts); });
  if (!timing.ok()) return 1;
  std::printf("certificate_bench: %d renders of a 15-row certificate\n", runs);
  lims::bench::PrintLatency(*timing, "ms", 0, 2);
  std::printf("  pdf %zu bytes\n", timing->bytes);
  return 0;
}
