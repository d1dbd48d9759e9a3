#include "lims/core/limit.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "lims/core/decision.h"
#include "tests/support/test_support.h"

namespace lims {
namespace {

using ::lims::testing::D;

Limit MakeLimit(Comparator c, const std::string& value, const std::string& unit = "mg/kg") {
  Limit limit;
  limit.comparator = c;
  limit.value = D(value);
  limit.unit = unit;
  return limit;
}

Limit MakeRange(const std::string& low, bool low_inclusive, const std::string& high, bool high_inclusive,
                const std::string& unit) {
  Limit limit = MakeLimit(Comparator::kRange, low, unit);
  limit.high = D(high);
  limit.low_inclusive = low_inclusive;
  limit.high_inclusive = high_inclusive;
  return limit;
}

// Numbers as reported, for Decide.
std::vector<Observation> Numbers(const std::vector<std::string>& texts) {
  std::vector<Observation> out;
  for (const std::string& t : texts) {
    Observation o;
    o.value = D(t);
    o.text = t;
    out.push_back(o);
  }
  return out;
}

Decision DecideSimply(const Limit& limit, const std::vector<std::string>& values) {
  const DecisionSubject subject{"Cr(VI)", "REACH Annex XVII entry 47"};
  return Decide(subject, limit, Combine::kEach, DecisionRule{}, Numbers(values), std::nullopt);
}

TEST(ParseComparator, AcceptsTheSevenTokens) {
  EXPECT_EQ(*ParseComparator("<"), Comparator::kLess);
  EXPECT_EQ(*ParseComparator("<="), Comparator::kLessOrEqual);
  EXPECT_EQ(*ParseComparator(">"), Comparator::kGreater);
  EXPECT_EQ(*ParseComparator(">="), Comparator::kGreaterOrEqual);
  EXPECT_EQ(*ParseComparator("range"), Comparator::kRange);
  EXPECT_EQ(*ParseComparator("no_failure"), Comparator::kNoFailure);
  EXPECT_EQ(*ParseComparator("not_detected"), Comparator::kNotDetected);
}

TEST(ParseComparator, RejectsEverythingElse) {
  for (const char* text :
       {"", "=", "==", "=<", "≤", "≥", " <", "<= ", "lt", "<>", "!=", "Range", "nd", "not detected", "no-failure"}) {
    Result<Comparator> c = ParseComparator(text);
    ASSERT_FALSE(c.ok()) << '"' << text << '"';
    EXPECT_EQ(c.status().code(), Status::Code::kInvalidArgument);
  }
}

TEST(ParseComparator, RoundTripsThroughToken) {
  for (Comparator c : {Comparator::kLess, Comparator::kLessOrEqual, Comparator::kGreater, Comparator::kGreaterOrEqual,
                       Comparator::kRange, Comparator::kNoFailure, Comparator::kNotDetected}) {
    Result<Comparator> parsed = ParseComparator(ComparatorToken(c));
    ASSERT_OK(parsed);
    EXPECT_EQ(*parsed, c);
  }
}

TEST(ComparatorSymbol, UsesMathematicalSigns) {
  EXPECT_EQ(ComparatorSymbol(Comparator::kLess), "<");
  EXPECT_EQ(ComparatorSymbol(Comparator::kLessOrEqual), "≤");
  EXPECT_EQ(ComparatorSymbol(Comparator::kGreater), ">");
  EXPECT_EQ(ComparatorSymbol(Comparator::kGreaterOrEqual), "≥");
  EXPECT_EQ(ComparatorSymbol(Comparator::kNotDetected), "<");
}

TEST(IsNumeric, OnlyNoFailureHasNoNumber) {
  EXPECT_FALSE(IsNumeric(Comparator::kNoFailure));
  for (Comparator c : {Comparator::kLess, Comparator::kLessOrEqual, Comparator::kGreater, Comparator::kGreaterOrEqual,
                       Comparator::kRange, Comparator::kNotDetected}) {
    EXPECT_TRUE(IsNumeric(c)) << ComparatorToken(c);
  }
}

TEST(LimitIsMetBy, LessExcludesTheBoundary) {
  const Limit limit = MakeLimit(Comparator::kLess, "3");
  EXPECT_TRUE(limit.IsMetBy(D("2.99")));
  EXPECT_FALSE(limit.IsMetBy(D("3")));
  EXPECT_FALSE(limit.IsMetBy(D("3.00")));
  EXPECT_FALSE(limit.IsMetBy(D("3.01")));
}

TEST(LimitIsMetBy, LessOrEqualIncludesTheBoundary) {
  const Limit limit = MakeLimit(Comparator::kLessOrEqual, "3");
  EXPECT_TRUE(limit.IsMetBy(D("2.99")));
  EXPECT_TRUE(limit.IsMetBy(D("3")));
  EXPECT_TRUE(limit.IsMetBy(D("3.000")));
  EXPECT_FALSE(limit.IsMetBy(D("3.001")));
}

TEST(LimitIsMetBy, GreaterExcludesTheBoundary) {
  const Limit limit = MakeLimit(Comparator::kGreater, "20", "N");
  EXPECT_TRUE(limit.IsMetBy(D("20.01")));
  EXPECT_FALSE(limit.IsMetBy(D("20")));
  EXPECT_FALSE(limit.IsMetBy(D("20.0")));
  EXPECT_FALSE(limit.IsMetBy(D("19.99")));
}

TEST(LimitIsMetBy, GreaterOrEqualIncludesTheBoundary) {
  const Limit limit = MakeLimit(Comparator::kGreaterOrEqual, "20", "N");
  EXPECT_TRUE(limit.IsMetBy(D("20.01")));
  EXPECT_TRUE(limit.IsMetBy(D("20")));
  EXPECT_TRUE(limit.IsMetBy(D("20.00")));
  EXPECT_FALSE(limit.IsMetBy(D("19.999")));
}

TEST(LimitIsMetBy, NotDetectedIsJudgedBelowTheQuantificationLimit) {
  const Limit limit = MakeLimit(Comparator::kNotDetected, "3");
  EXPECT_TRUE(limit.IsMetBy(D("2.9")));
  EXPECT_FALSE(limit.IsMetBy(D("3.0")));
  EXPECT_FALSE(limit.IsMetBy(D("3.1")));
}

TEST(LimitIsMetBy, RangeHonoursEachBoundsInclusivity) {
  // Antistatic footwear: > 100 kΩ and ≤ 1000000 kΩ.
  const Limit antistatic = MakeRange("100", false, "1000000", true, "kΩ");
  EXPECT_FALSE(antistatic.IsMetBy(D("100")));
  EXPECT_TRUE(antistatic.IsMetBy(D("100.1")));
  EXPECT_TRUE(antistatic.IsMetBy(D("1000000")));
  EXPECT_FALSE(antistatic.IsMetBy(D("1000000.1")));
  EXPECT_FALSE(antistatic.IsMetBy(D("99")));

  const Limit closed = MakeRange("3.5", true, "7.5", false, "pH");
  EXPECT_TRUE(closed.IsMetBy(D("3.5")));
  EXPECT_FALSE(closed.IsMetBy(D("3.49")));
  EXPECT_TRUE(closed.IsMetBy(D("7.49")));
  EXPECT_FALSE(closed.IsMetBy(D("7.50")));
}

TEST(LimitIsMetBy, NoFailureHasNothingToCompare) {
  const Limit limit = MakeLimit(Comparator::kNoFailure, "0", "");
  EXPECT_FALSE(limit.IsMetBy(D("0")));
  EXPECT_FALSE(limit.IsMetBy(D("1")));
}

TEST(LimitToDisplay, ShowsSymbolValueAndUnit) {
  EXPECT_EQ(MakeLimit(Comparator::kLess, "3").ToDisplay(), "< 3 mg/kg");
  EXPECT_EQ(MakeLimit(Comparator::kLessOrEqual, "0.10").ToDisplay(), "≤ 0.10 mg/kg");
  EXPECT_EQ(MakeLimit(Comparator::kGreaterOrEqual, "4", "").ToDisplay(), "≥ 4");
  EXPECT_EQ(MakeLimit(Comparator::kGreaterOrEqual, "0.31", "1").ToDisplay(), "≥ 0.31");  // friction: no unit
  EXPECT_EQ(MakeLimit(Comparator::kGreater, "20", "N").ToDisplay(), "> 20 N");
}

TEST(LimitToDisplay, ShowsRangesNotDetectedAndNoFailure) {
  EXPECT_EQ(MakeRange("100", false, "1000000", true, "kΩ").ToDisplay(), "> 100 and ≤ 1000000 kΩ");
  EXPECT_EQ(MakeRange("3.5", true, "7.5", false, "pH").ToDisplay(), "≥ 3.5 and < 7.5 pH");
  EXPECT_EQ(MakeLimit(Comparator::kNotDetected, "3").ToDisplay(), "not detected (< 3 mg/kg)");
  EXPECT_EQ(MakeLimit(Comparator::kNoFailure, "0", "").ToDisplay(), "no failure");
}

TEST(VerdictName, NamesEveryVerdict) {
  EXPECT_EQ(VerdictName(Verdict::kPass), "pass");
  EXPECT_EQ(VerdictName(Verdict::kConditionalPass), "conditional_pass");
  EXPECT_EQ(VerdictName(Verdict::kConditionalFail), "conditional_fail");
  EXPECT_EQ(VerdictName(Verdict::kFail), "fail");
}

// What EvaluateSimpleAcceptance used to cover, now through Decide under the simple rule.
TEST(DecideSimpleAcceptance, PassesWhenEveryValueMeetsTheLimit) {
  const Decision d = DecideSimply(MakeLimit(Comparator::kLess, "3"), {"1.2", "2.99", "0"});
  EXPECT_EQ(d.verdict, Verdict::kPass);
  EXPECT_NE(d.explanation.find("< 3 mg/kg"), std::string::npos) << d.explanation;
  EXPECT_NE(d.explanation.find("simple acceptance"), std::string::npos) << d.explanation;
  EXPECT_TRUE(d.explanation.ends_with("): PASS")) << d.explanation;
}

TEST(DecideSimpleAcceptance, PassesAtTheBoundaryOfAnInclusiveLimit) {
  const Decision d = DecideSimply(MakeLimit(Comparator::kLessOrEqual, "3"), {"3.00"});
  EXPECT_EQ(d.verdict, Verdict::kPass) << d.explanation;
  EXPECT_EQ(d.explanation, "Cr(VI) 3.00 mg/kg = 3 mg/kg (REACH Annex XVII entry 47; simple acceptance): PASS");
}

TEST(DecideSimpleAcceptance, FailsOnOneValueAndNamesTheSpecimen) {
  const Decision d = DecideSimply(MakeLimit(Comparator::kLess, "3"), {"1.2", "3.20", "0.5"});
  EXPECT_EQ(d.verdict, Verdict::kFail);
  EXPECT_EQ(d.explanation,
            "Cr(VI) specimen 2 of 3: 3.20 mg/kg > 3 mg/kg (REACH Annex XVII entry 47; simple acceptance): FAIL");
}

TEST(DecideSimpleAcceptance, AFailingSpecimenAfterPassingOnesDecides) {
  const Decision d = DecideSimply(MakeLimit(Comparator::kGreaterOrEqual, "20", "N"), {"25", "21", "19"});
  EXPECT_EQ(d.verdict, Verdict::kFail);
  EXPECT_NE(d.explanation.find("specimen 3 of 3: 19 N < 20 N"), std::string::npos) << d.explanation;
}

TEST(DecideSimpleAcceptance, FailsExactlyAtAnExclusiveBoundary) {
  const Decision d = DecideSimply(MakeLimit(Comparator::kLess, "3"), {"3.0"});
  EXPECT_EQ(d.verdict, Verdict::kFail);
  EXPECT_EQ(d.explanation, "Cr(VI) 3.0 mg/kg = 3 mg/kg (REACH Annex XVII entry 47; simple acceptance): FAIL");
}

}  // namespace
}  // namespace lims
