#include "lims/core/sample.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/support/test_support.h"

namespace lims {
namespace {

using ::lims::testing::Entry;

using ::lims::testing::D;
using ::lims::testing::Fields;
using ::lims::testing::MakeLimit;

NewSample ValidSample() {
  NewSample s;
  s.exporter_id = 1;
  s.product = "leather footwear";
  s.article = "ART-7";
  s.sizes = {"41", "42"};
  s.lot = "L-2026-04";
  s.quantity = 6;
  s.quantity_unit = "pairs";
  s.destination = "DE";
  s.storage_location = "Shelf A3";
  s.requirements = {"REACH-XVII-47-CRVI-LEATHER", "EN-ISO-17707-FLEX"};
  return s;
}

TestRecord ChromiumTest() {
  TestRecord t;
  t.id = 7;
  t.sample_number = "AGR-2026-000001";
  t.requirement = "REACH-XVII-47-CRVI";
  t.standard = "REACH Annex XVII";
  t.clause = "entry 47";
  t.property = "Chromium(VI) content";
  t.label = "Cr(VI)";
  t.part = "upper";
  t.material = "leather";
  t.limit = MakeLimit(Comparator::kNotDetected, "3", "mg/kg");
  t.sources = {"REACH Annex XVII entry 47"};
  return t;
}

TEST(SampleStatusName, RoundTripsEveryStatus) {
  for (SampleStatus s : {SampleStatus::kReceived, SampleStatus::kInTesting, SampleStatus::kUnderReview,
                         SampleStatus::kReady, SampleStatus::kIssued}) {
    Result<SampleStatus> parsed = ParseSampleStatus(SampleStatusName(s));
    ASSERT_OK(parsed);
    EXPECT_EQ(*parsed, s);
  }
  EXPECT_EQ(SampleStatusName(SampleStatus::kInTesting), "in_testing");
}

TEST(SampleStatusName, RejectsUnknownNames) {
  for (const char* text : {"", "Received", "in testing", "done"}) {
    Result<SampleStatus> parsed = ParseSampleStatus(text);
    ASSERT_FALSE(parsed.ok()) << text;
    EXPECT_EQ(parsed.status().code(), Status::Code::kInvalidArgument);
  }
}

TEST(ReceiptConditionName, RoundTripsEveryCondition) {
  for (ReceiptCondition c :
       {ReceiptCondition::kIntact, ReceiptCondition::kDamaged, ReceiptCondition::kInsufficientQuantity}) {
    Result<ReceiptCondition> parsed = ParseReceiptCondition(ReceiptConditionName(c));
    ASSERT_OK(parsed);
    EXPECT_EQ(*parsed, c);
  }
  EXPECT_EQ(ReceiptConditionName(ReceiptCondition::kInsufficientQuantity), "insufficient_quantity");
  EXPECT_FALSE(ParseReceiptCondition("broken").ok());
}

TEST(TestStatusName, RoundTripsEveryStatus) {
  for (TestStatus s : {TestStatus::kPending, TestStatus::kEntered, TestStatus::kApproved, TestStatus::kRejected,
                       TestStatus::kInvalidated}) {
    Result<TestStatus> parsed = ParseTestStatus(TestStatusName(s));
    ASSERT_OK(parsed);
    EXPECT_EQ(*parsed, s);
  }
  EXPECT_FALSE(ParseTestStatus("PENDING").ok());
}

TEST(ValidateNewSample, AcceptsAValidSample) {
  EXPECT_OK(ValidateNewSample(ValidSample()));
}

TEST(ValidateNewSample, AcceptsEuAsDestination) {
  NewSample s = ValidSample();
  s.destination = "EU";
  EXPECT_OK(ValidateNewSample(s));
}

TEST(ValidateNewSample, RejectsQuantityThatIsNotPositive) {
  for (int64_t quantity : {0, -1}) {
    NewSample s = ValidSample();
    s.quantity = quantity;
    const Status status = ValidateNewSample(s);
    EXPECT_EQ(status.code(), Status::Code::kUnprocessable);
    EXPECT_EQ(Fields(status), std::vector<std::string>{"quantity"}) << quantity;
  }
}

TEST(ValidateNewSample, RejectsMalformedDestination) {
  for (const char* destination : {"", "de", "DEU", "D", "D1", "Germany"}) {
    NewSample s = ValidSample();
    s.destination = destination;
    const Status status = ValidateNewSample(s);
    EXPECT_EQ(status.code(), Status::Code::kUnprocessable) << destination;
    EXPECT_EQ(Fields(status), std::vector<std::string>{"destination"}) << destination;
  }
}

TEST(ValidateNewSample, AcceptsAGuardedDecisionRule) {
  NewSample s = ValidSample();
  Result<DecisionRule> rule = ParseDecisionRule("guarded:r=0.5");
  ASSERT_OK(rule);
  s.decision_rule = *rule;
  EXPECT_OK(ValidateNewSample(s));
}

TEST(ValidateNewSample, NeedsRequirementsOrATestPlan) {
  NewSample s = ValidSample();
  s.requirements.clear();
  const Status status = ValidateNewSample(s);
  EXPECT_EQ(status.code(), Status::Code::kUnprocessable);
  EXPECT_EQ(Fields(status), std::vector<std::string>{"requirements"});

  TestPlanRequest plan;
  plan.product_family = "footwear";
  plan.regulations = {"REACH Annex XVII"};
  s.test_plan = plan;
  EXPECT_OK(ValidateNewSample(s));
}

TEST(ValidateNewSample, RejectsDamagedSampleWithoutNote) {
  NewSample s = ValidSample();
  s.condition = ReceiptCondition::kDamaged;
  const Status status = ValidateNewSample(s);
  EXPECT_EQ(status.code(), Status::Code::kUnprocessable);
  EXPECT_EQ(Fields(status), std::vector<std::string>{"condition_note"});

  s.condition_note = "sole detached from one shoe";
  EXPECT_OK(ValidateNewSample(s));
}

TEST(ValidateNewSample, RejectsShortSampleWithoutNote) {
  NewSample s = ValidSample();
  s.condition = ReceiptCondition::kInsufficientQuantity;
  EXPECT_EQ(Fields(ValidateNewSample(s)), std::vector<std::string>{"condition_note"});
}

TEST(ValidateNewSample, RejectsDuplicateRequirementAtItsSecondPosition) {
  NewSample s = ValidSample();
  s.requirements = {"A", "B", "A"};
  const Status status = ValidateNewSample(s);
  EXPECT_EQ(status.code(), Status::Code::kUnprocessable);
  EXPECT_EQ(Fields(status), std::vector<std::string>{"requirements[2]"});
}

TEST(ValidateNewSample, ReportsATripledRequirementOncePerRepeat) {
  NewSample s = ValidSample();
  s.requirements = {"A", "A", "A"};
  EXPECT_EQ(Fields(ValidateNewSample(s)), (std::vector<std::string>{"requirements[1]", "requirements[2]"}));
}

TEST(ValidateNewSample, ReportsEveryBrokenRule) {
  NewSample s = ValidSample();
  s.quantity = 0;
  s.destination = "xx";
  s.condition = ReceiptCondition::kDamaged;
  EXPECT_EQ(Fields(ValidateNewSample(s)), (std::vector<std::string>{"quantity", "destination", "condition_note"}));
}

TEST(ParseResultEntry, KeepsTheReportedText) {
  ResultEntry entry = Entry({"1.5", "3.20"});
  entry.uncertainty = "0.40";
  entry.remarks = "duplicate extraction";
  Result<ParsedResult> r = ParseResultEntry(ChromiumTest(), entry);
  ASSERT_OK(r);
  EXPECT_EQ(r->record.test_id, 7);
  EXPECT_EQ(r->record.values, (std::vector<std::string>{"1.5", "3.20"}));
  ASSERT_TRUE(r->record.uncertainty.has_value());
  EXPECT_EQ(r->record.uncertainty->ToString(), "0.40");
  EXPECT_EQ(r->record.unit, "mg/kg");
  EXPECT_EQ(r->record.remarks, "duplicate extraction");
  ASSERT_EQ(r->observations.size(), 2u);
  EXPECT_EQ(r->observations[0].kind, Observation::Kind::kNumber);
  EXPECT_EQ(r->observations[1].value.ToString(), "3.20");
  EXPECT_EQ(r->observations[1].text, "3.20");
  ASSERT_TRUE(r->uncertainty.has_value());
  EXPECT_EQ(r->uncertainty->ToString(), "0.40");
}

TEST(ParseResultEntry, MalformedValueIsInvalidArgumentNamingItsIndex) {
  Result<ParsedResult> r = ParseResultEntry(ChromiumTest(), Entry({"1.5", "3,2"}));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(Fields(r.status()), std::vector<std::string>{"values[1]"});
}

TEST(ParseResultEntry, NoValuesIsInvalidArgument) {
  Result<ParsedResult> r = ParseResultEntry(ChromiumTest(), Entry({}));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(Fields(r.status()), std::vector<std::string>{"values"});
}

TEST(ParseResultEntry, MalformedUncertaintyIsInvalidArgument) {
  ResultEntry entry = Entry({"1.5"});
  entry.uncertainty = "about 0.4";
  Result<ParsedResult> r = ParseResultEntry(ChromiumTest(), entry);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(Fields(r.status()), std::vector<std::string>{"uncertainty"});
}

TEST(ParseResultEntry, UnknownUnitIsUnprocessableNamingBothUnits) {
  Result<ParsedResult> r = ParseResultEntry(ChromiumTest(), Entry({"1.5"}, "ppm"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kUnprocessable);
  ASSERT_EQ(Fields(r.status()), std::vector<std::string>{"unit"});
  EXPECT_EQ(r.status().field_errors()[0].reason, "\"ppm\" cannot be converted to \"mg/kg\", the unit of the limit");
}

TEST(ParseResultEntry, UnitOfAnotherDimensionIsUnprocessable) {
  for (const char* unit : {"N", "mg", "%", "mg/L"}) {
    Result<ParsedResult> r = ParseResultEntry(ChromiumTest(), Entry({"1.5"}, unit));
    ASSERT_FALSE(r.ok()) << unit;
    EXPECT_EQ(r.status().code(), Status::Code::kUnprocessable) << unit;
    EXPECT_EQ(Fields(r.status()), std::vector<std::string>{"unit"}) << unit;
  }
}

TEST(ParseResultEntry, MissingUnitIsInvalidArgument) {
  Result<ParsedResult> r = ParseResultEntry(ChromiumTest(), Entry({"1.5"}, ""));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(Fields(r.status()), std::vector<std::string>{"unit"});
}

TEST(ParseResultEntry, ConvertsValuesAndUncertaintyToTheLimitUnit) {
  TestRecord test = ChromiumTest();
  test.label = "Phthalates";
  test.limit = MakeLimit(Comparator::kLess, "0.1", "% w/w");
  ResultEntry entry = Entry({"850", "1200"}, "mg/kg");
  entry.uncertainty = "90";
  Result<ParsedResult> r = ParseResultEntry(test, entry);
  ASSERT_OK(r);
  // The record keeps what the lab reported; the observations are in % w/w (1 % w/w = 10000 mg/kg).
  EXPECT_EQ(r->record.values, (std::vector<std::string>{"850", "1200"}));
  EXPECT_EQ(r->record.unit, "mg/kg");
  EXPECT_EQ(r->record.uncertainty->ToString(), "90");
  ASSERT_EQ(r->observations.size(), 2u);
  EXPECT_EQ(r->observations[0].value.ToString(), "0.0850");
  EXPECT_EQ(r->observations[1].value.ToString(), "0.1200");
  ASSERT_TRUE(r->uncertainty.has_value());
  EXPECT_EQ(r->uncertainty->ToString(), "0.0090");
}

TEST(ParseResultEntry, ConvertsPercentToMilligramsPerKilogram) {
  ResultEntry entry = Entry({"0.00041"}, "% w/w");
  Result<ParsedResult> r = ParseResultEntry(ChromiumTest(), entry);
  ASSERT_OK(r);
  ASSERT_EQ(r->observations.size(), 1u);
  EXPECT_EQ(r->observations[0].value.ToString(), "4.1");
}

TEST(ParseResultEntry, NegativeValueIsUnprocessable) {
  Result<ParsedResult> r = ParseResultEntry(ChromiumTest(), Entry({"1.5", "-0.2"}));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kUnprocessable);
  EXPECT_EQ(Fields(r.status()), std::vector<std::string>{"values[1]"});
}

TEST(ParseResultEntry, NegativeValueIsAllowedAgainstANegativeLimit) {
  TestRecord test = ChromiumTest();
  test.limit = MakeLimit(Comparator::kGreaterOrEqual, "-20", "°C");
  EXPECT_OK(ParseResultEntry(test, Entry({"-5"}, "°C")));
}

TEST(ParseResultEntry, NegativeUncertaintyIsUnprocessable) {
  ResultEntry entry = Entry({"1.5"});
  entry.uncertainty = "-0.4";
  Result<ParsedResult> r = ParseResultEntry(ChromiumTest(), entry);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kUnprocessable);
  EXPECT_EQ(Fields(r.status()), std::vector<std::string>{"uncertainty"});
}

TEST(ParseResultEntry, MalformedInputWinsOverBrokenRules) {
  // A 400 first: the client must fix its syntax before rule violations are worth reporting.
  Result<ParsedResult> r = ParseResultEntry(ChromiumTest(), Entry({"x", "-1"}, "ppm"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(Fields(r.status()), std::vector<std::string>{"values[0]"});
}

TEST(ParseResultEntry, AcceptsNotDetectedForms) {
  Result<ParsedResult> r = ParseResultEntry(ChromiumTest(), Entry({"nd", "ND", "<3", "2.1"}));
  ASSERT_OK(r);
  EXPECT_EQ(r->record.values, (std::vector<std::string>{"nd", "ND", "<3", "2.1"}));
  ASSERT_EQ(r->observations.size(), 4u);
  EXPECT_EQ(r->observations[0].kind, Observation::Kind::kNotDetected);
  EXPECT_EQ(r->observations[1].kind, Observation::Kind::kNotDetected);
  EXPECT_EQ(r->observations[2].kind, Observation::Kind::kNotDetected);
  EXPECT_EQ(r->observations[2].text, "<3");
  EXPECT_TRUE(r->observations[2].has_bound);
  EXPECT_EQ(r->observations[2].value, D("3"));
  EXPECT_FALSE(r->observations[0].has_bound);
  EXPECT_EQ(r->observations[3].kind, Observation::Kind::kNumber);
}

TEST(ParseResultEntry, BelowABoundAboveTheLimitProvesNothing) {
  // "<5 mg/kg" cannot show that Cr(VI) is below the 3 mg/kg LOQ of the requirement.
  Result<ParsedResult> r = ParseResultEntry(ChromiumTest(), Entry({"nd", "<5"}));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kUnprocessable);
  EXPECT_EQ(Fields(r.status()), std::vector<std::string>{"values[1]"});
  // The bound is compared in the limit's unit: 0.0002 % w/w = 2 mg/kg is low enough, 0.0005 % w/w = 5 mg/kg not.
  Result<ParsedResult> percent = ParseResultEntry(ChromiumTest(), Entry({"<0.0002"}, "% w/w"));
  ASSERT_OK(percent);
  EXPECT_EQ(percent->observations[0].value.ToString(), "2");
  Result<ParsedResult> too_high = ParseResultEntry(ChromiumTest(), Entry({"<0.0005"}, "% w/w"));
  ASSERT_FALSE(too_high.ok());
  EXPECT_EQ(Fields(too_high.status()), std::vector<std::string>{"values[0]"});
}

TEST(ParseResultEntry, NotDetectedFormsNeedANotDetectedRequirement) {
  // A bare "nd" says nothing about how low the value is; "<LOQ" does (it meets an upper limit).
  TestRecord test = ChromiumTest();
  test.limit = MakeLimit(Comparator::kLess, "3", "mg/kg");
  ASSERT_TRUE(ParseResultEntry(test, Entry({"<3"})).ok());
  ASSERT_FALSE(ParseResultEntry(test, Entry({"<4"})).ok());
  test.limit = MakeLimit(Comparator::kGreaterOrEqual, "3", "mg/kg");
  for (const char* value : {"nd", "<3"}) {
    Result<ParsedResult> r = ParseResultEntry(test, Entry({value}));
    ASSERT_FALSE(r.ok()) << value;
    EXPECT_EQ(r.status().code(), Status::Code::kInvalidArgument) << value;
    EXPECT_EQ(Fields(r.status()), std::vector<std::string>{"values[0]"}) << value;
  }
}

TEST(ParseResultEntry, NoFailureTakesPassOrFailOnly) {
  TestRecord test = ChromiumTest();
  test.label = "Closed heel";
  test.limit = MakeLimit(Comparator::kNoFailure, "0", "");
  Result<ParsedResult> ok = ParseResultEntry(test, Entry({"pass", "fail"}, ""));
  ASSERT_OK(ok);
  ASSERT_EQ(ok->observations.size(), 2u);
  EXPECT_EQ(ok->observations[0].kind, Observation::Kind::kPassed);
  EXPECT_EQ(ok->observations[1].kind, Observation::Kind::kFailed);
  for (const char* value : {"ok", "PASS", "0", "1.5", "nd"}) {
    Result<ParsedResult> r = ParseResultEntry(test, Entry({"pass", value}, ""));
    ASSERT_FALSE(r.ok()) << value;
    EXPECT_EQ(r.status().code(), Status::Code::kInvalidArgument) << value;
    EXPECT_EQ(Fields(r.status()), std::vector<std::string>{"values[1]"}) << value;
  }
}

TEST(ParseResultEntry, TooFewSpecimensIsUnprocessable) {
  TestRecord test = ChromiumTest();
  test.specimens = 3;
  Result<ParsedResult> r = ParseResultEntry(test, Entry({"1.0", "1.1"}));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kUnprocessable);
  EXPECT_EQ(Fields(r.status()), std::vector<std::string>{"values"});
  EXPECT_OK(ParseResultEntry(test, Entry({"1.0", "1.1", "0.9"})));
}

TEST(ParseResultEntry, GuardedRuleNeedsAnUncertainty) {
  TestRecord test = ChromiumTest();
  test.decision_rule.kind = DecisionRule::Kind::kGuarded;
  Result<ParsedResult> r = ParseResultEntry(test, Entry({"1.0"}));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kUnprocessable);
  EXPECT_EQ(Fields(r.status()), std::vector<std::string>{"uncertainty"});
  ResultEntry entry = Entry({"1.0"});
  entry.uncertainty = "0.3";
  EXPECT_OK(ParseResultEntry(test, entry));
}

TEST(ParseResultEntry, GuardedRuleNeedsNoUncertaintyForNonDetects) {
  TestRecord test = ChromiumTest();
  test.decision_rule.kind = DecisionRule::Kind::kGuarded;
  EXPECT_OK(ParseResultEntry(test, Entry({"nd", "<2"})));
  Result<ParsedResult> r = ParseResultEntry(test, Entry({"nd", "2.1"}));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(Fields(r.status()), std::vector<std::string>{"uncertainty"});
}

TEST(ParseResultEntry, GuardedRuleNeedsNoUncertaintyForAnObservation) {
  TestRecord test = ChromiumTest();
  test.decision_rule.kind = DecisionRule::Kind::kGuarded;
  test.limit = MakeLimit(Comparator::kNoFailure, "0", "");
  EXPECT_OK(ParseResultEntry(test, Entry({"pass"}, "")));
}

TEST(DecideTest, ExplainsWithLabelValueLimitReferenceAndRule) {
  Result<ParsedResult> parsed = ParseResultEntry(ChromiumTest(), Entry({"4.1"}));
  ASSERT_OK(parsed);
  const Decision d = DecideTest(ChromiumTest(), *parsed);
  EXPECT_EQ(d.verdict, Verdict::kFail);
  EXPECT_EQ(d.explanation, "Cr(VI) 4.1 mg/kg > 3 mg/kg (REACH Annex XVII entry 47; simple acceptance): FAIL");
}

TEST(DecideTest, FallsBackToThePropertyWithoutALabel) {
  TestRecord test = ChromiumTest();
  test.label.clear();
  Result<ParsedResult> parsed = ParseResultEntry(test, Entry({"nd"}));
  ASSERT_OK(parsed);
  const Decision d = DecideTest(test, *parsed);
  EXPECT_EQ(d.verdict, Verdict::kPass);
  EXPECT_EQ(d.explanation,
            "Chromium(VI) content not detected (< 3 mg/kg) (REACH Annex XVII entry 47; simple acceptance): PASS");
}

TEST(DecideTest, JudgesInTheLimitUnit) {
  TestRecord test = ChromiumTest();
  test.label = "Phthalates";
  test.clause = "entry 51";
  test.limit = MakeLimit(Comparator::kLess, "0.1", "% w/w");
  Result<ParsedResult> parsed = ParseResultEntry(test, Entry({"850"}, "mg/kg"));
  ASSERT_OK(parsed);
  const Decision d = DecideTest(test, *parsed);
  EXPECT_EQ(d.verdict, Verdict::kPass);
  EXPECT_EQ(d.explanation, "Phthalates 0.0850 % w/w < 0.1 % w/w (REACH Annex XVII entry 51; simple acceptance): PASS");
}

TEST(DecideTest, UsesTheSamplesGuardedRuleWithTheConvertedUncertainty) {
  TestRecord test = ChromiumTest();
  test.decision_rule.kind = DecisionRule::Kind::kGuarded;
  ResultEntry entry = Entry({"0.00028"}, "% w/w");  // 2.8 mg/kg
  entry.uncertainty = "0.00004";                    // 0.4 mg/kg
  Result<ParsedResult> parsed = ParseResultEntry(test, entry);
  ASSERT_OK(parsed);
  const Decision d = DecideTest(test, *parsed);
  // 2.8 meets < 3 but 2.8 + 0.4 = 3.2 does not.
  EXPECT_EQ(d.verdict, Verdict::kConditionalPass);
  EXPECT_EQ(d.explanation,
            "Cr(VI) 2.8 mg/kg < 3 mg/kg, U = 0.4 mg/kg (REACH Annex XVII entry 47; guarded acceptance, w = U): "
            "CONDITIONAL PASS");
}

TEST(FormatSampleNumber, PadsYearAndSequence) {
  EXPECT_EQ(FormatSampleNumber("AGR", 2026, 123), "AGR-2026-000123");
  EXPECT_EQ(FormatSampleNumber("AGR", 2026, 1), "AGR-2026-000001");
  EXPECT_EQ(FormatSampleNumber("KNP", 2027, 999999), "KNP-2027-999999");
}

TEST(LooksLikeSampleNumber, AcceptsWellFormedNumbers) {
  EXPECT_TRUE(LooksLikeSampleNumber("AGR-2026-000123"));
  EXPECT_TRUE(LooksLikeSampleNumber("AB-2026-000001"));
  EXPECT_TRUE(LooksLikeSampleNumber("ABCDEFGH-2026-000001"));
  EXPECT_TRUE(LooksLikeSampleNumber("AGR-2026-1000000"));  // a seventh digit after a busy year
  EXPECT_TRUE(LooksLikeSampleNumber(FormatSampleNumber("AGR", 2026, 42)));
}

TEST(LooksLikeSampleNumber, RejectsMalformedNumbers) {
  for (const char* text : {"", "AGR", "AGR-2026", "AGR-2026-00012", "agr-2026-000123", "A-2026-000123",
                           "ABCDEFGHI-2026-000123", "AGR-26-000123", "AGR-2026-00012X", "AGR_2026_000123",
                           "AGR-2026-000123-", "AGR2026-000123", "../etc/passwd", "AGR-2026 000123"}) {
    EXPECT_FALSE(LooksLikeSampleNumber(text)) << text;
  }
}

}  // namespace
}  // namespace lims
