// Property tests of Decide: a value farther from conformity never gets a better verdict.
//
// For many limits (every numeric comparator, several units and scales, wide and narrow ranges) a
// deterministic pseudo-random sweep draws uncertainties U and values x around the limit and checks,
// under simple and guarded rules:
// - upper limits (<, ≤, not detected): x1 < x2 ⇒ verdict(x1) ≤ verdict(x2) (Pass < … < Fail);
// - lower limits (>, ≥): x1 < x2 ⇒ verdict(x1) ≥ verdict(x2);
// - ranges: below the middle, lower is never better; above it, higher is never better;
// - guarded and simple agree on which side of the limit x itself is;
// - under "each", a set of specimens gets its worst single verdict and names that specimen.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <optional>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "lims/core/decision.h"
#include "lims/core/limit.h"
#include "tests/support/test_support.h"

namespace lims {
namespace {

using ::lims::testing::D;

struct LimitSpec {
  Limit limit;
  int scale;  // fraction digits of the swept values and uncertainties
};

LimitSpec OneSided(Comparator c, const std::string& value, const std::string& unit, int scale) {
  LimitSpec spec;
  spec.limit.comparator = c;
  spec.limit.value = D(value);
  spec.limit.unit = unit;
  spec.scale = scale;
  return spec;
}

LimitSpec Range(const std::string& low, bool low_inclusive, const std::string& high, bool high_inclusive,
                const std::string& unit, int scale) {
  LimitSpec spec = OneSided(Comparator::kRange, low, unit, scale);
  spec.limit.high = D(high);
  spec.limit.low_inclusive = low_inclusive;
  spec.limit.high_inclusive = high_inclusive;
  return spec;
}

std::vector<LimitSpec> Limits() {
  return {
      OneSided(Comparator::kLess, "3", "mg/kg", 1),
      OneSided(Comparator::kLessOrEqual, "0.10", "mg/kg", 2),
      OneSided(Comparator::kNotDetected, "3", "mg/kg", 1),
      OneSided(Comparator::kLessOrEqual, "0.5", "µg/cm²/week", 2),
      OneSided(Comparator::kLess, "0.1", "% w/w", 4),
      OneSided(Comparator::kLessOrEqual, "1000", "mg/kg", 0),
      OneSided(Comparator::kLessOrEqual, "35", "kΩ", 3),
      OneSided(Comparator::kGreaterOrEqual, "4.0", "N/mm", 1),
      OneSided(Comparator::kGreater, "20", "N", 1),
      OneSided(Comparator::kGreaterOrEqual, "0.31", "1", 2),
      OneSided(Comparator::kGreaterOrEqual, "14.0", "mm", 1),
      OneSided(Comparator::kGreaterOrEqual, "3.5", "pH", 2),
      OneSided(Comparator::kGreater, "100", "J", 0),
      Range("100", false, "1000000", true, "kΩ", 0),
      Range("6.0", true, "6.2", true, "pH", 1),
      Range("100.00", true, "100.50", false, "kΩ", 2),
      Range("0.5", false, "0.6", false, "1", 3),
      Range("3.20", true, "3.20", true, "mg/kg", 2),
  };
}

enum class Direction { kUpper, kLower, kRange };

Direction DirectionOf(Comparator c) {
  switch (c) {
    case Comparator::kGreater:
    case Comparator::kGreaterOrEqual:
      return Direction::kLower;
    case Comparator::kRange:
      return Direction::kRange;
    default:
      return Direction::kUpper;
  }
}

// std::mt19937_64 is specified exactly by the standard, so the sweep is the same everywhere.
class Sweep {
 public:
  explicit Sweep(uint64_t seed) : engine_(seed) {}
  int64_t Below(int64_t n) { return static_cast<int64_t>(engine_() % static_cast<uint64_t>(n)); }
  int64_t Between(int64_t lo, int64_t hi) { return lo + Below(hi - lo + 1); }

 private:
  std::mt19937_64 engine_;
};

// anchor + steps · 10^-scale, exactly.
Decimal Offset(const Decimal& anchor, int64_t steps, int scale) {
  Result<Decimal> delta = Decimal::FromInteger(steps).ScaledByPowerOfTen(-scale);
  EXPECT_TRUE(delta.ok());
  Result<Decimal> sum = anchor.Plus(*delta);
  EXPECT_TRUE(sum.ok());
  return *sum;
}

// Values around the limit (both bounds of a range), sorted and without repeats.
std::vector<Decimal> Values(const LimitSpec& spec, Sweep* sweep, int count) {
  std::vector<Decimal> out;
  for (int i = 0; i < count; ++i) {
    const bool near_high = spec.limit.comparator == Comparator::kRange && sweep->Below(2) == 1;
    const Decimal& anchor = near_high ? spec.limit.high : spec.limit.value;
    out.push_back(Offset(anchor, sweep->Between(-300, 300), spec.scale));
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

Decimal Middle(const Limit& limit) {
  Result<Decimal> sum = limit.value.Plus(limit.high);
  EXPECT_TRUE(sum.ok());
  Result<Decimal> mid = sum->DividedBy(2, std::max(limit.value.scale(), limit.high.scale()) + 1);
  EXPECT_TRUE(mid.ok());
  return *mid;
}

Observation Number(const Decimal& x) {
  Observation o;
  o.value = x;
  o.text = x.ToString();
  return o;
}

const DecisionSubject kSubject{"Property", "Standard 1.2.3"};

Verdict VerdictOf(const LimitSpec& spec, const DecisionRule& rule, const Decimal& x, const Decimal& u) {
  return Decide(kSubject, spec.limit, Combine::kEach, rule, {Number(x)}, u).verdict;
}

std::vector<DecisionRule> Rules() {
  std::vector<DecisionRule> out;
  for (const char* token : {"simple", "guarded", "guarded:r=0.5", "guarded:r=2"}) {
    Result<DecisionRule> rule = ParseDecisionRule(token);
    EXPECT_TRUE(rule.ok()) << token;
    if (rule.ok()) out.push_back(*rule);
  }
  return out;
}

// Collects violations so that a broken property reports a few concrete counterexamples, not thousands.
class Violations {
 public:
  void Add(const std::string& what) {
    if (count_++ < 10) examples_ << "\n  " << what;
  }
  int count() const { return count_; }
  std::string examples() const { return examples_.str(); }

 private:
  int count_ = 0;
  std::ostringstream examples_;
};

std::string Describe(const LimitSpec& spec, const DecisionRule& rule, const Decimal& u) {
  return spec.limit.ToDisplay() + ", " + rule.Token() + ", U = " + u.ToString();
}

TEST(DecisionMonotonicity, FartherFromConformityIsNeverBetter) {
  Sweep sweep(20261126);
  Violations violations;
  int64_t checked = 0;
  for (const LimitSpec& spec : Limits()) {
    const Direction direction = DirectionOf(spec.limit.comparator);
    const std::optional<Decimal> middle =
        direction == Direction::kRange ? std::optional<Decimal>(Middle(spec.limit)) : std::nullopt;
    for (int trial = 0; trial < 12; ++trial) {
      // U = 0 once, then anything up to 200 digits, which for the narrow ranges exceeds their width.
      const Decimal u = Offset(Decimal(), trial == 0 ? 0 : sweep.Between(1, 200), spec.scale);
      const std::vector<Decimal> xs = Values(spec, &sweep, 80);
      for (const DecisionRule& rule : Rules()) {
        std::vector<Verdict> verdicts;
        for (const Decimal& x : xs) verdicts.push_back(VerdictOf(spec, rule, x, u));
        for (size_t i = 0; i + 1 < xs.size(); ++i) {
          const Decimal& x1 = xs[i];
          const Decimal& x2 = xs[i + 1];  // x1 < x2
          const Verdict v1 = verdicts[i];
          const Verdict v2 = verdicts[i + 1];
          bool ok = true;
          switch (direction) {
            case Direction::kUpper:
              ok = v1 <= v2;
              break;
            case Direction::kLower:
              ok = v1 >= v2;
              break;
            case Direction::kRange:
              if (x2 <= *middle) ok = v1 >= v2;  // both below the middle: the lower is farther out
              if (x1 >= *middle) ok = v1 <= v2;  // both above: the higher is farther out
              break;
          }
          ++checked;
          if (!ok) {
            violations.Add(Describe(spec, rule, u) + ": x = " + x1.ToString() + " → " + std::string(VerdictName(v1)) +
                           ", x = " + x2.ToString() + " → " + std::string(VerdictName(v2)));
          }
        }
      }
    }
  }
  EXPECT_GT(checked, 50000);
  EXPECT_EQ(violations.count(), 0) << violations.examples();
}

TEST(DecisionMonotonicity, GuardedAgreesWithSimpleOnWhereXLies) {
  // Guarded acceptance only grades the answer: x meets the limit exactly when the simple rule
  // passes it, and then the guarded verdict is Pass or Conditional pass, otherwise a fail.
  Sweep sweep(4242);
  Violations violations;
  const DecisionRule simple;
  for (const LimitSpec& spec : Limits()) {
    for (int trial = 0; trial < 8; ++trial) {
      const Decimal u = Offset(Decimal(), sweep.Between(0, 200), spec.scale);
      for (const Decimal& x : Values(spec, &sweep, 60)) {
        const Verdict s = VerdictOf(spec, simple, x, u);
        if (s != Verdict::kPass && s != Verdict::kFail) violations.Add("simple gave " + std::string(VerdictName(s)));
        for (const DecisionRule& rule : Rules()) {
          const Verdict g = VerdictOf(spec, rule, x, u);
          const bool accepted = g == Verdict::kPass || g == Verdict::kConditionalPass;
          if (accepted != (s == Verdict::kPass) || accepted != spec.limit.IsMetBy(x)) {
            violations.Add(Describe(spec, rule, u) + ": x = " + x.ToString() + " simple " +
                           std::string(VerdictName(s)) + ", guarded " + std::string(VerdictName(g)));
          }
        }
      }
    }
  }
  EXPECT_EQ(violations.count(), 0) << violations.examples();
}

TEST(DecisionMonotonicity, EachGivesTheWorstSpecimenAndNamesIt) {
  Sweep sweep(7);
  Violations violations;
  for (const LimitSpec& spec : Limits()) {
    for (int trial = 0; trial < 40; ++trial) {
      const Decimal u = Offset(Decimal(), sweep.Between(0, 100), spec.scale);
      std::vector<Decimal> xs;
      for (int i = 0; i < 3; ++i) {
        const Decimal& anchor =
            spec.limit.comparator == Comparator::kRange && sweep.Below(2) == 1 ? spec.limit.high : spec.limit.value;
        xs.push_back(Offset(anchor, sweep.Between(-150, 150), spec.scale));
      }
      for (const DecisionRule& rule : Rules()) {
        Verdict worst = Verdict::kPass;
        std::vector<Verdict> singles;
        for (const Decimal& x : xs) {
          singles.push_back(VerdictOf(spec, rule, x, u));
          worst = std::max(worst, singles.back());
        }
        const Decision d =
            Decide(kSubject, spec.limit, Combine::kEach, rule, {Number(xs[0]), Number(xs[1]), Number(xs[2])}, u);
        const size_t at = d.explanation.find("specimen ");
        const int named = at == std::string::npos ? 0 : d.explanation[at + 9] - '0';
        const bool names_a_worst =
            named >= 1 && named <= 3 && singles[static_cast<size_t>(named - 1)] == worst &&
            d.explanation.find(" of 3: " + xs[static_cast<size_t>(named - 1)].ToString()) != std::string::npos;
        if (d.verdict != worst || !names_a_worst) {
          violations.Add(Describe(spec, rule, u) + ": " + xs[0].ToString() + ", " + xs[1].ToString() + ", " +
                         xs[2].ToString() + " → " + d.explanation);
        }
      }
    }
  }
  EXPECT_EQ(violations.count(), 0) << violations.examples();
}

}  // namespace
}  // namespace lims
