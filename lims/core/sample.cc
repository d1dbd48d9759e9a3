#include "lims/core/sample.h"

#include <array>
#include <cctype>
#include <cstdio>
#include <utility>

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

void CheckValues(const TestRecord& test, const ResultEntry& entry, ResultRecord* out,
                 std::vector<FieldError>* malformed, std::vector<FieldError>* broken) {
  if (entry.values.empty()) malformed->push_back({"values", "at least one value is required"});
  for (size_t i = 0; i < entry.values.size(); ++i) {
    const std::string field = "values[" + std::to_string(i) + "]";
    Result<Decimal> v = Decimal::Parse(entry.values[i]);
    if (!v.ok()) {
      malformed->push_back({field, v.status().message()});
    } else if (v->IsNegative() && test.limit.value >= Decimal()) {
      // Every limit the lab judges against so far is a non-negative quantity (mass fraction,
      // force, energy); a negative reading is an instrument or typing error, not a result.
      broken->push_back({field, "a negative value cannot be produced by this method"});
    } else {
      out->values.push_back(*v);
    }
  }
}

void CheckUncertainty(const ResultEntry& entry, ResultRecord* out, std::vector<FieldError>* malformed,
                      std::vector<FieldError>* broken) {
  if (!entry.uncertainty) return;
  Result<Decimal> u = Decimal::Parse(*entry.uncertainty);
  if (!u.ok()) {
    malformed->push_back({"uncertainty", u.status().message()});
  } else if (u->IsNegative()) {
    broken->push_back({"uncertainty", "an expanded uncertainty cannot be negative"});
  } else {
    out->uncertainty = *u;
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
  if (s.requirements.empty()) errors.push_back({"requirements", "at least one requirement is needed"});
  if (!IsDestination(s.destination)) {
    errors.push_back({"destination", "must be an ISO 3166-1 alpha-2 country code such as DE, or EU"});
  }
  if (s.decision_rule != "simple") {
    errors.push_back({"decision_rule", "only \"simple\" is supported until the decision-rule catalog lands"});
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
  if (errors.empty()) return Status::Ok();
  return Status::Unprocessable("the sample breaks intake rules", std::move(errors));
}

Result<ResultRecord> ParseResultEntry(const TestRecord& test, const ResultEntry& entry) {
  ResultRecord out;
  out.test_id = test.id;
  out.unit = entry.unit;
  out.remarks = entry.remarks;
  std::vector<FieldError> malformed;
  std::vector<FieldError> broken;
  CheckValues(test, entry, &out, &malformed, &broken);
  CheckUncertainty(entry, &out, &malformed, &broken);
  if (!malformed.empty()) return Status::InvalidArgument("the result is malformed", std::move(malformed));
  if (entry.unit != test.limit.unit) {
    broken.push_back({"unit", "must be \"" + test.limit.unit + "\", the unit of the limit"});
  }
  if (!broken.empty()) return Status::Unprocessable("the result breaks a rule", std::move(broken));
  return out;
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
