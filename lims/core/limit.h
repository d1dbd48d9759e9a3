// Limit: what a requirement demands of a measured quantity, and whether one value meets it.
//
// Comparators: upper limits (<, <=), lower limits (>, >=), an interval with its own inclusivity
// (antistatic footwear: > 100 kΩ and <= 1000 MΩ), "not detected" below a limit of quantification
// (judged as < LOQ) and "no failure" observations (no cracks, no penetration) that have no number.
// Pure value type; thread-safe.
#ifndef LIMS_CORE_LIMIT_H_
#define LIMS_CORE_LIMIT_H_

#include <string>
#include <string_view>

#include "lims/core/decimal.h"
#include "lims/core/status.h"

namespace lims {

enum class Comparator { kLess, kLessOrEqual, kGreater, kGreaterOrEqual, kRange, kNoFailure, kNotDetected };

// "<", "<=", ">", ">=", "range", "no_failure", "not_detected" (the catalog's and the API's spelling).
Result<Comparator> ParseComparator(std::string_view text);
std::string_view ComparatorToken(Comparator c);   // "<="
std::string_view ComparatorSymbol(Comparator c);  // "≤", for reports
bool IsNumeric(Comparator c);                     // every comparator but kNoFailure

struct Limit {
  Comparator comparator = Comparator::kLessOrEqual;
  Decimal value;               // the limit; kRange: the lower bound; kNotDetected: the limit of quantification
  Decimal high;                // kRange only: the upper bound
  bool low_inclusive = true;   // kRange only
  bool high_inclusive = true;  // kRange only
  std::string unit;

  // Numeric comparators only (kNoFailure has nothing to compare).
  bool IsMetBy(const Decimal& measured) const;
  std::string ToDisplay() const;  // "< 3 mg/kg", "> 100 and ≤ 1000000 kΩ", "not detected (LOQ 3 mg/kg)"
};

}  // namespace lims

#endif  // LIMS_CORE_LIMIT_H_
