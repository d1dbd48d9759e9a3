#include "lims/core/units.h"

#include <array>
#include <string>

namespace lims {
namespace {

// Base unit of each dimension has exponent 0. Add a unit here and in docs/catalog-format.md.
constexpr std::array<UnitInfo, 31> kUnits{{
    {"mg/kg", "mass fraction", 0},
    {"µg/kg", "mass fraction", -3},
    {"g/kg", "mass fraction", 3},
    {"% w/w", "mass fraction", 4},
    {"N", "force", 0},
    {"kN", "force", 3},
    {"N/mm", "force per width", 0},
    {"Ω", "electrical resistance", 0},
    {"kΩ", "electrical resistance", 3},
    {"MΩ", "electrical resistance", 6},
    {"GΩ", "electrical resistance", 9},
    {"J", "energy", 0},
    {"mm", "length", 0},
    {"cm", "length", 1},
    {"m", "length", 3},
    {"µg/cm²/week", "release rate per area", 0},
    {"1", "dimensionless", 0},
    {"%", "ratio", 0},
    {"°C", "temperature difference", 0},
    {"mg", "mass", 0},
    {"g", "mass", 3},
    {"mm²", "area", 0},
    {"cm²", "area", 2},
    {"mm³", "volume", 0},
    {"mg/(cm²·h)", "vapour permeability", 0},
    {"mg/cm²", "mass per area", 0},
    {"mg/dm²", "mass per area", -2},
    {"pH", "pH", 0},
    {"mg/L", "mass concentration", 0},
    {"µg/L", "mass concentration", -3},
    {"s", "time", 0},
}};

// Minutes and hours do not convert by powers of ten; they are kept as separate dimensions.
const UnitInfo kMinute{"min", "time (minutes)", 0};
const UnitInfo kHour{"h", "time (hours)", 0};

std::string Canonical(std::string_view symbol) {
  std::string s(symbol);
  // Greek small mu (U+03BC, CE BC) → micro sign (U+00B5, C2 B5); Ohm sign (U+2126) → Omega (U+03A9).
  for (size_t i = 0; (i = s.find("\xCE\xBC", i)) != std::string::npos;) s.replace(i, 2, "\xC2\xB5");
  for (size_t i = 0; (i = s.find("\xE2\x84\xA6", i)) != std::string::npos;) s.replace(i, 3, "\xCE\xA9");
  return s;
}

}  // namespace

const UnitInfo* FindUnit(std::string_view symbol) {
  const std::string canonical = Canonical(symbol);
  if (canonical == "min") return &kMinute;
  if (canonical == "h") return &kHour;
  for (const UnitInfo& u : kUnits) {
    if (u.symbol == canonical) return &u;
  }
  return nullptr;
}

bool SameDimension(std::string_view a, std::string_view b) {
  const UnitInfo* ua = FindUnit(a);
  const UnitInfo* ub = FindUnit(b);
  return ua != nullptr && ub != nullptr && ua->dimension == ub->dimension;
}

Result<Decimal> ConvertUnit(const Decimal& value, std::string_view from, std::string_view to) {
  const UnitInfo* f = FindUnit(from);
  const UnitInfo* t = FindUnit(to);
  if (f == nullptr) return Status::Unprocessable("unknown unit \"" + std::string(from) + "\"");
  if (t == nullptr) return Status::Unprocessable("unknown unit \"" + std::string(to) + "\"");
  if (f->dimension != t->dimension) {
    return Status::Unprocessable("\"" + std::string(from) + "\" (" + std::string(f->dimension) +
                                 ") cannot be converted to \"" + std::string(to) + "\" (" + std::string(t->dimension) +
                                 ")");
  }
  return value.ScaledByPowerOfTen(f->exponent - t->exponent);
}

}  // namespace lims
