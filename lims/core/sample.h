// Samples, their tests and results: the value types of the intake → testing slice.
//
// NewSample / NewResult are validated inputs; SampleRecord / TestRecord / ResultRecord are what the
// store returns. A test keeps a snapshot of its requirement's limit taken at intake, so a later edit
// of the catalog never changes how an earlier sample was judged. Value types; thread-compatible.
#ifndef LIMS_CORE_SAMPLE_H_
#define LIMS_CORE_SAMPLE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "lims/core/clock.h"
#include "lims/core/decimal.h"
#include "lims/core/decision.h"
#include "lims/core/limit.h"
#include "lims/core/status.h"
#include "lims/core/test_plan.h"

namespace lims {

enum class SampleStatus { kReceived, kInTesting, kUnderReview, kReady, kIssued };
std::string_view SampleStatusName(SampleStatus s);
Result<SampleStatus> ParseSampleStatus(std::string_view text);

enum class ReceiptCondition { kIntact, kDamaged, kInsufficientQuantity };
std::string_view ReceiptConditionName(ReceiptCondition c);
Result<ReceiptCondition> ParseReceiptCondition(std::string_view text);

enum class TestStatus { kPending, kEntered, kApproved, kRejected, kInvalidated };
std::string_view TestStatusName(TestStatus s);
Result<TestStatus> ParseTestStatus(std::string_view text);

// Intake request, after the HTTP layer has checked types and required fields.
struct NewSample {
  int64_t exporter_id = 0;
  std::string product_family;  // "footwear", "textile_apparel" (the test plan's, when it has one)
  std::string product;
  std::string article;
  std::vector<std::string> sizes;
  std::string lot;
  int64_t quantity = 0;
  std::string quantity_unit;
  std::string destination;     // ISO 3166-1 alpha-2 country, or "EU"
  DecisionRule decision_rule;  // agreed with the customer at contract review (ISO/IEC 17025 7.1.3)
  ReceiptCondition condition = ReceiptCondition::kIntact;
  std::string condition_note;
  std::string storage_location;
  std::string due_date;                      // requested, "YYYY-MM-DD" or ""
  std::string markings;                      // claimed, as printed: "EN ISO 20345:2022 S3 SR" (from the test plan)
  int64_t received_by = 0;                   // the technician's user id (0 in unit tests without users)
  std::vector<std::string> requirements;     // requirement ids; each becomes one test
  std::optional<TestPlanRequest> test_plan;  // or: derive the tests from the catalog
  // Filled by SampleService from test_plan and the catalog's requirements; ids the catalog does
  // not know stay in `requirements` for the store to resolve (requirements seeded by migrations).
  std::vector<PlannedTest> planned_tests;
};

// Rules an intake must meet beyond well-formedness (HTTP 422 with the offending fields).
Status ValidateNewSample(const NewSample& s);

struct ResultRecord {
  int64_t id = 0;
  int64_t test_id = 0;
  std::vector<std::string> values;     // as reported: "3.20", "nd", "pass"
  std::string unit;                    // as reported (may differ from the limit's, same dimension)
  std::optional<Decimal> uncertainty;  // expanded, k = 2, in `unit`
  std::string remarks;
  Verdict verdict = Verdict::kFail;
  std::string explanation;
  Timestamp entered_at;
  int64_t entered_by = 0;  // user id: the four-eyes rule compares it with the reviewer's
  std::string entered_by_name;
  std::string instrument;                    // the instrument's id as entered ("" = none named)
  std::optional<std::string> temperature_c;  // conditioning, as entered ("23.0")
  std::optional<std::string> humidity_pct;
};

// One review decision on a result (four-eyes rule); never changed afterwards.
struct ReviewRecord {
  int64_t id = 0;
  int64_t test_id = 0;
  int64_t result_id = 0;
  int64_t reviewer_id = 0;
  std::string reviewer;  // username
  std::string decision;  // "approve" or "reject"
  std::string comment;
  Timestamp at;
};

struct TestRecord {
  int64_t id = 0;
  std::string sample_number;
  std::string requirement;  // requirement code, e.g. "REACH-XVII-47-CRVI-LEATHER"
  std::string standard;     // "REACH Annex XVII"
  std::string clause;       // "entry 47"
  std::string property;
  std::string property_key;  // the catalog's key of the property ("chromium-vi"): instrument files name it
  std::string label;         // short name for decisions ("Cr(VI)")
  std::string method;
  std::string part;      // "upper", "whole", ...
  std::string material;  // "leather", "" for the whole product
  Limit limit;
  Combine combine = Combine::kEach;
  int specimens = 1;
  std::vector<std::string> sources;  // every requirement this test serves: "REACH Annex XVII entry 47"
  DecisionRule decision_rule;        // the sample's
  TestStatus status = TestStatus::kPending;
  std::optional<ResultRecord> result;  // the current result, if any
  int version = 1;                     // ETag: increments with every change of the test
  std::optional<int64_t> assignee_id;  // worklist: who will test it
  std::string assignee;
  int attempt = 1;                             // 2 for the first retest, ...
  std::optional<int64_t> replaces_test_id;     // the invalidated test this one repeats
  std::optional<int64_t> replaced_by_test_id;  // set once this test is invalidated by a retest
  std::string invalidation_reason;
  std::vector<ReviewRecord> reviews;          // oldest first
  std::vector<ResultRecord> earlier_results;  // results superseded by a later entry (after a rejection)
};

// A portion (test portion, specimen set) split from a sample, with its own label.
struct PortionRecord {
  int64_t id = 0;
  std::string code;  // "AGR-2026-000123-P1"
  int ordinal = 0;
  std::string description;
  Timestamp created_at;
};

struct CustodyEvent {
  std::string event;  // "received", "moved", ... (CustodyKindName in workflow.h)
  std::string location;
  std::string note;
  Timestamp at;
  int64_t actor_id = 0;
  std::string actor;               // username, filled when read
  std::string portion;             // portion code, "" = the whole sample
  std::optional<int64_t> test_id;  // handed_to_test
  std::string retain_until;        // retained: "YYYY-MM-DD"
};

struct SampleRecord {
  int64_t id = 0;
  std::string number;  // "AGR-2026-000123"
  int64_t exporter_id = 0;
  std::string exporter_name;
  std::string product;
  std::string article;
  std::vector<std::string> sizes;
  std::string lot;
  int64_t quantity = 0;
  std::string quantity_unit;
  std::string destination;
  DecisionRule decision_rule;
  ReceiptCondition condition = ReceiptCondition::kIntact;
  std::string condition_note;
  std::string storage_location;
  SampleStatus status = SampleStatus::kReceived;
  Timestamp received_at;
  std::vector<TestRecord> tests;  // every test, invalidated ones included (history)
  std::vector<CustodyEvent> custody;
  int version = 1;  // ETag: increments with every change of the sample or of one of its tests
  std::string product_family;
  std::string due_date;
  std::string markings;  // claimed: "EN ISO 20345:2022 S3 SR; ..."
  std::string exporter_short_name;
  std::optional<Timestamp> issued_at;  // turnaround: received_at → issued_at
  std::vector<PortionRecord> portions;
};

// A result as entered, before parsing: values stay strings until validated.
struct ResultEntry {
  std::vector<std::string> values;
  std::string unit;
  std::optional<std::string> uncertainty;
  std::string remarks;
  std::string instrument;
  std::optional<std::string> temperature_c;
  std::optional<std::string> humidity_pct;
  std::optional<Timestamp> tested_at;  // when measured, if not now (an instrument file's test date)
};

// An entry checked against its test, with its observations converted to the limit's unit.
struct ParsedResult {
  ResultRecord record;
  std::vector<Observation> observations;  // in the limit's unit
  std::optional<Decimal> uncertainty;     // in the limit's unit
};

// Parses and checks an entry against its test: values are in a form the comparator accepts, the
// unit converts to the limit's, no negative readings or uncertainties, enough specimens, an
// uncertainty when the sample's rule is guarded. Field errors name "values[i]", "unit", ...
// Returns kInvalidArgument for malformed values and kUnprocessable for rule violations.
Result<ParsedResult> ParseResultEntry(const TestRecord& test, const ResultEntry& entry);

// The test's decision: label, value, limit, source and rule in one line, and the verdict.
Decision DecideTest(const TestRecord& test, const ParsedResult& parsed);

// The sample's verdict: the worst of its tests' verdicts. Any Fail or Conditional fail makes the
// sample a rejection, reported with every failing requirement.
struct SampleVerdict {
  std::optional<Verdict> verdict;  // set once every test has a result
  Verdict worst_so_far = Verdict::kPass;
  int open = 0;                            // tests without a result
  std::vector<const TestRecord*> failing;  // Fail or Conditional fail, in test order (borrowed)

  bool rejected() const { return !failing.empty(); }
  std::string Describe() const;  // "Fail (2 requirements)", "Pass", "Pending (3 tests open)"
};
SampleVerdict JudgeSample(const SampleRecord& sample);

// "AGR-2026-000123": the lab code, the year of receipt and a gapless per-year sequence.
std::string FormatSampleNumber(std::string_view lab_code, int year, int64_t sequence);
bool LooksLikeSampleNumber(std::string_view text);

}  // namespace lims

#endif  // LIMS_CORE_SAMPLE_H_
