// Catalog::Build's cross-entry rules, marking expansion and size-dependent limits, on small
// hand-made editions.
#include "lims/core/catalog.h"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "tests/support/test_support.h"

namespace lims {
namespace {

using ::lims::testing::D;

Vocabulary Footwear() {
  Vocabulary v;
  v.family_parts["footwear"] = {"upper", "lining", "insock", "outsole", "accessory", "whole"};
  v.family_parts["textile_apparel"] = {"shell", "lining", "trim", "accessory", "whole"};
  v.materials = {"leather", "textile", "rubber", "polymer", "metal"};
  return v;
}

CatalogRequirement Requirement(const std::string& id, const std::string& standard_id, Comparator c,
                               const std::string& limit, const std::string& unit) {
  CatalogRequirement r;
  r.id = id;
  r.standard_id = standard_id;
  r.clause = "5.1";
  r.property = id;
  r.label = id;
  r.property_key = id;
  r.method = "EN ISO 20344:2021";
  r.limit.comparator = c;
  r.limit.value = D(limit);
  r.limit.unit = unit;
  r.product_families = {"footwear"};  // as the loader fills it in from the standard
  return r;
}

Marking MakeMarking(const std::string& code, std::vector<std::string> includes, std::vector<std::string> requirements) {
  Marking m;
  m.code = code;
  m.kind = code.size() > 1 && code[0] == 'S' ? "category" : "symbol";
  m.includes = std::move(includes);
  m.requirements = std::move(requirements);
  return m;
}

// EN ISO 20345:2022 in miniature: SB ⊂ S1 ⊂ S2 ⊂ S3 = S2 + P + cleats, and SR on its own.
StandardEdition SafetyFootwear() {
  StandardEdition s;
  s.id = "EN-ISO-20345-2022";
  s.code = "EN ISO 20345:2022";
  s.kind = "standard";
  s.status = "current";
  s.ppe = true;
  s.product_families = {"footwear"};
  s.file = "en-iso-20345-2022.json";
  const std::string id = s.id;
  s.requirements = {
      Requirement("S-TOECAP", id, Comparator::kGreaterOrEqual, "14.0", "mm"),
      Requirement("S-BOND", id, Comparator::kGreaterOrEqual, "4.0", "N/mm"),
      Requirement("S-HEEL", id, Comparator::kNoFailure, "0", ""),
      Requirement("S-ANTISTATIC", id, Comparator::kRange, "100", "kΩ"),
      Requirement("S-ENERGY", id, Comparator::kGreaterOrEqual, "20", "J"),
      Requirement("S-WATER", id, Comparator::kLessOrEqual, "0.2", "g"),
      Requirement("S-PERFORATION", id, Comparator::kNoFailure, "0", ""),
      Requirement("S-CLEATS", id, Comparator::kNoFailure, "0", ""),
      Requirement("S-SLIP", id, Comparator::kGreaterOrEqual, "0.31", "1"),
  };
  s.requirements[0].limits_by_size = {
      {std::nullopt, 36, D("12.5")}, {37, 38, D("13.0")}, {39, 40, D("13.5")},
      {41, 42, D("14.0")},           {43, 44, D("14.5")}, {45, std::nullopt, D("15.0")},
  };
  s.requirements[3].limit.high = D("1000000");
  s.requirements[3].limit.low_inclusive = false;
  s.requirements[1].parts = {"outsole"};
  s.markings = {
      MakeMarking("SB", {}, {"S-TOECAP", "S-BOND"}),
      MakeMarking("S1", {"SB"}, {"S-HEEL", "S-ANTISTATIC", "S-ENERGY"}),
      MakeMarking("S2", {"S1"}, {"S-WATER"}),
      MakeMarking("P", {}, {"S-PERFORATION"}),
      // S1 again through S2, and the perforation requirement both directly and through P: each once.
      MakeMarking("S3", {"S2", "P", "S1"}, {"S-CLEATS", "S-PERFORATION"}),
      MakeMarking("SR", {}, {"S-SLIP"}),
  };
  return s;
}

StandardEdition Reach() {
  StandardEdition s;
  s.id = "REACH-XVII";
  s.code = "REACH Annex XVII";
  s.kind = "regulation";
  s.product_families = {"footwear", "textile_apparel"};
  s.file = "reach-annex-xvii.json";
  CatalogRequirement crvi = Requirement("REACH-47-CRVI", s.id, Comparator::kNotDetected, "3", "mg/kg");
  crvi.parts = {"upper", "lining", "insock", "shell"};
  crvi.materials = {"leather"};
  crvi.product_families = {"footwear", "textile_apparel"};
  s.requirements = {crvi};
  return s;
}

std::vector<StandardEdition> Editions() {
  return {SafetyFootwear(), Reach()};
}

// Build's error message, or "" when it succeeds.
std::string BuildError(std::vector<StandardEdition> editions) {
  Result<Catalog> c = Catalog::Build(Footwear(), std::move(editions));
  if (c.ok()) return "";
  EXPECT_EQ(c.status().code(), Status::Code::kInvalidArgument);
  return c.status().message();
}

std::vector<std::string> Ids(const std::vector<const CatalogRequirement*>& requirements) {
  std::vector<std::string> out;
  for (const CatalogRequirement* r : requirements) out.push_back(r->id);
  return out;
}

TEST(CatalogBuild, AcceptsAHandMadeCatalog) {
  Result<Catalog> c = Catalog::Build(Footwear(), Editions());
  ASSERT_OK(c);
  ASSERT_EQ(c->standards().size(), 2u);
  EXPECT_EQ(c->FindStandard("EN-ISO-20345-2022"), &c->standards()[0]);
  EXPECT_EQ(c->FindStandard("EN ISO 20345:2022"), &c->standards()[0]);
  EXPECT_EQ(c->FindStandard("REACH Annex XVII"), &c->standards()[1]);
  EXPECT_EQ(c->FindStandard("EN ISO 20345:2011"), nullptr);
  ASSERT_NE(c->FindRequirement("REACH-47-CRVI"), nullptr);
  EXPECT_EQ(c->FindRequirement("REACH-47-CRVI")->standard_id, "REACH-XVII");
  EXPECT_EQ(c->FindRequirement("NOPE"), nullptr);
  EXPECT_EQ(c->vocabulary().materials.size(), 5u);
}

TEST(CatalogBuild, RejectsARequirementIdUsedInTwoEditions) {
  std::vector<StandardEdition> editions = Editions();
  editions[1].requirements.push_back(Requirement("S-BOND", "REACH-XVII", Comparator::kLess, "1", "mg/kg"));
  EXPECT_EQ(BuildError(editions), "reach-annex-xvii.json: requirement S-BOND: id used twice in the catalog");
}

TEST(CatalogBuild, RejectsARequirementIdUsedTwiceInOneEdition) {
  std::vector<StandardEdition> editions = Editions();
  editions[0].requirements.push_back(
      Requirement("S-SLIP", "EN-ISO-20345-2022", Comparator::kGreaterOrEqual, "0.28", "1"));
  EXPECT_EQ(BuildError(editions), "en-iso-20345-2022.json: requirement S-SLIP: id used twice in the catalog");
}

TEST(CatalogBuild, RejectsTheSameStandardInTwoFiles) {
  std::vector<StandardEdition> editions = Editions();
  StandardEdition copy = Reach();
  copy.file = "reach-copy.json";
  copy.requirements.clear();
  editions.push_back(copy);
  EXPECT_EQ(BuildError(editions), "reach-copy.json: standard REACH-XVII: another file defines the same standard");
}

TEST(CatalogBuild, RejectsAMarkingIncludingAnUnknownMarking) {
  std::vector<StandardEdition> editions = Editions();
  editions[0].markings[4].includes.push_back("S9");
  EXPECT_EQ(BuildError(editions), "en-iso-20345-2022.json: marking S3: includes unknown marking S9");
}

TEST(CatalogBuild, RejectsAMarkingNamingAnUnknownRequirement) {
  std::vector<StandardEdition> editions = Editions();
  editions[0].markings[5].requirements.push_back("S-SLIP-GLYCEROL");
  EXPECT_EQ(BuildError(editions), "en-iso-20345-2022.json: marking SR: names unknown requirement S-SLIP-GLYCEROL");
}

TEST(CatalogBuild, RejectsAMarkingNamingARequirementOfAnotherEdition) {
  std::vector<StandardEdition> editions = Editions();
  editions[0].markings[5].requirements.push_back("REACH-47-CRVI");
  EXPECT_EQ(BuildError(editions), "en-iso-20345-2022.json: marking SR: names unknown requirement REACH-47-CRVI");
}

TEST(CatalogBuild, RejectsAMarkingDefinedTwice) {
  std::vector<StandardEdition> editions = Editions();
  editions[0].markings.push_back(MakeMarking("P", {}, {}));
  EXPECT_EQ(BuildError(editions), "en-iso-20345-2022.json: marking P: defined twice");
}

TEST(CatalogBuild, RejectsAnInclusionCycle) {
  std::vector<StandardEdition> editions = Editions();
  editions[0].markings = {MakeMarking("S1", {"S2"}, {"S-HEEL"}), MakeMarking("S2", {"S1"}, {"S-WATER"})};
  const std::string error = BuildError(editions);
  EXPECT_TRUE(error.starts_with("en-iso-20345-2022.json: ")) << error;
  EXPECT_NE(error.find("cycle"), std::string::npos) << error;
  EXPECT_NE(error.find("S1 → S2 → S1"), std::string::npos) << error;
}

TEST(CatalogBuild, RejectsALongerCycleAndASelfInclusion) {
  std::vector<StandardEdition> editions = Editions();
  editions[0].markings = {MakeMarking("SB", {}, {"S-BOND"}), MakeMarking("S1", {"SB", "S3"}, {}),
                          MakeMarking("S2", {"S1"}, {}), MakeMarking("S3", {"S2"}, {})};
  std::string error = BuildError(editions);
  EXPECT_TRUE(error.starts_with("en-iso-20345-2022.json: marking S1: ")) << error;
  EXPECT_NE(error.find("cycle S1 → S3 → S2 → S1"), std::string::npos) << error;

  editions = Editions();
  editions[0].markings[3].includes = {"P"};
  error = BuildError(editions);
  EXPECT_TRUE(error.starts_with("en-iso-20345-2022.json: marking P: ")) << error;
  EXPECT_NE(error.find("cycle P → P"), std::string::npos) << error;
}

TEST(CatalogBuild, AcceptsADiamondThatIsNotACycle) {
  std::vector<StandardEdition> editions = Editions();
  // S3 reaches S1 twice (directly and through S2): shared, not circular.
  EXPECT_EQ(BuildError(editions), "");
}

TEST(CatalogBuild, RejectsAnUnknownPart) {
  std::vector<StandardEdition> editions = Editions();
  editions[0].requirements[1].parts = {"outsole", "heel"};
  EXPECT_EQ(BuildError(editions), "en-iso-20345-2022.json: requirement S-BOND: unknown part heel");
}

TEST(CatalogBuild, RejectsAPartOfAnotherFamily) {
  std::vector<StandardEdition> editions = Editions();
  editions[0].requirements[1].parts = {"shell"};  // a garment part, the requirement is for footwear
  EXPECT_EQ(BuildError(editions), "en-iso-20345-2022.json: requirement S-BOND: unknown part shell");
}

TEST(CatalogBuild, RejectsAnUnknownMaterial) {
  std::vector<StandardEdition> editions = Editions();
  editions[1].requirements[0].materials = {"leather", "plastic"};
  EXPECT_EQ(BuildError(editions), "reach-annex-xvii.json: requirement REACH-47-CRVI: unknown material plastic");
}

TEST(CatalogBuild, RejectsAnUnknownProductFamily) {
  std::vector<StandardEdition> editions = Editions();
  editions[1].requirements[0].product_families = {"footwear", "hats"};
  EXPECT_EQ(BuildError(editions), "reach-annex-xvii.json: requirement REACH-47-CRVI: unknown product family hats");
}

TEST(CatalogBuild, RejectsAPropertyKeyMeasuredInTwoDimensions) {
  std::vector<StandardEdition> editions = Editions();
  editions[1].requirements[0].property_key = "S-BOND";  // N/mm in the standard, mg/kg here
  EXPECT_EQ(BuildError(editions),
            "reach-annex-xvii.json: requirement REACH-47-CRVI: unit mg/kg of property_key S-BOND does not convert to "
            "N/mm of S-BOND");
}

TEST(CatalogBuild, AcceptsAPropertyKeyInConvertibleUnits) {
  std::vector<StandardEdition> editions = Editions();
  CatalogRequirement phthalates = Requirement("REACH-51-PHTH", "REACH-XVII", Comparator::kLess, "0.1", "% w/w");
  phthalates.property_key = "REACH-47-CRVI";  // mg/kg elsewhere: one dimension, so one determination
  editions[1].requirements.push_back(phthalates);
  EXPECT_EQ(BuildError(editions), "");
}

TEST(CatalogExpand, S3IsTheUnionOfS2PAndCleatsWithoutDuplicates) {
  Result<Catalog> c = Catalog::Build(Footwear(), Editions());
  ASSERT_OK(c);
  const StandardEdition& s = c->standards()[0];
  // Catalog order, each requirement once.
  EXPECT_EQ(Ids(c->Expand(s, *s.FindMarking("S3"))),
            (std::vector<std::string>{"S-TOECAP", "S-BOND", "S-HEEL", "S-ANTISTATIC", "S-ENERGY", "S-WATER",
                                      "S-PERFORATION", "S-CLEATS"}));
  EXPECT_EQ(Ids(c->Expand(s, *s.FindMarking("S2"))),
            (std::vector<std::string>{"S-TOECAP", "S-BOND", "S-HEEL", "S-ANTISTATIC", "S-ENERGY", "S-WATER"}));
  EXPECT_EQ(Ids(c->Expand(s, *s.FindMarking("SB"))), (std::vector<std::string>{"S-TOECAP", "S-BOND"}));
  EXPECT_EQ(Ids(c->Expand(s, *s.FindMarking("P"))), std::vector<std::string>{"S-PERFORATION"});
  EXPECT_EQ(Ids(c->Expand(s, *s.FindMarking("SR"))), std::vector<std::string>{"S-SLIP"});
}

TEST(CatalogExpand, AnEmptyMarkingExpandsToNothing) {
  std::vector<StandardEdition> editions = Editions();
  editions[0].markings.push_back(MakeMarking("E", {}, {}));
  Result<Catalog> c = Catalog::Build(Footwear(), std::move(editions));
  ASSERT_OK(c);
  const StandardEdition& s = c->standards()[0];
  EXPECT_TRUE(c->Expand(s, *s.FindMarking("E")).empty());
  EXPECT_EQ(s.FindMarking("S9"), nullptr);
}

TEST(LimitForSize, PicksTheSizeBand) {
  const CatalogRequirement toecap = SafetyFootwear().requirements[0];
  struct Band {
    int size;
    const char* limit;
  };
  const Band bands[] = {{20, "12.5"}, {36, "12.5"}, {37, "13.0"}, {38, "13.0"}, {39, "13.5"}, {40, "13.5"},
                        {41, "14.0"}, {42, "14.0"}, {43, "14.5"}, {44, "14.5"}, {45, "15.0"}, {50, "15.0"}};
  for (const Band& b : bands) {
    std::optional<Limit> limit = toecap.LimitForSize(b.size);
    ASSERT_TRUE(limit.has_value()) << b.size;
    EXPECT_EQ(limit->value.ToString(), b.limit) << b.size;
    EXPECT_EQ(limit->comparator, Comparator::kGreaterOrEqual);
    EXPECT_EQ(limit->unit, "mm");
  }
  EXPECT_FALSE(toecap.LimitForSize(std::nullopt).has_value());
}

TEST(LimitForSize, AGapBetweenBandsHasNoLimit) {
  CatalogRequirement r = SafetyFootwear().requirements[0];
  r.limits_by_size = {{std::nullopt, 38, D("13.0")}, {41, std::nullopt, D("14.0")}};
  EXPECT_FALSE(r.LimitForSize(39).has_value());
  EXPECT_FALSE(r.LimitForSize(40).has_value());
  ASSERT_TRUE(r.LimitForSize(41).has_value());
  EXPECT_EQ(r.LimitForSize(41)->value, D("14.0"));
}

TEST(LimitForSize, APlainLimitIgnoresTheSize) {
  const CatalogRequirement bond = SafetyFootwear().requirements[1];
  for (std::optional<int> size : {std::optional<int>(), std::optional<int>(36), std::optional<int>(47)}) {
    std::optional<Limit> limit = bond.LimitForSize(size);
    ASSERT_TRUE(limit.has_value());
    EXPECT_EQ(limit->value.ToString(), "4.0");
  }
}

}  // namespace
}  // namespace lims
