// Exact arithmetic on Decimal: sums, differences and products keep every digit, powers of ten only
// move the decimal point, division rounds half to even, and anything too large is an error value.
#include <gtest/gtest.h>

#include <string>

#include "lims/core/decimal.h"
#include "tests/support/test_support.h"

namespace lims {
namespace {

Decimal D(const std::string& text) {
  Result<Decimal> d = Decimal::Parse(text);
  EXPECT_TRUE(d.ok()) << text << ": " << d.status().ToString();
  return d.ok() ? *d : Decimal();
}

// The result as text, or "unprocessable" (the out-of-range error) so that a row can expect it.
std::string Text(const Result<Decimal>& r) {
  if (r.ok()) return r->ToString();
  return r.status().code() == Status::Code::kUnprocessable ? "unprocessable" : "other error: " + r.status().ToString();
}

struct BinaryCase {
  const char* a;
  const char* b;
  const char* expected;  // as ToString() prints it: the scale is part of the expectation
};

TEST(DecimalPlus, IsExactAndKeepsTheWiderScale) {
  const BinaryCase cases[] = {
      {"3.2", "0.40", "3.60"},
      {"0.1", "0.2", "0.3"},
      {"1", "0.001", "1.001"},
      {"-3.2", "3.20", "0.00"},
      {"2.8", "-0.4", "2.4"},
      {"0", "0", "0"},
      {"999999999999", "0.000000000001", "999999999999.000000000001"},
      {"-0.5", "-0.25", "-0.75"},
      {"4.00", "0.125", "4.125"},
  };
  for (const BinaryCase& c : cases) {
    EXPECT_EQ(Text(D(c.a).Plus(D(c.b))), c.expected) << c.a << " + " << c.b;
    EXPECT_EQ(Text(D(c.b).Plus(D(c.a))), c.expected) << c.b << " + " << c.a;
  }
}

TEST(DecimalMinus, IsExactAndKeepsTheWiderScale) {
  const BinaryCase cases[] = {
      {"3.2", "0.4", "2.8"},  {"1", "0.001", "0.999"}, {"4.00", "0.25", "3.75"}, {"0.5", "0.5", "0.0"},
      {"0.4", "3.2", "-2.8"}, {"-1", "-1.5", "0.5"},   {"3.20", "3.2", "0.00"},  {"7.5", "0.15", "7.35"},
  };
  for (const BinaryCase& c : cases) {
    EXPECT_EQ(Text(D(c.a).Minus(D(c.b))), c.expected) << c.a << " - " << c.b;
  }
}

TEST(DecimalMinus, AZeroDifferenceIsNotNegative) {
  Result<Decimal> d = D("0.5").Minus(D("0.50"));
  ASSERT_OK(d);
  EXPECT_TRUE(d->IsZero());
  EXPECT_FALSE(d->IsNegative());
}

TEST(DecimalTimes, IsExactWithTheSumOfTheScales) {
  const BinaryCase cases[] = {
      {"1.5", "2.25", "3.375"}, {"0.4", "1", "0.4"},     {"0.5", "0.40", "0.200"}, {"-1.2", "3", "-3.6"},
      {"-0.5", "-0.5", "0.25"}, {"2", "0.125", "0.250"}, {"0", "3.20", "0.00"},    {"10000", "0.00041", "4.10000"},
  };
  for (const BinaryCase& c : cases) {
    EXPECT_EQ(Text(D(c.a).Times(D(c.b))), c.expected) << c.a << " × " << c.b;
    EXPECT_EQ(Text(D(c.b).Times(D(c.a))), c.expected) << c.b << " × " << c.a;
  }
}

TEST(DecimalTimes, RoundsHalfEvenBeyondTheInternalScale) {
  // 10^-9 × 1.5·10^-9 = 1.5·10^-18 needs 19 fraction digits: rounded to 18, half to even.
  EXPECT_EQ(Text(D("0.000000001").Times(D("0.0000000015"))), "0.000000000000000002");
  EXPECT_EQ(Text(D("0.000000001").Times(D("0.0000000025"))), "0.000000000000000002");
  EXPECT_EQ(Text(D("0.000000001").Times(D("0.0000000035"))), "0.000000000000000004");
  EXPECT_EQ(Text(D("0.000000001").Times(D("0.0000000026"))), "0.000000000000000003");
  EXPECT_EQ(Text(D("-0.000000001").Times(D("0.0000000025"))), "-0.000000000000000002");
}

TEST(DecimalScaledByPowerOfTen, MovesTheDecimalPointBothWays) {
  struct Case {
    const char* value;
    int exponent;
    const char* expected;
  };
  const Case cases[] = {
      {"3.20", 4, "32000"},  {"4.1", -4, "0.00041"}, {"0.00041", 4, "4.1"}, {"0.05", 2, "5"},
      {"3", 0, "3"},         {"1.234", 1, "12.34"},  {"-2.5", 3, "-2500"},  {"7", -3, "0.007"},
      {"500", -4, "0.0500"}, {"0.1", 4, "1000"},     {"150", -3, "0.150"},  {"0", 6, "0"},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(Text(D(c.value).ScaledByPowerOfTen(c.exponent)), c.expected) << c.value << " × 10^" << c.exponent;
  }
}

TEST(DecimalScaledByPowerOfTen, RoundTripsToTheSameNumber) {
  for (const char* text : {"3.20", "4.1", "0.000001", "123456.789", "-0.5"}) {
    for (int exponent : {-6, -4, -1, 1, 3, 6}) {
      Result<Decimal> there = D(text).ScaledByPowerOfTen(exponent);
      ASSERT_OK(there);
      Result<Decimal> back = there->ScaledByPowerOfTen(-exponent);
      ASSERT_OK(back);
      EXPECT_EQ(*back, D(text)) << text << " × 10^" << exponent;
    }
  }
}

TEST(DecimalDividedBy, RoundsHalfToEven) {
  struct Case {
    const char* value;
    int64_t divisor;
    int scale;
    const char* expected;
  };
  const Case cases[] = {
      {"2.5", 1, 0, "2"},       {"3.5", 1, 0, "4"},
      {"1", 3, 4, "0.3333"},    {"2", 3, 4, "0.6667"},
      {"-2.5", 1, 0, "-2"},     {"-3.5", 1, 0, "-4"},
      {"8.6", 2, 3, "4.300"},   {"2.45", 1, 1, "2.4"},
      {"2.55", 1, 1, "2.6"},    {"2.451", 1, 1, "2.5"},
      {"1", 8, 2, "0.12"},      {"3", 8, 2, "0.38"},
      {"5", 6, 0, "1"},         {"1", 6, 0, "0"},
      {"10", 4, 0, "2"},        {"14", 4, 0, "4"},
      {"2.5000001", 1, 0, "3"}, {"1.01", 2, 0, "1"},
      {"-1", 3, 0, "0"},        {"-2", 3, 2, "-0.67"},
      {"12.6", 3, 2, "4.20"},   {"0.000001", 4, 7, "0.0000002"},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(Text(D(c.value).DividedBy(c.divisor, c.scale)), c.expected)
        << c.value << " / " << c.divisor << " at scale " << c.scale;
  }
}

TEST(DecimalDividedBy, RefusesNonPositiveDivisorsAndImpossibleScales) {
  EXPECT_EQ(Text(D("1").DividedBy(0, 2)), "unprocessable");
  EXPECT_EQ(Text(D("1").DividedBy(-2, 2)), "unprocessable");
  EXPECT_EQ(Text(D("1").DividedBy(2, -1)), "unprocessable");
  EXPECT_EQ(Text(D("1").DividedBy(2, Decimal::kMaxInternalScale + 1)), "unprocessable");
  EXPECT_EQ(Text(D("1").DividedBy(2, Decimal::kMaxInternalScale)), "0.500000000000000000");
}

TEST(DecimalOverflow, IsUnprocessableNotUndefined) {
  const Decimal big = D("999999999999999999999999");  // 24 digits, the most Parse accepts
  Result<Decimal> square = big.Times(big);            // ~10^48 does not fit in 128 bits
  ASSERT_FALSE(square.ok());
  EXPECT_EQ(square.status().code(), Status::Code::kUnprocessable);

  Result<Decimal> huge = big.ScaledByPowerOfTen(14);  // ~10^38 still fits
  ASSERT_OK(huge);
  EXPECT_EQ(huge->ToString(), "99999999999999999999999900000000000000");
  Result<Decimal> twice = huge->Plus(*huge);  // ~2·10^38 does not
  ASSERT_FALSE(twice.ok());
  EXPECT_EQ(twice.status().code(), Status::Code::kUnprocessable);
  Result<Decimal> negative_twice = huge->Negated().Minus(*huge);
  ASSERT_FALSE(negative_twice.ok());
  EXPECT_EQ(negative_twice.status().code(), Status::Code::kUnprocessable);

  // Widening the integer to twelve fraction digits overflows before the sum does.
  Result<Decimal> widened = huge->Plus(D("0.000000000001"));
  ASSERT_FALSE(widened.ok());
  EXPECT_EQ(widened.status().code(), Status::Code::kUnprocessable);

  Result<Decimal> shifted = big.ScaledByPowerOfTen(15);
  ASSERT_FALSE(shifted.ok());
  EXPECT_EQ(shifted.status().code(), Status::Code::kUnprocessable);

  Result<Decimal> tiny = D("0.000000000001").ScaledByPowerOfTen(-7);  // 19 fraction digits
  ASSERT_FALSE(tiny.ok());
  EXPECT_EQ(tiny.status().code(), Status::Code::kUnprocessable);
  EXPECT_EQ(Text(D("0.000000000001").ScaledByPowerOfTen(-6)), "0.000000000000000001");

  Result<Decimal> quotient = huge->DividedBy(3, 2);  // widening for the fraction digits overflows
  ASSERT_FALSE(quotient.ok());
  EXPECT_EQ(quotient.status().code(), Status::Code::kUnprocessable);
}

TEST(DecimalCompare, WorksAcrossVeryDifferentScales) {
  Result<Decimal> atto = D("1").ScaledByPowerOfTen(-18);  // scale 18
  ASSERT_OK(atto);
  EXPECT_GT(*atto, Decimal());
  EXPECT_LT(*atto, D("0.000000000001"));
  EXPECT_LT(atto->Negated(), Decimal());

  // 10^12 − 10^-18 (scale 18) against twelve nines after the point (scale 12) and 10^12 (scale 0).
  Result<Decimal> almost = D("1000000000000").Minus(*atto);
  ASSERT_OK(almost);
  EXPECT_EQ(almost->ToString(), "999999999999.999999999999999999");
  EXPECT_GT(*almost, D("999999999999.999999999999"));
  EXPECT_LT(*almost, D("1000000000000"));
  EXPECT_LT(almost->Negated(), D("-999999999999.999999999999"));
  EXPECT_GT(almost->Negated(), D("-1000000000000"));

  Result<Decimal> scaled = D("3.20").ScaledByPowerOfTen(4);
  ASSERT_OK(scaled);
  EXPECT_EQ(*scaled, D("32000.000000000000"));
  EXPECT_EQ(D("4.1"), D("4.100000000000"));
  Result<Decimal> below_big = D("999999999999999999999999").Minus(D("0.000000000001"));
  ASSERT_OK(below_big);
  EXPECT_EQ(below_big->ToString(), "999999999999999999999998.999999999999");
  EXPECT_LT(*below_big, D("999999999999999999999999"));
  EXPECT_GT(*below_big, D("999999999999999999999998"));
}

TEST(DecimalSign, AbsNegatedAndFromInteger) {
  EXPECT_EQ(D("-3.20").Abs().ToString(), "3.20");
  EXPECT_EQ(D("3.20").Abs().ToString(), "3.20");
  EXPECT_EQ(D("0.5").Negated().ToString(), "-0.5");
  EXPECT_EQ(D("-0.5").Negated().ToString(), "0.5");
  EXPECT_FALSE(D("0.000").Negated().IsNegative());
  EXPECT_TRUE(D("0.000").IsZero());
  EXPECT_FALSE(D("0.001").IsZero());
  EXPECT_EQ(Decimal::FromInteger(42).ToString(), "42");
  EXPECT_EQ(Decimal::FromInteger(-7).ToString(), "-7");
  EXPECT_TRUE(Decimal::FromInteger(-7).IsNegative());
  EXPECT_EQ(Decimal::FromInteger(0).scale(), 0);
  EXPECT_EQ(Decimal::FromInteger(1), D("1.000"));
}

}  // namespace
}  // namespace lims
