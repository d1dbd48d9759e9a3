#include "lims/core/sample.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdio>
#include <utility>

#include "lims/core/units.h"

namespace lims {
namespace {

template <typename E, size_t N>
Result<E> ParseName(std::string_view text, const std::array<std::pair<E, std::string_view>, N>& names,
                    const char* what) {
  for (const auto& [value, name] : names) {
    if (name == text) return value;
  }
  std::string allowed;
  for (const auto& [value, name] : names) allowed += (allowed.empty() ? "" : ", ") + std::string(name);
  return Status::InvalidArgument(std::string(what) + " must be one of " + allowed);
}

template <typename E, size_t N>
std::string_view NameOf(E value, const std::array<std::pair<E, std::string_view>, N>& names) {
  for (const auto& [v, name] : names) {
    if (v == value) return name;
  }
  return "unknown";
}

constexpr std::array<std::pair<SampleStatus, std::string_view>, 5> kSampleStatuses{{
    {SampleStatus::kReceived, "received"},
    {SampleStatus::kInTesting, "in_testing"},
    {SampleStatus::kUnderReview, "under_review"},
    {SampleStatus::kReady, "ready"},
    {SampleStatus::kIssued, "issued"},
}};
constexpr std::array<std::pair<ReceiptCondition, std::string_view>, 3> kConditions{{
    {ReceiptCondition::kIntact, "intact"},
    {ReceiptCondition::kDamaged, "damaged"},
    {ReceiptCondition::kInsufficientQuantity, "insufficient_quantity"},
}};
constexpr std::array<std::pair<TestStatus, std::string_view>, 5> kTestStatuses{{
    {TestStatus::kPending, "pending"},
    {TestStatus::kEntered, "entered"},
    {TestStatus::kApproved, "approved"},
    {TestStatus::kRejected, "rejected"},
    {TestStatus::kInvalidated, "invalidated"},
}};

constexpr int64_t kMaxQuantity = 1000000;

size_t Utf8Length(const std::string& s) {
  size_t n = 0;
  for (char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80 ? 1 : 0;
  return n;
}

bool IsDestination(std::string_view d) {
  return d.size() == 2 && std::isupper(static_cast<unsigned char>(d[0])) &&
         std::isupper(static_cast<unsigned char>(d[1]));
}

void CheckValues(const TestRecord& test, const ResultEntry& entry, ParsedResult* out,
                 std::vector<FieldError>* malformed, std::vector<FieldError>* broken) {
  if (entry.values.empty()) malformed->push_back({"values", "at least one value is required"});
  for (size_t i = 0; i < entry.values.size(); ++i) {
    const std::string field = "values[" + std::to_string(i) + "]";
    Result<Observation> o = ParseObservation(test.limit, entry.values[i]);
    if (!o.ok()) {
      malformed->push_back({field, o.status().message()});
      continue;
    }
    if (o->kind == Observation::Kind::kNumber && o->value.IsNegative() && !test.limit.value.IsNegative()) {
      // Every limit judged so far is a non-negative quantity (mass fraction, force, energy); a
      // negative reading is an instrument or typing error, not a result.
      broken->push_back({field, "a negative value cannot be produced by this method"});
      continue;
    }
    out->record.values.push_back(entry.values[i]);
    out->observations.push_back(*o);
  }
  if (malformed->empty() && static_cast<int>(entry.values.size()) < test.specimens) {
    broken->push_back({"values", "the method needs " + std::to_string(test.specimens) + " specimen values"});
  }
}

void CheckUncertainty(const ResultEntry& entry, ParsedResult* out, std::vector<FieldError>* malformed,
                      std::vector<FieldError>* broken) {
  if (!entry.uncertainty) return;
  Result<Decimal> u = Decimal::Parse(*entry.uncertainty);
  if (!u.ok()) {
    malformed->push_back({"uncertainty", u.status().message()});
  } else if (u->IsNegative()) {
    broken->push_back({"uncertainty", "an expanded uncertainty cannot be negative"});
  } else {
    out->record.uncertainty = *u;
  }
}

// Brings numbers and the uncertainty to the limit's unit; an incompatible unit is refused.
void ConvertToLimitUnit(const TestRecord& test, ParsedResult* out, std::vector<FieldError>* broken) {
  if (!IsNumeric(test.limit.comparator)) return;
  const std::string& unit = out->record.unit;
  if (!SameDimension(unit, test.limit.unit)) {
    broken->push_back(
        {"unit", "\"" + unit + "\" cannot be converted to \"" + test.limit.unit + "\", the unit of the limit"});
    return;
  }
  for (size_t i = 0; i < out->observations.size(); ++i) {
    Observation& o = out->observations[i];
    const std::string field = "values[" + std::to_string(i) + "]";
    if (o.kind != Observation::Kind::kNumber && !o.has_bound) continue;
    Result<Decimal> v = ConvertUnit(o.value, unit, test.limit.unit);
    if (!v.ok()) {
      broken->push_back({field, v.status().message()});
      continue;
    }
    o.value = *v;
    if (o.has_bound && o.value > test.limit.value) {
      broken->push_back({field, "a quantification limit of " + o.text.substr(1) + " " + unit +
                                    " cannot show that the value is below " + test.limit.ToDisplay()});
    }
  }
  if (out->record.uncertainty) {
    Result<Decimal> u = ConvertUnit(*out->record.uncertainty, unit, test.limit.unit);
    if (u.ok())
      out->uncertainty = *u;
    else
      broken->push_back({"uncertainty", u.status().message()});
  }
}

}  // namespace

std::string_view SampleStatusName(SampleStatus s) {
  return NameOf(s, kSampleStatuses);
}
Result<SampleStatus> ParseSampleStatus(std::string_view t) {
  return ParseName(t, kSampleStatuses, "status");
}
std::string_view ReceiptConditionName(ReceiptCondition c) {
  return NameOf(c, kConditions);
}
Result<ReceiptCondition> ParseReceiptCondition(std::string_view t) {
  return ParseName(t, kConditions, "condition");
}
std::string_view TestStatusName(TestStatus s) {
  return NameOf(s, kTestStatuses);
}
Result<TestStatus> ParseTestStatus(std::string_view t) {
  return ParseName(t, kTestStatuses, "status");
}

namespace {

// Lengths match the columns of schema/001_foundation.sql: an over-long field is the client's error
// (422 naming the field), never a database error.
void CheckLengths(const NewSample& s, std::vector<FieldError>* errors) {
  const std::pair<const char*, const std::string*> fields[] = {{"product", &s.product},
                                                               {"article", &s.article},
                                                               {"lot", &s.lot},
                                                               {"quantity_unit", &s.quantity_unit},
                                                               {"condition_note", &s.condition_note},
                                                               {"storage_location", &s.storage_location}};
  const size_t limits[] = {400, 100, 100, 32, 1000, 100};
  for (size_t i = 0; i < std::size(fields); ++i) {
    if (Utf8Length(*fields[i].second) > limits[i]) {
      errors->push_back({fields[i].first, "longer than " + std::to_string(limits[i]) + " characters"});
    }
  }
}

void CheckSizes(const std::vector<std::string>& sizes, std::vector<FieldError>* errors) {
  if (sizes.size() > 12) errors->push_back({"sizes", "at most 12 sizes per sample"});
  for (size_t i = 0; i < sizes.size() && i < 12; ++i) {
    const std::string& size = sizes[i];
    if (size.empty() || size.size() > 12 || size.find(',') != std::string::npos) {
      errors->push_back({"sizes[" + std::to_string(i) + "]", "must be 1 to 12 characters without commas"});
    }
  }
}

}  // namespace

Status ValidateNewSample(const NewSample& s) {
  std::vector<FieldError> errors;
  if (s.quantity <= 0 || s.quantity > kMaxQuantity) {
    errors.push_back({"quantity", "must be a whole number from 1 to " + std::to_string(kMaxQuantity)});
  }
  CheckLengths(s, &errors);
  CheckSizes(s.sizes, &errors);
  if (s.requirements.empty() && !s.test_plan) {
    errors.push_back({"requirements", "name the requirements or give a test_plan"});
  }
  if (!IsDestination(s.destination)) {
    errors.push_back({"destination", "must be an ISO 3166-1 alpha-2 country code such as DE, or EU"});
  }
  if (s.condition != ReceiptCondition::kIntact && s.condition_note.empty()) {
    errors.push_back({"condition_note", "a damaged or short sample needs a note describing it"});
  }
  for (size_t i = 0; i < s.requirements.size(); ++i) {
    for (size_t j = 0; j < i; ++j) {
      if (s.requirements[i] == s.requirements[j]) {
        errors.push_back({"requirements[" + std::to_string(i) + "]", "listed twice"});
        break;  // one error per repeated entry, however many earlier copies it has
      }
    }
  }
  if (!s.due_date.empty() && !IsCalendarDate(s.due_date)) errors.push_back({"due_date", "must be a date, YYYY-MM-DD"});
  if (errors.empty()) return Status::Ok();
  return Status::Unprocessable("the sample breaks intake rules", std::move(errors));
}

Result<ParsedResult> ParseResultEntry(const TestRecord& test, const ResultEntry& entry) {
  ParsedResult out;
  out.record.test_id = test.id;
  out.record.unit = entry.unit;
  out.record.remarks = entry.remarks;
  std::vector<FieldError> malformed;
  std::vector<FieldError> broken;
  CheckValues(test, entry, &out, &malformed, &broken);
  CheckUncertainty(entry, &out, &malformed, &broken);
  if (IsNumeric(test.limit.comparator) && entry.unit.empty()) malformed.push_back({"unit", "is required"});
  if (!malformed.empty()) return Status::InvalidArgument("the result is malformed", std::move(malformed));
  ConvertToLimitUnit(test, &out, &broken);
  const bool guarded = test.decision_rule.kind == DecisionRule::Kind::kGuarded;
  const bool any_number = std::any_of(out.observations.begin(), out.observations.end(),
                                      [](const Observation& o) { return o.kind == Observation::Kind::kNumber; });
  // The guard band needs U only where a number is judged: a non-detect or an observation has none.
  if (guarded && any_number && !entry.uncertainty) {
    broken.push_back({"uncertainty", "required: the sample's decision rule is " + test.decision_rule.Describe()});
  }
  if (!broken.empty()) return Status::Unprocessable("the result breaks a rule", std::move(broken));
  return out;
}

Decision DecideTest(const TestRecord& test, const ParsedResult& parsed) {
  const DecisionSubject subject{test.label.empty() ? test.property : test.label, test.standard + " " + test.clause};
  return Decide(subject, test.limit, test.combine, test.decision_rule, parsed.observations, parsed.uncertainty);
}

SampleVerdict JudgeSample(const SampleRecord& sample) {
  SampleVerdict out;
  for (const TestRecord& t : sample.tests) {
    // An invalidated test is history: its retest stands in its place, and its result never
    // reaches a verdict or a certificate. A rejected result is back with the technician.
    if (t.status == TestStatus::kInvalidated) continue;
    if (!t.result || t.status == TestStatus::kRejected) {
      ++out.open;
      continue;
    }
    out.worst_so_far = std::max(out.worst_so_far, t.result->verdict);
    if (IsRejection(t.result->verdict)) out.failing.push_back(&t);
  }
  if (out.open == 0 && !sample.tests.empty()) out.verdict = out.worst_so_far;
  return out;
}

std::string SampleVerdict::Describe() const {
  std::string headline = VerdictHeadline(worst_so_far);
  for (size_t i = 1; i < headline.size(); ++i) {
    if (headline[i - 1] != ' ') headline[i] = static_cast<char>(std::tolower(static_cast<unsigned char>(headline[i])));
  }
  if (!failing.empty())
    headline += " (" + std::to_string(failing.size()) + " requirement" + (failing.size() == 1 ? ")" : "s)");
  if (!verdict)
    return "Pending (" + std::to_string(open) + " test" + (open == 1 ? "" : "s") + " open; so far " + headline + ")";
  return headline;
}

std::string FormatSampleNumber(std::string_view lab_code, int year, int64_t sequence) {
  char tail[32];
  std::snprintf(tail, sizeof tail, "-%04d-%06lld", year, static_cast<long long>(sequence));
  return std::string(lab_code) + tail;
}

bool LooksLikeSampleNumber(std::string_view text) {
  // LAB (2-8 upper-case letters) - YYYY - at least 6 digits.
  const size_t first = text.find('-');
  if (first == std::string_view::npos || first < 2 || first > 8) return false;
  for (size_t i = 0; i < first; ++i) {
    if (!std::isupper(static_cast<unsigned char>(text[i]))) return false;
  }
  std::string_view rest = text.substr(first + 1);
  if (rest.size() < 11 || rest[4] != '-') return false;
  for (size_t i = 0; i < rest.size(); ++i) {
    if (i != 4 && !std::isdigit(static_cast<unsigned char>(rest[i]))) return false;
  }
  return true;
}

}  // namespace lims
