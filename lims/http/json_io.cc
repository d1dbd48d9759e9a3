#include "lims/http/json_io.h"

#include <Poco/Exception.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>

#include <cstdint>
#include <sstream>
#include <string_view>

namespace lims::http {
namespace {

template <typename T>
Response Serialize(int status, const T& body) {
  std::ostringstream out;
  body.stringify(out);
  return Response{status, "application/json", out.str(), {}};
}

// Strict UTF-8 (RFC 3629): no overlong forms, no surrogates, nothing above U+10FFFF.
bool IsValidUtf8(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    size_t len = 0;
    uint32_t cp = 0;
    if (c < 0x80) {
      ++i;
      continue;
    }
    if ((c >> 5) == 0x6) {
      len = 2;
      cp = c & 0x1F;
    } else if ((c >> 4) == 0xE) {
      len = 3;
      cp = c & 0x0F;
    } else if ((c >> 3) == 0x1E) {
      len = 4;
      cp = c & 0x07;
    } else
      return false;
    if (i + len > s.size()) return false;
    for (size_t k = 1; k < len; ++k) {
      const auto cc = static_cast<unsigned char>(s[i + k]);
      if ((cc >> 6) != 0x2) return false;
      cp = (cp << 6) | (cc & 0x3F);
    }
    const uint32_t min = len == 2 ? 0x80 : len == 3 ? 0x800 : 0x10000;
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    i += len;
  }
  return true;
}

bool IsDigits(const std::string& s) {
  if (s.empty() || s.size() > 18) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

}  // namespace

Response JsonResponse(int status, const JsonObject& body) {
  return Serialize(status, body);
}
Response JsonResponse(int status, const Poco::JSON::Array& body) {
  return Serialize(status, body);
}

Poco::JSON::Array StringsJson(const std::vector<std::string>& items) {
  Poco::JSON::Array a;
  for (const std::string& item : items) a.add(item);
  return a;
}

BodyReader::BodyReader(const std::string& body) {
  if (!IsValidUtf8(body)) {
    parse_error_ = "the body is not valid UTF-8";
    return;
  }
  try {
    Poco::JSON::Parser parser;
    parser.setDepth(kMaxJsonDepth);  // no request needs deeper nesting; a deep one is an attack
    Poco::Dynamic::Var value = parser.parse(body);
    if (value.type() == typeid(Poco::JSON::Object::Ptr)) {
      object_ = value.extract<Poco::JSON::Object::Ptr>();
    } else {
      parse_error_ = "the body must be a JSON object";
    }
  } catch (const Poco::Exception& e) {
    parse_error_ = "malformed JSON: " + e.message();
  }
}

BodyReader::BodyReader(Poco::JSON::Object::Ptr object, std::string prefix)
    : object_(std::move(object)), prefix_(std::move(prefix)) {}

std::optional<int64_t> BodyReader::OptionalInteger(const std::string& field) {
  if (!Has(field)) return std::nullopt;
  Poco::Dynamic::Var v = object_->get(field);
  if (!v.isInteger()) {
    Fail(field, "must be a whole number");
    return std::nullopt;
  }
  return v.convert<int64_t>();
}

Poco::JSON::Object::Ptr BodyReader::Object(const std::string& field, bool required) {
  if (!Has(field)) {
    if (required && object_) Fail(field, "is required");
    return nullptr;
  }
  Poco::JSON::Object::Ptr o = object_->getObject(field);
  if (o.isNull()) Fail(field, "must be an object");
  return o;
}

Poco::JSON::Array::Ptr BodyReader::Array(const std::string& field, bool required) {
  if (!Has(field)) {
    if (required && object_) Fail(field, "is required");
    return nullptr;
  }
  Poco::JSON::Array::Ptr a = object_->getArray(field);
  if (a.isNull()) Fail(field, "must be an array");
  return a;
}

std::optional<Poco::Dynamic::Var> BodyReader::Raw(const std::string& field) {
  if (!Has(field)) return std::nullopt;
  return object_->get(field);
}

void BodyReader::AddUnknownFields() {
  std::vector<std::string> names;
  object_->getNames(names);
  for (const std::string& name : names) {
    if (read_.count(name) == 0) Fail(name, "unknown field");
  }
}

void BodyReader::Absorb(BodyReader& child) {
  if (child.object_) child.AddUnknownFields();
  for (FieldError& e : child.errors_) errors_.push_back(std::move(e));
  child.errors_.clear();
}

bool BodyReader::Has(const std::string& field) {
  read_.insert(field);
  return object_ && object_->has(field) && !object_->isNull(field);
}

std::string BodyReader::RequiredString(const std::string& field) {
  if (!Has(field)) {
    if (object_) Fail(field, "is required");
    return "";
  }
  Poco::Dynamic::Var v = object_->get(field);
  if (!v.isString()) {
    Fail(field, "must be a string");
    return "";
  }
  std::string s = v.extract<std::string>();
  if (s.empty()) Fail(field, "must not be empty");
  return s;
}

std::string BodyReader::OptionalString(const std::string& field, const std::string& fallback) {
  std::optional<std::string> v = NullableString(field);
  return v ? *v : fallback;
}

std::optional<std::string> BodyReader::NullableString(const std::string& field) {
  if (!Has(field)) return std::nullopt;
  Poco::Dynamic::Var v = object_->get(field);
  if (!v.isString()) {
    Fail(field, "must be a string");
    return std::nullopt;
  }
  return v.extract<std::string>();
}

int64_t BodyReader::RequiredInteger(const std::string& field) {
  if (!Has(field)) {
    if (object_) Fail(field, "is required");
    return 0;
  }
  Poco::Dynamic::Var v = object_->get(field);
  if (!v.isInteger()) {
    Fail(field, "must be a whole number");
    return 0;
  }
  return v.convert<int64_t>();
}

int64_t BodyReader::RequiredId(const std::string& field) {
  if (!Has(field)) {
    if (object_) Fail(field, "is required");
    return 0;
  }
  Poco::Dynamic::Var v = object_->get(field);
  if (v.isInteger()) return v.convert<int64_t>();
  if (v.isString() && IsDigits(v.extract<std::string>())) return std::stoll(v.extract<std::string>());
  Fail(field, "must be an id (digits)");
  return 0;
}

std::vector<std::string> BodyReader::StringArray(const std::string& field, bool required) {
  std::vector<std::string> out;
  if (!Has(field)) {
    if (required && object_) Fail(field, "is required");
    return out;
  }
  Poco::JSON::Array::Ptr array = object_->getArray(field);
  if (array.isNull()) {
    Fail(field, "must be an array of strings");
    return out;
  }
  for (size_t i = 0; i < array->size(); ++i) {
    Poco::Dynamic::Var item = array->get(static_cast<unsigned>(i));
    if (!item.isString()) {
      Fail(field + "[" + std::to_string(i) + "]", "must be a string");
      continue;
    }
    out.push_back(item.extract<std::string>());
  }
  return out;
}

Status BodyReader::Finish() {
  if (!object_) return Status::InvalidArgument(parse_error_);
  AddUnknownFields();
  if (errors_.empty()) return Status::Ok();
  return Status::InvalidArgument("the request body has invalid fields", errors_);
}

}  // namespace lims::http
