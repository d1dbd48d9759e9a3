// JSON in and out of handlers, on Poco::JSON.
//
// BodyReader checks a request body field by field and collects every problem as a FieldError, so
// a client learns all that is wrong with its request at once (400 with "errors"). Fields not read
// are reported as unknown: a typo never silently drops data. Not thread-safe; one per request.
#ifndef LIMS_HTTP_JSON_IO_H_
#define LIMS_HTTP_JSON_IO_H_

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "lims/core/status.h"
#include "lims/http/message.h"

namespace lims::http {

using JsonObject = Poco::JSON::Object;

inline constexpr std::size_t kMaxJsonDepth = 32;

// A JSON object preserving insertion order (the order in which fields are documented).
inline JsonObject NewObject() {
  return JsonObject(Poco::JSON_PRESERVE_KEY_ORDER);
}
Response JsonResponse(int status, const JsonObject& body);
Response JsonResponse(int status, const Poco::JSON::Array& body);
Poco::JSON::Array StringsJson(const std::vector<std::string>& items);

class BodyReader {
 public:
  // Parses `body`; a body that is not a JSON object makes status() kInvalidArgument.
  explicit BodyReader(const std::string& body);
  // Reads a nested object; its field errors are named `prefix` + field ("test_plan.markings").
  BodyReader(Poco::JSON::Object::Ptr object, std::string prefix);

  std::string RequiredString(const std::string& field);
  std::string OptionalString(const std::string& field, const std::string& fallback = "");
  std::optional<std::string> NullableString(const std::string& field);
  int64_t RequiredInteger(const std::string& field);
  // An id given as a JSON integer or a string of digits.
  int64_t RequiredId(const std::string& field);
  std::vector<std::string> StringArray(const std::string& field, bool required);
  std::optional<int64_t> OptionalInteger(const std::string& field);
  // A nested object or array (null when absent or of another type, which is then an error).
  Poco::JSON::Object::Ptr Object(const std::string& field, bool required);
  Poco::JSON::Array::Ptr Array(const std::string& field, bool required);
  void Ignore(const std::string& field) { read_.insert(field); }
  // The raw value of a field that may take several shapes (null when absent).
  std::optional<Poco::Dynamic::Var> Raw(const std::string& field);
  const std::string& prefix() const { return prefix_; }
  // Adds a nested reader's errors (after its own Finish-style unknown-field check).
  void Absorb(BodyReader& child);
  // Records an error found by the caller's own checks.
  void Fail(const std::string& field, const std::string& reason) { errors_.push_back({prefix_ + field, reason}); }

  // OK, or kInvalidArgument with every field error (including unknown fields).
  Status Finish();
  bool parsed() const { return object_ != nullptr; }

 private:
  bool Has(const std::string& field);
  void AddUnknownFields();

  Poco::JSON::Object::Ptr object_;
  std::string parse_error_;
  std::string prefix_;
  std::set<std::string> read_;
  std::vector<FieldError> errors_;
};

}  // namespace lims::http

#endif  // LIMS_HTTP_JSON_IO_H_
