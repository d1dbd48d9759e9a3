#include "lims/catalog/districts.h"

#include <Poco/Exception.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <utility>

namespace lims::catalog {
namespace {

using Poco::JSON::Array;
using Poco::JSON::Object;

Status Fail(const std::string& where, const std::string& reason) {
  return Status::InvalidArgument(where + ": " + reason);
}

// Poco throws on malformed JSON and on type mismatches; both become a message naming the file.
Result<Object::Ptr> ParseRoot(const std::string& file, const std::string& text) {
  try {
    Poco::Dynamic::Var v = Poco::JSON::Parser().parse(text);
    if (v.type() == typeid(Object::Ptr)) return v.extract<Object::Ptr>();
    return Fail(file, "the file must hold one JSON object");
  } catch (const Poco::Exception& e) {
    return Fail(file, "not valid JSON: " + e.message());
  }
}

Status ReadString(const Object::Ptr& o, const std::string& where, const std::string& key, bool required,
                  std::string* out) {
  if (!o->has(key) || o->isNull(key)) return required ? Fail(where, "\"" + key + "\" is required") : Status::Ok();
  Poco::Dynamic::Var v = o->get(key);
  if (!v.isString()) return Fail(where, "\"" + key + "\" must be a string");
  *out = v.extract<std::string>();
  if (required && out->empty()) return Fail(where, "\"" + key + "\" must not be empty");
  return Status::Ok();
}

Result<District> ReadDistrict(const Object::Ptr& o, const std::string& where) {
  District d;
  LIMS_RETURN_IF_ERROR(ReadString(o, where, "name", true, &d.name));
  LIMS_RETURN_IF_ERROR(ReadString(o, where, "state", true, &d.state));
  LIMS_RETURN_IF_ERROR(ReadString(o, where, "odop_product", false, &d.odop_product));
  return d;
}

Result<std::vector<District>> ReadDistricts(const std::string& file, const Object::Ptr& root) {
  if (!root->has("districts") || root->isNull("districts")) return Fail(file, "\"districts\" is required");
  Array::Ptr list = root->getArray("districts");
  if (list.isNull()) return Fail(file, "\"districts\" must be an array");
  std::vector<District> out;
  std::set<std::string> names;
  for (size_t i = 0; i < list->size(); ++i) {
    const std::string where = file + ": districts[" + std::to_string(i) + "]";
    Object::Ptr item = list->getObject(static_cast<unsigned>(i));
    if (item.isNull()) return Fail(where, "must be an object");
    Result<District> d = ReadDistrict(item, where);
    if (!d.ok()) return d.status();
    if (!names.insert(d->name).second) return Fail(where, "\"name\": " + d->name + " is listed twice");
    out.push_back(std::move(d).value());
  }
  return out;
}

}  // namespace

Result<std::vector<District>> ParseDistricts(const std::string& file, const std::string& text) {
  Result<Object::Ptr> root = ParseRoot(file, text);
  if (!root.ok()) return root.status();
  try {
    return ReadDistricts(file, *root);
  } catch (const Poco::Exception& e) {
    return Fail(file, e.displayText());
  }
}

Result<std::vector<District>> LoadDistricts(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::InvalidArgument("district list " + path + " cannot be read");
  std::ostringstream text;
  text << in.rdbuf();
  return ParseDistricts(std::filesystem::path(path).filename().string(), text.str());
}

}  // namespace lims::catalog
