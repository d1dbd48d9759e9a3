// Status and Result<T>: how every module boundary (lims/, reports/, instruments/) reports failure.
//
// A Status is a code plus a human-readable message, and for validation failures the list of
// offending fields. Out-of-spec data, missing records and unavailable databases are values of this
// type, never exceptions: exceptions stay inside the adapters that talk to Poco, MySQL or libharu.
// Value type; cheap to move; thread-compatible.
#ifndef LIMS_CORE_STATUS_H_
#define LIMS_CORE_STATUS_H_

#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace lims {

// One rejected input field: `field` is a JSON-pointer-like path ("values[1]"), `reason` says why.
struct FieldError {
  std::string field;
  std::string reason;
  bool operator==(const FieldError&) const = default;
};

class Status {
 public:
  enum class Code {
    kOk,
    kInvalidArgument,  // malformed input (HTTP 400)
    kNotFound,         // no such record, or not visible to the caller (HTTP 404)
    kConflict,         // illegal state transition or duplicate (HTTP 409)
    kUnprocessable,    // well-formed but breaks a rule (HTTP 422)
    kUnavailable,      // a dependency (the database) cannot be reached (HTTP 503)
    kAborted,          // a transaction lost a deadlock or a lock wait: safe to retry (HTTP 503)
    kInternal,         // a bug or an unexpected failure (HTTP 500)
  };

  Status() = default;
  static Status Ok() { return Status(); }
  static Status InvalidArgument(std::string msg, std::vector<FieldError> errors = {}) {
    return Status(Code::kInvalidArgument, std::move(msg), std::move(errors));
  }
  static Status NotFound(std::string msg) { return Status(Code::kNotFound, std::move(msg)); }
  static Status Conflict(std::string msg) { return Status(Code::kConflict, std::move(msg)); }
  static Status Unprocessable(std::string msg, std::vector<FieldError> errors = {}) {
    return Status(Code::kUnprocessable, std::move(msg), std::move(errors));
  }
  static Status Unavailable(std::string msg) { return Status(Code::kUnavailable, std::move(msg)); }
  static Status Aborted(std::string msg) { return Status(Code::kAborted, std::move(msg)); }
  static Status Internal(std::string msg) { return Status(Code::kInternal, std::move(msg)); }

  bool ok() const { return code_ == Code::kOk; }
  Code code() const { return code_; }
  const std::string& message() const { return message_; }
  const std::vector<FieldError>& field_errors() const { return field_errors_; }
  std::string ToString() const;

 private:
  Status(Code code, std::string msg, std::vector<FieldError> errors = {})
      : code_(code), message_(std::move(msg)), field_errors_(std::move(errors)) {}

  Code code_ = Code::kOk;
  std::string message_;
  std::vector<FieldError> field_errors_;
};

const char* CodeName(Status::Code code);

// Either a T or a non-OK Status. Access to value() on an error is a programming error (asserts).
template <typename T>
class Result {
 public:
  Result(T value) : state_(std::move(value)) {}         // NOLINT(google-explicit-constructor)
  Result(Status status) : state_(std::move(status)) {}  // NOLINT(google-explicit-constructor)

  bool ok() const { return std::holds_alternative<T>(state_); }
  const Status& status() const {
    static const Status kOk;
    return ok() ? kOk : std::get<Status>(state_);
  }
  T& value() & { return std::get<T>(state_); }
  const T& value() const& { return std::get<T>(state_); }
  T&& value() && { return std::get<T>(std::move(state_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  std::variant<T, Status> state_;
};

}  // namespace lims

// Returns early from the enclosing function when `expr` (a Status) is not OK.
#define LIMS_RETURN_IF_ERROR(expr)               \
  do {                                           \
    ::lims::Status lims_status_ = (expr);        \
    if (!lims_status_.ok()) return lims_status_; \
  } while (0)

#endif  // LIMS_CORE_STATUS_H_
