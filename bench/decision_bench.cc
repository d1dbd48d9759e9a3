// Throughput of conformity decisions and test-plan derivations on a hand-built catalog resembling
// EN ISO 20345:2022 (S3 + SR, ~40 requirements) and REACH Annex XVII (~20 requirements), for a
// shoe with a leather upper, textile lining and insock, rubber outsole and metal accessory.
// Prints figures only. Run by hand: `decision_bench [seconds per measurement, default 1]`.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "lims/core/catalog.h"
#include "lims/core/decimal.h"
#include "lims/core/decision.h"
#include "lims/core/limit.h"
#include "lims/core/test_plan.h"

namespace {

using lims::Catalog;
using lims::CatalogRequirement;
using lims::Comparator;
using lims::Decimal;
using lims::Marking;
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

struct Spec {
  const char* id;
  const char* clause;
  const char* key;
  Comparator comparator;
  const char* limit;
  const char* unit;
  std::vector<std::string> parts;
  std::vector<std::string> materials;
  int specimens;
};

CatalogRequirement Make(const StandardEdition& s, const Spec& spec) {
  CatalogRequirement r;
  r.id = spec.id;
  r.standard_id = s.id;
  r.clause = spec.clause;
  r.property = spec.key;
  r.label = spec.key;
  r.property_key = spec.key;
  r.method = "EN ISO 20344:2021";
  r.limit.comparator = spec.comparator;
  r.limit.value = D(spec.limit);
  r.limit.unit = spec.unit;
  r.parts = spec.parts;
  r.materials = spec.materials;
  r.specimens = spec.specimens;
  r.product_families = s.product_families;
  return r;
}

Marking MakeMarking(const std::string& code, std::vector<std::string> includes, std::vector<std::string> ids) {
  Marking m;
  m.code = code;
  m.kind = code.size() > 1 && code[0] == 'S' && code != "SR" ? "category" : "symbol";
  m.includes = std::move(includes);
  m.requirements = std::move(ids);
  return m;
}

StandardEdition SafetyFootwear() {
  StandardEdition s;
  s.id = "EN-ISO-20345-2022";
  s.code = "EN ISO 20345:2022";
  s.kind = "standard";
  s.ppe = true;
  s.product_families = {"footwear"};
  s.file = "en-iso-20345-2022.json";
  constexpr Comparator kGe = Comparator::kGreaterOrEqual;
  constexpr Comparator kLe = Comparator::kLessOrEqual;
  constexpr Comparator kNo = Comparator::kNoFailure;
  const std::vector<std::string> any;
  const std::vector<Spec> specs = {
      {"EN-TOECAP-IMPACT", "5.3.2.6", "toecap-impact", kGe, "14.0", "mm", any, any, 2},
      {"EN-TOECAP-COMPRESSION", "5.3.2.7", "toecap-compression", kGe, "14.0", "mm", any, any, 2},
      {"EN-BOND", "5.3.1.2", "sole-bond", kGe, "4.0", "N/mm", any, any, 2},
      {"EN-SLIP-HEEL", "5.3.5", "slip-heel", kGe, "0.31", "1", any, any, 2},
      {"EN-SLIP-FOREPART", "5.3.5", "slip-forepart", kGe, "0.36", "1", any, any, 2},
      {"EN-HEEL-CLOSED", "5.2.2", "closed-heel", kNo, "0", "", any, any, 1},
      {"EN-ANTISTATIC", "5.10", "resistance", Comparator::kRange, "100", "kΩ", any, any, 2},
      {"EN-ENERGY", "6.2.4", "energy-absorption", kGe, "20", "J", any, any, 1},
      {"EN-WATER-PENETRATION", "6.3.1", "upper-water-penetration", kLe, "0.2", "g", {"upper"}, any, 2},
      {"EN-WATER-ABSORPTION", "6.3.1", "upper-water-absorption", kLe, "30", "%", {"upper"}, any, 2},
      {"EN-PERFORATION", "6.2.1", "perforation", kNo, "0", "", any, any, 1},
      {"EN-CLEATS", "5.8.2", "cleats", kNo, "0", "", any, any, 1},
      {"EN-CLEAT-HEIGHT", "5.8.2", "cleat-height", kGe, "2.5", "mm", {"outsole"}, any, 1},
      {"EN-UPPER-TEAR", "5.4.3", "tear", kGe, "120", "N", {"upper"}, {"leather"}, 2},
      {"EN-UPPER-TEAR-TEXTILE", "5.4.3", "tear", kGe, "60", "N", {"upper"}, {"textile"}, 2},
      {"EN-UPPER-FLEX", "5.4.5", "upper-flex", kNo, "0", "", {"upper"}, any, 1},
      {"EN-UPPER-WVP", "5.4.6", "wvp", kGe, "0.8", "mg/(cm²·h)", {"upper"}, any, 2},
      {"EN-UPPER-WVC", "5.4.6", "wvc", kGe, "15", "mg/cm²", {"upper"}, any, 2},
      {"EN-UPPER-PH", "5.4.7", "ph", kGe, "3.5", "pH", {"upper"}, {"leather"}, 1},
      {"EN-CRVI",
       "5.3.6",
       "chromium-vi",
       Comparator::kNotDetected,
       "3",
       "mg/kg",
       {"upper", "lining", "insock"},
       {"leather"},
       1},
      {"EN-LINING-TEAR", "5.5.1", "tear", kGe, "30", "N", {"lining"}, any, 2},
      {"EN-LINING-ABRASION", "5.5.2", "abrasion", kNo, "0", "", {"lining"}, any, 1},
      {"EN-LINING-WVP", "5.5.3", "wvp", kGe, "2.0", "mg/(cm²·h)", {"lining"}, any, 2},
      {"EN-LINING-WVC", "5.5.3", "wvc", kGe, "20", "mg/cm²", {"lining"}, any, 2},
      {"EN-LINING-PH", "5.5.4", "ph", kGe, "3.5", "pH", {"lining"}, {"leather"}, 1},
      {"EN-INSOCK-ABRASION", "5.7.3", "abrasion", kNo, "0", "", {"insock"}, any, 1},
      {"EN-INSOCK-ABSORPTION", "5.7.2", "insock-water-absorption", kGe, "70", "mg/cm²", {"insock"}, any, 2},
      {"EN-INSOCK-PH", "5.7.1", "ph", kGe, "3.5", "pH", {"insock"}, {"leather"}, 1},
      {"EN-OUTSOLE-THICKNESS", "5.8.1", "outsole-thickness", kGe, "4", "mm", {"outsole"}, any, 1},
      {"EN-OUTSOLE-TEAR", "5.8.3", "outsole-tear", kGe, "8", "N/mm", {"outsole"}, any, 2},
      {"EN-OUTSOLE-ABRASION", "5.8.4", "outsole-abrasion", kLe, "150", "mm³", {"outsole"}, {"rubber"}, 2},
      {"EN-OUTSOLE-FLEX", "5.8.5", "outsole-flex", kLe, "4", "mm", {"outsole"}, any, 2},
      {"EN-OUTSOLE-HYDROLYSIS", "5.8.6", "outsole-hydrolysis", kLe, "6", "mm", {"outsole"}, {"polymer"}, 2},
      {"EN-OUTSOLE-FUEL", "5.8.7", "fuel-oil", kLe, "12", "%", {"outsole"}, any, 2},
      {"EN-HRO", "6.4.4", "hro", kNo, "0", "", {"outsole"}, any, 1},
      {"EN-HI", "6.2.3.1", "heat-insulation", kLe, "22", "°C", any, any, 1},
      {"EN-CI", "6.2.3.2", "cold-insulation", kLe, "10", "°C", any, any, 1},
      {"EN-AN", "6.2.7", "ankle", kLe, "10", "kN", any, any, 1},
      {"EN-WR", "6.2.2", "water-resistance", kNo, "0", "", any, any, 1},
      {"EN-SLIP-SR-HEEL", "5.3.5.3", "slip-sr-heel", kGe, "0.19", "1", any, any, 2},
      {"EN-SLIP-SR-FOREPART", "5.3.5.3", "slip-sr-forepart", kGe, "0.22", "1", any, any, 2},
  };
  for (const Spec& spec : specs) s.requirements.push_back(Make(s, spec));
  for (CatalogRequirement& r : s.requirements) {
    if (r.id == "EN-ANTISTATIC") {
      r.limit.high = D("1000000");
      r.limit.low_inclusive = false;
    }
    if (r.id == "EN-TOECAP-IMPACT" || r.id == "EN-TOECAP-COMPRESSION") {
      r.limits_by_size = {{std::nullopt, 36, D("12.5")}, {37, 38, D("13.0")}, {39, 40, D("13.5")},
                          {41, 42, D("14.0")},           {43, 44, D("14.5")}, {45, std::nullopt, D("15.0")}};
    }
  }
  s.markings = {
      MakeMarking("SB", {}, {"EN-TOECAP-IMPACT",      "EN-TOECAP-COMPRESSION", "EN-BOND",
                             "EN-SLIP-HEEL",          "EN-SLIP-FOREPART",      "EN-UPPER-TEAR",
                             "EN-UPPER-TEAR-TEXTILE", "EN-UPPER-FLEX",         "EN-UPPER-WVP",
                             "EN-UPPER-WVC",          "EN-UPPER-PH",           "EN-CRVI",
                             "EN-LINING-TEAR",        "EN-LINING-ABRASION",    "EN-LINING-WVP",
                             "EN-LINING-WVC",         "EN-LINING-PH",          "EN-INSOCK-ABRASION",
                             "EN-INSOCK-ABSORPTION",  "EN-INSOCK-PH",          "EN-OUTSOLE-THICKNESS",
                             "EN-OUTSOLE-TEAR",       "EN-OUTSOLE-ABRASION",   "EN-OUTSOLE-FLEX",
                             "EN-OUTSOLE-HYDROLYSIS", "EN-OUTSOLE-FUEL"}),
      MakeMarking("S1", {"SB"}, {"EN-HEEL-CLOSED", "EN-ANTISTATIC", "EN-ENERGY"}),
      MakeMarking("S2", {"S1"}, {"EN-WATER-PENETRATION", "EN-WATER-ABSORPTION"}),
      MakeMarking("P", {}, {"EN-PERFORATION"}),
      MakeMarking("S3", {"S2", "P"}, {"EN-CLEATS", "EN-CLEAT-HEIGHT"}),
      MakeMarking("SR", {}, {"EN-SLIP-SR-HEEL", "EN-SLIP-SR-FOREPART"}),
      MakeMarking("HRO", {}, {"EN-HRO"}),
      MakeMarking("HI", {}, {"EN-HI"}),
      MakeMarking("CI", {}, {"EN-CI"}),
      MakeMarking("AN", {}, {"EN-AN"}),
      MakeMarking("WR", {}, {"EN-WR"}),
  };
  return s;
}

StandardEdition Reach() {
  StandardEdition s;
  s.id = "REACH-XVII";
  s.code = "REACH Annex XVII";
  s.kind = "regulation";
  s.product_families = {"footwear"};
  s.file = "reach-annex-xvii.json";
  constexpr Comparator kLe = Comparator::kLessOrEqual;
  constexpr Comparator kLt = Comparator::kLess;
  const std::vector<std::string> any;
  const std::vector<std::string> textile_parts = {"upper", "lining", "insock"};
  const std::vector<Spec> specs = {
      {"R-47-CRVI", "Entry 47", "chromium-vi", Comparator::kNotDetected, "3", "mg/kg", textile_parts, {"leather"}, 1},
      {"R-43-BENZIDINE-LEATHER",
       "Entry 43",
       "azo-benzidine-leather",
       kLe,
       "30",
       "mg/kg",
       textile_parts,
       {"leather"},
       1},
      {"R-43-BENZIDINE-TEXTILE",
       "Entry 43",
       "azo-benzidine-textile",
       kLe,
       "30",
       "mg/kg",
       textile_parts,
       {"textile"},
       1},
      {"R-43-ABP-LEATHER",
       "Entry 43",
       "azo-4-aminobiphenyl-leather",
       kLe,
       "30",
       "mg/kg",
       textile_parts,
       {"leather"},
       1},
      {"R-43-ABP-TEXTILE",
       "Entry 43",
       "azo-4-aminobiphenyl-textile",
       kLe,
       "30",
       "mg/kg",
       textile_parts,
       {"textile"},
       1},
      {"R-61-DMFU", "Entry 61", "dmfu", kLe, "0.1", "mg/kg", any, any, 1},
      {"R-27-NI", "Entry 27", "nickel-release", kLe, "0.5", "µg/cm²/week", {"accessory"}, {"metal"}, 1},
      {"R-51-PHTHALATES", "Entry 51", "phthalates", kLt, "0.1", "% w/w", any, {"polymer", "rubber"}, 1},
      {"R-23-CD", "Entry 23", "cadmium", kLt, "0.01", "% w/w", any, {"polymer"}, 1},
      {"R-63-PB", "Entry 63", "lead", kLt, "0.05", "% w/w", {"accessory"}, {"metal"}, 1},
      {"R-72-HCHO", "Entry 72", "formaldehyde-textile", kLt, "75", "mg/kg", any, {"textile"}, 1},
      {"R-72-CD", "Entry 72", "cadmium-textile", kLt, "1", "mg/kg", any, {"textile"}, 1},
      {"R-72-CRVI", "Entry 72", "chromium-vi-textile", kLt, "1", "mg/kg", any, {"textile"}, 1},
  };
  for (const Spec& spec : specs) s.requirements.push_back(Make(s, spec));
  // Entry 50: eight PAHs, each ≤ 1 mg/kg in rubber and plastic parts.
  for (const char* pah : {"BAP", "BEP", "BAA", "CHR", "BBFA", "BJFA", "BKFA", "DBAHA"}) {
    const Spec spec{"R-50-PAH", "Entry 50", "pah", kLe, "1", "mg/kg", any, {"rubber", "polymer"}, 1};
    CatalogRequirement r = Make(s, spec);
    r.id = std::string("R-50-") + pah;
    r.property_key = r.property = r.label = std::string("pah-") + pah;
    s.requirements.push_back(r);
  }
  for (CatalogRequirement& r : s.requirements) {
    if (r.clause == "Entry 72") r.exempt_for_ppe = true;
  }
  return s;
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
  lims::Vocabulary vocabulary;
  vocabulary.family_parts["footwear"] = {"upper", "lining", "insock", "outsole", "accessory", "whole"};
  vocabulary.materials = {"leather", "textile", "coated_fabric", "rubber", "polymer", "metal"};
  const StandardEdition safety = SafetyFootwear();
  const StandardEdition reach = Reach();
  const size_t requirement_count = safety.requirements.size() + reach.requirements.size();
  lims::Result<Catalog> catalog = Catalog::Build(vocabulary, {safety, reach});
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

  std::printf("catalog: %zu requirements (%zu EN ISO 20345:2022, %zu REACH Annex XVII)\n", requirement_count,
              safety.requirements.size(), reach.requirements.size());
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
