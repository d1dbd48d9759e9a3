#include "lims/core/organization.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/support/test_support.h"

namespace lims {
namespace {

using ::lims::testing::Fields;

bool Mentions(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// ---- IEC ------------------------------------------------------------------------------------

TEST(IecProblem, AcceptsLegacyDigitsAndPanFormat) {
  EXPECT_EQ(IecProblem("0512345678"), "");
  EXPECT_EQ(IecProblem("AAPFU0939F"), "");
}

TEST(IecProblem, RefusesWrongLengths) {
  EXPECT_EQ(IecProblem(""), "is required");
  EXPECT_EQ(IecProblem("051234567"), "must be 10 characters");
  EXPECT_EQ(IecProblem("AAPFU0939FX"), "must be 10 characters");
}

TEST(IecProblem, RefusesLowerCase) {
  EXPECT_EQ(IecProblem("aapfu0939f"), "must be upper case");
  EXPECT_EQ(IecProblem("AAPFU0939f"), "must be upper case");
}

TEST(IecProblem, RefusesMixturesThatAreNeitherForm) {
  for (const char* iec : {"AAPF00939F", "AAPFU0939", "AAPFUX939F", "AAPFU09391", "12345ABCDE", "05123 5678"}) {
    const std::string problem = IecProblem(iec);
    EXPECT_NE(problem, "") << iec;
  }
  EXPECT_TRUE(Mentions(IecProblem("AAPFU09391"), "PAN"));
}

// ---- GSTIN ----------------------------------------------------------------------------------

TEST(GstinCheckCharacter, MatchesPublishedGstin) {
  // 27AAPFU0939F1ZV: a published, valid Maharashtra GSTIN.
  EXPECT_EQ(GstinCheckCharacter("27AAPFU0939F1Z"), 'V');
  EXPECT_EQ(GstinCheckCharacter("27AAPFU0939F1ZV"), 'V');  // only the first 14 count
}

TEST(GstinCheckCharacter, ComputesTheApiExample) {
  EXPECT_EQ(GstinCheckCharacter("09AAACS1234F1Z"), 'Q');
}

TEST(GstinCheckCharacter, RefusesShortOrForeignInput) {
  EXPECT_EQ(GstinCheckCharacter("27AAPFU0939F1"), '\0');
  EXPECT_EQ(GstinCheckCharacter("27aapfu0939F1Z"), '\0');
  EXPECT_EQ(GstinCheckCharacter("27AAPFU0939F-Z"), '\0');
}

TEST(GstinProblem, AcceptsValidNumbers) {
  EXPECT_EQ(GstinProblem("27AAPFU0939F1ZV"), "");
  EXPECT_EQ(GstinProblem("09AAACS1234F1ZQ"), "");
}

TEST(GstinProblem, AcceptsEveryStateCodeInRangeAndTheSpecialOnes) {
  for (int code : {1, 9, 10, 27, 38, 97, 99}) {
    std::string first14 = (code < 10 ? "0" : "") + std::to_string(code) + "AAPFU0939F1Z";
    std::string gstin = first14 + GstinCheckCharacter(first14);
    EXPECT_EQ(GstinProblem(gstin), "") << gstin;
  }
}

TEST(GstinProblem, RefusesUnknownStateCodes) {
  for (const char* code : {"00", "39", "50", "96", "98", "A9"}) {
    std::string first14 = std::string(code) + "AAPFU0939F1Z";
    const char check = GstinCheckCharacter(first14);
    std::string gstin = first14 + (check ? check : 'V');
    EXPECT_TRUE(Mentions(GstinProblem(gstin), "state code")) << gstin << ": " << GstinProblem(gstin);
  }
}

TEST(GstinProblem, NamesTheWrongCheckCharacter) {
  const std::string problem = GstinProblem("27AAPFU0939F1ZA");
  EXPECT_TRUE(Mentions(problem, "check character")) << problem;
  EXPECT_TRUE(Mentions(problem, "A")) << problem;
  EXPECT_TRUE(Mentions(problem, "expected V")) << problem;
}

TEST(GstinProblem, CatchesEverySingleCharacterTypoInThePan) {
  const std::string valid = "27AAPFU0939F1ZV";
  for (size_t i = 2; i < 12; ++i) {
    std::string typo = valid;
    typo[i] = i >= 7 && i <= 10 ? (typo[i] == '5' ? '6' : '5') : (typo[i] == 'B' ? 'C' : 'B');
    EXPECT_NE(GstinProblem(typo), "") << typo;
  }
}

TEST(GstinProblem, RefusesMalformedParts) {
  struct Case {
    const char* gstin;
    const char* mentions;
  };
  const Case cases[] = {
      {"27AAPFU0939F1Z", "15 characters"}, {"27AAPFU0939F1ZVV", "15 characters"},
      {"27aapfu0939f1zv", "upper case"},   {"271APFU0939F1ZV", "PAN"},
      {"27AAPFUX939F1ZV", "PAN"},          {"27AAPFU0939F0ZV", "entity"},
      {"27AAPFU0939F-ZV", "entity"},       {"27AAPFU0939F1YV", "character 14 must be Z"},
  };
  for (const Case& c : cases) {
    const std::string problem = GstinProblem(c.gstin);
    EXPECT_TRUE(Mentions(problem, c.mentions)) << c.gstin << ": \"" << problem << "\"";
  }
}

// ---- ValidateOrganization -------------------------------------------------------------------

std::vector<District> SomeDistricts() {
  return {{"Agra", "Uttar Pradesh", "Leather products"},
          {"Kanpur Nagar", "Uttar Pradesh", "Leather products"},
          {"Firozabad", "Uttar Pradesh", "Glassware"}};
}

Organization ValidOrganization() {
  Organization o;
  o.name = "Sikandra Footwear Exports Pvt Ltd";
  o.iec = "AAACS1234F";
  o.gstin = "09AAACS1234F1ZQ";
  o.address = "12 Sikandra Industrial Area, Agra 282007";
  o.district = "Agra";
  o.odop_product = "Leather footwear";
  return o;
}

TEST(ValidateOrganization, AcceptsAValidExporterAndFillsStateAndShortName) {
  Organization o = ValidOrganization();
  ASSERT_OK(ValidateOrganization(&o, SomeDistricts(), false));
  EXPECT_EQ(o.state, "Uttar Pradesh");
  EXPECT_EQ(o.short_name, "Sikandra Footwear Exports Pvt Ltd");
}

TEST(ValidateOrganization, ShortNameDefaultsToTheFirst40Characters) {
  Organization o = ValidOrganization();
  o.name = "Sikandra Footwear Exports Private Limited, Unit Two";
  ASSERT_OK(ValidateOrganization(&o, SomeDistricts(), false));
  EXPECT_EQ(o.short_name, "Sikandra Footwear Exports Private Limite");
}

TEST(ValidateOrganization, ShortNameDefaultNeverCutsACharacterInHalf) {
  Organization o = ValidOrganization();
  o.name = std::string(39, 'A') + "\xE0\xA4\x86\xE0\xA4\x97";  // 39 letters + "आग"
  ASSERT_OK(ValidateOrganization(&o, SomeDistricts(), false));
  EXPECT_EQ(o.short_name, std::string(39, 'A') + "\xE0\xA4\x86");
}

TEST(ValidateOrganization, KeepsAGivenShortName) {
  Organization o = ValidOrganization();
  o.short_name = "Sikandra Footwear";
  ASSERT_OK(ValidateOrganization(&o, SomeDistricts(), false));
  EXPECT_EQ(o.short_name, "Sikandra Footwear");
}

TEST(ValidateOrganization, GstinIsOptional) {
  Organization o = ValidOrganization();
  o.gstin = "";
  EXPECT_OK(ValidateOrganization(&o, SomeDistricts(), false));
}

TEST(ValidateOrganization, LegacyIecIsNotComparedWithTheGstin) {
  Organization o = ValidOrganization();
  o.iec = "0512345678";
  EXPECT_OK(ValidateOrganization(&o, SomeDistricts(), false));
}

TEST(ValidateOrganization, GstinPanMustEqualAPanStyleIec) {
  Organization o = ValidOrganization();
  o.iec = "AAPFU0939F";
  Status s = ValidateOrganization(&o, SomeDistricts(), false);
  EXPECT_EQ(s.code(), Status::Code::kUnprocessable);
  EXPECT_EQ(Fields(s), std::vector<std::string>{"gstin"});
  EXPECT_TRUE(Mentions(s.field_errors()[0].reason, "AAACS1234F")) << s.ToString();
}

TEST(ValidateOrganization, NamesEveryBrokenField) {
  Organization o;
  o.iec = "aapfu0939f";
  o.gstin = "27AAPFU0939F1ZA";
  o.address = std::string(401, 'x');
  o.district = "Gotham";
  o.odop_product = std::string(201, 'y');
  Status s = ValidateOrganization(&o, SomeDistricts(), false);
  EXPECT_EQ(s.code(), Status::Code::kUnprocessable);
  EXPECT_EQ(Fields(s), (std::vector<std::string>{"name", "iec", "gstin", "address", "district", "odop_product"}));
}

TEST(ValidateOrganization, RefusesOverlongNames) {
  Organization o = ValidOrganization();
  o.name = std::string(201, 'n');
  o.short_name = std::string(41, 's');
  EXPECT_EQ(Fields(ValidateOrganization(&o, SomeDistricts(), false)), (std::vector<std::string>{"name", "short_name"}));
}

TEST(ValidateOrganization, UnknownDistrictIsNamedWhenOthersAreNotAllowed) {
  Organization o = ValidOrganization();
  o.district = "Dehradun";
  Status s = ValidateOrganization(&o, SomeDistricts(), false);
  ASSERT_EQ(Fields(s), std::vector<std::string>{"district"});
  EXPECT_TRUE(Mentions(s.field_errors()[0].reason, "Dehradun")) << s.ToString();
}

TEST(ValidateOrganization, MissingDistrictIsRequiredWhenOthersAreNotAllowed) {
  Organization o = ValidOrganization();
  o.district = "";
  EXPECT_EQ(Fields(ValidateOrganization(&o, SomeDistricts(), false)), std::vector<std::string>{"district"});
}

TEST(ValidateOrganization, OtherDistrictsPassWhenAllowedAndKeepTheirState) {
  Organization o = ValidOrganization();
  o.district = "Dehradun";
  o.state = "Uttarakhand";
  ASSERT_OK(ValidateOrganization(&o, SomeDistricts(), true));
  EXPECT_EQ(o.district, "Dehradun");
  EXPECT_EQ(o.state, "Uttarakhand");
}

TEST(ValidateOrganization, KnownDistrictSetsTheStateEvenWhenOthersAreAllowed) {
  Organization o = ValidOrganization();
  o.district = "Firozabad";
  o.state = "Maharashtra";
  ASSERT_OK(ValidateOrganization(&o, SomeDistricts(), true));
  EXPECT_EQ(o.state, "Uttar Pradesh");
}

TEST(ValidateOrganization, DistrictMatchIgnoresCaseAndTakesTheListSpelling) {
  Organization o = ValidOrganization();
  o.district = "kanpur nagar";
  ASSERT_OK(ValidateOrganization(&o, SomeDistricts(), false));
  EXPECT_EQ(o.district, "Kanpur Nagar");
}

TEST(ValidateOrganization, OverlongOtherDistrictIsRefused) {
  Organization o = ValidOrganization();
  o.district = std::string(101, 'd');
  EXPECT_EQ(Fields(ValidateOrganization(&o, SomeDistricts(), true)), std::vector<std::string>{"district"});
}

}  // namespace
}  // namespace lims
