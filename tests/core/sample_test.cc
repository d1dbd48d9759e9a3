#include "lims/core/sample.h"

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

// The field names of a failed status, in order, so that a test states exactly which fields failed.
std::vector<std::string> Fields(const Status& s) {
  std::vector<std::string> out;
  for (const FieldError& e : s.field_errors()) out.push_back(e.field);
  return out;
}

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
  t.requirement = "REACH-XVII-47-CRVI-LEATHER";
  t.limit = Limit{Comparator::kLess, D("3"), "mg/kg"};
  return t;
}

ResultEntry Entry(std::vector<std::string> values, std::string unit = "mg/kg") {
  ResultEntry e;
  e.values = std::move(values);
  e.unit = std::move(unit);
  return e;
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

TEST(ValidateNewSample, RejectsDecisionRulesOtherThanSimple) {
  NewSample s = ValidSample();
  s.decision_rule = "guarded";
  EXPECT_EQ(Fields(ValidateNewSample(s)), std::vector<std::string>{"decision_rule"});
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
  Result<ResultRecord> r = ParseResultEntry(ChromiumTest(), entry);
  ASSERT_OK(r);
  EXPECT_EQ(r->test_id, 7);
  ASSERT_EQ(r->values.size(), 2u);
  EXPECT_EQ(r->values[0].ToString(), "1.5");
  EXPECT_EQ(r->values[1].ToString(), "3.20");
  ASSERT_TRUE(r->uncertainty.has_value());
  EXPECT_EQ(r->uncertainty->ToString(), "0.40");
  EXPECT_EQ(r->unit, "mg/kg");
  EXPECT_EQ(r->remarks, "duplicate extraction");
}

TEST(ParseResultEntry, MalformedValueIsInvalidArgumentNamingItsIndex) {
  Result<ResultRecord> r = ParseResultEntry(ChromiumTest(), Entry({"1.5", "3,2"}));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(Fields(r.status()), std::vector<std::string>{"values[1]"});
}

TEST(ParseResultEntry, NoValuesIsInvalidArgument) {
  Result<ResultRecord> r = ParseResultEntry(ChromiumTest(), Entry({}));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(Fields(r.status()), std::vector<std::string>{"values"});
}

TEST(ParseResultEntry, MalformedUncertaintyIsInvalidArgument) {
  ResultEntry entry = Entry({"1.5"});
  entry.uncertainty = "about 0.4";
  Result<ResultRecord> r = ParseResultEntry(ChromiumTest(), entry);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(Fields(r.status()), std::vector<std::string>{"uncertainty"});
}

TEST(ParseResultEntry, WrongUnitIsUnprocessable) {
  Result<ResultRecord> r = ParseResultEntry(ChromiumTest(), Entry({"1.5"}, "ppm"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kUnprocessable);
  EXPECT_EQ(Fields(r.status()), std::vector<std::string>{"unit"});
}

TEST(ParseResultEntry, NegativeValueIsUnprocessable) {
  Result<ResultRecord> r = ParseResultEntry(ChromiumTest(), Entry({"1.5", "-0.2"}));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kUnprocessable);
  EXPECT_EQ(Fields(r.status()), std::vector<std::string>{"values[1]"});
}

TEST(ParseResultEntry, NegativeValueIsAllowedAgainstANegativeLimit) {
  TestRecord test = ChromiumTest();
  test.limit = Limit{Comparator::kGreaterOrEqual, D("-20"), "°C"};
  EXPECT_OK(ParseResultEntry(test, Entry({"-5"}, "°C")));
}

TEST(ParseResultEntry, NegativeUncertaintyIsUnprocessable) {
  ResultEntry entry = Entry({"1.5"});
  entry.uncertainty = "-0.4";
  Result<ResultRecord> r = ParseResultEntry(ChromiumTest(), entry);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kUnprocessable);
  EXPECT_EQ(Fields(r.status()), std::vector<std::string>{"uncertainty"});
}

TEST(ParseResultEntry, MalformedInputWinsOverBrokenRules) {
  // A 400 first: the client must fix its syntax before rule violations are worth reporting.
  Result<ResultRecord> r = ParseResultEntry(ChromiumTest(), Entry({"x", "-1"}, "ppm"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(Fields(r.status()), std::vector<std::string>{"values[0]"});
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
