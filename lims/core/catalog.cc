#include "lims/core/catalog.h"

#include <algorithm>
#include <map>
#include <set>

#include "lims/core/units.h"

namespace lims {
namespace {

Status Problem(const StandardEdition& s, const std::string& entry, const std::string& reason) {
  return Status::InvalidArgument(s.file + ": " + entry + ": " + reason);
}

bool Contains(const std::vector<std::string>& list, const std::string& item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

Status CheckMarkingRefs(const StandardEdition& s) {
  std::set<std::string> codes;
  for (const Marking& m : s.markings) {
    if (!codes.insert(m.code).second) return Problem(s, "marking " + m.code, "defined twice");
  }
  for (const Marking& m : s.markings) {
    for (const std::string& inc : m.includes) {
      if (codes.count(inc) == 0) return Problem(s, "marking " + m.code, "includes unknown marking " + inc);
    }
    for (const std::string& req : m.requirements) {
      auto found = std::find_if(s.requirements.begin(), s.requirements.end(),
                                [&](const CatalogRequirement& r) { return r.id == req; });
      if (found == s.requirements.end()) return Problem(s, "marking " + m.code, "names unknown requirement " + req);
    }
  }
  return Status::Ok();
}

// Depth-first search for an inclusion cycle; `path` holds the markings on the current branch.
Status CheckNoCycle(const StandardEdition& s, const Marking& m, std::vector<std::string>* path) {
  if (Contains(*path, m.code)) {
    std::string cycle;
    for (const std::string& p : *path) cycle += p + " → ";
    return Problem(s, "marking " + path->front(), "inclusion cycle " + cycle + m.code);
  }
  path->push_back(m.code);
  for (const std::string& inc : m.includes) {
    LIMS_RETURN_IF_ERROR(CheckNoCycle(s, *s.FindMarking(inc), path));
  }
  path->pop_back();
  return Status::Ok();
}

Status CheckVocabulary(const Vocabulary& v, const StandardEdition& s, const CatalogRequirement& r) {
  for (const std::string& family : r.product_families) {
    auto parts = v.family_parts.find(family);
    if (parts == v.family_parts.end()) return Problem(s, "requirement " + r.id, "unknown product family " + family);
  }
  for (const std::string& part : r.parts) {
    const bool known = std::any_of(r.product_families.begin(), r.product_families.end(),
                                   [&](const std::string& f) { return Contains(v.family_parts.at(f), part); });
    if (!known) return Problem(s, "requirement " + r.id, "unknown part " + part);
  }
  for (const std::string& material : r.materials) {
    if (!Contains(v.materials, material)) return Problem(s, "requirement " + r.id, "unknown material " + material);
  }
  return Status::Ok();
}

Status CheckEdition(const Vocabulary& v, const StandardEdition& s, std::set<std::string>* ids) {
  for (const CatalogRequirement& r : s.requirements) {
    if (!ids->insert(r.id).second) return Problem(s, "requirement " + r.id, "id used twice in the catalog");
    LIMS_RETURN_IF_ERROR(CheckVocabulary(v, s, r));
  }
  LIMS_RETURN_IF_ERROR(CheckMarkingRefs(s));
  for (const Marking& m : s.markings) {
    std::vector<std::string> path;
    LIMS_RETURN_IF_ERROR(CheckNoCycle(s, m, &path));
  }
  return Status::Ok();
}

void ExpandInto(const StandardEdition& s, const Marking& m, std::set<std::string>* ids) {
  for (const std::string& r : m.requirements) ids->insert(r);
  for (const std::string& inc : m.includes) ExpandInto(s, *s.FindMarking(inc), ids);
}

}  // namespace

std::optional<Limit> CatalogRequirement::LimitForSize(std::optional<int> size) const {
  if (limits_by_size.empty()) return limit;
  if (!size) return std::nullopt;
  for (const SizeLimit& band : limits_by_size) {
    if ((!band.min_size || *size >= *band.min_size) && (!band.max_size || *size <= *band.max_size)) {
      Limit out = limit;
      out.value = band.limit;
      return out;
    }
  }
  return std::nullopt;
}

const Marking* StandardEdition::FindMarking(std::string_view wanted) const {
  for (const Marking& m : markings) {
    if (m.code == wanted) return &m;
  }
  return nullptr;
}

namespace {

// One property key is one determination: all its limits must measure the same dimension.
Status CheckKeyDimensions(const std::vector<StandardEdition>& standards) {
  std::map<std::string, std::pair<std::string, std::string>> seen;  // key → (unit, requirement)
  for (const StandardEdition& s : standards) {
    for (const CatalogRequirement& r : s.requirements) {
      if (r.property_key.empty() || !IsNumeric(r.limit.comparator)) continue;
      auto [it, inserted] = seen.try_emplace(r.property_key, r.limit.unit, r.id);
      if (!inserted && !SameDimension(it->second.first, r.limit.unit)) {
        return Problem(s, "requirement " + r.id,
                       "unit " + r.limit.unit + " of property_key " + r.property_key + " does not convert to " +
                           it->second.first + " of " + it->second.second);
      }
    }
  }
  return Status::Ok();
}

}  // namespace

Result<Catalog> Catalog::Build(Vocabulary vocabulary, std::vector<StandardEdition> standards) {
  std::set<std::string> requirement_ids;
  std::set<std::string> standard_ids;
  for (const StandardEdition& s : standards) {
    if (!standard_ids.insert(s.id).second || !standard_ids.insert("code:" + s.code).second) {
      return Problem(s, "standard " + s.id, "another file defines the same standard");
    }
    LIMS_RETURN_IF_ERROR(CheckEdition(vocabulary, s, &requirement_ids));
  }
  LIMS_RETURN_IF_ERROR(CheckKeyDimensions(standards));
  Catalog c;
  c.vocabulary_ = std::move(vocabulary);
  c.standards_ = std::move(standards);
  return c;
}

const StandardEdition* Catalog::FindStandard(std::string_view id_or_code) const {
  for (const StandardEdition& s : standards_) {
    if (s.id == id_or_code || s.code == id_or_code) return &s;
  }
  return nullptr;
}

const CatalogRequirement* Catalog::FindRequirement(std::string_view id) const {
  for (const StandardEdition& s : standards_) {
    for (const CatalogRequirement& r : s.requirements) {
      if (r.id == id) return &r;
    }
  }
  return nullptr;
}

std::vector<const CatalogRequirement*> Catalog::Expand(const StandardEdition& standard, const Marking& marking) const {
  std::set<std::string> ids;
  ExpandInto(standard, marking, &ids);
  std::vector<const CatalogRequirement*> out;
  for (const CatalogRequirement& r : standard.requirements) {
    if (ids.count(r.id) > 0) out.push_back(&r);
  }
  return out;
}

}  // namespace lims
