#include "lims/core/limit.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/support/test_support.h"

namespace lims {
namespace {

Decimal D(const std::string& text) {
  Result<Decimal> d = Decimal::Parse(text);
  EXPECT_TRUE(d.ok()) << text;
  return d.ok() ? *d : Decimal();
}

Limit MakeLimit(Comparator c, const std::string& value, const std::string& unit = "mg/kg") {
  return Limit{c, D(value), unit};
}

std::vector<Decimal> Values(const std::vector<std::string>& texts) {
  std::vector<Decimal> out;
  for (const std::string& t : texts) out.push_back(D(t));
  return out;
}

TEST(ParseComparator, AcceptsTheFourTokens) {
  EXPECT_EQ(*ParseComparator("<"), Comparator::kLess);
  EXPECT_EQ(*ParseComparator("<="), Comparator::kLessOrEqual);
  EXPECT_EQ(*ParseComparator(">"), Comparator::kGreater);
  EXPECT_EQ(*ParseComparator(">="), Comparator::kGreaterOrEqual);
}

TEST(ParseComparator, RejectsEverythingElse) {
  for (const char* text : {"", "=", "==", "=<", "≤", "≥", " <", "<= ", "lt", "<>", "!="}) {
    Result<Comparator> c = ParseComparator(text);
    ASSERT_FALSE(c.ok()) << '"' << text << '"';
    EXPECT_EQ(c.status().code(), Status::Code::kInvalidArgument);
  }
}

TEST(ParseComparator, RoundTripsThroughToken) {
  for (Comparator c :
       {Comparator::kLess, Comparator::kLessOrEqual, Comparator::kGreater, Comparator::kGreaterOrEqual}) {
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

TEST(LimitToDisplay, ShowsSymbolValueAndUnit) {
  EXPECT_EQ(MakeLimit(Comparator::kLess, "3").ToDisplay(), "< 3 mg/kg");
  EXPECT_EQ(MakeLimit(Comparator::kLessOrEqual, "0.10").ToDisplay(), "≤ 0.10 mg/kg");
  EXPECT_EQ(MakeLimit(Comparator::kGreaterOrEqual, "4", "").ToDisplay(), "≥ 4");
}

TEST(VerdictName, NamesBothVerdicts) {
  EXPECT_EQ(VerdictName(Verdict::kPass), "pass");
  EXPECT_EQ(VerdictName(Verdict::kFail), "fail");
}

TEST(EvaluateSimpleAcceptance, PassesWhenEveryValueMeetsTheLimit) {
  const Evaluation e = EvaluateSimpleAcceptance(MakeLimit(Comparator::kLess, "3"), Values({"1.2", "2.99", "0"}));
  EXPECT_EQ(e.verdict, Verdict::kPass);
  EXPECT_NE(e.explanation.find("All 3 specimen"), std::string::npos) << e.explanation;
  EXPECT_NE(e.explanation.find("< 3 mg/kg"), std::string::npos) << e.explanation;
  EXPECT_NE(e.explanation.find("simple acceptance"), std::string::npos) << e.explanation;
}

TEST(EvaluateSimpleAcceptance, PassesAtTheBoundaryOfAnInclusiveLimit) {
  const Evaluation e = EvaluateSimpleAcceptance(MakeLimit(Comparator::kLessOrEqual, "3"), Values({"3.00"}));
  EXPECT_EQ(e.verdict, Verdict::kPass) << e.explanation;
}

TEST(EvaluateSimpleAcceptance, FailsOnOneValueAndNamesTheSpecimen) {
  const Evaluation e = EvaluateSimpleAcceptance(MakeLimit(Comparator::kLess, "3"), Values({"1.2", "3.20", "0.5"}));
  EXPECT_EQ(e.verdict, Verdict::kFail);
  EXPECT_NE(e.explanation.find("Specimen 2"), std::string::npos) << e.explanation;
  EXPECT_NE(e.explanation.find("3.20 mg/kg"), std::string::npos) << e.explanation;
  EXPECT_NE(e.explanation.find("< 3 mg/kg"), std::string::npos) << e.explanation;
}

TEST(EvaluateSimpleAcceptance, TheFirstFailingSpecimenDecides) {
  const Evaluation e =
      EvaluateSimpleAcceptance(MakeLimit(Comparator::kGreaterOrEqual, "20", "N"), Values({"25", "19", "5"}));
  EXPECT_EQ(e.verdict, Verdict::kFail);
  EXPECT_NE(e.explanation.find("Specimen 2 measured 19 N"), std::string::npos) << e.explanation;
  EXPECT_EQ(e.explanation.find("Specimen 3"), std::string::npos) << e.explanation;
}

TEST(EvaluateSimpleAcceptance, FailsExactlyAtAnExclusiveBoundary) {
  const Evaluation e = EvaluateSimpleAcceptance(MakeLimit(Comparator::kLess, "3"), Values({"3.0"}));
  EXPECT_EQ(e.verdict, Verdict::kFail);
  EXPECT_NE(e.explanation.find("Specimen 1"), std::string::npos) << e.explanation;
}

}  // namespace
}  // namespace lims
