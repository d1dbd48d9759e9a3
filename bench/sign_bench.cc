// Signs a typical one-page, 15-row sample report N times (default 500; argv[1] overrides) with an
// RSA-2048 and a P-256 demo key and prints the SignPdf latency distribution and the size the
// signature adds. Demo keys are created in a temporary directory. Run by hand: `sign_bench [N]`.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "lims/core/clock.h"
#include "reports/pdf_signer.h"
#include "reports/sample_report.h"
#include "reports/signing_key.h"

namespace {

using lims::reports::KeyType;
using lims::reports::ReportResultRow;
using lims::reports::SampleReportData;
using lims::reports::SigningKey;

SampleReportData BenchData() {
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
  for (int i = 1; i <= 15; ++i) {
    const std::string n = std::to_string(i);
    data.rows.push_back(ReportResultRow{"REACH Annex XVII entry " + n, "Nickel release", "EN 1811", "0." + n,
                                        "µg/cm²/week", "≤ 0.5 µg/cm²/week", "pass", ""});
  }
  return data;
}

// Nearest-rank percentile of sorted samples.
double Percentile(const std::vector<double>& sorted, double p) {
  const size_t rank = static_cast<size_t>(p / 100.0 * static_cast<double>(sorted.size()) + 0.5);
  return sorted[std::clamp<size_t>(rank, 1, sorted.size()) - 1];
}

int Run(const char* label, const std::string& dir, KeyType type, const std::string& pdf, int runs) {
  if (lims::Status s = lims::reports::CreateDemoLabKeys(dir, type); !s.ok()) {
    std::fprintf(stderr, "demo keys: %s\n", s.ToString().c_str());
    return 1;
  }
  lims::Result<SigningKey> key = SigningKey::LoadPem(dir + "/signing-key.pem", dir + "/signing-cert.pem");
  if (!key.ok()) {
    std::fprintf(stderr, "load key: %s\n", key.status().ToString().c_str());
    return 1;
  }
  lims::reports::SignatureInfo info;
  info.reason = "Test certificate AGR-2026-000123 approved";
  info.location = "Kanpur, India";
  info.signing_time = lims::Timestamp(std::chrono::seconds(1795507200));
  std::vector<double> us;
  size_t bytes = 0;
  for (int i = 0; i < runs; ++i) {
    const auto start = std::chrono::steady_clock::now();
    lims::Result<std::string> out = lims::reports::SignPdf(pdf, *key, info);
    const auto end = std::chrono::steady_clock::now();
    if (!out.ok()) {
      std::fprintf(stderr, "sign failed: %s\n", out.status().ToString().c_str());
      return 1;
    }
    bytes = out->size();
    us.push_back(std::chrono::duration<double, std::micro>(end - start).count());
  }
  std::sort(us.begin(), us.end());
  std::printf("%-9s p50 %7.1f us  p95 %7.1f us  max %7.1f us  pdf %zu -> %zu bytes\n", label, Percentile(us, 50),
              Percentile(us, 95), us.back(), pdf.size(), bytes);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const int runs = argc > 1 ? std::atoi(argv[1]) : 500;
  if (runs <= 0) {
    std::fprintf(stderr, "usage: %s [runs > 0]\n", argv[0]);
    return 2;
  }
  lims::Result<std::string> pdf = lims::reports::RenderSampleReport(BenchData(), lims::reports::FontSet::Default());
  if (!pdf.ok()) {
    std::fprintf(stderr, "render failed: %s\n", pdf.status().ToString().c_str());
    return 1;
  }
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() /
      ("sign_bench-" + std::to_string(std::chrono::steady_clock::now().time_since_epoch().count()));
  std::printf("sign_bench: %d SignPdf calls per key type\n", runs);
  int rc = Run("RSA-2048", (dir / "rsa").string(), KeyType::kRsa2048, *pdf, runs);
  if (rc == 0) rc = Run("P-256", (dir / "p256").string(), KeyType::kEcdsaP256, *pdf, runs);
  std::filesystem::remove_all(dir);
  return rc;
}
