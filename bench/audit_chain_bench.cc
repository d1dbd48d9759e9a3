// Cost of the audit trail's hash chain: ChainHash for a typical result event (before/after
// documents of ~300 bytes each), and AuditChainVerifier walking a whole trail. Prints figures only.
// Run by hand: `audit_chain_bench [events]` (default 200000).
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <utility>
#include <vector>

#include "lims/core/audit.h"

namespace {

using SteadyClock = std::chrono::steady_clock;
using Heads = std::vector<std::pair<int, std::pair<int64_t, std::string>>>;

constexpr int kStripes = 16;

// Seconds taken by one call of `f`.
template <typename F>
double Time(F&& f) {
  const SteadyClock::time_point start = SteadyClock::now();
  f();
  return std::chrono::duration<double>(SteadyClock::now() - start).count();
}

// A result document like the ones the workflow records: about 300 bytes.
std::string ResultDocument(int i, const char* state) {
  return lims::AuditJson()
      .Set("analyte", "Pb")
      .Set("method", "ICP-MS IS 3025 (Part 2)")
      .Set("state", state)
      .Set("value", std::to_string(i % 1000) + ".125")
      .Set("unit", "mg/kg")
      .Set("loq", "0.010")
      .Set("uncertainty", "0.004")
      .Set("instrument", "ICPMS-02")
      .Set("dilution", int64_t{10})
      .Set("replicates", std::vector<std::string>{"0.121", "0.129", "0.125"})
      .SetRaw("limit", lims::AuditJson().Set("max", "0.5").Set("unit", "mg/kg").Set("basis", "dry").str())
      .Set("entered_by", "analyst.asha")
      .Set("sample", "S-2026-" + std::to_string(100000 + i / 4))
      .str();
}

lims::AuditEvent TypicalEvent(int i) {
  lims::AuditEvent e;
  e.seq = i + 1;
  e.at = lims::Timestamp(std::chrono::seconds(1'790'000'000 + i));
  e.actor_id = 17;
  e.actor = "asha";
  e.role = "analyst";
  e.change.action = "test.result";
  e.change.entity = "test";
  e.change.entity_id = "S-2026-" + std::to_string(100000 + i / 4) + "/Pb";
  e.change.before = ResultDocument(i, "pending");
  e.change.after = ResultDocument(i, "entered");
  e.stripe = lims::AuditStripeFor("sample", e.change.entity_id, kStripes);
  return e;
}

// Chains `events` in place (stripe_seq, prev_hash, hash) and returns the stripes' heads.
Heads Chain(std::vector<lims::AuditEvent>& events) {
  std::vector<std::pair<int64_t, std::string>> tails(kStripes, {0, std::string(lims::kAuditGenesisHash)});
  for (lims::AuditEvent& e : events) {
    auto& tail = tails[static_cast<size_t>(e.stripe)];
    e.stripe_seq = tail.first + 1;
    e.prev_hash = tail.second;
    e.hash = lims::ChainHash(e.prev_hash, e);
    tail = {e.stripe_seq, e.hash};
  }
  Heads heads;
  for (int s = 0; s < kStripes; ++s) heads.push_back({s, tails[static_cast<size_t>(s)]});
  return heads;
}

void Report(const char* what, int n, double seconds) {
  std::printf("  %-34s %10.0f events/s  %7.2f us/event  (%.2f s)\n", what, n / seconds, seconds * 1e6 / n, seconds);
}

}  // namespace

int main(int argc, char** argv) {
  const int n = argc > 1 ? std::atoi(argv[1]) : 200000;
  if (n <= 0) {
    std::fprintf(stderr, "usage: audit_chain_bench [events > 0]\n");
    return 2;
  }
  std::vector<lims::AuditEvent> events;
  events.reserve(static_cast<size_t>(n));
  for (int i = 0; i < n; ++i) events.push_back(TypicalEvent(i));
  const lims::AuditEvent& sample = events.front();
  std::printf("%d events over %d stripes; before %zu B, after %zu B, canonical %zu B\n", n, kStripes,
              sample.change.before.size(), sample.change.after.size(), lims::CanonicalEventBytes(sample).size());

  size_t sink = 0;  // keeps the calls from being optimised away
  const double canonical_s = Time([&] {
    for (const lims::AuditEvent& e : events) sink += lims::CanonicalEventBytes(e).size();
  });
  Heads heads;
  const double chain_s = Time([&] { heads = Chain(events); });
  bool intact = true;
  const double verify_s = Time([&] {
    lims::AuditChainVerifier v;
    for (const lims::AuditEvent& e : events) {
      if (v.Add(e)) intact = false;
    }
    if (v.Finish(heads)) intact = false;
  });
  if (!intact) {
    std::fprintf(stderr, "the verifier rejected an intact trail\n");
    return 1;
  }
  Report("CanonicalEventBytes", n, canonical_s);
  Report("ChainHash (canonical + SHA-256)", n, chain_s);
  Report("AuditChainVerifier Add + Finish", n, verify_s);
  std::printf("(checksum %zu)\n", sink);
  return 0;
}
