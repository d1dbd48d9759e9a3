// The unit registry: lookup, dimensions, and exact power-of-ten conversion between units.
#include "lims/core/units.h"

#include <gtest/gtest.h>

#include <string>

#include "tests/support/test_support.h"

namespace lims {
namespace {

using ::lims::testing::D;

// U+03BC GREEK SMALL LETTER MU and U+00B5 MICRO SIGN look alike; labs type both.
constexpr char kGreekMu[] = "\xCE\xBC";
constexpr char kMicroSign[] = "\xC2\xB5";

TEST(FindUnit, KnowsTheCatalogUnits) {
  const UnitInfo* mg = FindUnit("mg/kg");
  ASSERT_NE(mg, nullptr);
  EXPECT_EQ(mg->symbol, "mg/kg");
  EXPECT_EQ(mg->dimension, "mass fraction");
  EXPECT_EQ(mg->exponent, 0);
  const UnitInfo* percent = FindUnit("% w/w");
  ASSERT_NE(percent, nullptr);
  EXPECT_EQ(percent->dimension, "mass fraction");
  EXPECT_EQ(percent->exponent, 4);
  for (const char* symbol : {"N", "kN", "N/mm", "kΩ", "MΩ", "GΩ", "J", "mm", "1", "%", "°C", "pH", "min", "µg/cm²/week",
                             "mg/(cm²·h)", "mm³", "cm²", "g"}) {
    EXPECT_NE(FindUnit(symbol), nullptr) << symbol;
  }
}

TEST(FindUnit, UnknownSymbolsAreNull) {
  for (const char* symbol : {"", "ppm", "MG/KG", "mg/ kg", "mg/kg ", "%w/w", "kohm", "uS", "cycles", "kg/mg"}) {
    EXPECT_EQ(FindUnit(symbol), nullptr) << '"' << symbol << '"';
  }
}

TEST(FindUnit, GreekMuAndMicroSignAreTheSameUnit) {
  const std::string greek = std::string(kGreekMu) + "g/kg";
  const std::string micro = std::string(kMicroSign) + "g/kg";
  ASSERT_NE(greek, micro);
  const UnitInfo* a = FindUnit(greek);
  const UnitInfo* b = FindUnit(micro);
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(a, b);
  EXPECT_EQ(a->symbol, micro);  // the registry spells it with the micro sign
  EXPECT_EQ(a->exponent, -3);
  EXPECT_EQ(FindUnit(std::string(kGreekMu) + "g/cm²/week"), FindUnit(std::string(kMicroSign) + "g/cm²/week"));
  EXPECT_TRUE(SameDimension(greek, "mg/kg"));
}

TEST(FindUnit, OhmSignAndGreekOmegaAreTheSameUnit) {
  const std::string ohm_sign = "k\xE2\x84\xA6";  // U+2126
  const std::string omega = "k\xCE\xA9";         // U+03A9
  ASSERT_NE(FindUnit(omega), nullptr);
  EXPECT_EQ(FindUnit(ohm_sign), FindUnit(omega));
}

TEST(SameDimension, GroupsUnitsThatMeasureOneThing) {
  EXPECT_TRUE(SameDimension("mg/kg", "% w/w"));
  EXPECT_TRUE(SameDimension("mg/kg", "mg/kg"));
  EXPECT_TRUE(SameDimension("kΩ", "GΩ"));
  EXPECT_TRUE(SameDimension("N", "kN"));
  EXPECT_TRUE(SameDimension("mm", "cm"));
  EXPECT_FALSE(SameDimension("N", "N/mm"));
  EXPECT_FALSE(SameDimension("% w/w", "%"));  // a mass fraction is not any ratio
  EXPECT_FALSE(SameDimension("mg/kg", "mg/L"));
  EXPECT_FALSE(SameDimension("min", "s"));  // 60 is not a power of ten
  EXPECT_FALSE(SameDimension("min", "h"));
  EXPECT_FALSE(SameDimension("ppm", "ppm"));  // unknown units match nothing, not even themselves
  EXPECT_FALSE(SameDimension("", ""));
}

struct Conversion {
  const char* value;
  const char* from;
  const char* to;
  const char* expected;
};

TEST(ConvertUnit, ConvertsExactlyByPowersOfTen) {
  const Conversion cases[] = {
      {"3.20", "% w/w", "mg/kg", "32000"}, {"4.1", "mg/kg", "% w/w", "0.00041"},
      {"0.1", "% w/w", "mg/kg", "1000"},   {"500", "mg/kg", "% w/w", "0.0500"},
      {"750", "µg/kg", "mg/kg", "0.750"},  {"1.5", "g/kg", "mg/kg", "1500"},
      {"150", "kΩ", "MΩ", "0.150"},        {"1", "GΩ", "kΩ", "1000000"},
      {"1000", "MΩ", "GΩ", "1.000"},       {"100", "kΩ", "Ω", "100000"},
      {"2.5", "kN", "N", "2500"},          {"1200", "N", "kN", "1.200"},
      {"12", "mm", "cm", "1.2"},           {"1", "m", "mm", "1000"},
      {"50", "mg/dm²", "mg/cm²", "0.50"},  {"250", "µg/L", "mg/L", "0.250"},
      {"3.20", "mg/kg", "mg/kg", "3.20"},  {"0.31", "1", "1", "0.31"},
  };
  for (const Conversion& c : cases) {
    Result<Decimal> r = ConvertUnit(D(c.value), c.from, c.to);
    ASSERT_OK(r);
    EXPECT_EQ(r->ToString(), c.expected) << c.value << " " << c.from << " → " << c.to;
  }
}

TEST(ConvertUnit, AcceptsEitherMuSpelling) {
  Result<Decimal> greek = ConvertUnit(D("750"), std::string(kGreekMu) + "g/kg", "mg/kg");
  Result<Decimal> micro = ConvertUnit(D("750"), std::string(kMicroSign) + "g/kg", "mg/kg");
  ASSERT_OK(greek);
  ASSERT_OK(micro);
  EXPECT_EQ(greek->ToString(), "0.750");
  EXPECT_EQ(micro->ToString(), "0.750");
  Result<Decimal> back = ConvertUnit(D("0.750"), "mg/kg", std::string(kGreekMu) + "g/kg");
  ASSERT_OK(back);
  EXPECT_EQ(*back, D("750"));
}

TEST(ConvertUnit, RefusesOtherDimensionsNamingBothUnits) {
  const std::pair<const char*, const char*> pairs[] = {
      {"N/mm", "N"}, {"mg/kg", "mg/L"}, {"% w/w", "%"}, {"kΩ", "mm"}, {"min", "s"}, {"J", "N"},
  };
  for (const auto& [from, to] : pairs) {
    Result<Decimal> r = ConvertUnit(D("4.0"), from, to);
    ASSERT_FALSE(r.ok()) << from << " → " << to;
    EXPECT_EQ(r.status().code(), Status::Code::kUnprocessable);
    EXPECT_NE(r.status().message().find("\"" + std::string(from) + "\""), std::string::npos) << r.status().message();
    EXPECT_NE(r.status().message().find("\"" + std::string(to) + "\""), std::string::npos) << r.status().message();
  }
  EXPECT_EQ(ConvertUnit(D("4.0"), "N/mm", "N").status().message(),
            "\"N/mm\" (force per width) cannot be converted to \"N\" (force)");
}

TEST(ConvertUnit, RefusesUnknownUnits) {
  Result<Decimal> from = ConvertUnit(D("3"), "ppm", "mg/kg");
  ASSERT_FALSE(from.ok());
  EXPECT_EQ(from.status().code(), Status::Code::kUnprocessable);
  EXPECT_EQ(from.status().message(), "unknown unit \"ppm\"");
  Result<Decimal> to = ConvertUnit(D("3"), "mg/kg", "ppb");
  ASSERT_FALSE(to.ok());
  EXPECT_EQ(to.status().message(), "unknown unit \"ppb\"");
  EXPECT_FALSE(ConvertUnit(D("3"), "", "").ok());
}

TEST(ConvertUnit, TooManyFractionDigitsIsUnprocessable) {
  // µg/kg → % w/w divides by 10^7: twelve fraction digits become nineteen, more than Decimal keeps.
  Result<Decimal> r = ConvertUnit(D("0.000000000001"), "µg/kg", "% w/w");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kUnprocessable);
  Result<Decimal> fits = ConvertUnit(D("0.00000000001"), "µg/kg", "% w/w");
  ASSERT_OK(fits);
  EXPECT_EQ(fits->ToString(), "0.000000000000000001");
}

}  // namespace
}  // namespace lims
