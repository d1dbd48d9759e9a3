// The workflow's rules without I/O: the sample and test state machines, custody events, and the
// plausibility of what a technician enters. Value types and pure functions; thread-safe.
//
// States (docs/api.md): sample received → in_testing → under_review → ready → issued;
// test pending → entered → approved, entered → rejected → entered, approved → invalidated
// (a retest: a new pending test replaces it), entered → invalidated too (a result found wrong
// before review).
#ifndef LIMS_CORE_WORKFLOW_H_
#define LIMS_CORE_WORKFLOW_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "lims/core/decimal.h"
#include "lims/core/sample.h"
#include "lims/core/status.h"

namespace lims {

// The states a test may move to from `from` ("entered" → {"approved", "rejected", "invalidated"}).
std::vector<TestStatus> AllowedTestTransitions(TestStatus from);
// Ok, or kConflict: "test 12 is approved; it can go to: invalidated" ("nothing (final)" when none).
Status CheckTestTransition(int64_t test_id, TestStatus from, TestStatus to);

std::vector<SampleStatus> AllowedSampleTransitions(SampleStatus from);
Status CheckSampleTransition(std::string_view number, SampleStatus from, SampleStatus to);

// Where a sample stands given its tests (the current ones: invalidated tests are history):
//   no test has a result yet                → received (in_testing once any custody "handed_to_test"
//                                               or any result exists; see below)
//   some tests pending/rejected             → in_testing
//   every current test entered or approved, not all approved → under_review
//   every current test approved             → ready
// `issued` is never derived: only issuing a certificate sets it. `handed_over` is true once the
// sample (or a portion) was handed to a test, which starts testing before any result exists.
SampleStatus DeriveSampleStatus(const std::vector<TestStatus>& current_tests, bool handed_over);

// Chain-of-custody event kinds. "received" is written by intake only.
enum class CustodyKind { kReceived, kSplit, kMoved, kHandedToTest, kConsumed, kReturned, kRetained, kDisposed };
std::string_view CustodyKindName(CustodyKind k);  // "received", "split", "moved", "handed_to_test", ...
Result<CustodyKind> ParseCustodyKind(std::string_view text);

// A custody event as posted (after JSON parsing).
struct CustodyRequest {
  CustodyKind kind = CustodyKind::kMoved;
  std::string location;            // required for moved, returned, retained
  std::string note;                // required for disposed and consumed
  std::string portion;             // the portion it concerns ("" = the whole sample)
  std::optional<int64_t> test_id;  // required for handed_to_test
  std::string retain_until;        // "YYYY-MM-DD", required for retained
};
// Field errors name "event", "location", "note", "test", "retain_until". Also refuses any event
// after "disposed" (kConflict naming the disposal) and "received" (kUnprocessable: intake only).
Status ValidateCustody(const CustodyRequest& request, const std::vector<std::string>& earlier_events);

// Conditions under which a result was obtained (ISO/IEC 17025 7.5: records allow repetition).
struct TestConditions {
  std::optional<Decimal> temperature_c;  // -40 … 100 °C
  std::optional<Decimal> humidity_pct;   // 0 … 100 %
};
// kUnprocessable with "temperature_c" / "humidity_pct" when outside what a laboratory can be.
Status CheckConditions(const TestConditions& c);

// Values a method cannot produce, by the unit's quantity: a negative mass, mass fraction,
// length, force, energy, time or count; a percentage over 100 for relative humidity, or a
// fraction unit ("%") over 100 for a mass fraction. Field errors name "values[i]".
Status CheckPhysicallyPossible(const std::vector<std::string>& values, std::string_view unit);

// The four-eyes rule: the reviewer may not be the person who entered the result (kUnprocessable,
// field "reviewer"). A rejection needs a comment (field "comment").
enum class ReviewDecision { kApprove, kReject };
Result<ReviewDecision> ParseReviewDecision(std::string_view text);
Status CheckReview(int64_t entered_by, int64_t reviewer, ReviewDecision decision, std::string_view comment);

// A retest needs a reason of at least 5 characters (field "reason").
Status CheckRetestReason(std::string_view reason);

}  // namespace lims

#endif  // LIMS_CORE_WORKFLOW_H_
