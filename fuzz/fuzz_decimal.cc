// libFuzzer target: Decimal parsing and arithmetic, decision rules, observations and decisions.
//
// Input: lines. Every line is parsed as a Decimal, a decision rule and an observation for each
// comparator; the first two decimals found become `a` and `b` for the arithmetic checks, and the
// limit / uncertainty of the decisions.
// Invariants:
// - Parse accepts exactly [+-]digits[.digits] with at most kMaxScale fraction digits and kMaxDigits
//   significant digits, and ToString() gives back the input without '+', leading zeros or "-0";
//   Parse(ToString()) is the same value with the same scale.
// - a + b always fits for parsed values; (a + b) - b == a; a - a == 0; a × b == b × a; a × 1 == a;
//   a / 1 at a's scale == a; a / d to s digits is within half a unit of the last digit; scaling by
//   10^-k then 10^k is the identity; unit conversions round-trip; <=> is antisymmetric.
// - A decision rule's Token() parses back to the same rule; r stays in (0, 10].
// - ParseObservation accepts every decimal for numeric comparators (as that number); Decide never
//   gives a conditional verdict under simple acceptance and always explains itself.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_check.h"
#include "lims/core/decimal.h"
#include "lims/core/decision.h"
#include "lims/core/limit.h"
#include "lims/core/units.h"

namespace {

using lims::Decimal;
using lims::Result;

bool IsDigit(char c) {
  return c >= '0' && c <= '9';
}

// The documented grammar, written independently of Decimal::Parse; fills the canonical spelling.
bool Accepts(std::string_view t, std::string* canonical) {
  size_t i = 0;
  bool negative = false;
  if (i < t.size() && (t[i] == '-' || t[i] == '+')) negative = t[i++] == '-';
  const size_t whole_start = i;
  while (i < t.size() && IsDigit(t[i])) ++i;
  std::string_view whole = t.substr(whole_start, i - whole_start);
  if (whole.empty()) return false;
  std::string_view fraction;
  if (i < t.size() && t[i] == '.') {
    const size_t fraction_start = ++i;
    while (i < t.size() && IsDigit(t[i])) ++i;
    fraction = t.substr(fraction_start, i - fraction_start);
    if (fraction.empty()) return false;
  }
  if (i != t.size()) return false;
  if (fraction.size() > static_cast<size_t>(Decimal::kMaxScale)) return false;
  while (whole.size() > 1 && whole.front() == '0') whole.remove_prefix(1);
  const size_t significant = (whole == "0" ? 0 : whole.size()) + fraction.size();
  if (significant > static_cast<size_t>(Decimal::kMaxDigits)) return false;
  std::string digits(whole);
  if (!fraction.empty()) digits += "." + std::string(fraction);
  const bool zero = std::all_of(digits.begin(), digits.end(), [](char c) { return c == '0' || c == '.'; });
  *canonical = negative && !zero ? "-" + digits : digits;
  return true;
}

std::optional<Decimal> CheckParse(std::string_view text) {
  std::string canonical;
  const bool expected = Accepts(text, &canonical);
  Result<Decimal> d = Decimal::Parse(text);
  FUZZ_CHECK(d.ok() == expected);
  if (!d.ok()) {
    FUZZ_CHECK(d.status().code() == lims::Status::Code::kInvalidArgument);
    return std::nullopt;
  }
  const std::string printed = d->ToString();
  FUZZ_CHECK(printed == canonical);
  Result<Decimal> again = Decimal::Parse(printed);
  FUZZ_CHECK(again.ok());
  FUZZ_CHECK(*again == *d);
  FUZZ_CHECK(again->scale() == d->scale());
  FUZZ_CHECK(again->ToString() == printed);
  FUZZ_CHECK(d->Negated().Negated() == *d);
  FUZZ_CHECK(!d->Abs().IsNegative());
  return *d;
}

void CheckUnary(const Decimal& a) {
  Result<Decimal> zero = a.Minus(a);
  FUZZ_CHECK(zero.ok() && zero->IsZero());
  Result<Decimal> one = a.Times(Decimal::FromInteger(1));
  FUZZ_CHECK(one.ok() && *one == a);
  Result<Decimal> same = a.DividedBy(1, a.scale());
  FUZZ_CHECK(same.ok() && *same == a);
  for (int k = 0; k <= Decimal::kMaxInternalScale; k += 3) {
    Result<Decimal> down = a.ScaledByPowerOfTen(-k);
    if (!down.ok()) continue;
    Result<Decimal> up = down->ScaledByPowerOfTen(k);
    FUZZ_CHECK(up.ok() && *up == a);
  }
  static constexpr std::pair<std::string_view, std::string_view> kConversions[] = {
      {"mg/kg", "% w/w"}, {"% w/w", "mg/kg"}, {"kΩ", "GΩ"}, {"N", "kN"}, {"µg/kg", "mg/kg"}, {"mm", "cm"}};
  for (const auto& [from, to] : kConversions) {
    Result<Decimal> there = lims::ConvertUnit(a, from, to);
    if (!there.ok()) continue;
    Result<Decimal> back = lims::ConvertUnit(*there, to, from);
    if (back.ok()) FUZZ_CHECK(*back == a);
  }
  // Division: within half a unit of the last kept digit, whatever the divisor and scale.
  static constexpr int64_t kDivisors[] = {1, 2, 3, 7, 10, 1000000007};
  for (int64_t divisor : kDivisors) {
    for (int scale = 0; scale <= Decimal::kMaxInternalScale; scale += 2) {
      Result<Decimal> q = a.DividedBy(divisor, scale);
      if (!q.ok()) continue;
      FUZZ_CHECK(q->scale() == scale);
      Result<Decimal> back = q->Times(Decimal::FromInteger(divisor));
      if (!back.ok()) continue;
      Result<Decimal> error = back->Minus(a);
      if (!error.ok()) continue;
      Result<Decimal> twice = error->Abs().Times(Decimal::FromInteger(2));
      Result<Decimal> bound = Decimal::FromInteger(divisor).ScaledByPowerOfTen(-scale);
      if (twice.ok() && bound.ok()) FUZZ_CHECK(*twice <= *bound);
    }
  }
  FUZZ_CHECK(!a.DividedBy(0, 2).ok());
  FUZZ_CHECK(!a.DividedBy(-3, 2).ok());
}

void CheckBinary(const Decimal& a, const Decimal& b) {
  const std::strong_ordering ab = a <=> b;
  const std::strong_ordering ba = b <=> a;
  FUZZ_CHECK((ab < 0) == (ba > 0) && (ab == 0) == (ba == 0));
  Result<Decimal> sum = a.Plus(b);
  FUZZ_CHECK(sum.ok());  // parsed values (<= 24 digits, scale <= 12) always fit in 128 bits
  Result<Decimal> back = sum->Minus(b);
  FUZZ_CHECK(back.ok() && *back == a);
  Result<Decimal> diff = a.Minus(b);
  FUZZ_CHECK(diff.ok());
  FUZZ_CHECK((ab > 0) == (*diff > Decimal()) && (ab == 0) == diff->IsZero());
  Result<Decimal> ab_product = a.Times(b);
  Result<Decimal> ba_product = b.Times(a);
  FUZZ_CHECK(ab_product.ok() == ba_product.ok());
  if (ab_product.ok()) FUZZ_CHECK(*ab_product == *ba_product);
}

const lims::Comparator kComparators[] = {
    lims::Comparator::kLess,           lims::Comparator::kLessOrEqual, lims::Comparator::kGreater,
    lims::Comparator::kGreaterOrEqual, lims::Comparator::kRange,       lims::Comparator::kNoFailure,
    lims::Comparator::kNotDetected,
};

void CheckRule(std::string_view token) {
  Result<lims::DecisionRule> rule = lims::ParseDecisionRule(token);
  if (!rule.ok()) return;
  if (rule->kind == lims::DecisionRule::Kind::kGuarded) {
    FUZZ_CHECK(rule->r > Decimal() && rule->r <= Decimal::FromInteger(10));
  }
  Result<lims::DecisionRule> again = lims::ParseDecisionRule(rule->Token());
  FUZZ_CHECK(again.ok());
  FUZZ_CHECK(again->Token() == rule->Token());
  FUZZ_CHECK(!rule->Describe().empty());
}

void CheckDecisions(const std::vector<std::string>& lines, const Decimal& a, const Decimal& b) {
  for (lims::Comparator comparator : kComparators) {
    lims::Limit limit;
    limit.comparator = comparator;
    limit.value = std::min(a, b);
    limit.high = std::max(a, b);
    limit.low_inclusive = a.scale() % 2 == 0;
    limit.high_inclusive = b.scale() % 2 == 0;
    limit.unit = "mg/kg";
    FUZZ_CHECK(!limit.ToDisplay().empty());
    std::vector<lims::Observation> observations;
    for (const std::string& line : lines) {
      Result<lims::Observation> o = lims::ParseObservation(limit, line);
      Result<Decimal> number = Decimal::Parse(line);
      if (comparator != lims::Comparator::kNoFailure && number.ok()) {
        FUZZ_CHECK(o.ok());
        if (o->kind == lims::Observation::Kind::kNumber) FUZZ_CHECK(o->value == *number);
      }
      if (comparator == lims::Comparator::kNoFailure && o.ok()) {
        FUZZ_CHECK(line == "pass" || line == "fail");
      }
      if (o.ok()) {
        FUZZ_CHECK(o->text == line);
        observations.push_back(*o);
      }
    }
    if (observations.empty()) continue;
    const lims::DecisionSubject subject{"X", "fuzz"};
    lims::DecisionRule guarded;
    guarded.kind = lims::DecisionRule::Kind::kGuarded;
    for (lims::Combine combine :
         {lims::Combine::kEach, lims::Combine::kMean, lims::Combine::kMin, lims::Combine::kMax}) {
      const lims::Decision simple =
          lims::Decide(subject, limit, combine, lims::DecisionRule(), observations, std::nullopt);
      FUZZ_CHECK(simple.verdict == lims::Verdict::kPass || simple.verdict == lims::Verdict::kFail);
      FUZZ_CHECK(!simple.explanation.empty());
      const lims::Decision g = lims::Decide(subject, limit, combine, guarded, observations, b.Abs());
      FUZZ_CHECK(!g.explanation.empty());
      // A wider guard band never turns a verdict better than simple acceptance's pass/fail
      // into its opposite: guarded pass implies simple pass.
      if (g.verdict == lims::Verdict::kPass) FUZZ_CHECK(simple.verdict == lims::Verdict::kPass);
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 4096) return 0;  // decimals are short; long inputs only slow the search down
  const std::string input = lims::fuzz::AsString(data, size);
  std::vector<std::string> lines;
  for (size_t start = 0; start <= input.size() && lines.size() < 8;) {
    size_t end = input.find('\n', start);
    if (end == std::string::npos) end = input.size();
    lines.push_back(input.substr(start, end - start));
    start = end + 1;
  }
  std::vector<Decimal> values;
  for (const std::string& line : lines) {
    std::optional<Decimal> d = CheckParse(line);
    CheckRule(line);
    CheckRule("guarded:r=" + line);
    if (!d) continue;
    if (values.size() < 2) values.push_back(*d);
    CheckUnary(*d);
  }
  if (values.empty()) return 0;
  const Decimal a = values[0];
  const Decimal b = values.size() > 1 ? values[1] : Decimal::FromInteger(1);
  CheckBinary(a, b);
  CheckBinary(b, a);
  CheckDecisions(lines, a, b);
  return 0;
}
