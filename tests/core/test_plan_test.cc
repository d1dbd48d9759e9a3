// DeriveTestPlan on a hand-made catalog: de-duplication across standards, the strictest limit,
// specimen counts, PPE exemptions, whole-product tests and the 422 field errors.
#include "lims/core/test_plan.h"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "tests/support/test_support.h"

namespace lims {
namespace {

using ::lims::testing::D;
using ::lims::testing::Fields;

Vocabulary Footwear() {
  Vocabulary v;
  v.family_parts["footwear"] = {"upper", "lining", "insock", "outsole", "accessory", "whole"};
  v.family_parts["textile_apparel"] = {"shell", "lining", "trim", "accessory", "whole"};
  v.materials = {"leather", "textile", "rubber", "polymer", "metal"};
  return v;
}

CatalogRequirement Requirement(const std::string& id, const StandardEdition& s, const std::string& clause,
                               const std::string& key, Comparator c, const std::string& limit,
                               const std::string& unit) {
  CatalogRequirement r;
  r.id = id;
  r.standard_id = s.id;
  r.clause = clause;
  r.property = key;
  r.label = key;
  r.property_key = key;
  r.method = "method of " + id;
  r.limit.comparator = c;
  r.limit.value = D(limit);
  r.limit.unit = unit;
  r.product_families = s.product_families;  // as the loader fills it in
  r.content_sha256 = "sha-" + id;
  return r;
}

Marking MakeMarking(const std::string& code, std::vector<std::string> includes, std::vector<std::string> requirements) {
  Marking m;
  m.code = code;
  m.kind = "symbol";
  m.includes = std::move(includes);
  m.requirements = std::move(requirements);
  return m;
}

StandardEdition Edition(const std::string& id, const std::string& code, bool ppe, std::vector<std::string> families) {
  StandardEdition s;
  s.id = id;
  s.code = code;
  s.kind = ppe ? "standard" : "regulation";
  s.ppe = ppe;
  s.product_families = std::move(families);
  s.file = id + ".json";
  return s;
}

// The requirement `id` of `editions`, to adjust a limit before building.
CatalogRequirement& Find(std::vector<StandardEdition>& editions, const std::string& id) {
  for (StandardEdition& s : editions) {
    for (CatalogRequirement& r : s.requirements) {
      if (r.id == id) return r;
    }
  }
  ADD_FAILURE() << "no requirement " << id;
  static CatalogRequirement none;
  return none;
}

std::vector<StandardEdition> Editions() {
  StandardEdition safety = Edition("EN-ISO-20345-2022", "EN ISO 20345:2022", true, {"footwear"});
  CatalogRequirement crvi =
      Requirement("EN-CRVI", safety, "5.3.6", "chromium-vi", Comparator::kNotDetected, "3", "mg/kg");
  crvi.parts = {"upper", "lining", "insock"};
  crvi.materials = {"leather"};
  CatalogRequirement bond =
      Requirement("EN-BOND", safety, "5.3.1.2", "sole-bond", Comparator::kGreaterOrEqual, "4.0", "N/mm");
  bond.specimens = 2;
  CatalogRequirement toecap =
      Requirement("EN-TOECAP", safety, "5.3.2.6", "toecap-clearance", Comparator::kGreaterOrEqual, "0", "mm");
  toecap.limits_by_size = {{std::nullopt, 38, D("13.0")}, {39, 40, D("13.5")}, {41, std::nullopt, D("14.0")}};
  CatalogRequirement phthalates =
      Requirement("EN-PHTH", safety, "5.8.9", "phthalates", Comparator::kLessOrEqual, "500", "mg/kg");
  phthalates.materials = {"rubber", "polymer"};
  CatalogRequirement perforation =
      Requirement("EN-PERF", safety, "6.2.1", "perforation", Comparator::kNoFailure, "0", "");
  safety.requirements = {crvi, bond, toecap, phthalates, perforation};
  safety.markings = {MakeMarking("SB", {}, {"EN-CRVI", "EN-BOND"}), MakeMarking("T", {}, {"EN-TOECAP"}),
                     MakeMarking("P", {}, {"EN-PERF"}), MakeMarking("S1P", {"SB", "P"}, {}),
                     MakeMarking("PH", {}, {"EN-PHTH"})};

  StandardEdition occupational = Edition("EN-ISO-20347-2022", "EN ISO 20347:2022", true, {"footwear"});
  CatalogRequirement o_bond =
      Requirement("O-BOND", occupational, "5.3.1.2", "sole-bond", Comparator::kGreaterOrEqual, "5.0", "N/mm");
  o_bond.specimens = 3;
  occupational.requirements = {o_bond};
  occupational.markings = {MakeMarking("OB", {}, {"O-BOND"})};

  StandardEdition reach = Edition("REACH-XVII", "REACH Annex XVII", false, {"footwear", "textile_apparel"});
  CatalogRequirement r_crvi =
      Requirement("R-47-CRVI", reach, "entry 47", "chromium-vi", Comparator::kNotDetected, "3", "mg/kg");
  r_crvi.materials = {"leather"};  // any leather part
  r_crvi.specimens = 2;
  CatalogRequirement r_phth =
      Requirement("R-51-PHTH", reach, "entry 51", "phthalates", Comparator::kLessOrEqual, "0.1", "% w/w");
  r_phth.materials = {"rubber", "polymer"};
  CatalogRequirement dmfu =
      Requirement("R-61-DMFU", reach, "entry 61", "dmfu", Comparator::kLessOrEqual, "0.1", "mg/kg");
  CatalogRequirement formaldehyde =
      Requirement("R-72-HCHO", reach, "entry 72", "formaldehyde-textile", Comparator::kLess, "75", "mg/kg");
  formaldehyde.materials = {"textile"};
  formaldehyde.exempt_for_ppe = true;
  CatalogRequirement nickel =
      Requirement("R-27-NI", reach, "entry 27", "nickel-release", Comparator::kLessOrEqual, "0.5", "µg/cm²/week");
  nickel.parts = {"accessory"};
  nickel.materials = {"metal"};
  nickel.product_families = {"footwear"};
  reach.requirements = {r_crvi, r_phth, dmfu, formaldehyde, nickel};

  return {safety, occupational, reach};
}

Catalog Build(std::vector<StandardEdition> editions) {
  Result<Catalog> c = Catalog::Build(Footwear(), std::move(editions));
  EXPECT_TRUE(c.ok()) << c.status().ToString();
  return c.ok() ? std::move(c).value() : Catalog();
}

// Leather upper, lining and insock; rubber outsole; metal accessory.
TestPlanRequest Shoe() {
  TestPlanRequest r;
  r.product_family = "footwear";
  r.materials = {{"upper", "leather"},
                 {"lining", "leather"},
                 {"insock", "leather"},
                 {"outsole", "rubber"},
                 {"accessory", "metal"}};
  return r;
}

MarkingRequest Mark(const std::string& standard, const std::string& marking, std::vector<std::string> extra = {}) {
  return MarkingRequest{standard, marking, std::move(extra)};
}

// "requirement part material" per test, in plan order.
std::vector<std::string> Summary(const TestPlan& plan) {
  std::vector<std::string> out;
  for (const PlannedTest& t : plan.tests) out.push_back(t.requirement + " " + t.part + " " + t.material);
  return out;
}

const PlannedTest* TestFor(const TestPlan& plan, const std::string& key, const std::string& part) {
  for (const PlannedTest& t : plan.tests) {
    if (t.property_key == key && t.part == part) return &t;
  }
  return nullptr;
}

Status PlanError(const Catalog& catalog, const TestPlanRequest& request) {
  Result<TestPlan> plan = DeriveTestPlan(catalog, request);
  EXPECT_FALSE(plan.ok());
  if (plan.ok()) return Status::Ok();
  EXPECT_EQ(plan.status().code(), Status::Code::kUnprocessable) << plan.status().ToString();
  return plan.status();
}

TEST(DeriveTestPlan, SharedPropertyKeyIsOneTestPerLeatherPartServingBothSources) {
  const Catalog catalog = Build(Editions());
  TestPlanRequest request = Shoe();
  request.markings = {Mark("EN ISO 20345:2022", "SB")};
  request.regulations = {"REACH Annex XVII"};
  Result<TestPlan> plan = DeriveTestPlan(catalog, request);
  ASSERT_OK(plan);
  // Parts in the request's (alphabetical) order; the REACH Cr(VI) entries merged into the standard's.
  EXPECT_EQ(Summary(*plan),
            (std::vector<std::string>{"EN-CRVI insock leather", "EN-CRVI lining leather", "EN-CRVI upper leather",
                                      "EN-BOND whole ", "R-51-PHTH outsole rubber", "R-61-DMFU whole ",
                                      "R-27-NI accessory metal"}));
  for (const char* part : {"upper", "lining", "insock"}) {
    const PlannedTest* t = TestFor(*plan, "chromium-vi", part);
    ASSERT_NE(t, nullptr) << part;
    EXPECT_EQ(t->material, "leather");
    EXPECT_EQ(t->sources, (std::vector<std::string>{"EN ISO 20345:2022 5.3.6", "REACH Annex XVII entry 47"})) << part;
    EXPECT_EQ(t->specimens, 2) << part;  // the larger of 1 (standard) and 2 (regulation)
    EXPECT_EQ(t->limit.ToDisplay(), "not detected (< 3 mg/kg)");
  }
}

TEST(DeriveTestPlan, RegulationAlonePlansItsOwnCrVITests) {
  const Catalog catalog = Build(Editions());
  TestPlanRequest request = Shoe();
  request.regulations = {"REACH-XVII"};  // by id as well as by code
  Result<TestPlan> plan = DeriveTestPlan(catalog, request);
  ASSERT_OK(plan);
  const PlannedTest* t = TestFor(*plan, "chromium-vi", "upper");
  ASSERT_NE(t, nullptr);
  EXPECT_EQ(t->requirement, "R-47-CRVI");
  EXPECT_EQ(t->standard, "REACH Annex XVII");
  EXPECT_EQ(t->clause, "entry 47");
  EXPECT_EQ(t->requirement_sha256, "sha-R-47-CRVI");
  EXPECT_EQ(t->sources, std::vector<std::string>{"REACH Annex XVII entry 47"});
}

TEST(DeriveTestPlan, NotDetectedAndLessThanAtTheSameValueMerge) {
  std::vector<StandardEdition> editions = Editions();
  Find(editions, "R-47-CRVI").limit.comparator = Comparator::kLess;  // "< 3 mg/kg" instead of not detected
  const Catalog catalog = Build(std::move(editions));
  TestPlanRequest request = Shoe();
  request.markings = {Mark("EN ISO 20345:2022", "SB")};
  request.regulations = {"REACH Annex XVII"};
  Result<TestPlan> plan = DeriveTestPlan(catalog, request);
  ASSERT_OK(plan);
  int chromium = 0;
  for (const PlannedTest& t : plan->tests) chromium += t.property_key == "chromium-vi" ? 1 : 0;
  EXPECT_EQ(chromium, 3);
  const PlannedTest* t = TestFor(*plan, "chromium-vi", "lining");
  ASSERT_NE(t, nullptr);
  EXPECT_EQ(t->limit.value, D("3"));
  EXPECT_EQ(t->limit.unit, "mg/kg");
  EXPECT_EQ(t->sources.size(), 2u);
}

struct Strictness {
  const char* name;
  const char* standard_limit;  // EN-PHTH, ≤
  const char* standard_unit;
  const char* regulation_limit;  // R-51-PHTH, ≤
  const char* regulation_unit;
  const char* winner;
  const char* limit;  // as ToDisplay prints it
};

TEST(DeriveTestPlan, StrictestLimitWinsAcrossUnits) {
  const Strictness cases[] = {
      // 0.1 % w/w = 1000 mg/kg, so 500 mg/kg is stricter, whichever side states it.
      {"standard in mg/kg", "500", "mg/kg", "0.1", "% w/w", "EN-PHTH", "≤ 500 mg/kg"},
      {"regulation in mg/kg", "0.1", "% w/w", "500", "mg/kg", "R-51-PHTH", "≤ 500 mg/kg"},
      // 0.01 % w/w = 100 mg/kg is stricter than 500 mg/kg.
      {"percent stricter", "500", "mg/kg", "0.01", "% w/w", "R-51-PHTH", "≤ 0.01 % w/w"},
      {"same unit", "0.05", "% w/w", "0.1", "% w/w", "EN-PHTH", "≤ 0.05 % w/w"},
  };
  for (const Strictness& c : cases) {
    SCOPED_TRACE(c.name);
    std::vector<StandardEdition> editions = Editions();
    CatalogRequirement& standard = Find(editions, "EN-PHTH");
    standard.limit.value = D(c.standard_limit);
    standard.limit.unit = c.standard_unit;
    CatalogRequirement& regulation = Find(editions, "R-51-PHTH");
    regulation.limit.value = D(c.regulation_limit);
    regulation.limit.unit = c.regulation_unit;
    const Catalog catalog = Build(std::move(editions));
    TestPlanRequest request = Shoe();
    request.markings = {Mark("EN ISO 20345:2022", "PH")};
    request.regulations = {"REACH Annex XVII"};
    Result<TestPlan> plan = DeriveTestPlan(catalog, request);
    ASSERT_OK(plan);
    int phthalates = 0;
    for (const PlannedTest& t : plan->tests) phthalates += t.property_key == "phthalates" ? 1 : 0;
    EXPECT_EQ(phthalates, 1);
    const PlannedTest* t = TestFor(*plan, "phthalates", "outsole");
    ASSERT_NE(t, nullptr);
    EXPECT_EQ(t->requirement, c.winner);
    EXPECT_EQ(t->limit.ToDisplay(), c.limit);
    EXPECT_EQ(t->sources, (std::vector<std::string>{"EN ISO 20345:2022 5.8.9", "REACH Annex XVII entry 51"}));
  }
}

TEST(DeriveTestPlan, ExclusiveLimitIsStricterAtTheSameValue) {
  std::vector<StandardEdition> editions = Editions();
  Find(editions, "EN-PHTH").limit.value = D("1000");  // ≤ 1000 mg/kg
  CatalogRequirement& regulation = Find(editions, "R-51-PHTH");
  regulation.limit.comparator = Comparator::kLess;  // < 0.1 % w/w = < 1000 mg/kg
  const Catalog catalog = Build(std::move(editions));
  TestPlanRequest request = Shoe();
  request.markings = {Mark("EN ISO 20345:2022", "PH")};
  request.regulations = {"REACH Annex XVII"};
  Result<TestPlan> plan = DeriveTestPlan(catalog, request);
  ASSERT_OK(plan);
  const PlannedTest* t = TestFor(*plan, "phthalates", "outsole");
  ASSERT_NE(t, nullptr);
  EXPECT_EQ(t->requirement, "R-51-PHTH");
  EXPECT_EQ(t->limit.ToDisplay(), "< 0.1 % w/w");
}

TEST(DeriveTestPlan, HigherLowerLimitWinsAndSpecimensAreTheMaximum) {
  const Catalog catalog = Build(Editions());
  TestPlanRequest request = Shoe();
  request.markings = {Mark("EN ISO 20345:2022", "SB"), Mark("EN ISO 20347:2022", "OB")};
  Result<TestPlan> plan = DeriveTestPlan(catalog, request);
  ASSERT_OK(plan);
  const PlannedTest* bond = TestFor(*plan, "sole-bond", "whole");
  ASSERT_NE(bond, nullptr);
  EXPECT_EQ(bond->requirement, "O-BOND");  // ≥ 5.0 N/mm is stricter than ≥ 4.0 N/mm
  EXPECT_EQ(bond->limit.ToDisplay(), "≥ 5.0 N/mm");
  EXPECT_EQ(bond->specimens, 3);
  EXPECT_EQ(bond->sources, (std::vector<std::string>{"EN ISO 20345:2022 5.3.1.2", "EN ISO 20347:2022 5.3.1.2"}));

  // The other way round the stricter limit is already there and stays.
  request.markings = {Mark("EN ISO 20347:2022", "OB"), Mark("EN ISO 20345:2022", "SB")};
  Result<TestPlan> reversed = DeriveTestPlan(catalog, request);
  ASSERT_OK(reversed);
  bond = TestFor(*reversed, "sole-bond", "whole");
  ASSERT_NE(bond, nullptr);
  EXPECT_EQ(bond->requirement, "O-BOND");
  EXPECT_EQ(bond->specimens, 3);
  EXPECT_EQ(bond->sources, (std::vector<std::string>{"EN ISO 20347:2022 5.3.1.2", "EN ISO 20345:2022 5.3.1.2"}));
}

TEST(DeriveTestPlan, SpecimensAreTheMaximumWhicheverComesFirst) {
  std::vector<StandardEdition> editions = Editions();
  Find(editions, "EN-CRVI").specimens = 3;
  Find(editions, "R-47-CRVI").specimens = 1;
  const Catalog catalog = Build(std::move(editions));
  TestPlanRequest request = Shoe();
  request.markings = {Mark("EN ISO 20345:2022", "SB")};
  request.regulations = {"REACH Annex XVII"};
  Result<TestPlan> plan = DeriveTestPlan(catalog, request);
  ASSERT_OK(plan);
  const PlannedTest* t = TestFor(*plan, "chromium-vi", "upper");
  ASSERT_NE(t, nullptr);
  EXPECT_EQ(t->specimens, 3);
}

TEST(DeriveTestPlan, MarkingsExpandThroughIncludesAndExtras) {
  const Catalog catalog = Build(Editions());
  TestPlanRequest request = Shoe();
  request.markings = {Mark("EN ISO 20345:2022", "S1P", {"PH"})};
  Result<TestPlan> plan = DeriveTestPlan(catalog, request);
  ASSERT_OK(plan);
  EXPECT_EQ(Summary(*plan),
            (std::vector<std::string>{"EN-CRVI insock leather", "EN-CRVI lining leather", "EN-CRVI upper leather",
                                      "EN-BOND whole ", "EN-PERF whole ", "EN-PHTH outsole rubber"}));
}

TEST(DeriveTestPlan, WholeProductRequirementsGetPartWhole) {
  const Catalog catalog = Build(Editions());
  TestPlanRequest request = Shoe();
  request.regulations = {"REACH Annex XVII"};
  Result<TestPlan> plan = DeriveTestPlan(catalog, request);
  ASSERT_OK(plan);
  const PlannedTest* dmfu = TestFor(*plan, "dmfu", "whole");
  ASSERT_NE(dmfu, nullptr);
  EXPECT_EQ(dmfu->material, "");
  EXPECT_EQ(dmfu->limit.ToDisplay(), "≤ 0.1 mg/kg");
  EXPECT_EQ(dmfu->sources, std::vector<std::string>{"REACH Annex XVII entry 61"});
}

TEST(DeriveTestPlan, PpeExemptionDropsRequirementsOnlyForPpe) {
  const Catalog catalog = Build(Editions());
  TestPlanRequest request = Shoe();
  request.materials["insock"] = "textile";
  request.regulations = {"REACH Annex XVII"};

  Result<TestPlan> consumer = DeriveTestPlan(catalog, request);
  ASSERT_OK(consumer);
  const PlannedTest* formaldehyde = TestFor(*consumer, "formaldehyde-textile", "insock");
  ASSERT_NE(formaldehyde, nullptr);
  EXPECT_EQ(formaldehyde->requirement, "R-72-HCHO");
  EXPECT_EQ(formaldehyde->material, "textile");

  request.markings = {Mark("EN ISO 20345:2022", "SB")};  // marked to a PPE standard: PPE
  Result<TestPlan> ppe = DeriveTestPlan(catalog, request);
  ASSERT_OK(ppe);
  EXPECT_EQ(TestFor(*ppe, "formaldehyde-textile", "insock"), nullptr);
  // Only the exempt entry goes: REACH's other requirements stay.
  EXPECT_NE(TestFor(*ppe, "dmfu", "whole"), nullptr);
  // A textile insock is no longer a Cr(VI) part.
  EXPECT_EQ(TestFor(*ppe, "chromium-vi", "insock"), nullptr);
  EXPECT_NE(TestFor(*ppe, "chromium-vi", "upper"), nullptr);
}

TEST(DeriveTestPlan, RequirementsOfAnotherProductFamilyAreLeftOut) {
  const Catalog catalog = Build(Editions());
  TestPlanRequest request;
  request.product_family = "textile_apparel";
  request.materials = {{"shell", "leather"}, {"accessory", "metal"}};
  request.regulations = {"REACH Annex XVII"};
  Result<TestPlan> plan = DeriveTestPlan(catalog, request);
  ASSERT_OK(plan);
  // Nickel release is a footwear-only entry in this catalog.
  EXPECT_EQ(Summary(*plan), (std::vector<std::string>{"R-47-CRVI shell leather", "R-61-DMFU whole "}));
}

TEST(DeriveTestPlan, SizeDependentLimitNeedsASize) {
  const Catalog catalog = Build(Editions());
  TestPlanRequest request = Shoe();
  request.markings = {Mark("EN ISO 20345:2022", "T")};
  const Status missing = PlanError(catalog, request);
  EXPECT_EQ(Fields(missing), std::vector<std::string>{"size"});
  ASSERT_EQ(missing.field_errors().size(), 1u);
  EXPECT_EQ(missing.field_errors()[0].reason, "the limit depends on the shoe size (EN-TOECAP)");

  request.size = 42;
  Result<TestPlan> plan = DeriveTestPlan(catalog, request);
  ASSERT_OK(plan);
  const PlannedTest* toecap = TestFor(*plan, "toecap-clearance", "whole");
  ASSERT_NE(toecap, nullptr);
  EXPECT_EQ(toecap->limit.ToDisplay(), "≥ 14.0 mm");
  request.size = 39;
  plan = DeriveTestPlan(catalog, request);
  ASSERT_OK(plan);
  EXPECT_EQ(plan->tests[0].limit.ToDisplay(), "≥ 13.5 mm");
}

TEST(DeriveTestPlan, SizeOutsideEveryBandIsRefused) {
  std::vector<StandardEdition> editions = Editions();
  Find(editions, "EN-TOECAP").limits_by_size = {{35, 38, D("13.0")}, {39, 46, D("14.0")}};
  const Catalog catalog = Build(std::move(editions));
  TestPlanRequest request = Shoe();
  request.markings = {Mark("EN ISO 20345:2022", "T")};
  request.size = 47;
  const Status status = PlanError(catalog, request);
  EXPECT_EQ(Fields(status), std::vector<std::string>{"size"});
  ASSERT_EQ(status.field_errors().size(), 1u);
  EXPECT_EQ(status.field_errors()[0].reason, "no limit for size 47 (EN-TOECAP)");
}

TEST(DeriveTestPlan, UnknownStandard) {
  TestPlanRequest request = Shoe();
  request.markings = {Mark("EN ISO 99999:2030", "S1")};
  EXPECT_EQ(Fields(PlanError(Build(Editions()), request)), std::vector<std::string>{"markings[0].standard"});
}

TEST(DeriveTestPlan, StandardThatDoesNotCoverTheProductFamily) {
  TestPlanRequest request;
  request.product_family = "textile_apparel";
  request.materials = {{"shell", "leather"}};
  request.markings = {Mark("EN ISO 20345:2022", "SB")};
  EXPECT_EQ(Fields(PlanError(Build(Editions()), request)), std::vector<std::string>{"markings[0].standard"});
}

TEST(DeriveTestPlan, MarkingOfAnotherStandard) {
  TestPlanRequest request = Shoe();
  request.markings = {Mark("EN ISO 20345:2022", "OB")};
  const Status status = PlanError(Build(Editions()), request);
  EXPECT_EQ(Fields(status), std::vector<std::string>{"markings[0].marking"});
  ASSERT_EQ(status.field_errors().size(), 1u);
  EXPECT_EQ(status.field_errors()[0].reason, "OB is not a marking of EN ISO 20345:2022");
}

TEST(DeriveTestPlan, UnknownMarkingIsNamedByItsIndex) {
  TestPlanRequest request = Shoe();
  request.markings = {Mark("EN ISO 20345:2022", "SB"), Mark("EN ISO 20345:2022", "S9")};
  EXPECT_EQ(Fields(PlanError(Build(Editions()), request)), std::vector<std::string>{"markings[1].marking"});
}

TEST(DeriveTestPlan, UnknownExtraSymbol) {
  TestPlanRequest request = Shoe();
  request.markings = {Mark("EN ISO 20345:2022", "SB", {"P", "XX"})};
  EXPECT_EQ(Fields(PlanError(Build(Editions()), request)), std::vector<std::string>{"markings[0].extra[1]"});
}

TEST(DeriveTestPlan, UnknownMaterial) {
  TestPlanRequest request = Shoe();
  request.materials["upper"] = "plastic";
  request.regulations = {"REACH Annex XVII"};
  EXPECT_EQ(Fields(PlanError(Build(Editions()), request)), std::vector<std::string>{"materials.upper"});
}

TEST(DeriveTestPlan, UnknownPart) {
  TestPlanRequest request = Shoe();
  request.materials["heel"] = "leather";
  request.regulations = {"REACH Annex XVII"};
  EXPECT_EQ(Fields(PlanError(Build(Editions()), request)), std::vector<std::string>{"materials.heel"});
}

TEST(DeriveTestPlan, PartOfAnotherFamily) {
  TestPlanRequest request = Shoe();
  request.materials["shell"] = "textile";  // a garment part on a shoe
  request.regulations = {"REACH Annex XVII"};
  EXPECT_EQ(Fields(PlanError(Build(Editions()), request)), std::vector<std::string>{"materials.shell"});
}

TEST(DeriveTestPlan, UnknownProductFamily) {
  TestPlanRequest request = Shoe();
  request.product_family = "hats";
  request.regulations = {"REACH Annex XVII"};
  EXPECT_EQ(Fields(PlanError(Build(Editions()), request)), std::vector<std::string>{"product_family"});
}

TEST(DeriveTestPlan, UnknownRegulation) {
  TestPlanRequest request = Shoe();
  request.regulations = {"REACH Annex XVII", "CPSIA"};
  EXPECT_EQ(Fields(PlanError(Build(Editions()), request)), std::vector<std::string>{"regulations[1]"});
}

TEST(DeriveTestPlan, NothingRequested) {
  EXPECT_EQ(Fields(PlanError(Build(Editions()), Shoe())), std::vector<std::string>{"markings"});
}

TEST(PlanRequirement, PlansOneRequirementOnTheWholeProduct) {
  const std::vector<StandardEdition> editions = Editions();
  const StandardEdition& safety = editions[0];
  Result<PlannedTest> t = PlanRequirement(safety.requirements[1], safety, std::nullopt);
  ASSERT_OK(t);
  EXPECT_EQ(t->requirement, "EN-BOND");
  EXPECT_EQ(t->requirement_sha256, "sha-EN-BOND");
  EXPECT_EQ(t->standard, "EN ISO 20345:2022");
  EXPECT_EQ(t->clause, "5.3.1.2");
  EXPECT_EQ(t->method, "method of EN-BOND");
  EXPECT_EQ(t->part, "whole");
  EXPECT_EQ(t->material, "");
  EXPECT_EQ(t->specimens, 2);
  EXPECT_EQ(t->sources, std::vector<std::string>{"EN ISO 20345:2022 5.3.1.2"});
  Result<PlannedTest> toecap = PlanRequirement(safety.requirements[2], safety, std::nullopt);
  ASSERT_FALSE(toecap.ok());
  EXPECT_EQ(Fields(toecap.status()), std::vector<std::string>{"size"});
}

}  // namespace
}  // namespace lims
