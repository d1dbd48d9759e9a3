// Renders a typical one-page certificate of conformity with 15 rows N times (default 200; argv[1]
// overrides), then signs it (PAdES B-B, P-256 demo key, as limsd's signing.demo_dir) N times, then
// does both N times, on one thread, and prints the latency distribution of each and the PDF sizes.
// Demo keys are created in a temporary directory that is removed at exit. Run by hand:
// `certificate_bench [N]`; issue_bench runs the same operations on several threads.
// Under callgrind, --toggle-collect='lims::reports::RenderCertificate*' (or SignPdf*) counts one
// step; the first render also parses the fonts and compresses the ICC profile (once per process).
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <ratio>
#include <string>
#include <system_error>

#include "bench/bench_util.h"
#include "bench/certificate_fixture.h"
#include "lims/core/clock.h"
#include "reports/certificate.h"
#include "reports/pdf_signer.h"
#include "reports/signing_key.h"

namespace {

using lims::reports::CertificateData;

}  // namespace

int main(int argc, char** argv) {
  const int runs = lims::bench::RunsFromArgs(argc, argv, 200);
  if (runs == 0) return 2;
  const CertificateData data = lims::bench::TypicalCertificate();
  const lims::reports::FontSet fonts = lims::reports::FontSet::Default();
  lims::Result<lims::bench::Timing> render =
      lims::bench::TimeRuns<std::milli>(runs, "render", [&] { return lims::reports::RenderCertificate(data, fonts); });
  if (!render.ok()) return 1;
  std::printf("certificate_bench: %d renders of a 15-row certificate\n", runs);
  std::printf("render       ");
  lims::bench::PrintLatency(*render, "ms", 0, 3);
  std::printf("  pdf %zu bytes\n", render->bytes);

  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() /
      ("certificate_bench-" + std::to_string(std::chrono::steady_clock::now().time_since_epoch().count()));
  struct Cleanup {
    std::filesystem::path dir;
    ~Cleanup() {
      std::error_code ec;
      std::filesystem::remove_all(dir, ec);
    }
  } cleanup{dir};
  if (lims::Status s = lims::reports::CreateDemoLabKeys(dir.string(), lims::reports::KeyType::kEcdsaP256); !s.ok()) {
    std::fprintf(stderr, "demo keys: %s\n", s.ToString().c_str());
    return 1;
  }
  lims::Result<lims::reports::SigningKey> key =
      lims::reports::SigningKey::LoadPem((dir / "signing-key.pem").string(), (dir / "signing-cert.pem").string());
  if (!key.ok()) {
    std::fprintf(stderr, "load key: %s\n", key.status().ToString().c_str());
    return 1;
  }
  lims::reports::SignatureInfo info;
  info.signer_name = data.signatory_name;
  info.reason = "Certificate of conformity " + data.number;
  info.location = data.lab_name;
  info.signing_time = lims::Timestamp(std::chrono::seconds(1795507200));
  const lims::Result<std::string> pdf = lims::reports::RenderCertificate(data, fonts);
  if (!pdf.ok()) return 1;
  lims::Result<lims::bench::Timing> sign =
      lims::bench::TimeRuns<std::milli>(runs, "sign", [&] { return lims::reports::SignPdf(*pdf, *key, info); });
  if (!sign.ok()) return 1;
  std::printf("sign         ");
  lims::bench::PrintLatency(*sign, "ms", 0, 3);
  std::printf("  signed %zu bytes\n", sign->bytes);
  lims::Result<lims::bench::Timing> both =
      lims::bench::TimeRuns<std::milli>(runs, "render+sign", [&]() -> lims::Result<std::string> {
        lims::Result<std::string> out = lims::reports::RenderCertificate(data, fonts);
        if (!out.ok()) return out.status();
        return lims::reports::SignPdf(*out, *key, info);
      });
  if (!both.ok()) return 1;
  std::printf("render+sign  ");
  lims::bench::PrintLatency(*both, "ms", 0, 3);
  std::printf("\n");
  return 0;
}
