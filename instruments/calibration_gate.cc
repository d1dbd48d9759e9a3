#include "instruments/calibration_gate.h"

#include <tuple>
#include <vector>

#include "lims/core/units.h"

namespace lims::instruments {
namespace {

constexpr char kField[] = "instrument";

// Order of records of one kind: by their day, then by when they were recorded, then by id.
template <typename R>
bool Earlier(const R& a, const R& b) {
  return std::tie(a.date, a.recorded_at, a.id) < std::tie(b.date, b.recorded_at, b.id);
}

// The latest record dated on or before `day` (dates are valid "YYYY-MM-DD", which sort as days).
template <typename R>
const R* LatestOnOrBefore(const std::vector<R>& records, Day day) {
  const std::string last = FormatDay(day);
  const R* best = nullptr;
  for (const R& r : records) {
    if (r.date <= last && (best == nullptr || Earlier(*best, r))) best = &r;
  }
  return best;
}

std::string Quoted(std::string_view s) {
  return "\"" + std::string(s) + "\"";
}

// " since <time> (<reason>)" of the latest change to `status` at or before `until`.
std::string Since(const InstrumentRecord& instrument, InstrumentStatus status, Timestamp until) {
  for (auto it = instrument.status_history.rbegin(); it != instrument.status_history.rend(); ++it) {
    if (it->status != status || it->at > until) continue;
    return " since " + FormatRfc3339(it->at) + (it->reason.empty() ? "" : " (" + it->reason + ")");
  }
  return "";
}

std::string StatusRefusal(const InstrumentRecord& instrument, InstrumentStatus status, std::string_view when,
                          Timestamp until) {
  const char* phrase = status == InstrumentStatus::kUnderRepair ? "under repair" : "out of service";
  return std::string(phrase) + ": status " + std::string(InstrumentStatusName(status)) + std::string(when) +
         Since(instrument, status, until);
}

void CheckStatus(const InstrumentRecord& instrument, Timestamp at, std::vector<FieldError>* errors) {
  if (instrument.status != InstrumentStatus::kInService) {
    errors->push_back({kField, StatusRefusal(instrument, instrument.status, "", Timestamp::max())});
    return;
  }
  const InstrumentStatus then = StatusAt(instrument, at);
  if (then != InstrumentStatus::kInService) {
    errors->push_back({kField, StatusRefusal(instrument, then, " at " + FormatRfc3339(at), at)});
  }
}

void CheckCalibration(const InstrumentRecord& instrument, Day day, std::vector<FieldError>* errors) {
  const CalibrationRecord* c = CalibrationInForce(instrument, day);
  if (c == nullptr) {
    errors->push_back({kField, "not calibrated: no calibration on or before " + FormatDay(day)});
    return;
  }
  if (c->result == CalibrationResult::kFail) {
    errors->push_back(
        {kField, "calibration failed: calibrated " + c->date + " (certificate " + c->certificate + "), result fail"});
    return;
  }
  if (c->due_date < FormatDay(day)) {
    errors->push_back({kField, "calibration overdue: due " + c->due_date + ", test date " + FormatDay(day)});
  }
}

void CheckChecks(const InstrumentRecord& instrument, Day day, std::vector<FieldError>* errors) {
  if (!FailedCheckStands(instrument, day)) return;
  const IntermediateCheck* check = DecidingCheck(instrument, day);
  errors->push_back({kField, "check failed: intermediate check of " + check->date + " failed" +
                                 (check->note.empty() ? "" : " (" + check->note + ")")});
}

std::string MethodList(const InstrumentRecord& instrument) {
  if (instrument.methods.empty()) return "no method";
  std::string out;
  for (const std::string& m : instrument.methods) out += (out.empty() ? "" : ", ") + Quoted(m);
  return out;
}

void CheckMethod(const InstrumentRecord& instrument, const TestRecord& test, std::vector<FieldError>* errors) {
  if (test.method.empty() || ServesMethod(instrument, test.method)) return;
  errors->push_back({kField, "method not served: the test's method is " + Quoted(test.method) +
                                 "; the instrument serves " + MethodList(instrument)});
}

std::string Describe(const MeasuringRange& r) {
  return r.min.ToString() + " to " + r.max.ToString() + " " + r.unit;
}

// Whether `value` (in `unit`) lies within a range of its dimension; nullopt when no range has it.
std::optional<bool> WithinAnyRange(const InstrumentRecord& instrument, const Decimal& value, const std::string& unit,
                                   std::string* ranges) {
  std::optional<bool> within;
  for (const MeasuringRange& r : instrument.ranges) {
    if (!SameDimension(unit, r.unit)) continue;
    Result<Decimal> converted = ConvertUnit(value, unit, r.unit);
    if (!converted.ok()) continue;
    *ranges += (ranges->empty() ? "" : "; ") + Describe(r);
    const bool inside = !(*converted < r.min) && !(r.max < *converted);
    within = within.value_or(false) || inside;
  }
  return within;
}

void CheckRanges(const InstrumentRecord& instrument, const ResultEntry& entry, std::vector<FieldError>* errors) {
  const UnitInfo* unit = FindUnit(entry.unit);
  if (unit == nullptr) return;
  for (size_t i = 0; i < entry.values.size(); ++i) {
    Result<Decimal> value = Decimal::Parse(entry.values[i]);
    if (!value.ok()) continue;  // "nd", "<0.5", "pass": not a reading to range-check
    std::string ranges;
    const std::optional<bool> within = WithinAnyRange(instrument, *value, entry.unit, &ranges);
    if (!within || *within) continue;
    errors->push_back({kField, "out of range: values[" + std::to_string(i) + "] " + entry.values[i] + " " + entry.unit +
                                   " is outside the calibrated range " + ranges + " (" + std::string(unit->dimension) +
                                   ")"});
  }
}

}  // namespace

const CalibrationRecord* CalibrationInForce(const InstrumentRecord& instrument, Day day) {
  return LatestOnOrBefore(instrument.calibrations, day);
}

const IntermediateCheck* DecidingCheck(const InstrumentRecord& instrument, Day day) {
  return LatestOnOrBefore(instrument.checks, day);
}

bool FailedCheckStands(const InstrumentRecord& instrument, Day day) {
  const IntermediateCheck* check = DecidingCheck(instrument, day);
  if (check == nullptr || check->passed) return false;
  const CalibrationRecord* c = CalibrationInForce(instrument, day);
  const bool cleared = c != nullptr && std::tie(check->date, check->recorded_at) < std::tie(c->date, c->recorded_at);
  return !cleared;
}

InstrumentStatus StatusAt(const InstrumentRecord& instrument, Timestamp at) {
  if (instrument.status_history.empty()) return instrument.status;
  const StatusChange* current = &instrument.status_history.front();  // before registration: as registered
  for (const StatusChange& change : instrument.status_history) {
    if (change.at <= at) current = &change;
  }
  return current->status;
}

Status CheckCalibrationGate(const InstrumentRecord* instrument, std::string_view named, const TestRecord& test,
                            const ResultEntry& entry, Timestamp at) {
  if (instrument == nullptr) {
    return Status::Unprocessable("instrument " + Quoted(named) + " may not be used",
                                 {{kField, "unknown: no instrument " + Quoted(named) + " in the registry"}});
  }
  const Day day = DayOf(at);
  std::vector<FieldError> errors;
  CheckStatus(*instrument, at, &errors);
  CheckCalibration(*instrument, day, &errors);
  CheckChecks(*instrument, day, &errors);
  CheckMethod(*instrument, test, &errors);
  CheckRanges(*instrument, entry, &errors);
  if (errors.empty()) return Status::Ok();
  std::string summary;
  for (const FieldError& e : errors) summary += (summary.empty() ? "" : "; ") + e.reason.substr(0, e.reason.find(':'));
  return Status::Unprocessable("instrument " + Quoted(named) + " may not be used: " + summary, std::move(errors));
}

}  // namespace lims::instruments
