#include "lims/core/limit.h"

#include <array>
#include <utility>

namespace lims {
namespace {

constexpr std::array<std::pair<Comparator, std::string_view>, 7> kTokens{{
    {Comparator::kLess, "<"},
    {Comparator::kLessOrEqual, "<="},
    {Comparator::kGreater, ">"},
    {Comparator::kGreaterOrEqual, ">="},
    {Comparator::kRange, "range"},
    {Comparator::kNoFailure, "no_failure"},
    {Comparator::kNotDetected, "not_detected"},
}};

std::string WithUnit(const std::string& text, const std::string& unit) {
  return unit.empty() || unit == "1" ? text : text + " " + unit;
}

}  // namespace

Result<Comparator> ParseComparator(std::string_view text) {
  for (const auto& [c, token] : kTokens) {
    if (token == text) return c;
  }
  return Status::InvalidArgument("comparator must be one of <, <=, >, >=, range, no_failure, not_detected");
}

std::string_view ComparatorToken(Comparator c) {
  for (const auto& [value, token] : kTokens) {
    if (value == c) return token;
  }
  return "?";
}

std::string_view ComparatorSymbol(Comparator c) {
  switch (c) {
    case Comparator::kLess:
      return "<";
    case Comparator::kLessOrEqual:
      return "≤";
    case Comparator::kGreater:
      return ">";
    case Comparator::kGreaterOrEqual:
      return "≥";
    case Comparator::kNotDetected:
      return "<";
    case Comparator::kRange:
      return "range";
    case Comparator::kNoFailure:
      return "no failure";
  }
  return "?";
}

bool IsNumeric(Comparator c) {
  return c != Comparator::kNoFailure;
}

bool Limit::IsMetBy(const Decimal& measured) const {
  switch (comparator) {
    case Comparator::kLess:
    case Comparator::kNotDetected:
      return measured < value;
    case Comparator::kLessOrEqual:
      return measured <= value;
    case Comparator::kGreater:
      return measured > value;
    case Comparator::kGreaterOrEqual:
      return measured >= value;
    case Comparator::kRange: {
      const bool above_low = low_inclusive ? measured >= value : measured > value;
      const bool below_high = high_inclusive ? measured <= high : measured < high;
      return above_low && below_high;
    }
    case Comparator::kNoFailure:
      return false;
  }
  return false;
}

std::string Limit::ToDisplay() const {
  switch (comparator) {
    case Comparator::kRange:
      return WithUnit(std::string(low_inclusive ? "≥ " : "> ") + value.ToString() + " and " +
                          (high_inclusive ? "≤ " : "< ") + high.ToString(),
                      unit);
    case Comparator::kNoFailure:
      return "no failure";
    case Comparator::kNotDetected:
      return WithUnit("not detected (< " + value.ToString(), unit) + ")";
    default:
      return WithUnit(std::string(ComparatorSymbol(comparator)) + " " + value.ToString(), unit);
  }
}

}  // namespace lims
