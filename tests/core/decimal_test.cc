#include "lims/core/decimal.h"

#include <gtest/gtest.h>

#include <string>

#include "tests/support/test_support.h"

namespace lims {
namespace {

Decimal D(const std::string& text) {
  Result<Decimal> d = Decimal::Parse(text);
  EXPECT_TRUE(d.ok()) << text << ": " << d.status().ToString();
  return d.ok() ? *d : Decimal();
}

TEST(DecimalParse, AcceptsPlainNumbers) {
  for (const char* text : {"0", "3", "-12", "0.5", "3.20", "-0.001", "007"}) {
    SCOPED_TRACE(text);
    EXPECT_OK(Decimal::Parse(text));
  }
}

TEST(DecimalParse, AcceptsLeadingPlusAndDropsIt) {
  Result<Decimal> d = Decimal::Parse("+2.50");
  ASSERT_OK(d);
  EXPECT_EQ(d->ToString(), "2.50");
  EXPECT_FALSE(d->IsNegative());
}

TEST(DecimalParse, RejectsMalformedText) {
  for (const char* text :
       {"", "-", "+", "1.", ".5", "1e3", "1E3", "1,5", " 1", "1 ", "1.2.3", "--1", "0x10", "abc", "1.-5"}) {
    Result<Decimal> d = Decimal::Parse(text);
    ASSERT_FALSE(d.ok()) << '"' << text << '"';
    EXPECT_EQ(d.status().code(), Status::Code::kInvalidArgument) << text;
  }
}

TEST(DecimalParse, AcceptsTheMaximumScale) {
  Result<Decimal> d = Decimal::Parse("0.123456789012");  // 12 decimals
  ASSERT_OK(d);
  EXPECT_EQ(d->scale(), Decimal::kMaxScale);
}

TEST(DecimalParse, RejectsTooManyDecimals) {
  Result<Decimal> d = Decimal::Parse("0.1234567890123");  // 13 decimals
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.status().code(), Status::Code::kInvalidArgument);
  EXPECT_NE(d.status().message().find("decimal places"), std::string::npos) << d.status().message();
}

TEST(DecimalParse, AcceptsTheMaximumDigits) {
  EXPECT_OK(Decimal::Parse("123456789012345678901234"));  // 24 digits
  EXPECT_OK(Decimal::Parse("123456789012.345678901234"));
}

TEST(DecimalParse, RejectsTooManyDigits) {
  for (const char* text : {"1234567890123456789012345", "1234567890123.345678901234"}) {  // 25 digits
    Result<Decimal> d = Decimal::Parse(text);
    ASSERT_FALSE(d.ok()) << text;
    EXPECT_EQ(d.status().code(), Status::Code::kInvalidArgument);
    EXPECT_NE(d.status().message().find("digits"), std::string::npos) << d.status().message();
  }
}

TEST(DecimalParse, LeadingZerosDoNotCountAsDigits) {
  Result<Decimal> d = Decimal::Parse("0000000000000000000000001");  // 25 characters, one significant
  ASSERT_OK(d);
  EXPECT_EQ(*d, D("1"));
}

TEST(DecimalToString, KeepsTrailingZeros) {
  EXPECT_EQ(D("3.20").ToString(), "3.20");
  EXPECT_EQ(D("3.2").ToString(), "3.2");
  EXPECT_EQ(D("100").ToString(), "100");
  EXPECT_EQ(D("0.000").ToString(), "0.000");
}

TEST(DecimalToString, PadsSmallFractionsWithZeros) {
  EXPECT_EQ(D("0.05").ToString(), "0.05");
  EXPECT_EQ(D("-0.001").ToString(), "-0.001");
}

TEST(DecimalToString, DefaultIsZero) {
  EXPECT_EQ(Decimal().ToString(), "0");
  EXPECT_EQ(Decimal().scale(), 0);
  EXPECT_FALSE(Decimal().IsNegative());
}

TEST(DecimalToString, NegativeZeroIsNotNegative) {
  EXPECT_FALSE(D("-0").IsNegative());
  EXPECT_EQ(D("-0"), Decimal());
}

TEST(DecimalCompare, EqualValuesWithDifferentScalesAreEqual) {
  EXPECT_EQ(D("3.2"), D("3.20"));
  EXPECT_EQ(D("3"), D("3.000"));
  EXPECT_EQ(D("-0.5"), D("-0.50"));
  EXPECT_EQ(D("+1"), D("1"));
}

TEST(DecimalCompare, OrdersNumerically) {
  EXPECT_LT(D("-1"), D("0"));
  EXPECT_LT(D("-2"), D("-1.5"));
  EXPECT_LT(D("2.99"), D("3"));
  EXPECT_GT(D("10"), D("9.999"));
  EXPECT_LT(D("0.1"), D("0.10000000001"));
  EXPECT_NE(D("3.2"), D("3.21"));
}

TEST(DecimalCompare, HandlesLargeValuesAtDifferentScales) {
  // The widest comparison: 24 integer digits against a value with 12 decimals.
  const Decimal big = D("999999999999999999999999");
  const Decimal small_fraction = D("999999999999.999999999999");
  EXPECT_GT(big, small_fraction);
  EXPECT_LT(D("-999999999999999999999999"), D("-0.000000000001"));
  EXPECT_EQ(D("123456789012"), D("123456789012.000000000000"));
  EXPECT_LT(D("123456789012345678901233"), D("123456789012345678901234"));
}

}  // namespace
}  // namespace lims
