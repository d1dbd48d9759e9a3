// Signs a typical one-page, 15-row sample report N times (default 500; argv[1] overrides) with an
// RSA-2048 and a P-256 demo key and prints the SignPdf latency distribution and the size the
// signature adds. Demo keys are created in a temporary directory. Run by hand: `sign_bench [N]`.
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <ratio>
#include <string>

#include "bench/bench_util.h"
#include "lims/core/clock.h"
#include "reports/pdf_signer.h"
#include "reports/sample_report.h"
#include "reports/signing_key.h"
#include "tests/reports/report_fixtures.h"

namespace {

using lims::reports::KeyType;
using lims::reports::ReportResultRow;
using lims::reports::SampleReportData;
using lims::reports::SigningKey;

SampleReportData BenchData() {
  SampleReportData data = lims::reports::fixtures::SmallReportHeader();
  for (int i = 1; i <= 15; ++i) {
    const std::string n = std::to_string(i);
    data.rows.push_back(ReportResultRow{"REACH Annex XVII entry " + n, "Nickel release", "EN 1811", "0." + n,
                                        "µg/cm²/week", "≤ 0.5 µg/cm²/week", "pass", ""});
  }
  return data;
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
  lims::Result<lims::bench::Timing> timing =
      lims::bench::TimeRuns<std::micro>(runs, "sign", [&] { return lims::reports::SignPdf(pdf, *key, info); });
  if (!timing.ok()) return 1;
  std::printf("%-9s ", label);
  lims::bench::PrintLatency(*timing, "us", 7, 1);
  std::printf("  pdf %zu -> %zu bytes\n", pdf.size(), timing->bytes);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const int runs = lims::bench::RunsFromArgs(argc, argv, 500);
  if (runs == 0) return 2;
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
