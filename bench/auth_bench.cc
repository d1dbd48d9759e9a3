// Cost of a login: Argon2id HashPassword and VerifyPassword with the production parameters (the
// target is 50-250 ms each), and the per-request cost of checking a bearer token's shape and hashing
// it for the session lookup. Prints figures only. Run by hand: `auth_bench`.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "lims/auth/password.h"
#include "lims/auth/token.h"

namespace {

using Clock = std::chrono::steady_clock;

double Median(std::vector<double> samples) {
  std::sort(samples.begin(), samples.end());
  const size_t n = samples.size();
  return n % 2 == 1 ? samples[n / 2] : (samples[n / 2 - 1] + samples[n / 2]) / 2;
}

// Seconds taken by one call of `f`.
template <typename F>
double Time(F&& f) {
  const Clock::time_point start = Clock::now();
  f();
  return std::chrono::duration<double>(Clock::now() - start).count();
}

std::string MustHash(const std::string& password, const lims::auth::Argon2Params& p) {
  lims::Result<std::string> h = lims::auth::HashPassword(password, p);
  if (!h.ok()) {
    std::fprintf(stderr, "HashPassword: %s\n", h.status().ToString().c_str());
    std::exit(1);
  }
  return *h;
}

void BenchPasswords(int runs) {
  const lims::auth::Argon2Params p;
  const std::string password = "tulsi-chai-at-4pm";
  std::string encoded = MustHash(password, p);  // warm-up: first touch of the 64 MiB
  std::vector<double> hash_s;
  std::vector<double> verify_s;
  for (int i = 0; i < runs; ++i) {
    hash_s.push_back(Time([&] { encoded = MustHash(password, p); }));
    bool ok = false;
    verify_s.push_back(Time([&] { ok = lims::auth::VerifyPassword(password, encoded); }));
    if (!ok) {
      std::fprintf(stderr, "VerifyPassword refused its own hash\n");
      std::exit(1);
    }
  }
  const double hash_ms = Median(hash_s) * 1e3;
  const double verify_ms = Median(verify_s) * 1e3;
  std::printf("Argon2id t=%u m=%u KiB p=%u, median of %d:\n", p.t_cost, p.m_cost_kib, p.parallelism, runs);
  std::printf("  HashPassword    %8.1f ms\n", hash_ms);
  std::printf("  VerifyPassword  %8.1f ms  -> %.1f logins/s per core\n", verify_ms, 1e3 / verify_ms);
}

void BenchTokens(int runs) {
  const std::string token = lims::auth::NewToken();
  std::vector<double> ns;
  ns.reserve(static_cast<size_t>(runs));
  size_t sink = 0;  // keeps the calls from being optimised away
  for (int i = 0; i < runs; ++i) {
    ns.push_back(Time([&] {
                   if (lims::auth::LooksLikeToken(token)) sink += lims::auth::HashToken(token).size();
                 }) *
                 1e9);
  }
  std::printf("LooksLikeToken + HashToken, median of %d: %.0f ns (checksum %zu)\n", runs, Median(ns), sink);
}

}  // namespace

int main() {
  BenchPasswords(10);
  BenchTokens(100000);
  return 0;
}
