#include "lims/core/limit.h"

#include <algorithm>

namespace lims {

Result<Comparator> ParseComparator(std::string_view text) {
  if (text == "<") return Comparator::kLess;
  if (text == "<=") return Comparator::kLessOrEqual;
  if (text == ">") return Comparator::kGreater;
  if (text == ">=") return Comparator::kGreaterOrEqual;
  return Status::InvalidArgument("comparator must be one of <, <=, >, >=");
}

std::string_view ComparatorToken(Comparator c) {
  switch (c) {
    case Comparator::kLess:
      return "<";
    case Comparator::kLessOrEqual:
      return "<=";
    case Comparator::kGreater:
      return ">";
    case Comparator::kGreaterOrEqual:
      return ">=";
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
  }
  return "?";
}

bool Limit::IsMetBy(const Decimal& measured) const {
  switch (comparator) {
    case Comparator::kLess:
      return measured < value;
    case Comparator::kLessOrEqual:
      return measured <= value;
    case Comparator::kGreater:
      return measured > value;
    case Comparator::kGreaterOrEqual:
      return measured >= value;
  }
  return false;
}

std::string Limit::ToDisplay() const {
  std::string out = std::string(ComparatorSymbol(comparator)) + " " + value.ToString();
  if (!unit.empty()) out += " " + unit;
  return out;
}

std::string_view VerdictName(Verdict v) {
  return v == Verdict::kPass ? "pass" : "fail";
}

Evaluation EvaluateSimpleAcceptance(const Limit& limit, const std::vector<Decimal>& values) {
  const std::string rule = " (simple acceptance, ILAC-G8 4.2.1)";
  auto failing = std::find_if(values.begin(), values.end(), [&](const Decimal& v) { return !limit.IsMetBy(v); });
  if (failing != values.end()) {
    const size_t index = static_cast<size_t>(failing - values.begin()) + 1;
    return {Verdict::kFail, "Specimen " + std::to_string(index) + " measured " + failing->ToString() + " " +
                                limit.unit + ", outside the limit " + limit.ToDisplay() + rule + "."};
  }
  const std::string n = std::to_string(values.size());
  return {Verdict::kPass, "All " + n + " specimen value(s) meet the limit " + limit.ToDisplay() + rule + "."};
}

}  // namespace lims
