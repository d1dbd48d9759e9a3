// Units of measurement: a small registry of the units the catalog and results use, grouped by
// dimension, with exact power-of-ten conversions (mg/kg ↔ % w/w, kΩ ↔ MΩ, N ↔ kN).
//
// A value is never reinterpreted across dimensions: converting N/mm to N is an error, not a guess.
// The registry is immutable static data; every function is thread-safe.
#ifndef LIMS_CORE_UNITS_H_
#define LIMS_CORE_UNITS_H_

#include <string_view>

#include "lims/core/decimal.h"
#include "lims/core/status.h"

namespace lims {

struct UnitInfo {
  std::string_view symbol;     // as written in the catalog and in results ("mg/kg")
  std::string_view dimension;  // "mass fraction"
  int exponent;                // value in the dimension's base unit = value × 10^exponent
};

// Null when the symbol is unknown. "μ" (Greek mu) and "µ" (micro sign) are both accepted for micro.
const UnitInfo* FindUnit(std::string_view symbol);
bool SameDimension(std::string_view a, std::string_view b);
// kUnprocessable naming both units when they measure different things or one is unknown.
Result<Decimal> ConvertUnit(const Decimal& value, std::string_view from, std::string_view to);

}  // namespace lims

#endif  // LIMS_CORE_UNITS_H_
