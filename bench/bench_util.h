// Shared by the benches that time one call N times (report_bench, certificate_bench, sign_bench):
// the run count from argv, a timing loop over a call returning lims::Result<std::string>, and the
// nearest-rank p50 / p95 / max line they print. Header-only; benches are run by hand.
#ifndef LIMS_BENCH_BENCH_UTIL_H_
#define LIMS_BENCH_BENCH_UTIL_H_

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "lims/core/status.h"

namespace lims::bench {

// argv[1] as a positive run count, `default_runs` without it; 0 (after printing the usage) when
// argv[1] is not a positive number.
inline int RunsFromArgs(int argc, char** argv, int default_runs) {
  const int runs = argc > 1 ? std::atoi(argv[1]) : default_runs;
  if (runs <= 0) {
    std::fprintf(stderr, "usage: %s [runs > 0]\n", argv[0]);
    return 0;
  }
  return runs;
}

// Nearest-rank percentile of sorted samples.
inline double Percentile(const std::vector<double>& sorted, double p) {
  const size_t rank = static_cast<size_t>(p / 100.0 * static_cast<double>(sorted.size()) + 0.5);
  return sorted[std::clamp<size_t>(rank, 1, sorted.size()) - 1];
}

// What TimeRuns measured: latencies in the Period it was asked for, sorted, and the size of the
// last output.
struct Timing {
  std::vector<double> sorted;
  size_t bytes = 0;

  double P50() const { return Percentile(sorted, 50); }
  double P95() const { return Percentile(sorted, 95); }
  double Max() const { return sorted.back(); }
};

// Calls `op` (returning lims::Result<std::string>) `runs` times, timing each call in `Period`
// (std::milli, std::micro, ...). On the first failure prints "`what` failed: <status>" and returns
// the status.
template <typename Period, typename Op>
Result<Timing> TimeRuns(int runs, const char* what, Op&& op) {
  Timing timing;
  timing.sorted.reserve(static_cast<size_t>(runs));
  for (int i = 0; i < runs; ++i) {
    const auto start = std::chrono::steady_clock::now();
    Result<std::string> out = op();
    const auto end = std::chrono::steady_clock::now();
    if (!out.ok()) {
      std::fprintf(stderr, "%s failed: %s\n", what, out.status().ToString().c_str());
      return out.status();
    }
    timing.bytes = out->size();
    timing.sorted.push_back(std::chrono::duration<double, Period>(end - start).count());
  }
  std::sort(timing.sorted.begin(), timing.sorted.end());
  return timing;
}

// Prints "p50 <x> <unit>  p95 <x> <unit>  max <x> <unit>" (no newline), each value as
// "%<width>.<precision>f".
inline void PrintLatency(const Timing& t, const char* unit, int width, int precision) {
  std::printf("p50 %*.*f %s  p95 %*.*f %s  max %*.*f %s", width, precision, t.P50(), unit, width, precision, t.P95(),
              unit, width, precision, t.Max(), unit);
}

}  // namespace lims::bench

#endif  // LIMS_BENCH_BENCH_UTIL_H_
