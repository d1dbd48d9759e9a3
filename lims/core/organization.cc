#include "lims/core/organization.h"

#include <algorithm>
#include <cctype>
#include <utility>

namespace lims {
namespace {

constexpr std::string_view kGstinCharset = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";

bool IsDigit(char c) {
  return c >= '0' && c <= '9';
}
bool IsUpper(char c) {
  return c >= 'A' && c <= 'Z';
}
bool IsLower(char c) {
  return c >= 'a' && c <= 'z';
}
bool AnyLower(std::string_view s) {
  return std::any_of(s.begin(), s.end(), IsLower);
}
bool AllDigits(std::string_view s) {
  return std::all_of(s.begin(), s.end(), IsDigit);
}

// PAN: five letters, four digits, one letter ("AAPFU0939F").
bool IsPan(std::string_view s) {
  if (s.size() != 10) return false;
  for (size_t i = 0; i < 10; ++i) {
    const bool digit_place = i >= 5 && i <= 8;
    if (digit_place ? !IsDigit(s[i]) : !IsUpper(s[i])) return false;
  }
  return true;
}

// CBIC state codes: 01-38 are the states and union territories, 97 "other territory", 99 the
// centre's jurisdiction.
bool IsStateCode(std::string_view s) {
  if (s.size() != 2 || !IsDigit(s[0]) || !IsDigit(s[1])) return false;
  const int code = (s[0] - '0') * 10 + (s[1] - '0');
  return (code >= 1 && code <= 38) || code == 97 || code == 99;
}

// Characters, not bytes: names and addresses are often in Devanagari.
size_t Utf8Length(std::string_view s) {
  size_t n = 0;
  for (char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80 ? 1 : 0;
  return n;
}

// The first `n` characters of `s`, never cutting a multi-byte character.
std::string Utf8Prefix(std::string_view s, size_t n) {
  size_t chars = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80 && chars++ == n) return std::string(s.substr(0, i));
  }
  return std::string(s);
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

bool EqualsIgnoringCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

void CheckLength(const char* field, const std::string& value, size_t limit, std::vector<FieldError>* errors) {
  if (Utf8Length(value) > limit) errors->push_back({field, "longer than " + std::to_string(limit) + " characters"});
}

void CheckNames(Organization* org, std::vector<FieldError>* errors) {
  if (Trim(org->name).empty()) {
    errors->push_back({"name", "is required"});
  } else {
    CheckLength("name", org->name, 200, errors);
  }
  if (Trim(org->short_name).empty()) org->short_name = std::string(Trim(Utf8Prefix(org->name, 40)));
  CheckLength("short_name", org->short_name, 40, errors);
}

void CheckRegistrations(const Organization& org, std::vector<FieldError>* errors) {
  const std::string iec_problem = IecProblem(org.iec);
  if (!iec_problem.empty()) errors->push_back({"iec", iec_problem});
  if (org.gstin.empty()) return;
  const std::string gstin_problem = GstinProblem(org.gstin);
  if (!gstin_problem.empty()) {
    errors->push_back({"gstin", gstin_problem});
    return;
  }
  // A legacy (all-digit) IEC predates PAN-based codes: nothing to compare it with.
  const std::string pan = org.gstin.substr(2, 10);
  if (iec_problem.empty() && IsPan(org.iec) && pan != org.iec) {
    errors->push_back({"gstin", "its PAN part " + pan + " differs from the IEC " + org.iec});
  }
}

const District* FindDistrict(const std::vector<District>& districts, std::string_view name) {
  for (const District& d : districts) {
    if (d.name == name) return &d;
  }
  for (const District& d : districts) {
    if (EqualsIgnoringCase(d.name, name)) return &d;
  }
  return nullptr;
}

void CheckDistrict(Organization* org, const std::vector<District>& districts, bool allow_other_districts,
                   std::vector<FieldError>* errors) {
  if (const District* d = FindDistrict(districts, Trim(org->district))) {
    org->district = d->name;  // the list's spelling, so that reports group by district
    org->state = d->state;
    return;
  }
  if (allow_other_districts) {
    CheckLength("district", org->district, 100, errors);
    CheckLength("state", org->state, 100, errors);
    return;
  }
  if (Trim(org->district).empty()) {
    errors->push_back({"district", "is required"});
  } else {
    errors->push_back({"district", "\"" + org->district + "\" is not in the district list"});
  }
}

}  // namespace

std::string IecProblem(std::string_view iec) {
  if (iec.empty()) return "is required";
  if (iec.size() != 10) return "must be 10 characters";
  if (AllDigits(iec) || IsPan(iec)) return "";
  if (AnyLower(iec)) return "must be upper case";
  return "must be 10 digits or a PAN (5 letters, 4 digits, 1 letter)";
}

char GstinCheckCharacter(std::string_view first14) {
  if (first14.size() < 14) return '\0';
  int sum = 0;
  for (size_t i = 0; i < 14; ++i) {
    const size_t value = kGstinCharset.find(first14[i]);
    if (value == std::string_view::npos) return '\0';
    const int product = static_cast<int>(value) * (i % 2 == 0 ? 1 : 2);
    sum += product / 36 + product % 36;
  }
  return kGstinCharset[(36 - sum % 36) % 36];
}

std::string GstinProblem(std::string_view gstin) {
  if (gstin.size() != 15) return "must be 15 characters";
  if (AnyLower(gstin)) return "must be upper case";
  if (!IsStateCode(gstin.substr(0, 2))) return "must start with a state code (01 to 38, 97 or 99)";
  if (!IsPan(gstin.substr(2, 10))) return "characters 3 to 12 must be a PAN (5 letters, 4 digits, 1 letter)";
  if (!IsDigit(gstin[12]) && !IsUpper(gstin[12])) return "character 13 (entity number) must be 1-9 or A-Z";
  if (gstin[12] == '0') return "character 13 (entity number) must be 1-9 or A-Z";
  if (gstin[13] != 'Z') return "character 14 must be Z";
  const char expected = GstinCheckCharacter(gstin.substr(0, 14));
  if (gstin[14] != expected) {
    return "check character " + std::string(1, gstin[14]) + " is wrong (expected " + std::string(1, expected) +
           "): a character is mistyped";
  }
  return "";
}

Status ValidateOrganization(Organization* org, const std::vector<District>& districts, bool allow_other_districts) {
  std::vector<FieldError> errors;
  CheckNames(org, &errors);
  CheckRegistrations(*org, &errors);
  CheckLength("address", org->address, 400, &errors);
  CheckDistrict(org, districts, allow_other_districts, &errors);
  CheckLength("odop_product", org->odop_product, 200, &errors);
  if (errors.empty()) return Status::Ok();
  return Status::Unprocessable("the organisation's details break registration rules", std::move(errors));
}

}  // namespace lims
