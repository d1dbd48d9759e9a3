#include "lims/core/workflow.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <chrono>
#include <utility>

#include "lims/core/units.h"

namespace lims {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

bool Blank(std::string_view s) {
  return Trim(s).empty();
}

size_t Utf8Length(std::string_view s) {
  size_t n = 0;
  for (char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80 ? 1 : 0;
  return n;
}

template <typename T, typename NameFn>
std::string JoinNames(const std::vector<T>& states, NameFn name) {
  if (states.empty()) return "nothing (final)";
  std::string out;
  for (const T& s : states) out += (out.empty() ? "" : ", ") + std::string(name(s));
  return out;
}

// "test 12 is approved; it can go to: invalidated".
template <typename T, typename NameFn>
Status CheckTransition(const std::string& what, T from, T to, const std::vector<T>& allowed, NameFn name) {
  if (std::find(allowed.begin(), allowed.end(), to) != allowed.end()) return Status::Ok();
  return Status::Conflict(what + " is " + std::string(name(from)) + "; it can go to: " + JoinNames(allowed, name));
}

constexpr std::array<std::pair<CustodyKind, std::string_view>, 8> kCustodyKinds{{
    {CustodyKind::kReceived, "received"},
    {CustodyKind::kSplit, "split"},
    {CustodyKind::kMoved, "moved"},
    {CustodyKind::kHandedToTest, "handed_to_test"},
    {CustodyKind::kConsumed, "consumed"},
    {CustodyKind::kReturned, "returned"},
    {CustodyKind::kRetained, "retained"},
    {CustodyKind::kDisposed, "disposed"},
}};

// "YYYY-MM-DD" naming a day that exists (2028-02-29 does, 2026-02-29 does not).
bool IsCalendarDate(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (!std::isdigit(static_cast<unsigned char>(s[i]))) return false;
  }
  auto number = [&](size_t at, size_t len) {
    int n = 0;
    for (size_t i = at; i < at + len; ++i) n = n * 10 + (s[i] - '0');
    return n;
  };
  const std::chrono::year_month_day date{std::chrono::year(number(0, 4)),
                                         std::chrono::month(static_cast<unsigned>(number(5, 2))),
                                         std::chrono::day(static_cast<unsigned>(number(8, 2)))};
  return date.ok();
}

void RequireText(const char* field, const std::string& value, const char* why, std::vector<FieldError>* errors) {
  if (Blank(value)) errors->push_back({field, why});
}

// Each kind's required fields; lengths match custody_events (schema 001 and 006).
void CheckCustodyFields(const CustodyRequest& r, std::vector<FieldError>* errors) {
  switch (r.kind) {
    case CustodyKind::kMoved:
    case CustodyKind::kReturned:
      RequireText("location", r.location, "is required: say where the sample is now", errors);
      break;
    case CustodyKind::kRetained:
      RequireText("location", r.location, "is required: say where the sample is now", errors);
      if (r.retain_until.empty()) {
        errors->push_back({"retain_until", "is required for a retained sample"});
      } else if (!IsCalendarDate(r.retain_until)) {
        errors->push_back({"retain_until", "must be a date YYYY-MM-DD"});
      }
      break;
    case CustodyKind::kConsumed:
    case CustodyKind::kDisposed:
      RequireText("note", r.note, "is required: say how and why", errors);
      break;
    case CustodyKind::kHandedToTest:
      if (!r.test_id || *r.test_id <= 0) errors->push_back({"test", "is required: name the test it was handed to"});
      break;
    case CustodyKind::kReceived:
    case CustodyKind::kSplit:
      break;
  }
  if (Utf8Length(r.location) > 100) errors->push_back({"location", "longer than 100 characters"});
  if (Utf8Length(r.note) > 1000) errors->push_back({"note", "longer than 1000 characters"});
}

// The words for a dimension of the unit registry in "a … cannot be negative".
std::string QuantityName(std::string_view dimension) {
  if (dimension == "dimensionless") return "count";
  if (dimension.starts_with("time")) return "time";
  return std::string(dimension);
}

std::string WithArticle(const std::string& noun) {
  const bool vowel = !noun.empty() && std::string_view("aeiou").find(noun[0]) != std::string_view::npos;
  return (vowel ? "an " : "a ") + noun;
}

// Quantities that may be below zero: a temperature difference, a pH (strong acids).
bool MayBeNegative(std::string_view dimension) {
  return dimension == "temperature difference" || dimension == "pH";
}

// The reason `value` (in `unit`) cannot be a measurement, or "".
std::string ImpossibleReason(const Decimal& value, const UnitInfo& unit) {
  if (value.IsNegative() && !MayBeNegative(unit.dimension)) {
    return WithArticle(QuantityName(unit.dimension)) + " cannot be negative";
  }
  const Decimal hundred = Decimal::FromInteger(100);
  if (unit.symbol == "%" && value > hundred) return "cannot exceed 100 %";
  if (unit.dimension == "mass fraction") {
    Result<Decimal> percent = ConvertUnit(value, unit.symbol, "% w/w");
    if (percent.ok() && *percent > hundred) return "a mass fraction cannot exceed 100 % w/w";
  }
  return "";
}

void CheckRange(const char* field, const std::optional<Decimal>& value, int64_t low, int64_t high,
                const std::string& unit, std::vector<FieldError>* errors) {
  if (!value) return;
  if (*value < Decimal::FromInteger(low) || *value > Decimal::FromInteger(high)) {
    errors->push_back({field, "must be from " + std::to_string(low) + " to " + std::to_string(high) + " " + unit});
  }
}

}  // namespace

std::vector<TestStatus> AllowedTestTransitions(TestStatus from) {
  switch (from) {
    case TestStatus::kPending:
      return {TestStatus::kEntered};
    case TestStatus::kEntered:
      return {TestStatus::kApproved, TestStatus::kRejected, TestStatus::kInvalidated};
    case TestStatus::kRejected:
      return {TestStatus::kEntered, TestStatus::kInvalidated};
    case TestStatus::kApproved:
      return {TestStatus::kInvalidated};
    case TestStatus::kInvalidated:
      return {};
  }
  return {};
}

Status CheckTestTransition(int64_t test_id, TestStatus from, TestStatus to) {
  return CheckTransition("test " + std::to_string(test_id), from, to, AllowedTestTransitions(from), TestStatusName);
}

// Forward moves may skip states (results can arrive and be approved before the status is next
// read); backward moves reopen work after a retest or a rejection. Only a ready sample issues.
std::vector<SampleStatus> AllowedSampleTransitions(SampleStatus from) {
  switch (from) {
    case SampleStatus::kReceived:
      return {SampleStatus::kInTesting, SampleStatus::kUnderReview, SampleStatus::kReady};
    case SampleStatus::kInTesting:
      return {SampleStatus::kUnderReview, SampleStatus::kReady};
    case SampleStatus::kUnderReview:
      return {SampleStatus::kInTesting, SampleStatus::kReady};
    case SampleStatus::kReady:
      return {SampleStatus::kInTesting, SampleStatus::kUnderReview, SampleStatus::kIssued};
    case SampleStatus::kIssued:
      return {};
  }
  return {};
}

Status CheckSampleTransition(std::string_view number, SampleStatus from, SampleStatus to) {
  return CheckTransition("sample " + std::string(number), from, to, AllowedSampleTransitions(from), SampleStatusName);
}

SampleStatus DeriveSampleStatus(const std::vector<TestStatus>& current_tests, bool handed_over) {
  int current = 0;
  int pending = 0;
  int open = 0;  // pending or rejected: work left at the bench
  int approved = 0;
  for (TestStatus t : current_tests) {
    if (t == TestStatus::kInvalidated) continue;  // history: its replacement is in the list
    ++current;
    pending += t == TestStatus::kPending ? 1 : 0;
    open += t == TestStatus::kPending || t == TestStatus::kRejected ? 1 : 0;
    approved += t == TestStatus::kApproved ? 1 : 0;
  }
  if (pending == current) return handed_over ? SampleStatus::kInTesting : SampleStatus::kReceived;
  if (open > 0) return SampleStatus::kInTesting;
  return approved == current ? SampleStatus::kReady : SampleStatus::kUnderReview;
}

std::string_view CustodyKindName(CustodyKind k) {
  for (const auto& [kind, name] : kCustodyKinds) {
    if (kind == k) return name;
  }
  return "unknown";
}

Result<CustodyKind> ParseCustodyKind(std::string_view text) {
  for (const auto& [kind, name] : kCustodyKinds) {
    if (name == text) return kind;
  }
  std::string allowed;
  for (const auto& [kind, name] : kCustodyKinds) allowed += (allowed.empty() ? "" : ", ") + std::string(name);
  return Status::InvalidArgument("unknown custody event", {{"event", "must be one of " + allowed}});
}

Status ValidateCustody(const CustodyRequest& request, const std::vector<std::string>& earlier_events) {
  if (request.kind == CustodyKind::kReceived) {
    return Status::Unprocessable("\"received\" is written by intake",
                                 {{"event", "received is written by intake only"}});
  }
  if (std::find(earlier_events.begin(), earlier_events.end(), "disposed") != earlier_events.end()) {
    return Status::Conflict("the sample was disposed; no custody event can follow its disposal");
  }
  std::vector<FieldError> errors;
  CheckCustodyFields(request, &errors);
  if (errors.empty()) return Status::Ok();
  return Status::Unprocessable("the custody event is incomplete", std::move(errors));
}

Status CheckConditions(const TestConditions& c) {
  std::vector<FieldError> errors;
  CheckRange("temperature_c", c.temperature_c, -40, 100, "°C", &errors);
  CheckRange("humidity_pct", c.humidity_pct, 0, 100, "%", &errors);
  if (errors.empty()) return Status::Ok();
  return Status::Unprocessable("the test conditions are outside what a laboratory can be", std::move(errors));
}

// Judges only what parses as a number in a known unit: "nd", "pass" and "<0.5" are the comparator's
// to judge, and an unknown unit is refused where the result is parsed (ParseResultEntry).
Status CheckPhysicallyPossible(const std::vector<std::string>& values, std::string_view unit) {
  const UnitInfo* info = FindUnit(unit);
  if (info == nullptr) return Status::Ok();
  std::vector<FieldError> errors;
  for (size_t i = 0; i < values.size(); ++i) {
    Result<Decimal> value = Decimal::Parse(values[i]);
    if (!value.ok()) continue;
    std::string reason = ImpossibleReason(*value, *info);
    if (!reason.empty()) errors.push_back({"values[" + std::to_string(i) + "]", std::move(reason)});
  }
  if (errors.empty()) return Status::Ok();
  return Status::Unprocessable("a value cannot be produced by a measurement", std::move(errors));
}

Result<ReviewDecision> ParseReviewDecision(std::string_view text) {
  if (text == "approve") return ReviewDecision::kApprove;
  if (text == "reject") return ReviewDecision::kReject;
  return Status::InvalidArgument("unknown review decision", {{"decision", "must be approve or reject"}});
}

Status CheckReview(int64_t entered_by, int64_t reviewer, ReviewDecision decision, std::string_view comment) {
  std::vector<FieldError> errors;
  if (entered_by == reviewer) {
    errors.push_back({"reviewer", "the reviewer entered this result; a second person must review it (four-eyes rule)"});
  }
  if (decision == ReviewDecision::kReject && Blank(comment)) {
    errors.push_back({"comment", "a rejection needs a comment saying what is wrong"});
  }
  if (Utf8Length(comment) > 2000) errors.push_back({"comment", "longer than 2000 characters"});
  if (errors.empty()) return Status::Ok();
  return Status::Unprocessable("the review breaks a rule", std::move(errors));
}

Status CheckRetestReason(std::string_view reason) {
  if (Utf8Length(Trim(reason)) < 5) {
    return Status::Unprocessable("a retest needs a reason", {{"reason", "must be at least 5 characters"}});
  }
  if (Utf8Length(reason) > 2000) {
    return Status::Unprocessable("the retest reason is too long", {{"reason", "longer than 2000 characters"}});
  }
  return Status::Ok();
}

}  // namespace lims
