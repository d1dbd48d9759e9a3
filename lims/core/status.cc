#include "lims/core/status.h"

namespace lims {

const char* CodeName(Status::Code code) {
  switch (code) {
    case Status::Code::kOk:
      return "OK";
    case Status::Code::kInvalidArgument:
      return "Invalid argument";
    case Status::Code::kNotFound:
      return "Not found";
    case Status::Code::kConflict:
      return "Conflict";
    case Status::Code::kUnprocessable:
      return "Unprocessable";
    case Status::Code::kUnavailable:
      return "Unavailable";
    case Status::Code::kAborted:
      return "Aborted";
    case Status::Code::kInternal:
      return "Internal error";
  }
  return "Unknown";
}

std::string Status::ToString() const {
  if (ok()) return "OK";
  std::string out = std::string(CodeName(code_)) + ": " + message_;
  for (const FieldError& e : field_errors_) out += "; " + e.field + ": " + e.reason;
  return out;
}

}  // namespace lims
