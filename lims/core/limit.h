// Limit and conformity evaluation for one requirement.
//
// The skeleton implements ILAC-G8:09/2019 4.2.1 simple acceptance (w = 0): a result conforms when
// every specimen value meets the limit. The guarded and non-binary rules come with the catalog
// (issue "Standards catalog"); they extend Evaluate() without changing its callers.
// Pure functions over value types; thread-safe.
#ifndef LIMS_CORE_LIMIT_H_
#define LIMS_CORE_LIMIT_H_

#include <string>
#include <string_view>
#include <vector>

#include "lims/core/decimal.h"
#include "lims/core/status.h"

namespace lims {

enum class Comparator { kLess, kLessOrEqual, kGreater, kGreaterOrEqual };

// "<", "<=", ">", ">=" (the catalog's and the API's spelling).
Result<Comparator> ParseComparator(std::string_view text);
std::string_view ComparatorToken(Comparator c);   // "<="
std::string_view ComparatorSymbol(Comparator c);  // "≤", for reports

struct Limit {
  Comparator comparator = Comparator::kLessOrEqual;
  Decimal value;
  std::string unit;

  bool IsMetBy(const Decimal& measured) const;
  std::string ToDisplay() const;  // "< 3 mg/kg"
};

enum class Verdict { kPass, kFail };
std::string_view VerdictName(Verdict v);  // "pass", "fail"

struct Evaluation {
  Verdict verdict = Verdict::kFail;
  std::string explanation;  // one sentence that names the deciding value and the limit
};

// Every replicate must meet the limit; the first one that does not decides a fail.
// `values` must not be empty (callers validate input first).
Evaluation EvaluateSimpleAcceptance(const Limit& limit, const std::vector<Decimal>& values);

}  // namespace lims

#endif  // LIMS_CORE_LIMIT_H_
