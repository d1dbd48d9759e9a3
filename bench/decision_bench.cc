// Throughput of conformity decisions and of test-plan derivations on the shipped catalog (catalog/),
// for an S3 SR shoe with a leather upper, textile lining and insock, rubber outsole and metal
// accessory, plus REACH Annex XVII. Prints figures only.
// Run by hand: `decision_bench [seconds per measurement, default 1] [catalog dir]`.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "lims/catalog/catalog_loader.h"
#include "lims/core/catalog.h"
#include "lims/core/decimal.h"
#include "lims/core/decision.h"
#include "lims/core/limit.h"
#include "lims/core/test_plan.h"

namespace {

using lims::Catalog;
using lims::Comparator;
using lims::Decimal;
using lims::StandardEdition;

using Clock = std::chrono::steady_clock;

Decimal D(const std::string& text) {
  lims::Result<Decimal> d = Decimal::Parse(text);
  if (!d.ok()) {
    std::fprintf(stderr, "bad decimal %s\n", text.c_str());
    std::exit(1);
  }
  return *d;
}

// Runs `body` repeatedly for about `seconds` and returns (calls, elapsed seconds).
template <typename Body>
std::pair<long, double> Measure(double seconds, Body body) {
  for (int i = 0; i < 1000; ++i) body(i);  // warm-up
  long calls = 0;
  const Clock::time_point start = Clock::now();
  double elapsed = 0;
  while (elapsed < seconds) {
    for (int i = 0; i < 1000; ++i) body(static_cast<int>(calls + i));
    calls += 1000;
    elapsed = std::chrono::duration<double>(Clock::now() - start).count();
  }
  return {calls, elapsed};
}

std::vector<lims::Observation> Specimens(const char* a, const char* b, const char* c) {
  std::vector<lims::Observation> out;
  for (const char* text : {a, b, c}) {
    lims::Observation o;
    o.value = D(text);
    o.text = text;
    out.push_back(o);
  }
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  const double seconds = argc > 1 ? std::atof(argv[1]) : 1.0;
  if (seconds <= 0) {
    std::fprintf(stderr, "usage: %s [seconds per measurement > 0]\n", argv[0]);
    return 2;
  }
  const std::string dir = argc > 2 ? argv[2] : LIMS_CATALOG_DIR;
  lims::Result<Catalog> catalog = lims::catalog::LoadCatalog(dir);
  if (!catalog.ok()) {
    std::fprintf(stderr, "catalog: %s\n", catalog.status().ToString().c_str());
    return 1;
  }

  // Decisions: Cr(VI)-like upper limit, three specimens per decision, values varying per call.
  lims::Limit limit;
  limit.comparator = Comparator::kLessOrEqual;
  limit.value = D("3.2");
  limit.unit = "mg/kg";
  const lims::DecisionSubject subject{"Cr(VI)", "REACH Annex XVII entry 47"};
  const std::vector<std::vector<lims::Observation>> sets = {
      Specimens("1.20", "2.95", "3.10"), Specimens("2.7", "3.3", "3.0"), Specimens("3.25", "3.9", "4.1"),
      Specimens("0.5", "0.6", "0.55")};
  const std::optional<Decimal> uncertainty = D("0.40");
  long sink = 0;
  auto decide = [&](const lims::DecisionRule& rule) {
    return Measure(seconds, [&](int i) {
      const lims::Decision d = lims::Decide(subject, limit, lims::Combine::kEach, rule,
                                            sets[static_cast<size_t>(i) % sets.size()], uncertainty);
      sink += static_cast<long>(d.verdict) + static_cast<long>(d.explanation.size());
    });
  };
  const lims::DecisionRule simple;
  const lims::DecisionRule guarded = *lims::ParseDecisionRule("guarded");
  const auto [simple_calls, simple_s] = decide(simple);
  const auto [guarded_calls, guarded_s] = decide(guarded);

  // Test plans: S3 + SR and REACH for the shoe, size 42.
  lims::TestPlanRequest request;
  request.product_family = "footwear";
  request.materials = {{"upper", "leather"},
                       {"lining", "textile"},
                       {"insock", "textile"},
                       {"outsole", "rubber"},
                       {"accessory", "metal"}};
  request.markings = {{"EN ISO 20345:2022", "S3", {"SR"}}};
  request.regulations = {"REACH Annex XVII"};
  request.size = 42;
  lims::Result<lims::TestPlan> sample_plan = lims::DeriveTestPlan(*catalog, request);
  if (!sample_plan.ok()) {
    std::fprintf(stderr, "plan: %s\n", sample_plan.status().ToString().c_str());
    return 1;
  }
  const auto [plan_calls, plan_s] = Measure(seconds / 2, [&](int) {
    lims::Result<lims::TestPlan> plan = lims::DeriveTestPlan(*catalog, request);
    sink += plan.ok() ? static_cast<long>(plan->tests.size()) : -1;
  });

  size_t requirement_count = 0;
  for (const StandardEdition& e : catalog->standards()) requirement_count += e.requirements.size();
  std::printf("catalog: %zu editions, %zu requirements (%s)\n", catalog->standards().size(), requirement_count,
              dir.c_str());
  std::printf("decisions, simple,  3 specimens: %12.0f per second (%ld in %.2f s)\n",
              static_cast<double>(simple_calls) / simple_s, simple_calls, simple_s);
  std::printf("decisions, guarded, 3 specimens: %12.0f per second (%ld in %.2f s)\n",
              static_cast<double>(guarded_calls) / guarded_s, guarded_calls, guarded_s);
  std::printf("test plans, S3 + SR + REACH (%zu tests): %8.0f per second, mean %.1f µs per derivation\n",
              sample_plan->tests.size(), static_cast<double>(plan_calls) / plan_s,
              plan_s * 1e6 / static_cast<double>(plan_calls));
  std::printf("(checksum %ld)\n", sink);
  return 0;
}
