// Conformity decisions (ISO/IEC 17025:2017 7.8.6, ILAC-G8:09/2019).
//
// A decision judges a requirement's specimen observations against its limit under the decision
// rule agreed with the customer at contract review:
// - simple acceptance (ILAC-G8 4.2.1, guard band w = 0): Pass or Fail;
// - guarded acceptance (4.2.3) with w = r·U (r = 1 by default, U the expanded uncertainty, k = 2):
//   Pass when the whole interval [x − w, x + w] meets the limit, Conditional pass when x meets it,
//   Conditional fail when some of the interval does, Fail otherwise.
// Specimens combine as the requirement says: each (the worst specimen decides), mean, min or max.
// Every decision explains itself in one line fit for a certificate:
//   "Cr(VI) 4.1 mg/kg > 3 mg/kg (REACH Annex XVII entry 47; simple acceptance): FAIL"
// Pure functions over value types; thread-safe. No binary floating point anywhere.
#ifndef LIMS_CORE_DECISION_H_
#define LIMS_CORE_DECISION_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "lims/core/decimal.h"
#include "lims/core/limit.h"
#include "lims/core/status.h"

namespace lims {

// Ordered from best to worst, so that std::max gives the worse verdict.
enum class Verdict { kPass, kConditionalPass, kConditionalFail, kFail };
std::string_view VerdictName(Verdict v);  // "pass", "conditional_pass", ...
std::string VerdictHeadline(Verdict v);   // "PASS", "CONDITIONAL PASS", ...
Result<Verdict> ParseVerdict(std::string_view text);
// A rejection (the sample gets a test report naming it): Fail or Conditional fail.
inline bool IsRejection(Verdict v) {
  return v == Verdict::kFail || v == Verdict::kConditionalFail;
}

enum class Combine { kEach, kMean, kMin, kMax };
std::string_view CombineName(Combine c);
Result<Combine> ParseCombine(std::string_view text);

struct DecisionRule {
  enum class Kind { kSimple, kGuarded };
  Kind kind = Kind::kSimple;
  Decimal r = Decimal::FromInteger(1);  // guard band w = r·U (guarded only)

  // Storage and API token: "simple", "guarded", "guarded:r=0.5".
  std::string Token() const;
  // As printed: "simple acceptance", "guarded acceptance, w = U", "guarded acceptance, w = 0.5·U".
  std::string Describe() const;
};
Result<DecisionRule> ParseDecisionRule(std::string_view token);

// One specimen as reported: a number, or for "not detected" requirements a value below the limit
// of quantification ("nd", "<3"), or for "no failure" requirements "pass" / "fail".
struct Observation {
  enum class Kind { kNumber, kNotDetected, kPassed, kFailed };
  Kind kind = Kind::kNumber;
  Decimal value;  // kNumber: the value; kNotDetected with has_bound: the reported "< bound"
  bool has_bound = false;
  std::string text;  // as reported
};
// Parses one reported value for `limit` (the number in the result's own unit; ConvertObservation
// brings it to the limit's unit). kInvalidArgument when it is not a form the comparator accepts.
Result<Observation> ParseObservation(const Limit& limit, std::string_view text);

// What the explanation names: "Cr(VI)" and "REACH Annex XVII entry 47".
struct DecisionSubject {
  std::string label;
  std::string reference;
};

struct Decision {
  Verdict verdict = Verdict::kFail;
  std::string explanation;
};

// `observations` in the limit's unit (at least one); `uncertainty` likewise. A guarded rule on a
// numeric limit needs the uncertainty: callers check that first (kUnprocessable for the client).
Decision Decide(const DecisionSubject& subject, const Limit& limit, Combine combine, const DecisionRule& rule,
                const std::vector<Observation>& observations, const std::optional<Decimal>& uncertainty);

}  // namespace lims

#endif  // LIMS_CORE_DECISION_H_
