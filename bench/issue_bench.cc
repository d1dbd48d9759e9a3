// Certificates per second for the CPU part of issuing: RenderCertificate alone, SignPdf alone (P-256
// demo key, as limsd's signing.demo_dir) and render + sign, each at 1 and at THREADS threads. Every
// thread runs N operations on its own, all threads start together; the line gives the aggregate
// certificates per second (operations / wall time) and the per-operation p50 / p95 over all threads.
// Demo keys are created in a temporary directory that is removed at exit.
// Run by hand: `issue_bench [N per thread, 100] [max threads, 2]`.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "bench/bench_util.h"
#include "bench/certificate_fixture.h"
#include "lims/core/clock.h"
#include "reports/certificate.h"
#include "reports/pdf_signer.h"
#include "reports/signing_key.h"

namespace {

using lims::reports::CertificateData;

using Op = std::function<lims::Result<std::string>()>;

// Runs `op` `runs` times on each of `threads` threads started together; prints one line and returns
// the p50 in ms (negative on failure).
double Run(const char* label, int threads, int runs, const Op& op) {
  std::vector<std::vector<double>> latencies(static_cast<size_t>(threads));
  std::atomic<bool> failed{false};
  std::atomic<int> ready{0};
  std::atomic<bool> go{false};
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t) {
    pool.emplace_back([&, t] {
      std::vector<double>& mine = latencies[static_cast<size_t>(t)];
      mine.reserve(static_cast<size_t>(runs));
      ready.fetch_add(1);
      while (!go.load()) std::this_thread::yield();
      for (int i = 0; i < runs && !failed.load(); ++i) {
        const auto start = std::chrono::steady_clock::now();
        lims::Result<std::string> out = op();
        const auto end = std::chrono::steady_clock::now();
        if (!out.ok()) {
          if (!failed.exchange(true)) std::fprintf(stderr, "%s failed: %s\n", label, out.status().ToString().c_str());
          return;
        }
        mine.push_back(std::chrono::duration<double, std::milli>(end - start).count());
      }
    });
  }
  while (ready.load() < threads) std::this_thread::yield();
  const auto start = std::chrono::steady_clock::now();
  go.store(true);
  for (std::thread& t : pool) t.join();
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (failed.load()) return -1;
  std::vector<double> all;
  for (const auto& v : latencies) all.insert(all.end(), v.begin(), v.end());
  std::sort(all.begin(), all.end());
  const double p50 = lims::bench::Percentile(all, 50), p95 = lims::bench::Percentile(all, 95);
  std::printf("RESULT op=%s threads=%d ops=%zu wall_s=%.3f per_s=%.1f p50_ms=%.2f p95_ms=%.2f max_ms=%.2f\n", label,
              threads, all.size(), wall, static_cast<double>(all.size()) / wall, p50, p95, all.back());
  std::fflush(stdout);
  return p50;
}

}  // namespace

int main(int argc, char** argv) {
  const int runs = argc > 1 ? std::atoi(argv[1]) : 100;
  const int max_threads = argc > 2 ? std::atoi(argv[2]) : 2;
  if (runs <= 0 || max_threads <= 0) {
    std::fprintf(stderr, "usage: %s [runs per thread > 0] [max threads > 0]\n", argv[0]);
    return 2;
  }
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() /
      ("issue_bench-" + std::to_string(std::chrono::steady_clock::now().time_since_epoch().count()));
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
  const CertificateData data = lims::bench::TypicalCertificate();
  const lims::reports::FontSet fonts = lims::reports::FontSet::Default();
  lims::Result<std::string> pdf = lims::reports::RenderCertificate(data, fonts);  // also the warm-up
  if (!pdf.ok()) {
    std::fprintf(stderr, "render failed: %s\n", pdf.status().ToString().c_str());
    return 1;
  }
  lims::reports::SignatureInfo info;
  info.signer_name = data.signatory_name;
  info.reason = "Certificate of conformity " + data.number;
  info.location = data.lab_name;
  info.signing_time = lims::Timestamp(std::chrono::seconds(1795507200));
  lims::Result<std::string> signed_pdf = lims::reports::SignPdf(*pdf, *key, info);
  if (!signed_pdf.ok()) {
    std::fprintf(stderr, "sign failed: %s\n", signed_pdf.status().ToString().c_str());
    return 1;
  }
  std::printf("issue_bench: 15-row certificate, pdf %zu bytes, signed %zu bytes (P-256); %d ops per thread; %u cores\n",
              pdf->size(), signed_pdf->size(), runs, std::thread::hardware_concurrency());

  const Op render = [&] { return lims::reports::RenderCertificate(data, fonts); };
  const Op sign = [&] { return lims::reports::SignPdf(*pdf, *key, info); };
  const Op both = [&]() -> lims::Result<std::string> {
    lims::Result<std::string> out = lims::reports::RenderCertificate(data, fonts);
    if (!out.ok()) return out.status();
    return lims::reports::SignPdf(*out, *key, info);
  };
  std::vector<int> thread_counts{1};
  if (max_threads > 1) thread_counts.push_back(max_threads);
  for (int threads : thread_counts) {
    if (Run("render", threads, runs, render) < 0) return 1;
    if (Run("sign", threads, runs, sign) < 0) return 1;
    if (Run("render+sign", threads, runs, both) < 0) return 1;
  }
  return 0;
}
