#include "lims/core/decision.h"

#include <algorithm>
#include <array>
#include <utility>

namespace lims {
namespace {

constexpr std::array<std::pair<Verdict, std::string_view>, 4> kVerdicts{{
    {Verdict::kPass, "pass"},
    {Verdict::kConditionalPass, "conditional_pass"},
    {Verdict::kConditionalFail, "conditional_fail"},
    {Verdict::kFail, "fail"},
}};
constexpr std::array<std::pair<Combine, std::string_view>, 4> kCombines{{
    {Combine::kEach, "each"},
    {Combine::kMean, "mean"},
    {Combine::kMin, "min"},
    {Combine::kMax, "max"},
}};

std::string WithUnit(const std::string& value, const std::string& unit) {
  return unit.empty() || unit == "1" ? value : value + " " + unit;
}

// ILAC-G8 4.2.3 with w = 0 reducing to 4.2.1: where does x ± w lie relative to the limit?
Verdict Classify(const Limit& limit, const Decimal& x, const Decimal& w) {
  const Result<Decimal> low = x.Minus(w);
  const Result<Decimal> high = x.Plus(w);
  const bool low_meets = low.ok() && limit.IsMetBy(*low);
  const bool high_meets = high.ok() && limit.IsMetBy(*high);
  if (low_meets && high_meets) return Verdict::kPass;
  if (limit.IsMetBy(x)) return Verdict::kConditionalPass;
  // A range narrower than the band can lie wholly inside (x − w, x + w) with neither end in it.
  const bool covers_range =
      limit.comparator == Comparator::kRange && low.ok() && high.ok() && *low<limit.value&& * high> limit.value;
  if (low_meets || high_meets || covers_range) return Verdict::kConditionalFail;
  return Verdict::kFail;
}

Verdict Judge(const Limit& limit, const Observation& o, const Decimal& w) {
  switch (o.kind) {
    case Observation::Kind::kNotDetected:
    case Observation::Kind::kPassed:
      return Verdict::kPass;
    case Observation::Kind::kFailed:
      return Verdict::kFail;
    case Observation::Kind::kNumber:
      return Classify(limit, o.value, w);
  }
  return Verdict::kFail;
}

// "4.1 mg/kg > 3 mg/kg", "150 kΩ within ≥ 100 and ≤ 1000000 kΩ", "not detected (< 3 mg/kg)".
std::string Relation(const Limit& limit, const Observation& o) {
  switch (o.kind) {
    case Observation::Kind::kNotDetected: {
      const Decimal& bound = o.has_bound ? o.value : limit.value;
      return "not detected (< " + WithUnit(bound.ToString(), limit.unit) + ")";
    }
    case Observation::Kind::kPassed:
      return "no failure observed";
    case Observation::Kind::kFailed:
      return "failure observed";
    case Observation::Kind::kNumber:
      break;
  }
  const std::string x = WithUnit(o.value.ToString(), limit.unit);
  if (limit.comparator == Comparator::kRange) {
    return x + (limit.IsMetBy(o.value) ? " within " : " outside ") + limit.ToDisplay();
  }
  const char* rel = o.value < limit.value ? " < " : o.value == limit.value ? " = " : " > ";
  return x + rel + WithUnit(limit.value.ToString(), limit.unit);
}

struct Picked {
  Observation observation;
  std::string prefix;  // "specimen 2 of 3: ", "mean of 2 specimens "
};

bool AllNumbers(const std::vector<Observation>& obs) {
  return std::all_of(obs.begin(), obs.end(), [](const Observation& o) { return o.kind == Observation::Kind::kNumber; });
}

Observation Mean(const std::vector<Observation>& obs) {
  Decimal sum;
  int scale = 0;
  for (const Observation& o : obs) {
    Result<Decimal> next = sum.Plus(o.value);
    if (next.ok()) sum = *next;
    scale = std::max(scale, o.value.scale());
  }
  // Two more digits than the most precise specimen: the mean is reported, not re-rounded to it.
  Result<Decimal> mean =
      sum.DividedBy(static_cast<int64_t>(obs.size()), std::min(scale + 2, Decimal::kMaxInternalScale));
  Observation out;
  out.value = mean.ok() ? *mean : sum;
  out.text = out.value.ToString();
  return out;
}

// The observation that decides, under `combine`.
Picked Pick(const Limit& limit, Combine combine, const std::vector<Observation>& obs, const Decimal& w) {
  const std::string n = std::to_string(obs.size());
  if (combine != Combine::kEach && obs.size() > 1 && AllNumbers(obs)) {
    if (combine == Combine::kMean) return {Mean(obs), "mean of " + n + " specimens "};
    auto less = [](const Observation& a, const Observation& b) { return a.value < b.value; };
    if (combine == Combine::kMin)
      return {*std::min_element(obs.begin(), obs.end(), less), "lowest of " + n + " specimens "};
    return {*std::max_element(obs.begin(), obs.end(), less), "highest of " + n + " specimens "};
  }
  size_t worst = 0;
  for (size_t i = 1; i < obs.size(); ++i) {
    if (Judge(limit, obs[i], w) > Judge(limit, obs[worst], w)) worst = i;
  }
  std::string prefix = obs.size() > 1 ? "specimen " + std::to_string(worst + 1) + " of " + n + ": " : "";
  return {obs[worst], prefix};
}

}  // namespace

std::string_view VerdictName(Verdict v) {
  for (const auto& [value, name] : kVerdicts) {
    if (value == v) return name;
  }
  return "fail";
}

std::string VerdictHeadline(Verdict v) {
  std::string out(VerdictName(v));
  for (char& c : out) c = c == '_' ? ' ' : static_cast<char>(c - 'a' + 'A');
  return out;
}

Result<Verdict> ParseVerdict(std::string_view text) {
  for (const auto& [value, name] : kVerdicts) {
    if (name == text) return value;
  }
  return Status::InvalidArgument("verdict must be pass, conditional_pass, conditional_fail or fail");
}

std::string_view CombineName(Combine c) {
  for (const auto& [value, name] : kCombines) {
    if (value == c) return name;
  }
  return "each";
}

Result<Combine> ParseCombine(std::string_view text) {
  for (const auto& [value, name] : kCombines) {
    if (name == text) return value;
  }
  return Status::InvalidArgument("combine must be each, mean, min or max");
}

std::string DecisionRule::Token() const {
  if (kind == Kind::kSimple) return "simple";
  return r == Decimal::FromInteger(1) ? "guarded" : "guarded:r=" + r.ToString();
}

std::string DecisionRule::Describe() const {
  if (kind == Kind::kSimple) return "simple acceptance";
  return r == Decimal::FromInteger(1) ? "guarded acceptance, w = U" : "guarded acceptance, w = " + r.ToString() + "·U";
}

Result<DecisionRule> ParseDecisionRule(std::string_view token) {
  DecisionRule rule;
  if (token == "simple") return rule;
  rule.kind = DecisionRule::Kind::kGuarded;
  if (token == "guarded") return rule;
  constexpr std::string_view kPrefix = "guarded:r=";
  if (token.substr(0, kPrefix.size()) == kPrefix) {
    Result<Decimal> r = Decimal::Parse(token.substr(kPrefix.size()));
    if (r.ok() && !r->IsNegative() && !r->IsZero() && *r <= Decimal::FromInteger(10)) {
      rule.r = *r;
      return rule;
    }
    return Status::InvalidArgument("the guard-band factor r must be a decimal greater than 0 and at most 10");
  }
  return Status::InvalidArgument("decision rule must be simple, guarded or guarded with a factor r");
}

Result<Observation> ParseObservation(const Limit& limit, std::string_view text) {
  Observation o;
  o.text = std::string(text);
  if (limit.comparator == Comparator::kNoFailure) {
    if (text == "pass" || text == "fail") {
      o.kind = text == "pass" ? Observation::Kind::kPassed : Observation::Kind::kFailed;
      return o;
    }
    return Status::InvalidArgument("must be \"pass\" or \"fail\" for a no-failure requirement");
  }
  if (limit.comparator == Comparator::kNotDetected && (text == "nd" || text == "ND")) {
    o.kind = Observation::Kind::kNotDetected;
    return o;
  }
  const bool upper_limit = limit.comparator == Comparator::kNotDetected || limit.comparator == Comparator::kLess ||
                           limit.comparator == Comparator::kLessOrEqual;
  if (upper_limit && text.substr(0, 1) == "<") {
    // "<0.5": below the laboratory's own quantification limit (an analytical instrument's "< LOQ");
    // whether that bound is low enough to show compliance with the limit is checked once it is in
    // the limit's unit.
    Result<Decimal> bound = Decimal::Parse(text.substr(1));
    if (!bound.ok()) return Status::InvalidArgument("must be a decimal, \"nd\" or \"<\" followed by a decimal");
    o.kind = Observation::Kind::kNotDetected;
    o.value = *bound;
    o.has_bound = true;
    return o;
  }
  Result<Decimal> value = Decimal::Parse(text);
  if (!value.ok()) return value.status();
  o.value = *value;
  return o;
}

Decision Decide(const DecisionSubject& subject, const Limit& limit, Combine combine, const DecisionRule& rule,
                const std::vector<Observation>& observations, const std::optional<Decimal>& uncertainty) {
  Decimal w;
  if (rule.kind == DecisionRule::Kind::kGuarded && uncertainty) {
    Result<Decimal> band = rule.r.Times(*uncertainty);
    if (band.ok()) w = *band;
  }
  if (observations.empty()) return {Verdict::kFail, subject.label + ": no observation (" + subject.reference + ")"};
  const Picked picked = Pick(limit, combine, observations, w);
  const Verdict verdict = Judge(limit, picked.observation, w);
  std::string line = subject.label + " " + picked.prefix + Relation(limit, picked.observation);
  if (rule.kind == DecisionRule::Kind::kGuarded && uncertainty &&
      picked.observation.kind == Observation::Kind::kNumber) {
    line += ", U = " + WithUnit(uncertainty->ToString(), limit.unit);
  }
  line += " (" + subject.reference + "; " + rule.Describe() + "): " + VerdictHeadline(verdict);
  return {verdict, line};
}

}  // namespace lims
