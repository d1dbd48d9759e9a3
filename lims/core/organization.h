// Exporter organisations: the lab's customers, and the checks on their Indian registrations.
//
// IEC (Importer-Exporter Code, DGFT): 10 characters. Since 2020 it equals the firm's PAN
// (5 letters, 4 digits, 1 letter); older codes are 10 digits. GSTIN (CBIC): 15 characters:
// 2-digit state code, the 10-character PAN, entity number (1-9, A-Z), 'Z', and a check character
// computed with the Luhn mod-36 algorithm over the first 14. Value types; thread-compatible.
#ifndef LIMS_CORE_ORGANIZATION_H_
#define LIMS_CORE_ORGANIZATION_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "lims/core/status.h"

namespace lims {

struct Organization {
  int64_t id = 0;
  std::string name;        // legal name
  std::string short_name;  // for labels and lists: "Sikandra Footwear"
  std::string iec;
  std::string gstin;  // "" when the exporter has none (a lab abroad, a firm below the threshold)
  std::string address;
  std::string district;
  std::string state;  // "Uttar Pradesh", ...
  std::string odop_product;
};

// A district as data (catalog/districts/districts.json, read by lims::catalog::LoadDistricts): Uttar
// Pradesh's 75 and any a lab adds.
struct District {
  std::string name;          // "Agra"
  std::string state;         // "Uttar Pradesh"
  std::string odop_product;  // the district's One District One Product, "" when unknown
};

// Empty string when valid, else the reason ("must be 10 characters", ...).
std::string IecProblem(std::string_view iec);
std::string GstinProblem(std::string_view gstin);
// The Luhn mod-36 check character of the first 14 characters of a GSTIN (0-9, A-Z).
char GstinCheckCharacter(std::string_view first14);

// Validates a new organisation: name (1-200), short_name (≤ 40; defaults to the name's first
// 40 characters when empty), IEC, GSTIN (optional; when given, its PAN part must equal a
// PAN-style IEC), address (≤ 400), district known in `districts` (else a field error naming the
// district) unless `allow_other_districts`, odop_product (≤ 200). Fills `state` from the district.
// kUnprocessable with field errors naming "iec", "gstin", "district", ...
Status ValidateOrganization(Organization* org, const std::vector<District>& districts, bool allow_other_districts);

}  // namespace lims

#endif  // LIMS_CORE_ORGANIZATION_H_
