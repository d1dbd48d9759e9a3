// Conformity decisions: every verdict in the tables below was worked out by hand from ILAC-G8
// (Pass when x − w and x + w both meet the limit, Conditional pass when x does, Conditional fail
// when some of [x − w, x + w] does, Fail otherwise; w = 0 simple, w = r·U guarded).
#include "lims/core/decision.h"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "tests/support/test_support.h"

namespace lims {
namespace {

using ::lims::testing::D;
using ::lims::testing::MakeLimit;

constexpr Verdict P = Verdict::kPass;
constexpr Verdict CP = Verdict::kConditionalPass;
constexpr Verdict CF = Verdict::kConditionalFail;
constexpr Verdict F = Verdict::kFail;

Limit MakeRange(const std::string& low, bool low_inclusive, const std::string& high, bool high_inclusive,
                const std::string& unit) {
  Limit limit = MakeLimit(Comparator::kRange, low, unit);
  limit.high = D(high);
  limit.low_inclusive = low_inclusive;
  limit.high_inclusive = high_inclusive;
  return limit;
}

DecisionRule Rule(const std::string& token) {
  Result<DecisionRule> rule = ParseDecisionRule(token);
  EXPECT_TRUE(rule.ok()) << token;
  return rule.ok() ? *rule : DecisionRule{};
}

std::vector<Observation> Parse(const Limit& limit, const std::vector<std::string>& texts) {
  std::vector<Observation> out;
  for (const std::string& t : texts) {
    Result<Observation> o = ParseObservation(limit, t);
    EXPECT_TRUE(o.ok()) << t << ": " << o.status().ToString();
    if (o.ok()) out.push_back(*o);
  }
  return out;
}

const DecisionSubject kChromium{"Cr(VI)", "REACH Annex XVII entry 47"};

Decision DecideOne(const Limit& limit, const std::string& rule, const std::string& x,
                   const std::optional<std::string>& u) {
  std::optional<Decimal> uncertainty;
  if (u) uncertainty = D(*u);
  return Decide(kChromium, limit, Combine::kEach, Rule(rule), Parse(limit, {x}), uncertainty);
}

// One measured value near a limit and its verdict under three rules with the case's U.
struct Row {
  const char* x;
  const char* where;  // how x relates to the limit L, the digit d and U
  Verdict simple;     // w = 0
  Verdict guarded;    // w = U
  Verdict half;       // w = 0.5·U
};

struct LimitCase {
  const char* name;
  Limit limit;
  const char* u;
  std::vector<Row> rows;
};

std::vector<LimitCase> Cases() {
  return {
      {"<= 3.2 mg/kg, U = 0.4",
       MakeLimit(Comparator::kLessOrEqual, "3.2", "mg/kg"),
       "0.4",
       {
           {"3.2", "L", P, CP, CP},
           {"3.3", "L+d", F, CF, CF},
           {"3.1", "L-d", P, CP, CP},
           {"3.6", "L+U", F, CF, F},
           {"2.8", "L-U", P, P, P},
           {"3.7", "L+U+d", F, F, F},
           {"3.5", "L+U-d", F, CF, F},
           {"2.9", "L-U+d", P, CP, P},
           {"2.7", "L-U-d", P, P, P},
       }},
      {"< 3.2 mg/kg, U = 0.4",
       MakeLimit(Comparator::kLess, "3.2", "mg/kg"),
       "0.4",
       {
           {"3.2", "L", F, CF, CF},
           {"3.3", "L+d", F, CF, CF},
           {"3.1", "L-d", P, CP, CP},
           {"3.6", "L+U", F, F, F},
           {"2.8", "L-U", P, CP, P},
           {"3.7", "L+U+d", F, F, F},
           {"3.5", "L+U-d", F, CF, F},
           {"2.9", "L-U+d", P, CP, P},
           {"2.7", "L-U-d", P, P, P},
       }},
      {">= 4.00 N/mm, U = 0.25",
       MakeLimit(Comparator::kGreaterOrEqual, "4.00", "N/mm"),
       "0.25",
       {
           {"4.00", "L", P, CP, CP},
           {"4.01", "L+d", P, CP, CP},
           {"3.99", "L-d", F, CF, CF},
           {"4.25", "L+U", P, P, P},
           {"3.75", "L-U", F, CF, F},
           {"4.26", "L+U+d", P, P, P},
           {"4.24", "L+U-d", P, CP, P},
           {"3.76", "L-U+d", F, CF, F},
           {"3.74", "L-U-d", F, F, F},
       }},
      {"> 4.00 N/mm, U = 0.25",
       MakeLimit(Comparator::kGreater, "4.00", "N/mm"),
       "0.25",
       {
           {"4.00", "L", F, CF, CF},
           {"4.01", "L+d", P, CP, CP},
           {"3.99", "L-d", F, CF, CF},
           {"4.25", "L+U", P, CP, P},
           {"3.75", "L-U", F, F, F},
           {"4.26", "L+U+d", P, P, P},
           {"4.24", "L+U-d", P, CP, P},
           {"3.76", "L-U+d", F, CF, F},
           {"3.74", "L-U-d", F, F, F},
       }},
      {"not detected, LOQ 3.0 mg/kg, U = 0.5",
       MakeLimit(Comparator::kNotDetected, "3.0", "mg/kg"),
       "0.5",
       {
           {"3.0", "L", F, CF, CF},
           {"3.1", "L+d", F, CF, CF},
           {"2.9", "L-d", P, CP, CP},
           {"3.5", "L+U", F, F, F},
           {"2.5", "L-U", P, CP, P},
           {"3.6", "L+U+d", F, F, F},
           {"3.4", "L+U-d", F, CF, F},
           {"2.6", "L-U+d", P, CP, P},
           {"2.4", "L-U-d", P, P, P},
       }},
      {"range > 3.2 and <= 7.5 pH, lower bound, U = 0.3",
       MakeRange("3.2", false, "7.5", true, "pH"),
       "0.3",
       {
           {"3.2", "L", F, CF, CF},
           {"3.3", "L+d", P, CP, CP},
           {"3.1", "L-d", F, CF, CF},
           {"3.5", "L+U", P, CP, P},
           {"2.9", "L-U", F, F, F},
           {"3.6", "L+U+d", P, P, P},
           {"3.4", "L+U-d", P, CP, P},
           {"3.0", "L-U+d", F, CF, F},
           {"2.8", "L-U-d", F, F, F},
       }},
      {"range > 3.2 and <= 7.5 pH, upper bound, U = 0.3",
       MakeRange("3.2", false, "7.5", true, "pH"),
       "0.3",
       {
           {"7.5", "H", P, CP, CP},
           {"7.6", "H+d", F, CF, CF},
           {"7.4", "H-d", P, CP, CP},
           {"7.8", "H+U", F, CF, F},
           {"7.2", "H-U", P, P, P},
           {"7.9", "H+U+d", F, F, F},
           {"7.7", "H+U-d", F, CF, F},
           {"7.3", "H-U+d", P, CP, P},
           {"7.1", "H-U-d", P, P, P},
       }},
      {"range >= 100.00 and < 100.50 kΩ, both bounds, U = 0.20",
       MakeRange("100.00", true, "100.50", false, "kΩ"),
       "0.20",
       {
           {"100.00", "L", P, CP, CP},
           {"99.99", "L-d", F, CF, CF},
           {"100.20", "L+U", P, P, P},   // [100.00, 100.40]: both ends meet, 100.00 through inclusivity
           {"100.30", "H-U", P, CP, P},  // x + U = 100.50 is not < 100.50
           {"100.29", "H-U-d", P, P, P},
           {"100.50", "H", F, CF, CF},
           {"100.49", "H-d", P, CP, CP},
           {"100.70", "H+U", F, F, F},  // x − U = 100.50 is not < 100.50
           {"100.69", "H+U-d", F, CF, F},
           {"99.80", "L-U", F, CF, F},
           {"99.79", "L-U-d", F, F, F},
       }},
  };
}

TEST(DecideAtTheLimit, MatchesTheHandWorkedTable) {
  for (const LimitCase& c : Cases()) {
    for (const Row& row : c.rows) {
      SCOPED_TRACE(std::string(c.name) + ", x = " + row.x + " (" + row.where + ")");
      const Decision simple = DecideOne(c.limit, "simple", row.x, std::nullopt);
      EXPECT_EQ(VerdictName(simple.verdict), VerdictName(row.simple)) << simple.explanation;
      const Decision guarded = DecideOne(c.limit, "guarded", row.x, c.u);
      EXPECT_EQ(VerdictName(guarded.verdict), VerdictName(row.guarded)) << guarded.explanation;
      const Decision half = DecideOne(c.limit, "guarded:r=0.5", row.x, c.u);
      EXPECT_EQ(VerdictName(half.verdict), VerdictName(row.half)) << half.explanation;
    }
  }
}

TEST(DecideAtTheLimit, SimpleRuleIgnoresAnUncertainty) {
  for (const LimitCase& c : Cases()) {
    for (const Row& row : c.rows) {
      SCOPED_TRACE(std::string(c.name) + ", x = " + row.x);
      const Decision d = DecideOne(c.limit, "simple", row.x, c.u);
      EXPECT_EQ(VerdictName(d.verdict), VerdictName(row.simple)) << d.explanation;
      EXPECT_EQ(d.explanation.find("U ="), std::string::npos) << d.explanation;
    }
  }
}

TEST(DecideAtTheLimit, RangeNarrowerThanTheGuardBandIsConditionalOnBothSides) {
  // [6.0, 6.2] with U = 0.5: [x − U, x + U] can hold the whole range while neither end is in it.
  const Limit ph = MakeRange("6.0", true, "6.2", true, "pH");
  struct Sample {
    const char* x;
    Verdict guarded;
  };
  const Sample samples[] = {
      {"6.1", CP},                            // inside; the band reaches beyond both bounds
      {"6.0", CP}, {"6.2", CP}, {"5.9", CF},  // outside; [5.4, 6.4] covers the whole range
      {"6.3", CF},                            // outside; [5.8, 6.8] covers it too
      {"5.6", CF},                            // [5.1, 6.1]: 6.1 is inside
      {"5.5", CF},                            // [5.0, 6.0]: 6.0 is inside
      {"5.4", F},                             // [4.9, 5.9]: nothing inside
      {"6.7", CF},                            // [6.2, 7.2]: 6.2 is inside
      {"6.8", F},
  };
  for (const Sample& s : samples) {
    const Decision d = DecideOne(ph, "guarded", s.x, "0.5");
    EXPECT_EQ(VerdictName(d.verdict), VerdictName(s.guarded)) << "x = " << s.x << ": " << d.explanation;
  }
}

TEST(DecideAtTheLimit, ZeroUncertaintyMakesGuardedEqualSimple) {
  const Limit limit = MakeLimit(Comparator::kLessOrEqual, "3.2", "mg/kg");
  EXPECT_EQ(DecideOne(limit, "guarded", "3.2", "0").verdict, P);
  EXPECT_EQ(DecideOne(limit, "guarded", "3.3", "0.0").verdict, F);
}

TEST(DecideAtTheLimit, LargerFactorWidensTheBand) {
  // ≤ 3.2, U = 0.4: x = 2.7 passes with w = U (3.1) but only conditionally with w = 2·U (3.5).
  const Limit limit = MakeLimit(Comparator::kLessOrEqual, "3.2", "mg/kg");
  EXPECT_EQ(DecideOne(limit, "guarded", "2.7", "0.4").verdict, P);
  EXPECT_EQ(DecideOne(limit, "guarded:r=2", "2.7", "0.4").verdict, CP);
  EXPECT_EQ(DecideOne(limit, "guarded:r=2", "2.4", "0.4").verdict, P);
  // x = 3.9: w = U gives [3.5, 4.3], nothing meets; w = 2·U gives [3.1, 4.7], 3.1 does.
  EXPECT_EQ(DecideOne(limit, "guarded", "3.9", "0.4").verdict, F);
  EXPECT_EQ(DecideOne(limit, "guarded:r=2", "3.9", "0.4").verdict, CF);
}

TEST(DecideExplanation, SimpleFailureLine) {
  const Limit limit = MakeLimit(Comparator::kLess, "3", "mg/kg");
  EXPECT_EQ(DecideOne(limit, "simple", "4.1", std::nullopt).explanation,
            "Cr(VI) 4.1 mg/kg > 3 mg/kg (REACH Annex XVII entry 47; simple acceptance): FAIL");
  EXPECT_EQ(DecideOne(MakeLimit(Comparator::kNotDetected, "3", "mg/kg"), "simple", "4.1", std::nullopt).explanation,
            "Cr(VI) 4.1 mg/kg > 3 mg/kg (REACH Annex XVII entry 47; simple acceptance): FAIL");
}

TEST(DecideExplanation, EveryHeadline) {
  const Limit limit = MakeLimit(Comparator::kLessOrEqual, "3.2", "mg/kg");
  EXPECT_EQ(DecideOne(limit, "guarded", "2.7", "0.4").explanation,
            "Cr(VI) 2.7 mg/kg < 3.2 mg/kg, U = 0.4 mg/kg (REACH Annex XVII entry 47; guarded acceptance, w = U): PASS");
  EXPECT_EQ(DecideOne(limit, "guarded", "3.2", "0.4").explanation,
            "Cr(VI) 3.2 mg/kg = 3.2 mg/kg, U = 0.4 mg/kg (REACH Annex XVII entry 47; guarded acceptance, w = U): "
            "CONDITIONAL PASS");
  EXPECT_EQ(DecideOne(limit, "guarded:r=0.5", "3.3", "0.4").explanation,
            "Cr(VI) 3.3 mg/kg > 3.2 mg/kg, U = 0.4 mg/kg (REACH Annex XVII entry 47; guarded acceptance, w = 0.5·U): "
            "CONDITIONAL FAIL");
  EXPECT_EQ(DecideOne(limit, "guarded:r=0.5", "3.7", "0.4").explanation,
            "Cr(VI) 3.7 mg/kg > 3.2 mg/kg, U = 0.4 mg/kg (REACH Annex XVII entry 47; guarded acceptance, w = 0.5·U): "
            "FAIL");
}

TEST(DecideExplanation, LowerLimitWithoutAUnitSymbol) {
  const DecisionSubject slip{"Slip heel (NaLS)", "EN ISO 20345:2022 5.3.5"};
  const Limit limit = MakeLimit(Comparator::kGreaterOrEqual, "0.31", "1");
  const Decision d = Decide(slip, limit, Combine::kEach, Rule("simple"), Parse(limit, {"0.29"}), std::nullopt);
  EXPECT_EQ(d.verdict, F);
  EXPECT_EQ(d.explanation, "Slip heel (NaLS) 0.29 < 0.31 (EN ISO 20345:2022 5.3.5; simple acceptance): FAIL");
}

TEST(DecideExplanation, RangeSaysWithinOrOutside) {
  const DecisionSubject antistatic{"Electrical resistance", "EN ISO 20345:2022 5.10"};
  const Limit limit = MakeRange("100", false, "1000000", true, "kΩ");
  const Decision in = Decide(antistatic, limit, Combine::kEach, Rule("simple"), Parse(limit, {"150"}), std::nullopt);
  EXPECT_EQ(in.verdict, P);
  EXPECT_EQ(in.explanation,
            "Electrical resistance 150 kΩ within > 100 and ≤ 1000000 kΩ (EN ISO 20345:2022 5.10; simple acceptance): "
            "PASS");
  const Decision out = Decide(antistatic, limit, Combine::kEach, Rule("simple"), Parse(limit, {"100"}), std::nullopt);
  EXPECT_EQ(out.verdict, F);
  EXPECT_EQ(out.explanation,
            "Electrical resistance 100 kΩ outside > 100 and ≤ 1000000 kΩ (EN ISO 20345:2022 5.10; simple "
            "acceptance): FAIL");
}

TEST(DecideExplanation, EmptyObservationsFail) {
  const Decision d =
      Decide(kChromium, MakeLimit(Comparator::kLess, "3", "mg/kg"), Combine::kEach, Rule("simple"), {}, std::nullopt);
  EXPECT_EQ(d.verdict, F);
  EXPECT_EQ(d.explanation, "Cr(VI): no observation (REACH Annex XVII entry 47)");
}

TEST(DecideCombine, EachLetsTheWorstSpecimenDecideAndNamesIt) {
  const Limit limit = MakeLimit(Comparator::kLessOrEqual, "3.2", "mg/kg");
  // Under w = 0.4: 2.7 P, 3.1 CP, 3.3 CF, 3.0 CP: the third specimen decides.
  const Decision d =
      Decide(kChromium, limit, Combine::kEach, Rule("guarded"), Parse(limit, {"2.7", "3.1", "3.3", "3.0"}), D("0.4"));
  EXPECT_EQ(d.verdict, CF);
  EXPECT_EQ(d.explanation,
            "Cr(VI) specimen 3 of 4: 3.3 mg/kg > 3.2 mg/kg, U = 0.4 mg/kg (REACH Annex XVII entry 47; guarded "
            "acceptance, w = U): CONDITIONAL FAIL");
  // Simple: only 3.3 exceeds 3.2.
  const Decision simple = Decide(kChromium, limit, Combine::kEach, Rule("simple"),
                                 Parse(limit, {"2.7", "3.1", "3.3", "3.0"}), std::nullopt);
  EXPECT_EQ(simple.verdict, F);
  EXPECT_EQ(simple.explanation,
            "Cr(VI) specimen 3 of 4: 3.3 mg/kg > 3.2 mg/kg (REACH Annex XVII entry 47; simple acceptance): FAIL");
}

TEST(DecideCombine, EachFailsALowerLimitOnTheWeakSpecimen) {
  const DecisionSubject bond{"Sole bond", "EN ISO 20345:2022 5.3.1.2"};
  const Limit limit = MakeLimit(Comparator::kGreaterOrEqual, "4.0", "N/mm");
  const Decision d = Decide(bond, limit, Combine::kEach, Rule("simple"), Parse(limit, {"5.1", "3.8"}), std::nullopt);
  EXPECT_EQ(d.verdict, F);
  EXPECT_EQ(d.explanation,
            "Sole bond specimen 2 of 2: 3.8 N/mm < 4.0 N/mm (EN ISO 20345:2022 5.3.1.2; simple acceptance): FAIL");
}

TEST(DecideCombine, MeanJudgesTheAverage) {
  const Limit limit = MakeLimit(Comparator::kLessOrEqual, "4.3", "mg/kg");
  // (4.2 + 4.4) / 2 = 4.3 meets ≤ 4.3 although 4.4 alone does not.
  const Decision mean =
      Decide(kChromium, limit, Combine::kMean, Rule("simple"), Parse(limit, {"4.2", "4.4"}), std::nullopt);
  EXPECT_EQ(mean.verdict, P);
  EXPECT_EQ(mean.explanation,
            "Cr(VI) mean of 2 specimens 4.300 mg/kg = 4.3 mg/kg (REACH Annex XVII entry 47; simple acceptance): PASS");
  const Decision each =
      Decide(kChromium, limit, Combine::kEach, Rule("simple"), Parse(limit, {"4.2", "4.4"}), std::nullopt);
  EXPECT_EQ(each.verdict, F);
  // (4.2 + 4.5) / 2 = 4.35 does not.
  EXPECT_EQ(
      Decide(kChromium, limit, Combine::kMean, Rule("simple"), Parse(limit, {"4.2", "4.5"}), std::nullopt).verdict, F);
  // (1 + 2 + 2) / 3 = 1.666… is reported to two more digits than the specimens: 1.67.
  const Decision thirds =
      Decide(kChromium, limit, Combine::kMean, Rule("simple"), Parse(limit, {"1", "2", "2"}), std::nullopt);
  EXPECT_NE(thirds.explanation.find("mean of 3 specimens 1.67 mg/kg < 4.3 mg/kg"), std::string::npos)
      << thirds.explanation;
}

TEST(DecideCombine, MinAndMaxPickTheExtremeSpecimen) {
  const DecisionSubject bond{"Sole bond", "EN ISO 20345:2022 5.3.1.2"};
  const Limit lower = MakeLimit(Comparator::kGreaterOrEqual, "4.00", "N/mm");
  const Decision min =
      Decide(bond, lower, Combine::kMin, Rule("simple"), Parse(lower, {"4.5", "3.9", "4.2"}), std::nullopt);
  EXPECT_EQ(min.verdict, F);
  EXPECT_EQ(
      min.explanation,
      "Sole bond lowest of 3 specimens 3.9 N/mm < 4.00 N/mm (EN ISO 20345:2022 5.3.1.2; simple acceptance): FAIL");

  const Limit upper = MakeLimit(Comparator::kLess, "3", "mg/kg");
  const Decision max =
      Decide(kChromium, upper, Combine::kMax, Rule("simple"), Parse(upper, {"1.0", "2.5", "2.0"}), std::nullopt);
  EXPECT_EQ(max.verdict, P);
  EXPECT_EQ(max.explanation,
            "Cr(VI) highest of 3 specimens 2.5 mg/kg < 3 mg/kg (REACH Annex XVII entry 47; simple acceptance): PASS");
  // The lowest value against an upper limit: only the minimum has to meet it.
  EXPECT_EQ(Decide(kChromium, upper, Combine::kMin, Rule("simple"), Parse(upper, {"2.0", "3.5"}), std::nullopt).verdict,
            P);
  // The highest value against a lower limit.
  EXPECT_EQ(Decide(bond, lower, Combine::kMax, Rule("simple"), Parse(lower, {"3.0", "4.0"}), std::nullopt).verdict, P);
}

TEST(DecideCombine, OneSpecimenIsNotNamed) {
  const Limit limit = MakeLimit(Comparator::kLess, "3", "mg/kg");
  for (Combine c : {Combine::kEach, Combine::kMean, Combine::kMin, Combine::kMax}) {
    const Decision d = Decide(kChromium, limit, c, Rule("simple"), Parse(limit, {"4.1"}), std::nullopt);
    EXPECT_EQ(d.explanation, "Cr(VI) 4.1 mg/kg > 3 mg/kg (REACH Annex XVII entry 47; simple acceptance): FAIL")
        << CombineName(c);
  }
}

TEST(DecideNoFailure, PassOrFailAsObserved) {
  const DecisionSubject heel{"Closed heel", "EN ISO 20345:2022 5.2.2"};
  const Limit limit = MakeLimit(Comparator::kNoFailure, "0", "");
  const Decision pass = Decide(heel, limit, Combine::kEach, Rule("simple"), Parse(limit, {"pass"}), std::nullopt);
  EXPECT_EQ(pass.verdict, P);
  EXPECT_EQ(pass.explanation, "Closed heel no failure observed (EN ISO 20345:2022 5.2.2; simple acceptance): PASS");
  const Decision fail =
      Decide(heel, limit, Combine::kEach, Rule("guarded"), Parse(limit, {"pass", "fail"}), std::nullopt);
  EXPECT_EQ(fail.verdict, F);
  EXPECT_EQ(fail.explanation,
            "Closed heel specimen 2 of 2: failure observed (EN ISO 20345:2022 5.2.2; guarded acceptance, w = U): FAIL");
}

TEST(DecideNoFailure, AcceptsOnlyPassOrFail) {
  const Limit limit = MakeLimit(Comparator::kNoFailure, "0", "");
  for (const char* text : {"", "Pass", "FAIL", "ok", "1", "nd", "passed"}) {
    Result<Observation> o = ParseObservation(limit, text);
    ASSERT_FALSE(o.ok()) << text;
    EXPECT_EQ(o.status().code(), Status::Code::kInvalidArgument);
  }
}

TEST(DecideNotDetected, NdAndBelowQuantificationPass) {
  const Limit limit = MakeLimit(Comparator::kNotDetected, "3", "mg/kg");
  for (const char* text : {"nd", "ND", "<3"}) {
    Result<Observation> o = ParseObservation(limit, text);
    ASSERT_OK(o);
    EXPECT_EQ(o->kind, Observation::Kind::kNotDetected) << text;
    EXPECT_EQ(o->text, text);
    const Decision d = Decide(kChromium, limit, Combine::kEach, Rule("guarded"), {*o}, D("0.5"));
    EXPECT_EQ(d.verdict, P) << text;
    // Nothing was measured, so there is no U to print.
    EXPECT_EQ(d.explanation,
              "Cr(VI) not detected (< 3 mg/kg) (REACH Annex XVII entry 47; guarded acceptance, w = U): PASS");
  }
}

TEST(DecideNotDetected, TheLabsOwnQuantificationLimitIsShown) {
  const Limit limit = MakeLimit(Comparator::kNotDetected, "3", "mg/kg");
  Result<Observation> o = ParseObservation(limit, "<2.5");
  ASSERT_OK(o);
  EXPECT_EQ(o->kind, Observation::Kind::kNotDetected);
  EXPECT_TRUE(o->has_bound);
  EXPECT_EQ(o->value, D("2.5"));
  const Decision d = Decide(kChromium, limit, Combine::kEach, Rule("simple"), {*o}, std::nullopt);
  EXPECT_EQ(d.verdict, P);
  EXPECT_EQ(d.explanation, "Cr(VI) not detected (< 2.5 mg/kg) (REACH Annex XVII entry 47; simple acceptance): PASS");
}

TEST(DecideNotDetected, BelowQuantificationAlsoMeetsAnUpperLimit) {
  // An analytical instrument reports "< LOQ" for any analyte; under a "≤ 1 mg/kg" or "< 1 mg/kg"
  // limit a bound at or below the limit shows compliance.
  for (Comparator c : {Comparator::kLessOrEqual, Comparator::kLess}) {
    const Limit limit = MakeLimit(c, "1", "mg/kg");
    Result<Observation> o = ParseObservation(limit, "<0.5");
    ASSERT_OK(o);
    EXPECT_EQ(o->kind, Observation::Kind::kNotDetected);
    EXPECT_EQ(o->value, D("0.5"));
    const Decision d = Decide(kChromium, limit, Combine::kMean, Rule("simple"), {*o}, std::nullopt);
    EXPECT_EQ(d.verdict, P);
    EXPECT_NE(d.explanation.find("not detected (< 0.5 mg/kg)"), std::string::npos) << d.explanation;
  }
  // A lower limit cannot be shown by "below something".
  EXPECT_FALSE(ParseObservation(MakeLimit(Comparator::kGreaterOrEqual, "1", "N/mm"), "<0.5").ok());
}

TEST(DecideNotDetected, RejectsMalformedBelowForms) {
  const Limit limit = MakeLimit(Comparator::kNotDetected, "3", "mg/kg");
  for (const char* text : {"<", "< 3", "<abc", "<3,0", "n.d.", "nd ", "", "pass"}) {
    Result<Observation> o = ParseObservation(limit, text);
    ASSERT_FALSE(o.ok()) << '"' << text << '"';
    EXPECT_EQ(o.status().code(), Status::Code::kInvalidArgument) << text;
  }
}

TEST(DecideNotDetected, AMeasuredSpecimenAmongNdDecides) {
  const Limit limit = MakeLimit(Comparator::kNotDetected, "3", "mg/kg");
  const Decision d =
      Decide(kChromium, limit, Combine::kEach, Rule("simple"), Parse(limit, {"nd", "4.1", "<3"}), std::nullopt);
  EXPECT_EQ(d.verdict, F);
  EXPECT_EQ(d.explanation,
            "Cr(VI) specimen 2 of 3: 4.1 mg/kg > 3 mg/kg (REACH Annex XVII entry 47; simple acceptance): FAIL");
  // Mean, min and max need numbers: with an "nd" among them every specimen is judged.
  const Decision mean =
      Decide(kChromium, limit, Combine::kMean, Rule("simple"), Parse(limit, {"nd", "4.1"}), std::nullopt);
  EXPECT_EQ(mean.verdict, F);
  EXPECT_NE(mean.explanation.find("specimen 2 of 2: 4.1 mg/kg"), std::string::npos) << mean.explanation;
}

TEST(DecideNotDetected, OtherComparatorsWantNumbers) {
  // Upper limits also take "<LOQ" (BelowQuantificationAlsoMeetsAnUpperLimit), never a bare "nd".
  for (Comparator c : {Comparator::kLess, Comparator::kLessOrEqual, Comparator::kRange}) {
    const Limit limit = MakeLimit(c, "3", "mg/kg");
    for (const char* text : {"nd", "pass", "", "3,1", "1e2"}) {
      Result<Observation> o = ParseObservation(limit, text);
      ASSERT_FALSE(o.ok()) << text;
      EXPECT_EQ(o.status().code(), Status::Code::kInvalidArgument) << text;
    }
  }
  EXPECT_FALSE(ParseObservation(MakeLimit(Comparator::kRange, "3", "mg/kg"), "<3").ok());
}

TEST(DecisionRuleToken, RoundTrips) {
  struct Case {
    const char* token;
    DecisionRule::Kind kind;
    const char* r;
    const char* describe;
  };
  const Case cases[] = {
      {"simple", DecisionRule::Kind::kSimple, "1", "simple acceptance"},
      {"guarded", DecisionRule::Kind::kGuarded, "1", "guarded acceptance, w = U"},
      {"guarded:r=0.5", DecisionRule::Kind::kGuarded, "0.5", "guarded acceptance, w = 0.5·U"},
      {"guarded:r=2", DecisionRule::Kind::kGuarded, "2", "guarded acceptance, w = 2·U"},
      {"guarded:r=10", DecisionRule::Kind::kGuarded, "10", "guarded acceptance, w = 10·U"},
  };
  for (const Case& c : cases) {
    Result<DecisionRule> rule = ParseDecisionRule(c.token);
    ASSERT_OK(rule);
    EXPECT_EQ(rule->kind, c.kind) << c.token;
    EXPECT_EQ(rule->r, D(c.r)) << c.token;
    EXPECT_EQ(rule->Token(), c.token);
    EXPECT_EQ(rule->Describe(), c.describe);
  }
}

TEST(DecisionRuleToken, FactorOfOneIsPlainGuarded) {
  Result<DecisionRule> rule = ParseDecisionRule("guarded:r=1.0");
  ASSERT_OK(rule);
  EXPECT_EQ(rule->Token(), "guarded");
  EXPECT_EQ(rule->Describe(), "guarded acceptance, w = U");
}

TEST(DecisionRuleToken, RejectsEverythingElse) {
  for (const char* token :
       {"guarded:r=0", "guarded:r=-1", "fancy", "", "Simple", "GUARDED", "guarded:r=", "guarded:r=abc", "guarded:r=0.0",
        "guarded:r=10.1", "guarded:k=2", "guarded r=0.5", "simple:r=0.5", "guarded:r=1e0"}) {
    Result<DecisionRule> rule = ParseDecisionRule(token);
    ASSERT_FALSE(rule.ok()) << '"' << token << '"';
    EXPECT_EQ(rule.status().code(), Status::Code::kInvalidArgument) << token;
  }
}

TEST(VerdictNames, RoundTripAndHeadlines) {
  struct Case {
    Verdict verdict;
    const char* name;
    const char* headline;
  };
  const Case cases[] = {
      {P, "pass", "PASS"},
      {CP, "conditional_pass", "CONDITIONAL PASS"},
      {CF, "conditional_fail", "CONDITIONAL FAIL"},
      {F, "fail", "FAIL"},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(VerdictName(c.verdict), c.name);
    EXPECT_EQ(VerdictHeadline(c.verdict), c.headline);
    Result<Verdict> parsed = ParseVerdict(c.name);
    ASSERT_OK(parsed);
    EXPECT_EQ(*parsed, c.verdict);
  }
  for (const char* text : {"", "PASS", "conditional pass", "ok", "failed"}) {
    EXPECT_FALSE(ParseVerdict(text).ok()) << text;
  }
}

TEST(VerdictNames, OrderedFromBestToWorst) {
  EXPECT_LT(P, CP);
  EXPECT_LT(CP, CF);
  EXPECT_LT(CF, F);
  EXPECT_FALSE(IsRejection(P));
  EXPECT_FALSE(IsRejection(CP));
  EXPECT_TRUE(IsRejection(CF));
  EXPECT_TRUE(IsRejection(F));
}

TEST(CombineNames, RoundTrip) {
  for (Combine c : {Combine::kEach, Combine::kMean, Combine::kMin, Combine::kMax}) {
    Result<Combine> parsed = ParseCombine(CombineName(c));
    ASSERT_OK(parsed);
    EXPECT_EQ(*parsed, c);
  }
  EXPECT_EQ(CombineName(Combine::kMean), "mean");
  EXPECT_FALSE(ParseCombine("average").ok());
  EXPECT_FALSE(ParseCombine("").ok());
}

}  // namespace
}  // namespace lims
