#include "lims/http/catalog_json.h"

#include <Poco/JSON/Array.h>

namespace lims::http {
namespace {

void ReadMaterials(BodyReader& in, TestPlanRequest* out) {
  Poco::JSON::Object::Ptr materials = in.Object("materials", true);
  if (materials.isNull()) return;
  for (const std::string& part : materials->getNames()) {
    Poco::Dynamic::Var v = materials->get(part);
    if (v.isString()) {
      out->materials[part] = v.extract<std::string>();
    } else {
      in.Fail("materials." + part, "must be a material name");
    }
  }
}

void ReadMarkings(BodyReader& in, TestPlanRequest* out) {
  Poco::JSON::Array::Ptr markings = in.Array("markings", false);
  if (markings.isNull()) return;
  for (size_t i = 0; i < markings->size(); ++i) {
    const std::string field = "markings[" + std::to_string(i) + "]";
    Poco::JSON::Object::Ptr item = markings->getObject(static_cast<unsigned>(i));
    if (item.isNull()) {
      in.Fail(field, "must be an object");
      continue;
    }
    BodyReader m(item, in.prefix() + field + ".");
    MarkingRequest request;
    request.standard = m.RequiredString("standard");
    request.marking = m.RequiredString("marking");
    request.extra = m.StringArray("extra", false);
    in.Absorb(m);
    out->markings.push_back(std::move(request));
  }
}

}  // namespace

TestPlanRequest ReadTestPlanRequest(BodyReader& in) {
  TestPlanRequest out;
  out.product_family = in.RequiredString("product_family");
  ReadMaterials(in, &out);
  ReadMarkings(in, &out);
  out.regulations = in.StringArray("regulations", false);
  out.market = in.OptionalString("market", "EU");
  std::optional<int64_t> size = in.OptionalInteger("size");
  if (size && (*size < 15 || *size > 55)) in.Fail("size", "must be an EU shoe size from 15 to 55");
  if (size) out.size = static_cast<int>(*size);
  return out;
}

DecisionRule ReadDecisionRule(BodyReader& in, const std::string& field) {
  std::optional<Poco::Dynamic::Var> raw = in.Raw(field);
  if (!raw) return DecisionRule();
  std::string token;
  if (raw->isString()) {
    token = raw->extract<std::string>();
    if (token != "simple" && token != "guarded") token = "?";
  } else if (raw->type() == typeid(Poco::JSON::Object::Ptr)) {
    Poco::JSON::Object::Ptr o = raw->extract<Poco::JSON::Object::Ptr>();
    Poco::JSON::Object::Ptr guarded = o->getObject("guarded");
    const bool ok = o->size() == 1 && !guarded.isNull() && guarded->size() == 1 && guarded->has("r") &&
                    guarded->get("r").isString();
    token = ok ? "guarded:r=" + guarded->get("r").extract<std::string>() : "?";
  }
  Result<DecisionRule> rule = ParseDecisionRule(token);
  if (rule.ok()) return *rule;
  in.Fail(field, R"(must be "simple", "guarded" or {"guarded": {"r": "<decimal > 0>"}})");
  return DecisionRule();
}

JsonObject LimitJson(const Limit& limit) {
  JsonObject o = NewObject();
  o.set("comparator", std::string(ComparatorToken(limit.comparator)));
  if (limit.comparator == Comparator::kRange) {
    o.set("low", limit.value.ToString());
    o.set("low_inclusive", limit.low_inclusive);
    o.set("high", limit.high.ToString());
    o.set("high_inclusive", limit.high_inclusive);
  } else if (limit.comparator != Comparator::kNoFailure) {
    o.set("value", limit.value.ToString());
  }
  o.set("unit", limit.unit);
  o.set("display", limit.ToDisplay());
  return o;
}

JsonObject PlannedTestJson(const PlannedTest& t) {
  JsonObject o = NewObject();
  SetTestSpec(o, t);
  return o;
}

JsonObject StandardJson(const StandardEdition& s) {
  JsonObject o = NewObject();
  o.set("id", s.id);
  o.set("code", s.code);
  o.set("title", s.title);
  o.set("kind", s.kind);
  o.set("status", s.status);
  o.set("supersedes", s.supersedes);
  o.set("product_families", StringsJson(s.product_families));
  o.set("sha256", s.sha256);
  Poco::JSON::Array markings;
  for (const Marking& m : s.markings) markings.add(m.code);
  o.set("markings", markings);
  return o;
}

JsonObject RequirementJson(const CatalogRequirement& r) {
  JsonObject o = NewObject();
  o.set("id", r.id);
  o.set("clause", r.clause);
  if (!r.clause_note.empty()) o.set("clause_note", r.clause_note);
  o.set("property", r.property);
  o.set("label", r.label);
  o.set("method", r.method);
  o.set("limit", LimitJson(r.limit));
  if (!r.limits_by_size.empty()) {
    Poco::JSON::Array bands;
    for (const SizeLimit& b : r.limits_by_size) {
      JsonObject band = NewObject();
      if (b.min_size) band.set("min_size", *b.min_size);
      if (b.max_size) band.set("max_size", *b.max_size);
      band.set("limit", b.limit.ToString());
      bands.add(band);
    }
    o.set("limits_by_size", bands);
  }
  o.set("specimens", r.specimens);
  o.set("combine", std::string(CombineName(r.combine)));
  JsonObject applies = NewObject();
  applies.set("parts", StringsJson(r.parts));
  applies.set("materials", StringsJson(r.materials));
  o.set("applies_to", applies);
  o.set("confidence", r.confidence);
  o.set("source", r.source);
  return o;
}

}  // namespace lims::http
