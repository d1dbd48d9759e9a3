#include "lims/core/decimal.h"

#include <algorithm>

namespace lims {
namespace {

Int128 Pow10(int n) {
  Int128 p = 1;
  for (int i = 0; i < n; ++i) p *= 10;
  return p;
}

bool AllDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

Result<Decimal> Decimal::Parse(std::string_view text) {
  std::string_view s = text;
  bool negative = false;
  if (!s.empty() && (s.front() == '-' || s.front() == '+')) {
    negative = s.front() == '-';
    s.remove_prefix(1);
  }
  const size_t dot = s.find('.');
  const std::string_view whole = s.substr(0, dot);
  const std::string_view fraction = dot == std::string_view::npos ? std::string_view() : s.substr(dot + 1);
  if (!AllDigits(whole) || (dot != std::string_view::npos && !AllDigits(fraction))) {
    return Status::InvalidArgument("not a decimal number");
  }
  if (fraction.size() > static_cast<size_t>(kMaxScale)) {
    return Status::InvalidArgument("more than " + std::to_string(kMaxScale) + " decimal places");
  }
  const size_t leading_zeros = std::min(whole.find_first_not_of('0'), whole.size());
  if (whole.size() - leading_zeros + fraction.size() > static_cast<size_t>(kMaxDigits)) {
    return Status::InvalidArgument("more than " + std::to_string(kMaxDigits) + " digits");
  }
  Int128 coefficient = 0;
  for (char c : whole) coefficient = coefficient * 10 + (c - '0');
  for (char c : fraction) coefficient = coefficient * 10 + (c - '0');
  return Decimal(negative ? -coefficient : coefficient, static_cast<int>(fraction.size()));
}

std::string Decimal::ToString() const {
  Int128 magnitude = coefficient_ < 0 ? -coefficient_ : coefficient_;
  std::string digits;
  do {
    digits.push_back(static_cast<char>('0' + static_cast<int>(magnitude % 10)));
    magnitude /= 10;
  } while (magnitude > 0);
  while (digits.size() <= static_cast<size_t>(scale_)) digits.push_back('0');
  std::reverse(digits.begin(), digits.end());
  if (scale_ > 0) digits.insert(digits.size() - static_cast<size_t>(scale_), ".");
  return coefficient_ < 0 ? "-" + digits : digits;
}

std::strong_ordering Decimal::operator<=>(const Decimal& other) const {
  // Integer parts first, then fractions widened to a common scale: neither step can overflow,
  // whatever the two scales are.
  const Int128 int_a = coefficient_ / Pow10(scale_);
  const Int128 int_b = other.coefficient_ / Pow10(other.scale_);
  if (int_a != int_b) return int_a <=> int_b;
  const int common = std::max(scale_, other.scale_);
  const Int128 frac_a = (coefficient_ % Pow10(scale_)) * Pow10(common - scale_);
  const Int128 frac_b = (other.coefficient_ % Pow10(other.scale_)) * Pow10(common - other.scale_);
  return frac_a <=> frac_b;
}

namespace {

Status OutOfRange() {
  return Status::Unprocessable("value out of range");
}

bool Widen(Int128 coefficient, int by, Int128* out) {
  return !__builtin_mul_overflow(coefficient, Pow10(by), out);
}

// Rounds coefficient / 10^drop half-to-even.
Int128 RoundHalfEven(Int128 coefficient, int drop) {
  if (drop <= 0) return coefficient;
  const Int128 divisor = Pow10(drop);
  Int128 quotient = coefficient / divisor;
  const Int128 remainder = coefficient % divisor;
  const Int128 twice = (remainder < 0 ? -remainder : remainder) * 2;
  const bool odd = quotient % 2 != 0;
  if (twice > divisor || (twice == divisor && odd)) quotient += coefficient < 0 ? -1 : 1;
  return quotient;
}

}  // namespace

Result<Decimal> Decimal::Plus(const Decimal& other) const {
  const int common = std::max(scale_, other.scale_);
  Int128 a = 0;
  Int128 b = 0;
  Int128 sum = 0;
  if (!Widen(coefficient_, common - scale_, &a) || !Widen(other.coefficient_, common - other.scale_, &b) ||
      __builtin_add_overflow(a, b, &sum)) {
    return OutOfRange();
  }
  return Decimal(sum, common);
}

Result<Decimal> Decimal::Minus(const Decimal& other) const {
  return Plus(other.Negated());
}

Result<Decimal> Decimal::Times(const Decimal& other) const {
  Int128 product = 0;
  if (__builtin_mul_overflow(coefficient_, other.coefficient_, &product)) return OutOfRange();
  const int scale = scale_ + other.scale_;
  if (scale <= kMaxInternalScale) return Decimal(product, scale);
  return Decimal(RoundHalfEven(product, scale - kMaxInternalScale), kMaxInternalScale);
}

Result<Decimal> Decimal::ScaledByPowerOfTen(int exponent) const {
  if (exponent <= 0) {
    if (scale_ - exponent > kMaxInternalScale) return OutOfRange();
    return Decimal(coefficient_, scale_ - exponent);
  }
  if (scale_ >= exponent) return Decimal(coefficient_, scale_ - exponent);
  Int128 widened = 0;
  if (!Widen(coefficient_, exponent - scale_, &widened)) return OutOfRange();
  return Decimal(widened, 0);
}

Result<Decimal> Decimal::DividedBy(int64_t divisor, int scale) const {
  if (divisor <= 0 || scale < 0 || scale > kMaxInternalScale) return OutOfRange();
  // Compute with one extra digit... done exactly: widen to scale + guard digits, then round.
  const int guard = scale + 1 > scale_ ? scale + 1 - scale_ : 0;
  Int128 widened = 0;
  if (!Widen(coefficient_, guard, &widened)) return OutOfRange();
  // widened / 10^(scale_ + guard) / divisor, to `scale` digits: keep the remainder for exact rounding.
  const int have = scale_ + guard;  // >= scale + 1
  const Int128 quotient = widened / divisor;
  const Int128 remainder = widened % divisor;
  // Round quotient (at scale `have`) to `scale` digits; a non-zero remainder breaks ties upward.
  const int drop = have - scale;
  const Int128 unit = Pow10(drop);
  Int128 q = quotient / unit;
  const Int128 rest = quotient % unit;
  const Int128 twice = (rest < 0 ? -rest : rest) * 2;
  const bool exact_half = twice == unit && remainder == 0;
  if (twice > unit || (twice == unit && !exact_half) || (exact_half && q % 2 != 0)) q += quotient < 0 ? -1 : 1;
  return Decimal(q, scale);
}

}  // namespace lims
