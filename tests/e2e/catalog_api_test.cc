// The catalog over HTTP: standards, their requirements by marking, test-plan previews, intake from a
// test plan, and limsd's refusal to start on a broken catalog.
//
// Expected counts were worked out by hand from catalog/*.json (see the comments where they are used).
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "tests/e2e/limsd_fixture.h"
#include "tests/support/json_test_util.h"
#include "tests/support/limsd_process.h"
#include "tests/support/test_database.h"
#include "tests/support/test_support.h"

namespace lims::testing {
namespace {

namespace fs = std::filesystem;

constexpr char kProblemJson[] = "application/problem+json";

// S3 + SR to EN ISO 20345:2022 and REACH Annex XVII, for a size-42 leather boot with a textile
// lining and insock and a rubber outsole.
constexpr char kS3SrReachPlan[] = R"({
  "product_family": "footwear",
  "materials": {"upper": "leather", "lining": "textile", "insock": "textile", "outsole": "rubber"},
  "markings": [{"standard": "EN ISO 20345:2022", "marking": "S3", "extra": ["SR"]}],
  "regulations": ["REACH Annex XVII"],
  "size": 42
})";

// Tests the plan above must hold, counted by hand from the files:
// EN ISO 20345:2022 S3 + SR: SB gives 12 (13 requirements, the textile tear does not apply to a
// leather upper), A, E and closed heel 3, WPA 2, P 1, cleats 1, SR 2: 21.
// REACH Annex XVII: entry 43 gives 4 amines × (leather upper + textile lining + textile insock) = 12,
// entry 50 gives 8 PAHs on the rubber outsole, entry 61 DMFu 1 on the whole shoe; entry 47 merges
// with the 20345 Cr(VI) test; entries 23, 27, 51 and 63 match no part; entry 72 (5) is exempt for PPE: 21.
constexpr unsigned kS3SrReachTests = 42;

bool Contains(const std::vector<std::string>& items, const std::string& item) {
  return std::find(items.begin(), items.end(), item) != items.end();
}

// Parses a JSON array body (null when it is not one).
Poco::JSON::Array::Ptr ParseJsonArray(const std::string& text) {
  try {
    Poco::Dynamic::Var value = Poco::JSON::Parser().parse(text);
    if (value.type() != typeid(Poco::JSON::Array::Ptr)) return nullptr;
    return value.extract<Poco::JSON::Array::Ptr>();
  } catch (const Poco::Exception&) {
    return nullptr;
  }
}

// The string member `key` of every object in `array`.
std::vector<std::string> Column(const Poco::JSON::Array::Ptr& array, const std::string& key) {
  std::vector<std::string> out;
  if (array.isNull()) return out;
  for (unsigned i = 0; i < array->size(); ++i) out.push_back(JsonString(array->getObject(i), key));
  return out;
}

// The tests of a plan or a sample whose label, part and material are the given ones.
std::vector<Poco::JSON::Object::Ptr> TestsMatching(const Poco::JSON::Array::Ptr& tests, const std::string& label,
                                                   const std::string& part, const std::string& material) {
  std::vector<Poco::JSON::Object::Ptr> out;
  if (tests.isNull()) return out;
  for (unsigned i = 0; i < tests->size(); ++i) {
    Poco::JSON::Object::Ptr t = tests->getObject(i);
    if (JsonString(t, "label") == label && JsonString(t, "part") == part && JsonString(t, "material") == material) {
      out.push_back(t);
    }
  }
  return out;
}

class CatalogApiTest : public LimsdSuite {
 protected:
  // An intake body that asks for `plan` as its test plan (and no requirement ids).
  static std::string PlanIntakeJson(const std::string& plan, const std::string& sizes = "[]") {
    const std::string exporter = db().QueryValue("SELECT id FROM organizations WHERE iec = '0512345678'");
    return "{\"exporter\": \"" + exporter +
           "\", \"product\": \"Safety boot S3 SR, black leather\", \"quantity\": 6, \"quantity_unit\": \"pairs\", "
           "\"destination\": \"DE\", \"sizes\": " +
           sizes + ", \"test_plan\": " + plan + "}";
  }

  static HttpReply Preview(const std::string& plan) { return limsd().Post("/api/v1/test-plans", plan); }

  // A preview that must succeed; its "tests" (null, with a test failure, otherwise).
  static Poco::JSON::Array::Ptr PreviewTests(const std::string& plan) {
    const HttpReply reply = Preview(plan);
    EXPECT_EQ(reply.status, 200) << reply.body;
    Poco::JSON::Object::Ptr body = ParseJsonObject(reply.body);
    return body.isNull() ? nullptr : body->getArray("tests");
  }
};

// `plan` (kS3SrReachPlan) with one substring replaced, for the refusal cases.
std::string PlanWith(const std::string& from, const std::string& to) {
  std::string plan = kS3SrReachPlan;
  const size_t at = plan.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) plan.replace(at, from.size(), to);
  return plan;
}

TEST_F(CatalogApiTest, StandardsListsTheFourEditions) {
  const HttpReply reply = limsd().Get("/api/v1/standards");
  ASSERT_EQ(reply.status, 200) << reply.body;
  EXPECT_EQ(reply.content_type, "application/json");
  Poco::JSON::Array::Ptr standards = ParseJsonArray(reply.body);
  ASSERT_FALSE(standards.isNull()) << reply.body;
  std::vector<std::string> codes = Column(standards, "code");
  std::sort(codes.begin(), codes.end());
  EXPECT_EQ(codes, (std::vector<std::string>{"EN ISO 20345:2011", "EN ISO 20345:2022", "EN ISO 20347:2022",
                                             "REACH Annex XVII"}));
  for (unsigned i = 0; i < standards->size(); ++i) {
    Poco::JSON::Object::Ptr s = standards->getObject(i);
    EXPECT_EQ(JsonString(s, "sha256").size(), 64u) << JsonString(s, "id");
    if (JsonString(s, "id") == "EN-ISO-20345-2011") {
      EXPECT_EQ(JsonString(s, "status"), "superseded");
    }
    if (JsonString(s, "id") == "EN-ISO-20345-2022") {
      EXPECT_EQ(JsonString(s, "status"), "current");
      EXPECT_EQ(JsonString(s, "supersedes"), "EN-ISO-20345-2011");
      EXPECT_TRUE(Contains(JsonStrings(s, "markings"), "S3"));
    }
  }
}

TEST_F(CatalogApiTest, RequirementsOfS3IncludeBondAndCleatsButNotSr) {
  const HttpReply reply = limsd().Get("/api/v1/standards/EN-ISO-20345-2022/requirements?marking=S3");
  ASSERT_EQ(reply.status, 200) << reply.body;
  Poco::JSON::Object::Ptr body = ParseJsonObject(reply.body);
  ASSERT_FALSE(body.isNull()) << reply.body;
  EXPECT_EQ(JsonString(body->getObject("standard"), "code"), "EN ISO 20345:2022");
  const std::vector<std::string> ids = Column(body->getArray("requirements"), "id");
  // S3 = S2 + P + cleats = (S1 + WPA) + P + cleats = (SB 13 + A + E + closed heel) + 2 + 1 + 1.
  EXPECT_EQ(ids.size(), 20u) << reply.body;
  EXPECT_TRUE(Contains(ids, "EN20345-2022-BOND")) << reply.body;
  EXPECT_TRUE(Contains(ids, "EN20345-2022-CLEATS")) << reply.body;
  EXPECT_TRUE(Contains(ids, "EN20345-2022-PERF-P")) << reply.body;
  EXPECT_FALSE(Contains(ids, "EN20345-2022-SR-HEEL")) << reply.body;
  EXPECT_FALSE(Contains(ids, "EN20345-2022-SR-FOREPART")) << reply.body;
}

TEST_F(CatalogApiTest, RequirementsShowTheBondLimitAndTheToecapSizeTable) {
  const HttpReply reply = limsd().Get("/api/v1/standards/EN-ISO-20345-2022/requirements?marking=SB");
  ASSERT_EQ(reply.status, 200) << reply.body;
  Poco::JSON::Array::Ptr requirements = ParseJsonObject(reply.body)->getArray("requirements");
  ASSERT_FALSE(requirements.isNull()) << reply.body;
  EXPECT_EQ(requirements->size(), 13u);
  bool saw_bond = false;
  bool saw_toecap = false;
  for (unsigned i = 0; i < requirements->size(); ++i) {
    Poco::JSON::Object::Ptr r = requirements->getObject(i);
    if (JsonString(r, "id") == "EN20345-2022-BOND") {
      saw_bond = true;
      Poco::JSON::Object::Ptr limit = r->getObject("limit");
      EXPECT_EQ(JsonString(limit, "comparator"), ">=");
      EXPECT_EQ(JsonString(limit, "value"), "4.0");
      EXPECT_EQ(JsonString(limit, "unit"), "N/mm");
      EXPECT_EQ(JsonString(r, "clause"), "5.3.1.2");
    }
    if (JsonString(r, "id") == "EN20345-2022-TOECAP-IMPACT-CLEARANCE") {
      saw_toecap = true;
      Poco::JSON::Array::Ptr bands = r->getArray("limits_by_size");
      ASSERT_FALSE(bands.isNull()) << reply.body;
      ASSERT_EQ(bands->size(), 6u);
      EXPECT_EQ(Column(bands, "limit"), (std::vector<std::string>{"12.5", "13.0", "13.5", "14.0", "14.5", "15.0"}));
    }
  }
  EXPECT_TRUE(saw_bond) << reply.body;
  EXPECT_TRUE(saw_toecap) << reply.body;
}

TEST_F(CatalogApiTest, StandardIsFoundByCodeToo) {
  const HttpReply reply = limsd().Get("/api/v1/standards/REACH%20Annex%20XVII/requirements");
  ASSERT_EQ(reply.status, 200) << reply.body;
  const std::vector<std::string> ids = Column(ParseJsonObject(reply.body)->getArray("requirements"), "id");
  EXPECT_EQ(ids.size(), 27u);
  EXPECT_TRUE(Contains(ids, "REACH-XVII-47-CRVI"));
}

TEST_F(CatalogApiTest, UnknownStandardIsNotFound) {
  const HttpReply reply = limsd().Get("/api/v1/standards/EN-ISO-99999-2030/requirements");
  EXPECT_EQ(reply.status, 404) << reply.body;
  EXPECT_EQ(reply.content_type, kProblemJson);
}

TEST_F(CatalogApiTest, UnknownMarkingIsARuleViolationNamingMarking) {
  const HttpReply reply = limsd().Get("/api/v1/standards/EN-ISO-20345-2022/requirements?marking=S9");
  EXPECT_EQ(reply.status, 422) << reply.body;
  EXPECT_EQ(reply.content_type, kProblemJson);
  EXPECT_EQ(ProblemFields(ParseJsonObject(reply.body)), std::vector<std::string>{"marking"}) << reply.body;
}

TEST_F(CatalogApiTest, TestPlanHoldsTheHandCountedTests) {
  Poco::JSON::Array::Ptr tests = PreviewTests(kS3SrReachPlan);
  ASSERT_FALSE(tests.isNull());
  EXPECT_EQ(tests->size(), kS3SrReachTests);
}

TEST_F(CatalogApiTest, TestPlanJudgesChromiumSixOnTheLeatherUpperOnceForBothSources) {
  Poco::JSON::Array::Ptr tests = PreviewTests(kS3SrReachPlan);
  const std::vector<Poco::JSON::Object::Ptr> crvi = TestsMatching(tests, "Cr(VI) in leather", "upper", "leather");
  ASSERT_EQ(crvi.size(), 1u);
  EXPECT_EQ(JsonStrings(crvi[0], "sources"),
            (std::vector<std::string>{"EN ISO 20345:2022 5.3.6", "REACH Annex XVII Entry 47"}));
  Poco::JSON::Object::Ptr limit = crvi[0]->getObject("limit");
  EXPECT_EQ(JsonString(limit, "comparator"), "not_detected");
  EXPECT_EQ(JsonString(limit, "value"), "3");
  EXPECT_EQ(JsonString(limit, "unit"), "mg/kg");
  // The textile lining and insock have no Cr(VI) test: entry 47 is for leather.
  EXPECT_TRUE(TestsMatching(tests, "Cr(VI) in leather", "lining", "textile").empty());
}

TEST_F(CatalogApiTest, TestPlanTakesTheToecapLimitOfTheSize) {
  Poco::JSON::Array::Ptr tests = PreviewTests(kS3SrReachPlan);
  const std::vector<Poco::JSON::Object::Ptr> toecap = TestsMatching(tests, "Toecap impact clearance", "whole", "");
  ASSERT_EQ(toecap.size(), 1u);
  EXPECT_EQ(JsonString(toecap[0]->getObject("limit"), "value"), "14.0");
  EXPECT_EQ(JsonString(toecap[0]->getObject("limit"), "comparator"), ">=");

  Poco::JSON::Array::Ptr small = PreviewTests(PlanWith("\"size\": 42", "\"size\": 36"));
  const std::vector<Poco::JSON::Object::Ptr> small_toecap =
      TestsMatching(small, "Toecap impact clearance", "whole", "");
  ASSERT_EQ(small_toecap.size(), 1u);
  EXPECT_EQ(JsonString(small_toecap[0]->getObject("limit"), "value"), "12.5");
}

TEST_F(CatalogApiTest, TestPlanLeavesOutEntry72ForSafetyFootwear) {
  Poco::JSON::Array::Ptr tests = PreviewTests(kS3SrReachPlan);
  const std::vector<std::string> requirements = Column(tests, "requirement");
  EXPECT_FALSE(Contains(requirements, "REACH-XVII-72-FORMALDEHYDE"));
  EXPECT_TRUE(Contains(requirements, "REACH-XVII-61-DMFU"));
  EXPECT_TRUE(Contains(requirements, "EN20345-2022-SR-HEEL"));
  EXPECT_EQ(TestsMatching(tests, "Benzo[a]pyrene", "outsole", "rubber").size(), 1u);
}

TEST_F(CatalogApiTest, TestPlanWithUnknownMarkingNamesIt) {
  const HttpReply reply = Preview(PlanWith("\"marking\": \"S3\"", "\"marking\": \"S9\""));
  EXPECT_EQ(reply.status, 422) << reply.body;
  EXPECT_EQ(reply.content_type, kProblemJson);
  EXPECT_EQ(ProblemFields(ParseJsonObject(reply.body)), std::vector<std::string>{"markings[0].marking"}) << reply.body;
}

TEST_F(CatalogApiTest, TestPlanWithMarkingOfAnotherStandardNamesIt) {
  // O1 is an EN ISO 20347:2022 (occupational footwear) category, not a safety footwear one.
  const HttpReply reply = Preview(PlanWith("\"marking\": \"S3\"", "\"marking\": \"O1\""));
  EXPECT_EQ(reply.status, 422) << reply.body;
  EXPECT_EQ(ProblemFields(ParseJsonObject(reply.body)), std::vector<std::string>{"markings[0].marking"}) << reply.body;
}

TEST_F(CatalogApiTest, TestPlanWithUnknownExtraSymbolNamesIt) {
  const HttpReply reply = Preview(PlanWith("\"extra\": [\"SR\"]", "\"extra\": [\"SR\", \"XX\"]"));
  EXPECT_EQ(reply.status, 422) << reply.body;
  EXPECT_EQ(ProblemFields(ParseJsonObject(reply.body)), std::vector<std::string>{"markings[0].extra[1]"}) << reply.body;
}

TEST_F(CatalogApiTest, TestPlanWithUnknownMaterialNamesThePart) {
  const HttpReply reply = Preview(PlanWith("\"upper\": \"leather\"", "\"upper\": \"suede\""));
  EXPECT_EQ(reply.status, 422) << reply.body;
  EXPECT_EQ(ProblemFields(ParseJsonObject(reply.body)), std::vector<std::string>{"materials.upper"}) << reply.body;
}

TEST_F(CatalogApiTest, TestPlanWithoutSizeForASizeDependentLimitNamesSize) {
  const HttpReply reply = Preview(PlanWith(",\n  \"size\": 42", ""));
  EXPECT_EQ(reply.status, 422) << reply.body;
  EXPECT_EQ(ProblemFields(ParseJsonObject(reply.body)), std::vector<std::string>{"size"}) << reply.body;
}

TEST_F(CatalogApiTest, TestPlanOfRegulationOnlyNeedsNoSize) {
  // REACH has no size-dependent limit: the same request without markings and size is fine.
  const std::string plan = R"({"product_family": "footwear", "materials": {"upper": "leather"},
                               "regulations": ["REACH Annex XVII"]})";
  Poco::JSON::Array::Ptr tests = PreviewTests(plan);
  ASSERT_FALSE(tests.isNull());
  // Leather upper: Cr(VI) 1, entry 43's four amines on leather 4, DMFu 1 (entry 72 is for textiles).
  EXPECT_EQ(tests->size(), 6u);
  const std::vector<Poco::JSON::Object::Ptr> crvi = TestsMatching(tests, "Cr(VI) in leather", "upper", "leather");
  ASSERT_EQ(crvi.size(), 1u);
  EXPECT_EQ(JsonStrings(crvi[0], "sources"), std::vector<std::string>{"REACH Annex XVII Entry 47"});
}

TEST_F(CatalogApiTest, IntakeFromTestPlanCreatesThePlannedTests) {
  Poco::JSON::Array::Ptr preview = PreviewTests(kS3SrReachPlan);
  ASSERT_FALSE(preview.isNull());
  const HttpReply reply = limsd().Post("/api/v1/samples", PlanIntakeJson(kS3SrReachPlan));
  ASSERT_EQ(reply.status, 201) << reply.body;
  Poco::JSON::Object::Ptr sample = ParseJsonObject(reply.body);
  ASSERT_FALSE(sample.isNull()) << reply.body;
  Poco::JSON::Array::Ptr tests = sample->getArray("tests");
  ASSERT_FALSE(tests.isNull()) << reply.body;
  EXPECT_EQ(tests->size(), preview->size());
  EXPECT_EQ(tests->size(), kS3SrReachTests);
  std::vector<std::string> planned = Column(preview, "requirement");
  std::vector<std::string> created = Column(tests, "requirement");
  std::sort(planned.begin(), planned.end());
  std::sort(created.begin(), created.end());
  EXPECT_EQ(created, planned);
  for (const std::string& status : Column(tests, "status")) EXPECT_EQ(status, "pending");
}

TEST_F(CatalogApiTest, IntakeFromTestPlanKeepsSourcesAndLimitSnapshot) {
  const HttpReply reply = limsd().Post("/api/v1/samples", PlanIntakeJson(kS3SrReachPlan));
  ASSERT_EQ(reply.status, 201) << reply.body;
  Poco::JSON::Object::Ptr sample = ParseJsonObject(reply.body);
  ASSERT_FALSE(sample.isNull()) << reply.body;
  // Read back, so the sources come from the database and not from the intake's memory.
  const HttpReply read = limsd().Get("/api/v1/samples/" + JsonString(sample, "number"));
  ASSERT_EQ(read.status, 200) << read.body;
  Poco::JSON::Array::Ptr tests = ParseJsonObject(read.body)->getArray("tests");
  const std::vector<Poco::JSON::Object::Ptr> crvi = TestsMatching(tests, "Cr(VI) in leather", "upper", "leather");
  ASSERT_EQ(crvi.size(), 1u) << read.body;
  EXPECT_EQ(JsonStrings(crvi[0], "sources"),
            (std::vector<std::string>{"EN ISO 20345:2022 5.3.6", "REACH Annex XVII Entry 47"}));
  EXPECT_EQ(JsonString(crvi[0]->getObject("limit"), "comparator"), "not_detected");
  EXPECT_EQ(JsonString(crvi[0]->getObject("limit"), "display"), "not detected (< 3 mg/kg)");
  EXPECT_EQ(JsonString(crvi[0], "combine"), "each");
  const std::vector<Poco::JSON::Object::Ptr> bond = TestsMatching(tests, "Sole bond", "whole", "");
  ASSERT_EQ(bond.size(), 1u) << read.body;
  EXPECT_EQ(bond[0]->getValue<int>("specimens"), 2);
  EXPECT_EQ(JsonString(bond[0]->getObject("limit"), "value"), "4.0");
  EXPECT_EQ(JsonString(bond[0]->getObject("limit"), "unit"), "N/mm");
}

TEST_F(CatalogApiTest, IntakeTakesTheSizeFromTheSampleSizes) {
  // No size in the plan: the sample's first whole size (36) chooses the toecap limit.
  const HttpReply reply =
      limsd().Post("/api/v1/samples", PlanIntakeJson(PlanWith(",\n  \"size\": 42", ""), R"(["36", "37"])"));
  ASSERT_EQ(reply.status, 201) << reply.body;
  Poco::JSON::Array::Ptr tests = ParseJsonObject(reply.body)->getArray("tests");
  const std::vector<Poco::JSON::Object::Ptr> toecap = TestsMatching(tests, "Toecap impact clearance", "whole", "");
  ASSERT_EQ(toecap.size(), 1u) << reply.body;
  EXPECT_EQ(JsonString(toecap[0]->getObject("limit"), "value"), "12.5");
}

TEST_F(CatalogApiTest, IntakeWithUnknownMarkingInTestPlanNamesIt) {
  const HttpReply reply =
      limsd().Post("/api/v1/samples", PlanIntakeJson(PlanWith("\"marking\": \"S3\"", "\"marking\": \"S9\"")));
  EXPECT_EQ(reply.status, 422) << reply.body;
  EXPECT_EQ(reply.content_type, kProblemJson);
  EXPECT_EQ(ProblemFields(ParseJsonObject(reply.body)), std::vector<std::string>{"test_plan.markings[0].marking"})
      << reply.body;
}

TEST_F(CatalogApiTest, IntakeWithUnknownFieldInTestPlanNamesIt) {
  const HttpReply reply =
      limsd().Post("/api/v1/samples", PlanIntakeJson(PlanWith("\"size\": 42", "\"size\": 42, \"colour\": \"black\"")));
  EXPECT_EQ(reply.status, 400) << reply.body;
  EXPECT_EQ(ProblemFields(ParseJsonObject(reply.body)), std::vector<std::string>{"test_plan.colour"}) << reply.body;
}

// limsd refuses to start on a broken catalog, naming the file, the entry and the reason. Its own
// database, no shared limsd: the process under test never gets as far as serving.
class CatalogStartupTest : public ::testing::Test {
 protected:
  void SetUp() override {
    copy_ = MakeTempDir("lims-catalog-");
    fs::copy(SourcePath("catalog"), copy_, fs::copy_options::recursive);
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(copy_, ec);
  }

  TestDatabase db_;
  std::string copy_;
};

TEST_F(CatalogStartupTest, BrokenComparatorRefusesToStart) {
  const std::string env = "LIMS_CATALOG_DIR=" + copy_;
  std::string output;
  // Control: the intact copy is accepted (--migrate loads the catalog, records it and exits).
  ASSERT_EQ(LimsdProcess::RunOnce(db_.config(), {"--migrate"}, {env}, &output), 0) << output;

  const std::string file = copy_ + "/en-iso-20345-2022.json";
  std::string text = ReadFile(file);
  const size_t entry = text.find("\"id\": \"EN20345-2022-BOND\"");
  ASSERT_NE(entry, std::string::npos);
  const std::string comparator = "\"comparator\": \">=\"";
  const size_t at = text.find(comparator, entry);
  ASSERT_NE(at, std::string::npos);
  text.replace(at, comparator.size(), "\"comparator\": \"~\"");
  WriteFile(file, text);

  // Serve mode. Should the check wrongly pass, binding to an address this host does not have
  // (TEST-NET-1) makes limsd exit instead of serving forever; the output then lacks the reason.
  const int rc = LimsdProcess::RunOnce(db_.config(), {}, {env, "LIMS_HTTP_HOST=192.0.2.1"}, &output);
  EXPECT_NE(rc, 0) << output;
  EXPECT_NE(output.find("refusing to start: catalog: en-iso-20345-2022.json: requirement EN20345-2022-BOND: "),
            std::string::npos)
      << output;
  EXPECT_NE(output.find("comparator"), std::string::npos) << output;
}

}  // namespace
}  // namespace lims::testing
