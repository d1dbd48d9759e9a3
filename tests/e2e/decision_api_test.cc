// Conformity decisions over HTTP: the sample's decision rule (simple or guarded acceptance) applied
// to results entered against catalog requirements, with the one-line explanation for the report.
//
// The Cr(VI) cases use REACH Annex XVII entry 47 (REACH-XVII-47-CRVI): not detected, LOQ 3 mg/kg.
// With U = 0.5 mg/kg and w = U the interval x ± 0.5 decides, worked out by hand:
//   2.0 → [1.5, 2.5] all below 3          → pass
//   2.8 → [2.3, 3.3] x below 3, top above  → conditional pass
//   3.2 → [2.7, 3.7] x above 3, bottom below → conditional fail
//   4.1 → [3.6, 4.6] all above 3          → fail
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/e2e/limsd_fixture.h"
#include "tests/support/json_test_util.h"
#include "tests/support/limsd_process.h"

namespace lims::testing {
namespace {

constexpr char kCrVi[] = "REACH-XVII-47-CRVI";
constexpr char kClosedHeel[] = "EN20345-2022-CLOSED-HEEL";
constexpr char kGuarded[] = R"(, "decision_rule": {"guarded": {"r": "1"}})";
constexpr char kGuardedToken[] = R"(, "decision_rule": "guarded")";
constexpr char kSimple[] = R"(, "decision_rule": "simple")";

bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

class DecisionApiTest : public LimsdSuite {
 protected:
  // Registers a sample for `requirement` under `rule` (an intake fragment); returns its JSON.
  static Poco::JSON::Object::Ptr RegisterWith(const std::string& rule, const std::string& requirement = kCrVi) {
    const HttpReply reply = limsd().Post("/api/v1/samples", IntakeJson(rule, "6", requirement));
    EXPECT_EQ(reply.status, 201) << reply.body;
    return reply.status == 201 ? ParseJsonObject(reply.body) : nullptr;
  }

  // Registers a sample for `requirement` under `rule` and enters `result` on its only test.
  static HttpReply EnterOnNewSample(const std::string& rule, const std::string& result,
                                    const std::string& requirement = kCrVi) {
    const std::string test_id = FirstTestId(RegisterWith(rule, requirement));
    EXPECT_FALSE(test_id.empty());
    return PostResult(test_id, result);
  }

  // A result that must be accepted; its JSON (null, with a test failure, otherwise).
  static Poco::JSON::Object::Ptr Accepted(const HttpReply& reply) {
    EXPECT_EQ(reply.status, 201) << reply.body;
    return reply.status == 201 ? ParseJsonObject(reply.body) : nullptr;
  }
};

TEST_F(DecisionApiTest, SampleTestCarriesTheCatalogRequirement) {
  Poco::JSON::Object::Ptr sample = RegisterWith(kGuarded);
  ASSERT_FALSE(sample.isNull());
  EXPECT_EQ(JsonString(sample, "decision_rule"), "guarded");  // {"guarded": {"r": "1"}} is plain guarded
  EXPECT_EQ(JsonString(sample, "decision_rule_text"), "guarded acceptance, w = U");
  Poco::JSON::Object::Ptr test = JsonArrayObject(sample, "tests", 0);
  ASSERT_FALSE(test.isNull());
  EXPECT_EQ(JsonString(test, "requirement"), kCrVi);
  EXPECT_EQ(JsonString(test, "standard"), "REACH Annex XVII");
  EXPECT_EQ(JsonString(test, "clause"), "Entry 47");
  EXPECT_EQ(JsonString(test, "label"), "Cr(VI) in leather");
  EXPECT_EQ(JsonStrings(test, "sources"), std::vector<std::string>{"REACH Annex XVII Entry 47"});
  Poco::JSON::Object::Ptr limit = test->getObject("limit");
  ASSERT_FALSE(limit.isNull());
  EXPECT_EQ(JsonString(limit, "comparator"), "not_detected");
  EXPECT_EQ(JsonString(limit, "value"), "3");
  EXPECT_EQ(JsonString(limit, "unit"), "mg/kg");
  EXPECT_EQ(JsonString(limit, "display"), "not detected (< 3 mg/kg)");
}

TEST_F(DecisionApiTest, GuardedValueWhoseWholeBandMeetsTheLimitPasses) {
  Poco::JSON::Object::Ptr result =
      Accepted(EnterOnNewSample(kGuarded, R"({"values": ["2.0"], "unit": "mg/kg", "uncertainty": "0.5"})"));
  ASSERT_FALSE(result.isNull());
  EXPECT_EQ(JsonString(result, "verdict"), "pass");
  const std::string explanation = JsonString(result, "explanation");
  EXPECT_TRUE(Contains(explanation, "Cr(VI) in leather")) << explanation;
  EXPECT_TRUE(Contains(explanation, "2.0 mg/kg")) << explanation;
  EXPECT_TRUE(Contains(explanation, "guarded acceptance")) << explanation;
  EXPECT_TRUE(Contains(explanation, "): PASS")) << explanation;
}

TEST_F(DecisionApiTest, GuardedValueJustBelowTheLimitIsConditionalPass) {
  Poco::JSON::Object::Ptr result =
      Accepted(EnterOnNewSample(kGuarded, R"({"values": ["2.8"], "unit": "mg/kg", "uncertainty": "0.5"})"));
  ASSERT_FALSE(result.isNull());
  EXPECT_EQ(JsonString(result, "verdict"), "conditional_pass");
  EXPECT_EQ(JsonString(result, "explanation"),
            "Cr(VI) in leather 2.8 mg/kg < 3 mg/kg, U = 0.5 mg/kg "
            "(REACH Annex XVII Entry 47; guarded acceptance, w = U): CONDITIONAL PASS");
}

TEST_F(DecisionApiTest, GuardedValueJustAboveTheLimitIsConditionalFail) {
  Poco::JSON::Object::Ptr result =
      Accepted(EnterOnNewSample(kGuardedToken, R"({"values": ["3.2"], "unit": "mg/kg", "uncertainty": "0.5"})"));
  ASSERT_FALSE(result.isNull());
  EXPECT_EQ(JsonString(result, "verdict"), "conditional_fail");
  const std::string explanation = JsonString(result, "explanation");
  EXPECT_TRUE(Contains(explanation, "Cr(VI) in leather")) << explanation;
  EXPECT_TRUE(Contains(explanation, "3.2 mg/kg > 3 mg/kg")) << explanation;
  EXPECT_TRUE(Contains(explanation, "guarded acceptance")) << explanation;
  EXPECT_TRUE(Contains(explanation, "CONDITIONAL FAIL")) << explanation;
}

TEST_F(DecisionApiTest, GuardedValueWhoseWholeBandBreaksTheLimitFails) {
  Poco::JSON::Object::Ptr result =
      Accepted(EnterOnNewSample(kGuarded, R"({"values": ["4.1"], "unit": "mg/kg", "uncertainty": "0.5"})"));
  ASSERT_FALSE(result.isNull());
  EXPECT_EQ(JsonString(result, "verdict"), "fail");
  const std::string explanation = JsonString(result, "explanation");
  EXPECT_TRUE(Contains(explanation, "Cr(VI) in leather")) << explanation;
  EXPECT_TRUE(Contains(explanation, "4.1 mg/kg > 3 mg/kg")) << explanation;
  EXPECT_TRUE(Contains(explanation, "guarded acceptance")) << explanation;
  EXPECT_TRUE(Contains(explanation, "): FAIL")) << explanation;
}

TEST_F(DecisionApiTest, SmallerGuardFactorNarrowsTheBand) {
  // r = 0.5: w = 0.25 mg/kg. 2.8 → [2.55, 3.05] is still conditional, 2.7 → [2.45, 2.95] passes
  // (with r = 1 it would be [2.2, 3.2]: conditional pass).
  const std::string rule = R"(, "decision_rule": {"guarded": {"r": "0.5"}})";
  Poco::JSON::Object::Ptr sample = RegisterWith(rule);
  ASSERT_FALSE(sample.isNull());
  EXPECT_EQ(JsonString(sample, "decision_rule"), "guarded:r=0.5");
  Poco::JSON::Object::Ptr pass =
      Accepted(PostResult(FirstTestId(sample), R"({"values": ["2.7"], "unit": "mg/kg", "uncertainty": "0.5"})"));
  ASSERT_FALSE(pass.isNull());
  EXPECT_EQ(JsonString(pass, "verdict"), "pass");
  EXPECT_TRUE(Contains(JsonString(pass, "explanation"), "w = 0.5·U")) << JsonString(pass, "explanation");
  Poco::JSON::Object::Ptr conditional =
      Accepted(EnterOnNewSample(rule, R"({"values": ["2.8"], "unit": "mg/kg", "uncertainty": "0.5"})"));
  ASSERT_FALSE(conditional.isNull());
  EXPECT_EQ(JsonString(conditional, "verdict"), "conditional_pass");
}

TEST_F(DecisionApiTest, GuardedResultWithoutUncertaintyNamesUncertainty) {
  const HttpReply reply = EnterOnNewSample(kGuarded, R"({"values": ["2.0"], "unit": "mg/kg"})");
  EXPECT_EQ(reply.status, 422) << reply.body;
  EXPECT_EQ(reply.content_type, "application/problem+json");
  EXPECT_EQ(ProblemFields(ParseJsonObject(reply.body)), std::vector<std::string>{"uncertainty"}) << reply.body;
}

TEST_F(DecisionApiTest, PercentByMassIsConvertedToMgPerKg) {
  // 0.00041 % w/w × 10 000 = 4.1 mg/kg; U 0.00005 % w/w = 0.5 mg/kg: [3.6, 4.6], fail.
  Poco::JSON::Object::Ptr result =
      Accepted(EnterOnNewSample(kGuarded, R"({"values": ["0.00041"], "unit": "% w/w", "uncertainty": "0.00005"})"));
  ASSERT_FALSE(result.isNull());
  EXPECT_EQ(JsonString(result, "verdict"), "fail");
  EXPECT_EQ(JsonStrings(result, "values"), std::vector<std::string>{"0.00041"});  // as entered
  EXPECT_EQ(JsonString(result, "unit"), "% w/w");
  const std::string explanation = JsonString(result, "explanation");
  EXPECT_TRUE(Contains(explanation, "4.1 mg/kg > 3 mg/kg, U = 0.5 mg/kg")) << explanation;
}

TEST_F(DecisionApiTest, PercentByMassBelowTheLimitPasses) {
  // 0.0002 % w/w = 2 mg/kg; U 0.00005 % w/w = 0.5 mg/kg: [1.5, 2.5], pass.
  Poco::JSON::Object::Ptr result =
      Accepted(EnterOnNewSample(kGuarded, R"({"values": ["0.0002"], "unit": "% w/w", "uncertainty": "0.00005"})"));
  ASSERT_FALSE(result.isNull());
  EXPECT_EQ(JsonString(result, "verdict"), "pass");
}

TEST_F(DecisionApiTest, UnitOfAnotherDimensionNamesUnit) {
  const HttpReply reply = EnterOnNewSample(kGuarded, R"({"values": ["4.1"], "unit": "N", "uncertainty": "0.5"})");
  EXPECT_EQ(reply.status, 422) << reply.body;
  EXPECT_EQ(ProblemFields(ParseJsonObject(reply.body)), std::vector<std::string>{"unit"}) << reply.body;
}

TEST_F(DecisionApiTest, NotDetectedPasses) {
  Poco::JSON::Object::Ptr result = Accepted(EnterOnNewSample(kSimple, R"({"values": ["nd"], "unit": "mg/kg"})"));
  ASSERT_FALSE(result.isNull());
  EXPECT_EQ(JsonString(result, "verdict"), "pass");
  EXPECT_EQ(JsonString(result, "explanation"),
            "Cr(VI) in leather not detected (< 3 mg/kg) (REACH Annex XVII Entry 47; simple acceptance): PASS");
}

TEST_F(DecisionApiTest, NotDetectedPassesUnderGuardedAcceptance) {
  Poco::JSON::Object::Ptr result =
      Accepted(EnterOnNewSample(kGuarded, R"({"values": ["nd"], "unit": "mg/kg", "uncertainty": "0.5"})"));
  ASSERT_FALSE(result.isNull());
  EXPECT_EQ(JsonString(result, "verdict"), "pass");
  EXPECT_TRUE(Contains(JsonString(result, "explanation"), "not detected")) << JsonString(result, "explanation");
}

TEST_F(DecisionApiTest, SimpleRuleJustBelowTheLimitPasses) {
  // The same 2.8 that is a conditional pass under guarded acceptance.
  Poco::JSON::Object::Ptr result =
      Accepted(EnterOnNewSample(kSimple, R"({"values": ["2.8"], "unit": "mg/kg", "uncertainty": "0.5"})"));
  ASSERT_FALSE(result.isNull());
  EXPECT_EQ(JsonString(result, "verdict"), "pass");
  const std::string explanation = JsonString(result, "explanation");
  EXPECT_TRUE(Contains(explanation, "simple acceptance")) << explanation;
  EXPECT_FALSE(Contains(explanation, "U =")) << explanation;
  EXPECT_FALSE(Contains(explanation, "CONDITIONAL")) << explanation;
}

TEST_F(DecisionApiTest, SimpleRuleJustAboveTheLimitFails) {
  // The same 3.2 that is a conditional fail under guarded acceptance.
  Poco::JSON::Object::Ptr result =
      Accepted(EnterOnNewSample(kSimple, R"({"values": ["3.2"], "unit": "mg/kg", "uncertainty": "0.5"})"));
  ASSERT_FALSE(result.isNull());
  EXPECT_EQ(JsonString(result, "verdict"), "fail");
  EXPECT_EQ(JsonString(result, "explanation"),
            "Cr(VI) in leather 3.2 mg/kg > 3 mg/kg (REACH Annex XVII Entry 47; simple acceptance): FAIL");
}

TEST_F(DecisionApiTest, SimpleRuleNeedsNoUncertainty) {
  Poco::JSON::Object::Ptr result = Accepted(EnterOnNewSample(kSimple, R"({"values": ["2.0"], "unit": "mg/kg"})"));
  ASSERT_FALSE(result.isNull());
  EXPECT_EQ(JsonString(result, "verdict"), "pass");
}

TEST_F(DecisionApiTest, UnknownDecisionRuleWordIsMalformed) {
  const HttpReply reply = limsd().Post("/api/v1/samples", IntakeJson(R"(, "decision_rule": "fancy")", "6", kCrVi));
  EXPECT_EQ(reply.status, 400) << reply.body;
  EXPECT_EQ(ProblemFields(ParseJsonObject(reply.body)), std::vector<std::string>{"decision_rule"}) << reply.body;
}

TEST_F(DecisionApiTest, ZeroGuardFactorIsMalformed) {
  const HttpReply reply =
      limsd().Post("/api/v1/samples", IntakeJson(R"(, "decision_rule": {"guarded": {"r": "0"}})", "6", kCrVi));
  EXPECT_EQ(reply.status, 400) << reply.body;
  EXPECT_EQ(ProblemFields(ParseJsonObject(reply.body)), std::vector<std::string>{"decision_rule"}) << reply.body;
}

TEST_F(DecisionApiTest, GuardFactorAboveTenIsMalformed) {
  const HttpReply reply =
      limsd().Post("/api/v1/samples", IntakeJson(R"(, "decision_rule": {"guarded": {"r": "11"}})", "6", kCrVi));
  EXPECT_EQ(reply.status, 400) << reply.body;
  EXPECT_EQ(ProblemFields(ParseJsonObject(reply.body)), std::vector<std::string>{"decision_rule"}) << reply.body;
}

TEST_F(DecisionApiTest, NoFailureRequirementAcceptsPass) {
  Poco::JSON::Object::Ptr sample = RegisterWith(kGuarded, kClosedHeel);
  ASSERT_FALSE(sample.isNull());
  Poco::JSON::Object::Ptr test = JsonArrayObject(sample, "tests", 0);
  EXPECT_EQ(JsonString(test->getObject("limit"), "comparator"), "no_failure");
  EXPECT_EQ(JsonString(test, "label"), "Closed heel");
  // No uncertainty: guarded acceptance needs one only for numeric limits.
  Poco::JSON::Object::Ptr result = Accepted(PostResult(FirstTestId(sample), R"({"values": ["pass"], "unit": "1"})"));
  ASSERT_FALSE(result.isNull());
  EXPECT_EQ(JsonString(result, "verdict"), "pass");
  const std::string explanation = JsonString(result, "explanation");
  EXPECT_TRUE(Contains(explanation, "Closed heel no failure observed")) << explanation;
  EXPECT_TRUE(Contains(explanation, "EN ISO 20345:2022 5.2.3")) << explanation;
}

TEST_F(DecisionApiTest, NoFailureRequirementAcceptsFail) {
  Poco::JSON::Object::Ptr result =
      Accepted(EnterOnNewSample(kGuarded, R"({"values": ["fail"], "unit": "1"})", kClosedHeel));
  ASSERT_FALSE(result.isNull());
  EXPECT_EQ(JsonString(result, "verdict"), "fail");
  EXPECT_TRUE(Contains(JsonString(result, "explanation"), "failure observed")) << JsonString(result, "explanation");
}

TEST_F(DecisionApiTest, NoFailureRequirementRejectsANumber) {
  const HttpReply reply = EnterOnNewSample(kGuarded, R"({"values": ["3.2"], "unit": "1"})", kClosedHeel);
  EXPECT_EQ(reply.status, 400) << reply.body;
  EXPECT_EQ(ProblemFields(ParseJsonObject(reply.body)), std::vector<std::string>{"values[0]"}) << reply.body;
}

// A lab's own quantification limit below the requirement's shows a non-detect...
TEST_F(DecisionApiTest, NonDetectBelowALowerQuantificationLimitPasses) {
  Poco::JSON::Object::Ptr result = Accepted(EnterOnNewSample(kSimple, R"({"values": ["<1"], "unit": "mg/kg"})"));
  ASSERT_FALSE(result.isNull());
  EXPECT_EQ(JsonString(result, "verdict"), "pass");
  EXPECT_TRUE(Contains(JsonString(result, "explanation"), "not detected (< 1 mg/kg)"))
      << JsonString(result, "explanation");
}

// ...but "< 5 mg/kg" cannot show that Cr(VI) is below 3 mg/kg: refused, not passed.
TEST_F(DecisionApiTest, NonDetectAboveTheLimitOfQuantificationIsRefused) {
  const HttpReply reply = EnterOnNewSample(kSimple, R"({"values": ["<5"], "unit": "mg/kg"})");
  EXPECT_EQ(reply.status, 422) << reply.body;
  EXPECT_EQ(ProblemFields(ParseJsonObject(reply.body)), std::vector<std::string>{"values[0]"}) << reply.body;
}

TEST_F(DecisionApiTest, NonDetectWithoutANumberIsMalformed) {
  const HttpReply reply = EnterOnNewSample(kSimple, R"({"values": ["<abc"], "unit": "mg/kg"})");
  EXPECT_EQ(reply.status, 400) << reply.body;
  EXPECT_EQ(ProblemFields(ParseJsonObject(reply.body)), std::vector<std::string>{"values[0]"}) << reply.body;
}

TEST_F(DecisionApiTest, NoFailureObservationNeedsNoUnit) {
  Poco::JSON::Object::Ptr result = Accepted(EnterOnNewSample(kSimple, R"({"values": ["pass"]})", kClosedHeel));
  ASSERT_FALSE(result.isNull());
  EXPECT_EQ(JsonString(result, "verdict"), "pass");
}

TEST_F(DecisionApiTest, NumericResultWithoutUnitIsMalformed) {
  const HttpReply reply = EnterOnNewSample(kSimple, R"({"values": ["2.0"]})");
  EXPECT_EQ(reply.status, 400) << reply.body;
  EXPECT_EQ(ProblemFields(ParseJsonObject(reply.body)), std::vector<std::string>{"unit"}) << reply.body;
}

}  // namespace
}  // namespace lims::testing
