#include "lims/catalog/catalog_loader.h"

#include <Poco/Exception.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include "lims/core/sha256.h"
#include "lims/core/units.h"

namespace lims::catalog {
namespace {

using Poco::JSON::Array;
using Poco::JSON::Object;

// Reads fields of one JSON object, remembering where it is for messages.
class Fields {
 public:
  Fields(Object::Ptr object, std::string where) : o_(std::move(object)), where_(std::move(where)) {}

  Status Fail(const std::string& reason) const { return Status::InvalidArgument(where_ + ": " + reason); }
  bool Has(const std::string& key) const { return o_->has(key) && !o_->isNull(key); }

  Status String(const std::string& key, std::string* out, bool required = true) const {
    if (!Has(key)) return required ? Fail("\"" + key + "\" is required") : Status::Ok();
    Poco::Dynamic::Var v = o_->get(key);
    if (!v.isString()) return Fail("\"" + key + "\" must be a string");
    *out = v.extract<std::string>();
    if (required && out->empty()) return Fail("\"" + key + "\" must not be empty");
    return Status::Ok();
  }

  Status Strings(const std::string& key, std::vector<std::string>* out) const {
    if (!Has(key)) return Status::Ok();
    Array::Ptr a = o_->getArray(key);
    if (a.isNull()) return Fail("\"" + key + "\" must be an array of strings");
    for (size_t i = 0; i < a->size(); ++i) {
      if (!a->get(static_cast<unsigned>(i)).isString()) return Fail("\"" + key + "\" must hold only strings");
      out->push_back(a->get(static_cast<unsigned>(i)).extract<std::string>());
    }
    return Status::Ok();
  }

  Status Int(const std::string& key, int lo, int hi, std::optional<int>* out) const {
    if (!Has(key)) return Status::Ok();
    Poco::Dynamic::Var v = o_->get(key);
    if (!v.isInteger() || v.convert<int>() < lo || v.convert<int>() > hi) {
      return Fail("\"" + key + "\" must be a whole number from " + std::to_string(lo) + " to " + std::to_string(hi));
    }
    *out = v.convert<int>();
    return Status::Ok();
  }

  Status Decimal(const std::string& key, lims::Decimal* out) const {
    std::string text;
    LIMS_RETURN_IF_ERROR(String(key, &text));
    Result<lims::Decimal> d = lims::Decimal::Parse(text);
    if (!d.ok()) return Fail("\"" + key + "\": " + d.status().message());
    *out = *d;
    return Status::Ok();
  }

  Status Bool(const std::string& key, bool* out) const {
    if (!Has(key)) return Status::Ok();
    Poco::Dynamic::Var v = o_->get(key);
    if (!v.isBoolean()) return Fail("\"" + key + "\" must be true or false");
    *out = v.convert<bool>();
    return Status::Ok();
  }

  Object::Ptr Child(const std::string& key) const { return Has(key) ? o_->getObject(key) : nullptr; }
  Array::Ptr List(const std::string& key) const { return Has(key) ? o_->getArray(key) : nullptr; }
  const std::string& where() const { return where_; }

 private:
  Object::Ptr o_;
  std::string where_;
};

Result<Object::Ptr> ParseObject(const std::string& file, const std::string& text) {
  try {
    Poco::Dynamic::Var v = Poco::JSON::Parser().parse(text);
    if (v.type() == typeid(Object::Ptr)) return v.extract<Object::Ptr>();
    return Status::InvalidArgument(file + ": the file must hold one JSON object");
  } catch (const Poco::Exception& e) {
    return Status::InvalidArgument(file + ": not valid JSON: " + e.message());
  }
}

bool IsId(const std::string& id) {
  return !id.empty() && std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
  });
}

Status ReadLimit(const Fields& f, CatalogRequirement* r) {
  std::string comparator;
  LIMS_RETURN_IF_ERROR(f.String("comparator", &comparator));
  Result<Comparator> c = ParseComparator(comparator);
  if (!c.ok()) return f.Fail(c.status().message());
  r->limit.comparator = *c;
  if (*c == Comparator::kNoFailure) return Status::Ok();
  LIMS_RETURN_IF_ERROR(f.String("unit", &r->limit.unit));
  if (FindUnit(r->limit.unit) == nullptr) return f.Fail("unknown unit \"" + r->limit.unit + "\"");
  if (*c == Comparator::kRange) {
    Object::Ptr range = f.Child("range");
    if (range.isNull()) return f.Fail("comparator range needs \"range\"");
    Fields rf(range, f.where() + " range");
    LIMS_RETURN_IF_ERROR(rf.Decimal("low", &r->limit.value));
    LIMS_RETURN_IF_ERROR(rf.Decimal("high", &r->limit.high));
    LIMS_RETURN_IF_ERROR(rf.Bool("low_inclusive", &r->limit.low_inclusive));
    LIMS_RETURN_IF_ERROR(rf.Bool("high_inclusive", &r->limit.high_inclusive));
    if (r->limit.high < r->limit.value) return f.Fail("range high is below low");
    return Status::Ok();
  }
  if (f.Has("limits_by_size")) return Status::Ok();  // the size table supplies the value
  return f.Decimal("limit", &r->limit.value);
}

// The bands must cover every EU size from 15 to 55 exactly once.
Status ReadSizeTable(const Fields& f, CatalogRequirement* r) {
  Array::Ptr bands = f.List("limits_by_size");
  if (bands.isNull()) return Status::Ok();
  for (size_t i = 0; i < bands->size(); ++i) {
    Object::Ptr band = bands->getObject(static_cast<unsigned>(i));
    if (band.isNull()) return f.Fail("limits_by_size[" + std::to_string(i) + "] must be an object");
    Fields bf(band, f.where() + " limits_by_size[" + std::to_string(i) + "]");
    SizeLimit s;
    LIMS_RETURN_IF_ERROR(bf.Int("min_size", 1, 80, &s.min_size));
    LIMS_RETURN_IF_ERROR(bf.Int("max_size", 1, 80, &s.max_size));
    LIMS_RETURN_IF_ERROR(bf.Decimal("limit", &s.limit));
    r->limits_by_size.push_back(s);
  }
  for (int size = 15; size <= 55; ++size) {
    const long matches = std::count_if(r->limits_by_size.begin(), r->limits_by_size.end(), [&](const SizeLimit& s) {
      return (!s.min_size || size >= *s.min_size) && (!s.max_size || size <= *s.max_size);
    });
    if (matches != 1)
      return f.Fail("limits_by_size covers size " + std::to_string(size) + " " + std::to_string(matches) + " times");
  }
  return Status::Ok();
}

Status ReadApplicability(const Fields& f, CatalogRequirement* r) {
  Object::Ptr applies = f.Child("applies_to");
  if (applies.isNull()) return Status::Ok();
  Fields af(applies, f.where() + " applies_to");
  LIMS_RETURN_IF_ERROR(af.Strings("parts", &r->parts));
  return af.Strings("materials", &r->materials);
}

Result<CatalogRequirement> ReadRequirement(const std::string& file, const StandardEdition& s, const Object::Ptr& o) {
  CatalogRequirement r;
  Fields f(o, file + ": requirement " + (o->has("id") ? o->get("id").toString() : "(without id)"));
  LIMS_RETURN_IF_ERROR(f.String("id", &r.id));
  if (!IsId(r.id)) return f.Fail("id must use A-Z, 0-9 and '-'");
  r.standard_id = s.id;
  LIMS_RETURN_IF_ERROR(f.String("clause", &r.clause));
  LIMS_RETURN_IF_ERROR(f.String("clause_note", &r.clause_note, false));
  LIMS_RETURN_IF_ERROR(f.String("property", &r.property));
  LIMS_RETURN_IF_ERROR(f.String("label", &r.label));
  LIMS_RETURN_IF_ERROR(f.String("property_key", &r.property_key));
  LIMS_RETURN_IF_ERROR(f.String("method", &r.method));
  LIMS_RETURN_IF_ERROR(ReadLimit(f, &r));
  std::optional<int> specimens;
  LIMS_RETURN_IF_ERROR(f.Int("specimens", 1, 20, &specimens));
  r.specimens = specimens.value_or(1);
  std::string combine = "each";
  LIMS_RETURN_IF_ERROR(f.String("combine", &combine, false));
  Result<Combine> c = ParseCombine(combine);
  if (!c.ok()) return f.Fail(c.status().message());
  r.combine = *c;
  LIMS_RETURN_IF_ERROR(ReadApplicability(f, &r));
  LIMS_RETURN_IF_ERROR(f.Strings("product_families", &r.product_families));
  if (r.product_families.empty()) r.product_families = s.product_families;
  LIMS_RETURN_IF_ERROR(f.Bool("exempt_for_ppe", &r.exempt_for_ppe));
  LIMS_RETURN_IF_ERROR(ReadSizeTable(f, &r));
  LIMS_RETURN_IF_ERROR(f.String("confidence", &r.confidence));
  if (r.confidence != "verified" && r.confidence != "to-confirm")
    return f.Fail("confidence must be verified or to-confirm");
  LIMS_RETURN_IF_ERROR(f.String("source", &r.source));
  std::ostringstream canonical;  // Poco sorts keys: the same entry always hashes the same
  o->stringify(canonical);
  r.content_sha256 = Sha256Hex(canonical.str());
  return r;
}

Result<Marking> ReadMarking(const std::string& file, const Object::Ptr& o) {
  Marking m;
  Fields f(o, file + ": marking " + (o->has("code") ? o->get("code").toString() : "(without code)"));
  LIMS_RETURN_IF_ERROR(f.String("code", &m.code));
  LIMS_RETURN_IF_ERROR(f.String("kind", &m.kind));
  if (m.kind != "category" && m.kind != "symbol") return f.Fail("kind must be category or symbol");
  LIMS_RETURN_IF_ERROR(f.String("title", &m.title, false));
  LIMS_RETURN_IF_ERROR(f.Strings("includes", &m.includes));
  LIMS_RETURN_IF_ERROR(f.Strings("requirements", &m.requirements));
  return m;
}

Status ReadHeader(const std::string& file, const Object::Ptr& root, StandardEdition* s) {
  Fields top(root, file);
  std::string format;
  LIMS_RETURN_IF_ERROR(top.String("format", &format));
  if (format != "pramaan-catalog/1") return top.Fail("format must be pramaan-catalog/1");
  Object::Ptr header = top.Child("standard");
  if (header.isNull()) return top.Fail("\"standard\" is required");
  Fields f(header, file + ": standard");
  LIMS_RETURN_IF_ERROR(f.String("id", &s->id));
  LIMS_RETURN_IF_ERROR(f.String("code", &s->code));
  LIMS_RETURN_IF_ERROR(f.String("title", &s->title));
  LIMS_RETURN_IF_ERROR(f.String("kind", &s->kind));
  LIMS_RETURN_IF_ERROR(f.String("status", &s->status));
  LIMS_RETURN_IF_ERROR(f.String("supersedes", &s->supersedes, false));
  LIMS_RETURN_IF_ERROR(f.Bool("ppe", &s->ppe));
  LIMS_RETURN_IF_ERROR(f.Strings("product_families", &s->product_families));
  LIMS_RETURN_IF_ERROR(f.String("source", &s->source, false));
  if (!IsId(s->id)) return f.Fail("id must use A-Z, 0-9 and '-'");
  if (s->status != "current" && s->status != "superseded" && s->status != "withdrawn") {
    return f.Fail("status must be current, superseded or withdrawn");
  }
  if (s->product_families.empty()) return f.Fail("\"product_families\" must name at least one family");
  return Status::Ok();
}

template <typename T, typename ReadFn>
Status ReadList(const std::string& file, Object::Ptr root, const char* key, ReadFn read, std::vector<T>* out) {
  if (!root->has(key)) return Status::Ok();
  Array::Ptr list = root->getArray(key);
  if (list.isNull()) return Status::InvalidArgument(file + ": \"" + key + "\" must be an array");
  for (size_t i = 0; i < list->size(); ++i) {
    Object::Ptr item = list->getObject(static_cast<unsigned>(i));
    if (item.isNull())
      return Status::InvalidArgument(file + ": " + key + "[" + std::to_string(i) + "] must be an object");
    Result<T> parsed = read(item);
    if (!parsed.ok()) return parsed.status();
    out->push_back(std::move(parsed).value());
  }
  return Status::Ok();
}

std::string ReadText(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

Result<Vocabulary> ParseVocabulary(const std::string& file, const std::string& text) {
  Result<Object::Ptr> root = ParseObject(file, text);
  if (!root.ok()) return root.status();
  Fields f(*root, file);
  Vocabulary v;
  LIMS_RETURN_IF_ERROR(f.Strings("materials", &v.materials));
  Object::Ptr families = f.Child("product_families");
  if (families.isNull()) return f.Fail("\"product_families\" is required");
  for (const std::string& name : families->getNames()) {
    Object::Ptr family = families->getObject(name);
    if (family.isNull()) return f.Fail("product family " + name + " must be an object");
    std::string where = file;
    where += ": product family " + name;
    LIMS_RETURN_IF_ERROR(Fields(family, where).Strings("parts", &v.family_parts[name]));
  }
  return v;
}

Result<StandardEdition> ParseStandard(const std::string& file, const std::string& text) {
  Result<Object::Ptr> root = ParseObject(file, text);
  if (!root.ok()) return root.status();
  StandardEdition s;
  s.file = file;
  s.sha256 = Sha256Hex(text);
  LIMS_RETURN_IF_ERROR(ReadHeader(file, *root, &s));
  auto read_requirement = [&](const Object::Ptr& o) { return ReadRequirement(file, s, o); };
  LIMS_RETURN_IF_ERROR(ReadList<CatalogRequirement>(file, *root, "requirements", read_requirement, &s.requirements));
  auto read_marking = [&](const Object::Ptr& o) { return ReadMarking(file, o); };
  LIMS_RETURN_IF_ERROR(ReadList<Marking>(file, *root, "markings", read_marking, &s.markings));
  return s;
}

Result<Catalog> LoadCatalog(const std::string& dir) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return Status::InvalidArgument("catalog directory " + dir + " does not exist");
  Result<Vocabulary> vocabulary = ParseVocabulary("vocabulary.json", ReadText(fs::path(dir) / "vocabulary.json"));
  if (!vocabulary.ok()) return vocabulary.status();
  std::vector<fs::path> files;
  for (const fs::directory_entry& e : fs::directory_iterator(dir)) {
    if (e.path().extension() == ".json" && e.path().filename() != "vocabulary.json") files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  std::vector<StandardEdition> standards;
  for (const fs::path& path : files) {
    Result<StandardEdition> s = ParseStandard(path.filename().string(), ReadText(path));
    if (!s.ok()) return s.status();
    standards.push_back(std::move(s).value());
  }
  return Catalog::Build(std::move(vocabulary).value(), std::move(standards));
}

}  // namespace lims::catalog
