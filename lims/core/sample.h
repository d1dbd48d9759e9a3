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
#include "lims/core/limit.h"
#include "lims/core/status.h"

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
  std::string product;
  std::string article;
  std::vector<std::string> sizes;
  std::string lot;
  int64_t quantity = 0;
  std::string quantity_unit;
  std::string destination;  // ISO 3166-1 alpha-2 country, or "EU"
  std::string decision_rule = "simple";
  ReceiptCondition condition = ReceiptCondition::kIntact;
  std::string condition_note;
  std::string storage_location;
  std::vector<std::string> requirements;  // requirement codes; each becomes one test
};

// Rules an intake must meet beyond well-formedness (HTTP 422 with the offending fields).
Status ValidateNewSample(const NewSample& s);

struct ResultRecord {
  int64_t id = 0;
  int64_t test_id = 0;
  std::vector<Decimal> values;
  std::string unit;
  std::optional<Decimal> uncertainty;
  std::string remarks;
  Verdict verdict = Verdict::kFail;
  std::string explanation;
  Timestamp entered_at;
};

struct TestRecord {
  int64_t id = 0;
  std::string sample_number;
  std::string requirement;  // requirement code, e.g. "REACH-XVII-47-CRVI-LEATHER"
  std::string standard;     // "REACH Annex XVII"
  std::string clause;       // "entry 47"
  std::string property;
  std::string method;
  Limit limit;
  TestStatus status = TestStatus::kPending;
  std::optional<ResultRecord> result;  // the current result, if any
};

struct CustodyEvent {
  std::string event;  // "received", "moved", ...
  std::string location;
  std::string note;
  Timestamp at;
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
  std::string decision_rule;
  ReceiptCondition condition = ReceiptCondition::kIntact;
  std::string condition_note;
  std::string storage_location;
  SampleStatus status = SampleStatus::kReceived;
  Timestamp received_at;
  std::vector<TestRecord> tests;
  std::vector<CustodyEvent> custody;
};

// A result as entered, before parsing: values stay strings until validated.
struct ResultEntry {
  std::vector<std::string> values;
  std::string unit;
  std::optional<std::string> uncertainty;
  std::string remarks;
};

// Parses and checks an entry against its test: values are decimals, the unit is the limit's unit,
// mass fractions and uncertainties are not negative. Field errors name "values[i]", "unit", ...
// Returns kInvalidArgument for malformed numbers and kUnprocessable for rule violations.
Result<ResultRecord> ParseResultEntry(const TestRecord& test, const ResultEntry& entry);

// "AGR-2026-000123": the lab code, the year of receipt and a gapless per-year sequence.
std::string FormatSampleNumber(std::string_view lab_code, int year, int64_t sequence);
bool LooksLikeSampleNumber(std::string_view text);

}  // namespace lims

#endif  // LIMS_CORE_SAMPLE_H_
