// Renders a typical one-page certificate of conformity with 15 rows N times (default 200; argv[1]
// overrides) and prints the latency distribution and the PDF size. Run by hand:
// `certificate_bench [N]`.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

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
  const CertificateData data = BenchData();
  const lims::reports::FontSet fonts = lims::reports::FontSet::Default();
  std::vector<double> ms;
  size_t bytes = 0;
  for (int i = 0; i < runs; ++i) {
    const auto start = std::chrono::steady_clock::now();
    lims::Result<std::string> pdf = lims::reports::RenderCertificate(data, fonts);
    const auto end = std::chrono::steady_clock::now();
    if (!pdf.ok()) {
      std::fprintf(stderr, "render failed: %s\n", pdf.status().ToString().c_str());
      return 1;
    }
    bytes = pdf->size();
    ms.push_back(std::chrono::duration<double, std::milli>(end - start).count());
  }
  std::sort(ms.begin(), ms.end());
  std::printf("certificate_bench: %d renders of a 15-row certificate\n", runs);
  std::printf("p50 %.2f ms  p95 %.2f ms  max %.2f ms  pdf %zu bytes\n", Percentile(ms, 50), Percentile(ms, 95),
              ms.back(), bytes);
  return 0;
}
