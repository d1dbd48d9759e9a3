// Decimal: a measured value as the lab reported it.
//
// Values travel as decimal strings ("3.20") so that the reported precision survives: "3.2" and
// "3.20" compare equal but print differently. Stored as a scaled 128-bit integer; no binary floating
// point is ever involved, so comparisons against limits are exact. Value type; thread-compatible.
#ifndef LIMS_CORE_DECIMAL_H_
#define LIMS_CORE_DECIMAL_H_

#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

#include "lims/core/status.h"

namespace lims {

// GCC's and Clang's 128-bit integer. Spelled through __extension__ because -Wpedantic (and so a
// -Werror build) rejects the bare non-ISO type in every file that includes this header.
__extension__ using Int128 = __int128;

class Decimal {
 public:
  static constexpr int kMaxDigits = 24;  // significant digits; with kMaxScale keeps comparisons in 128 bits
  static constexpr int kMaxScale = 12;   // digits after the decimal point

  // Accepts an optional '-' or '+', digits, and an optional fraction ("0.5", "-12", "3.20").
  // Rejects exponents, thousands separators, leading '.', trailing '.', and empty input.
  static Result<Decimal> Parse(std::string_view text);

  Decimal() = default;  // 0

  static Decimal FromInteger(int64_t value) { return Decimal(value, 0); }

  bool IsNegative() const { return coefficient_ < 0; }
  bool IsZero() const { return coefficient_ == 0; }
  int scale() const { return scale_; }
  // As reported: keeps trailing zeros ("3.20"), never an exponent, no '+' sign.
  std::string ToString() const;

  // Numeric comparison: 3.2 == 3.20.
  std::strong_ordering operator<=>(const Decimal& other) const;
  bool operator==(const Decimal& other) const { return std::is_eq(*this <=> other); }

  // Exact arithmetic for decisions (guard bands, unit conversion, means). A result that does not
  // fit in 128 bits, or would need more than kMaxInternalScale fraction digits where rounding is not
  // allowed, is kUnprocessable "out of range": with realistic lab values it never happens.
  static constexpr int kMaxInternalScale = 18;
  Result<Decimal> Plus(const Decimal& other) const;
  Result<Decimal> Minus(const Decimal& other) const;
  // The product, rounded half-even to kMaxInternalScale digits when it has more.
  Result<Decimal> Times(const Decimal& other) const;
  // value × 10^exponent, exact (unit conversion: mg/kg → % w/w is exponent -4).
  Result<Decimal> ScaledByPowerOfTen(int exponent) const;
  // value / divisor rounded half-even to `scale` fraction digits (divisor > 0).
  Result<Decimal> DividedBy(int64_t divisor, int scale) const;
  Decimal Abs() const { return Decimal(coefficient_ < 0 ? -coefficient_ : coefficient_, scale_); }
  Decimal Negated() const { return Decimal(-coefficient_, scale_); }

 private:
  Decimal(Int128 coefficient, int scale) : coefficient_(coefficient), scale_(scale) {}

  Int128 coefficient_ = 0;  // value = coefficient_ / 10^scale_
  int scale_ = 0;
};

}  // namespace lims

#endif  // LIMS_CORE_DECIMAL_H_
