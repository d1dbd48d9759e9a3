// Renders a typical one-page certificate of conformity with 15 rows N times (default 200; argv[1]
// overrides) and prints the latency distribution and the PDF size. Run by hand:
// `certificate_bench [N]`.
#include <cstdio>
#include <ratio>
#include <string>

#include "bench/bench_util.h"
#include "reports/certificate.h"

namespace {

using lims::reports::CertificateData;
using lims::reports::CertificateRow;

CertificateData BenchData() {
  CertificateData data;
  data.number = "AGR-C-2026-000001";
  data.lab_name = "Pramaan Test Laboratory";
  data.lab_address = "Plot 12, Industrial Estate, Kanpur 208012, India";
  data.lab_accreditation = "Accredited to ISO/IEC 17025:2017, certificate TC-1234";
  data.test_location = "Permanent laboratory, Kanpur";
  data.customer_name = "Łódź Šoe Exports";
  data.customer_address = "14 Leather Market, Agra 282002, India";
  data.customer_iec = "0599001234";
  data.sample_number = "AGR-2026-000123";
  data.sample_description = "Safety boots, leather upper, PU sole";
  data.article = "ART-7";
  data.lot = "L-2026-11";
  data.sizes = "42, 44";
  data.condition = "Sealed bag, intact";
  data.received_at = "2026-11-23";
  data.testing_from = "2026-11-24";
  data.testing_to = "2026-11-27";
  data.issued_at = "2026-11-28T09:30:00Z";
  data.markings_claimed = "EN ISO 20345:2022 S3 SRC";
  data.decision_rule = "Simple acceptance, w = 0 (ILAC-G8:09/2019 4.2.1)";
  data.overall_verdict = "Conforms";
  data.signatory_name = "Dr. A. Sharma";
  data.signatory_role = "Technical Manager";
  data.verification_url = "https://lims.example.org/v/AGR-C-2026-000001";
  for (int i = 1; i <= 15; ++i) {
    const std::string n = std::to_string(i);
    data.rows.push_back(CertificateRow{"EN ISO 20345:2022 5.3." + n, "Nickel release", "EN 1811",
                                       "0." + n + "; 0.1" + n, "µg/cm²/week", "± 0.05", "≤ 0.5 µg/cm²/week", "pass",
                                       i % 3 == 0 ? "Both replicates are within the limit." : ""});
  }
  return data;
}

}  // namespace

int main(int argc, char** argv) {
  const int runs = lims::bench::RunsFromArgs(argc, argv, 200);
  if (runs == 0) return 2;
  const CertificateData data = BenchData();
  const lims::reports::FontSet fonts = lims::reports::FontSet::Default();
  lims::Result<lims::bench::Timing> timing =
      lims::bench::TimeRuns<std::milli>(runs, "render", [&] { return lims::reports::RenderCertificate(data, fonts); });
  if (!timing.ok()) return 1;
  std::printf("certificate_bench: %d renders of a 15-row certificate\n", runs);
  lims::bench::PrintLatency(*timing, "ms", 0, 2);
  std::printf("  pdf %zu bytes\n", timing->bytes);
  return 0;
}
