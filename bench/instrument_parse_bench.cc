// Throughput and memory of the UTM curve parser on large files (docs/instruments/utm-curve-csv.md).
//
//   instrument_parse_bench [MB=100] [RUNS=3]
//       Writes a 10 MB and an MB-sized sole-bond curve file (many specimens of 4000 readings each)
//       into a fresh temporary directory, parses each RUNS times from an std::ifstream and prints
//       the best MB/s and the peak RSS (VmHWM) before and after, so that it shows that memory does
//       not grow with the file. The files are removed at the end.
//
// Peak RSS is reset before each file through /proc/self/clear_refs ("5"), when the kernel allows it;
// otherwise the printed peak is the process's overall one.
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "instruments/utm_curve.h"

namespace {

constexpr int kReadingsPerSpecimen = 4000;
constexpr int kSpecimensPerSample = 2;

// "VmHWM" or "VmRSS" from /proc/self/status, in KiB (-1 when unavailable).
long ProcStatusKiB(const std::string& key) {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.compare(0, key.size() + 1, key + ":") == 0) return std::strtol(line.c_str() + key.size() + 1, nullptr, 10);
  }
  return -1;
}

bool ResetPeakRss() {
  std::ofstream out("/proc/self/clear_refs");
  out << "5";
  return static_cast<bool>(out.flush());
}

// Appends one specimen block: a rise to an initiation peak, a noisy plateau and the fall-off.
void WriteSpecimen(std::FILE* out, long long index) {
  std::fprintf(out, "specimen;%lld;BENCH-%06lld-P1\ntime_s;extension_mm;force_n\n", index, index / kSpecimensPerSample);
  unsigned state = static_cast<unsigned>(index) * 2654435761u + 1;
  for (int i = 0; i < kReadingsPerSpecimen; ++i) {
    const double e = i * 0.0125;  // 50 mm of travel
    state = state * 1103515245u + 12345u;
    const double noise = static_cast<double>((state >> 16) % 1000) / 100.0 - 5.0;
    const double f = e < 4 ? 40 * e : (e < 7 ? 160 - 15 * (e - 4) : 115 + noise);
    std::fprintf(out, "%.2f;%.4f;%.2f\n", e * 0.6, e, f);
  }
  std::fprintf(out, "end;%lld\n\n", index);
}

// Writes a file of at least `bytes` bytes; returns its size.
long long WriteCurveFile(const std::string& path, long long bytes) {
  std::FILE* out = std::fopen(path.c_str(), "w");
  if (out == nullptr) return -1;
  std::fprintf(out,
               "format;utm-curve-csv/1\ninstrument;Zwick/Roell Z005\ninstrument_serial;734215\ntest_date;2026-03-14\n"
               "operator;bench\nmethod;EN ISO 20344:2021 5.2\nquantity;sole-bond-strength\nspecimen_width_mm;25.0\n\n");
  long long specimens = 0;
  while (std::ftell(out) < bytes) WriteSpecimen(out, ++specimens);
  std::fprintf(out, "end_of_file;%lld\n", specimens);
  const long long size = std::ftell(out);
  std::fclose(out);
  return size;
}

double ThreadCpuSeconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

struct Run {
  double seconds = 0;      // wall clock
  double cpu_seconds = 0;  // this thread's CPU time: what one core does when the machine is shared
  size_t specimens = 0;
};

bool ParseOnce(const std::string& path, Run& run) {
  std::ifstream in(path, std::ios::binary);
  const auto start = std::chrono::steady_clock::now();
  const double cpu_start = ThreadCpuSeconds();
  const auto parsed = lims::instruments::ParseUtmCurveFile(in);
  run.cpu_seconds = ThreadCpuSeconds() - cpu_start;
  run.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (!parsed.ok()) {
    std::fprintf(stderr, "parse failed: %s\n", parsed.status().ToString().c_str());
    return false;
  }
  run.specimens = 0;
  for (const auto& r : parsed->results) run.specimens += r.values.size();
  if (!parsed->errors.empty()) std::fprintf(stderr, "unexpected: %zu block errors\n", parsed->errors.size());
  return parsed->errors.empty();
}

bool Measure(const std::string& path, long long size, int runs) {
  const bool reset = ResetPeakRss();
  const long hwm_before = ProcStatusKiB("VmHWM");
  double best = 1e300;
  double best_cpu = 1e300;
  Run run;
  for (int i = 0; i < runs; ++i) {
    if (!ParseOnce(path, run)) return false;
    best = std::min(best, run.seconds);
    best_cpu = std::min(best_cpu, run.cpu_seconds);
  }
  const double mb = static_cast<double>(size) / 1e6;
  std::printf(
      "%6.1f MB  %5zu specimens  best of %d: %6.3f s wall %6.1f MB/s, %6.3f s CPU %6.1f MB/s  VmHWM before %ld KiB, "
      "after %ld KiB%s\n",
      mb, run.specimens, runs, best, mb / best, best_cpu, mb / best_cpu, hwm_before, ProcStatusKiB("VmHWM"),
      reset ? "" : " (peak not reset)");
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  const long long mb = argc > 1 ? std::atoll(argv[1]) : 100;
  const int runs = argc > 2 ? std::atoi(argv[2]) : 3;
  if (mb < 10 || runs <= 0) {
    std::fprintf(stderr, "usage: %s [MB >= 10] [RUNS > 0]\n", argv[0]);
    return 2;
  }
  std::string dir_template = (std::filesystem::temp_directory_path() / "instrument_parse_bench.XXXXXX").string();
  if (mkdtemp(dir_template.data()) == nullptr) {
    std::perror("mkdtemp");
    return 1;
  }
  const std::filesystem::path dir(dir_template);
  std::printf("utm-curve-csv/1, %d readings per specimen, files in %s\n", kReadingsPerSpecimen, dir.c_str());
  bool ok = true;
  for (const long long size_mb : std::vector<long long>{10, mb}) {
    const std::string path = (dir / ("curves_" + std::to_string(size_mb) + "mb.csv")).string();
    const long long size = WriteCurveFile(path, size_mb * 1000 * 1000);
    ok = ok && size > 0 && Measure(path, size, runs);
  }
  std::filesystem::remove_all(dir);
  return ok ? 0 : 1;
}
