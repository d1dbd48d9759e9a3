#include "lims/core/test_plan.h"

#include <algorithm>
#include <set>

#include "lims/core/units.h"

namespace lims {
namespace {

struct Candidate {
  const CatalogRequirement* requirement;
  const StandardEdition* standard;
};

bool Contains(const std::vector<std::string>& list, const std::string& item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

std::vector<std::string> FamiliesOf(const CatalogRequirement& r, const StandardEdition& s) {
  return r.product_families.empty() ? s.product_families : r.product_families;
}

Status CheckMaterials(const Catalog& catalog, const TestPlanRequest& req) {
  auto family = catalog.vocabulary().family_parts.find(req.product_family);
  if (family == catalog.vocabulary().family_parts.end()) {
    return Status::Unprocessable("unknown product family", {{"product_family", "unknown: " + req.product_family}});
  }
  std::vector<FieldError> errors;
  for (const auto& [part, material] : req.materials) {
    if (!Contains(family->second, part)) errors.push_back({"materials." + part, "not a part of " + req.product_family});
    if (!Contains(catalog.vocabulary().materials, material)) {
      errors.push_back({"materials." + part, "unknown material " + material});
    }
  }
  if (!errors.empty()) return Status::Unprocessable("the materials are not known to the catalog", std::move(errors));
  return Status::Ok();
}

Status AddMarking(const Catalog& catalog, const TestPlanRequest& req, size_t i, std::vector<Candidate>* out,
                  bool* ppe) {
  const MarkingRequest& m = req.markings[i];
  const std::string field = "markings[" + std::to_string(i) + "]";
  const StandardEdition* s = catalog.FindStandard(m.standard);
  if (s == nullptr) return Status::Unprocessable("unknown standard", {{field + ".standard", "unknown: " + m.standard}});
  if (!Contains(s->product_families, req.product_family)) {
    return Status::Unprocessable("standard does not cover the product",
                                 {{field + ".standard", s->code + " does not cover " + req.product_family}});
  }
  *ppe = *ppe || s->ppe;  // footwear marked to a PPE standard is PPE (Reg. (EU) 2016/425)
  std::vector<std::pair<std::string, std::string>> codes = {{field + ".marking", m.marking}};
  for (size_t j = 0; j < m.extra.size(); ++j)
    codes.push_back({field + ".extra[" + std::to_string(j) + "]", m.extra[j]});
  for (const auto& [where, code] : codes) {
    const Marking* marking = s->FindMarking(code);
    if (marking == nullptr) {
      return Status::Unprocessable("unknown marking", {{where, code + " is not a marking of " + s->code}});
    }
    for (const CatalogRequirement* r : catalog.Expand(*s, *marking)) out->push_back({r, s});
  }
  return Status::Ok();
}

Status AddRegulation(const Catalog& catalog, const TestPlanRequest& req, size_t i, std::vector<Candidate>* out) {
  const StandardEdition* s = catalog.FindStandard(req.regulations[i]);
  if (s == nullptr) {
    return Status::Unprocessable("unknown regulation",
                                 {{"regulations[" + std::to_string(i) + "]", "unknown: " + req.regulations[i]}});
  }
  for (const CatalogRequirement& r : s->requirements) out->push_back({&r, s});
  return Status::Ok();
}

// Whether `a` is at least as strict as `b` (same comparator family, limits in comparable units).
bool AtLeastAsStrict(const Limit& a, const Limit& b) {
  Result<Decimal> bv = ConvertUnit(b.value, b.unit, a.unit);
  if (!bv.ok()) return false;
  const bool upper_a = a.comparator == Comparator::kLess || a.comparator == Comparator::kLessOrEqual ||
                       a.comparator == Comparator::kNotDetected;
  if (a.value != *bv) return upper_a ? a.value < *bv : a.value > *bv;
  const bool a_exclusive = a.comparator != Comparator::kLessOrEqual && a.comparator != Comparator::kGreaterOrEqual;
  return a_exclusive || a.comparator == b.comparator;
}

// Direction of a limit, part of the de-duplication key: an upper and a lower limit on one
// property are two different checks.
std::string Direction(const Limit& l) {
  switch (l.comparator) {
    case Comparator::kLess:
    case Comparator::kLessOrEqual:
    case Comparator::kNotDetected:
      return "upper";
    case Comparator::kGreater:
    case Comparator::kGreaterOrEqual:
      return "lower";
    case Comparator::kRange:
      return "range";
    case Comparator::kNoFailure:
      return "observation";
  }
  return "";
}

// Limits in units of one dimension (mg/kg and % w/w) are one determination: AtLeastAsStrict converts.
std::string DimensionOf(const std::string& unit) {
  const UnitInfo* info = FindUnit(unit);
  return info == nullptr ? unit : std::string(info->dimension);
}

void Merge(PlannedTest&& t, std::map<std::string, PlannedTest>* plan, std::vector<std::string>* order) {
  const std::string key = (t.property_key.empty() ? t.requirement : t.property_key) + "|" + t.part + "|" + t.material +
                          "|" + Direction(t.limit) + "|" + DimensionOf(t.limit.unit);
  auto [it, inserted] = plan->try_emplace(key, t);
  if (inserted) {
    order->push_back(key);
    return;
  }
  PlannedTest& kept = it->second;
  std::vector<std::string> sources = kept.sources;
  for (const std::string& s : t.sources) {
    if (!Contains(sources, s)) sources.push_back(s);
  }
  const int specimens = std::max(kept.specimens, t.specimens);
  const bool range_or_observation = Direction(t.limit) == "range" || Direction(t.limit) == "observation";
  if (!range_or_observation && AtLeastAsStrict(t.limit, kept.limit) && !AtLeastAsStrict(kept.limit, t.limit)) kept = t;
  kept.sources = std::move(sources);
  kept.specimens = specimens;
}

Status Instantiate(const Candidate& c, const TestPlanRequest& req, bool ppe, std::map<std::string, PlannedTest>* plan,
                   std::vector<std::string>* order) {
  const CatalogRequirement& r = *c.requirement;
  if (!Contains(FamiliesOf(r, *c.standard), req.product_family) || (r.exempt_for_ppe && ppe)) return Status::Ok();
  std::vector<std::pair<std::string, std::string>> targets;
  if (r.parts.empty() && r.materials.empty()) {
    targets.push_back({"whole", ""});
  } else {
    for (const auto& [part, material] : req.materials) {
      const bool part_ok = r.parts.empty() || Contains(r.parts, part);
      const bool material_ok = r.materials.empty() || Contains(r.materials, material);
      if (part_ok && material_ok) targets.push_back({part, material});
    }
  }
  for (const auto& [part, material] : targets) {
    Result<PlannedTest> t = PlanRequirement(r, *c.standard, req.size);
    if (!t.ok()) return t.status();
    t->part = part;
    t->material = material;
    Merge(std::move(t).value(), plan, order);
  }
  return Status::Ok();
}

}  // namespace

Result<PlannedTest> PlanRequirement(const CatalogRequirement& r, const StandardEdition& s, std::optional<int> size) {
  std::optional<Limit> limit = r.LimitForSize(size);
  if (!limit) {
    const std::string why = size ? "no limit for size " + std::to_string(*size) : "the limit depends on the shoe size";
    return Status::Unprocessable("a size is needed", {{"size", why + " (" + r.id + ")"}});
  }
  PlannedTest t;
  t.requirement = r.id;
  t.requirement_sha256 = r.content_sha256;
  t.standard = s.code;
  t.clause = r.clause;
  t.property = r.property;
  t.label = r.label;
  t.property_key = r.property_key;
  t.method = r.method;
  t.part = "whole";
  t.limit = *limit;
  t.combine = r.combine;
  t.specimens = r.specimens;
  t.sources = {s.code + " " + r.clause};
  return t;
}

Result<TestPlan> DeriveTestPlan(const Catalog& catalog, const TestPlanRequest& req) {
  LIMS_RETURN_IF_ERROR(CheckMaterials(catalog, req));
  std::vector<Candidate> candidates;
  bool ppe = false;
  for (size_t i = 0; i < req.markings.size(); ++i) {
    LIMS_RETURN_IF_ERROR(AddMarking(catalog, req, i, &candidates, &ppe));
  }
  for (size_t i = 0; i < req.regulations.size(); ++i) LIMS_RETURN_IF_ERROR(AddRegulation(catalog, req, i, &candidates));
  if (candidates.empty()) {
    return Status::Unprocessable("nothing to test", {{"markings", "name at least one marking or regulation"}});
  }
  std::map<std::string, PlannedTest> plan;
  std::vector<std::string> order;
  for (const Candidate& c : candidates) LIMS_RETURN_IF_ERROR(Instantiate(c, req, ppe, &plan, &order));
  TestPlan out;
  for (const std::string& key : order) out.tests.push_back(plan.at(key));
  return out;
}

}  // namespace lims
