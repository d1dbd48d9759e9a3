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
  // 24 digits widened by at most 12 places is 36 digits: widening to a common scale stays inside 128 bits.
  const int common = std::max(scale_, other.scale_);
  const Int128 a = coefficient_ * Pow10(common - scale_);
  const Int128 b = other.coefficient_ * Pow10(common - other.scale_);
  return a <=> b;
}

}  // namespace lims
