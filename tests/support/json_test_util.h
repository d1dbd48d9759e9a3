// Small helpers for reading JSON bodies in tests (header-only; the test links Poco::JSON).
#ifndef LIMS_TESTS_SUPPORT_JSON_TEST_UTIL_H_
#define LIMS_TESTS_SUPPORT_JSON_TEST_UTIL_H_

#include <Poco/Exception.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <string>
#include <vector>

namespace lims::testing {

// Parses `text` as a JSON object; null when it is not valid JSON or not an object.
inline Poco::JSON::Object::Ptr ParseJsonObject(const std::string& text) {
  try {
    Poco::JSON::Parser parser;
    Poco::Dynamic::Var value = parser.parse(text);
    if (value.type() != typeid(Poco::JSON::Object::Ptr)) return nullptr;
    return value.extract<Poco::JSON::Object::Ptr>();
  } catch (const Poco::Exception&) {
    return nullptr;
  }
}

// The string member `key` of `object`, or "" when it is absent, null or not a string.
inline std::string JsonString(const Poco::JSON::Object::Ptr& object, const std::string& key) {
  if (object.isNull() || !object->has(key) || object->isNull(key)) return "";
  Poco::Dynamic::Var v = object->get(key);
  return v.isString() ? v.extract<std::string>() : "";
}

// The strings of the array member `key` (non-string items become "").
inline std::vector<std::string> JsonStrings(const Poco::JSON::Object::Ptr& object, const std::string& key) {
  std::vector<std::string> out;
  if (object.isNull()) return out;
  Poco::JSON::Array::Ptr array = object->getArray(key);
  if (array.isNull()) return out;
  for (unsigned i = 0; i < array->size(); ++i) {
    Poco::Dynamic::Var v = array->get(i);
    out.push_back(v.isString() ? v.extract<std::string>() : "");
  }
  return out;
}

// The object at `index` of the array member `key`, or null.
inline Poco::JSON::Object::Ptr JsonArrayObject(const Poco::JSON::Object::Ptr& object, const std::string& key,
                                               unsigned index) {
  if (object.isNull()) return nullptr;
  Poco::JSON::Array::Ptr array = object->getArray(key);
  if (array.isNull() || index >= array->size()) return nullptr;
  return array->getObject(index);
}

// The "field" of every entry in a problem document's "errors".
inline std::vector<std::string> ProblemFields(const Poco::JSON::Object::Ptr& problem) {
  std::vector<std::string> out;
  if (problem.isNull()) return out;
  Poco::JSON::Array::Ptr errors = problem->getArray("errors");
  if (errors.isNull()) return out;
  for (unsigned i = 0; i < errors->size(); ++i) out.push_back(JsonString(errors->getObject(i), "field"));
  return out;
}

}  // namespace lims::testing

#endif  // LIMS_TESTS_SUPPORT_JSON_TEST_UTIL_H_
