// The instrument registry's value types (ISO/IEC 17025 6.4): an instrument with its measuring
// ranges and the methods it serves, its calibrations (6.4.6/6.4.7), intermediate checks (6.4.10)
// and the history of its status, plus the checks a new record must pass.
//
// Records are append-only: a calibration, a check and a status change are new records, never
// edits; only the instrument's current status (and its version, the ETag) moves. Dates of
// calibrations and checks are calendar days "YYYY-MM-DD"; a due date is the last day on which the
// calibration is valid. Days are UTC days, like every time of the API. Value types;
// thread-compatible. No I/O.
#ifndef LIMS_INSTRUMENTS_INSTRUMENT_H_
#define LIMS_INSTRUMENTS_INSTRUMENT_H_

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "lims/core/clock.h"
#include "lims/core/decimal.h"
#include "lims/core/status.h"

namespace lims::instruments {

using Day = std::chrono::sys_days;

enum class InstrumentStatus { kInService, kOutOfService, kUnderRepair };
std::string_view InstrumentStatusName(InstrumentStatus s);  // "in_service", "out_of_service", "under_repair"
Result<InstrumentStatus> ParseInstrumentStatus(std::string_view text);

// pass: within tolerance as found; adjusted: out of tolerance as found, adjusted, within as left
// (usable, but earlier results deserve a look, 6.4.9); fail: not usable until recalibrated.
enum class CalibrationResult { kPass, kAdjusted, kFail };
std::string_view CalibrationResultName(CalibrationResult r);
Result<CalibrationResult> ParseCalibrationResult(std::string_view text);

// The instrument types the registry knows ("universal_testing_machine", "ph_meter", ...).
const std::vector<std::string_view>& InstrumentTypes();
bool IsInstrumentType(std::string_view type);

// What the instrument was calibrated to measure: [min, max] in `unit` (a unit of
// lims/core/units.h), read to `resolution`.
struct MeasuringRange {
  std::string quantity;  // "force", "mass fraction", ...
  std::string unit;      // "kN", "mg/kg"
  Decimal min;
  Decimal max;
  std::optional<Decimal> resolution;
};

struct CalibrationRecord {
  int64_t id = 0;
  std::string date;             // calibrated on, "YYYY-MM-DD"
  std::string due_date;         // the last day the calibration is valid
  std::string calibration_lab;  // "NABL CC-2291"
  std::string certificate;      // the calibration certificate's number
  CalibrationResult result = CalibrationResult::kPass;
  std::string uncertainty;  // as stated on the certificate: "0.3 mg/kg"
  std::string note;
  Timestamp recorded_at;
  int64_t recorded_by = 0;
  std::string recorded_by_name;
};

// An intermediate check (ISO/IEC 17025 6.4.10): a reference weight on a balance, a buffer on a pH meter.
struct IntermediateCheck {
  int64_t id = 0;
  std::string date;  // performed on, "YYYY-MM-DD"
  bool passed = false;
  std::string note;
  Timestamp recorded_at;
  int64_t recorded_by = 0;
  std::string recorded_by_name;
};

struct StatusChange {
  InstrumentStatus status = InstrumentStatus::kInService;
  std::string reason;
  Timestamp at;
  int64_t by = 0;
  std::string by_name;
};

struct InstrumentRecord {
  int64_t id = 0;
  std::string name;
  std::string type;  // one of InstrumentTypes()
  std::string make;
  std::string model;
  std::string serial;
  std::string location;
  std::vector<MeasuringRange> ranges;
  std::vector<std::string> methods;  // test methods as the catalog names them ("EN ISO 13287")
  InstrumentStatus status = InstrumentStatus::kInService;
  int version = 1;  // ETag: increments with every change of the instrument or its records
  Timestamp created_at;
  int64_t created_by = 0;
  // Histories, oldest first (as recorded).
  std::vector<CalibrationRecord> calibrations;
  std::vector<IntermediateCheck> checks;
  std::vector<StatusChange> status_history;  // the first entry is the status at registration
};

// "YYYY-MM-DD" → day; nullopt when it is not a day of the calendar.
std::optional<Day> ParseDay(std::string_view text);
std::string FormatDay(Day day);
// The UTC day of a time: the test date of a result entered at `at`.
Day DayOf(Timestamp at);

// Method names compare trimmed, with runs of blanks as one space and ASCII case ignored.
bool SameMethod(std::string_view a, std::string_view b);
bool ServesMethod(const InstrumentRecord& instrument, std::string_view method);

// A new instrument: name (1-200), known type, serial (1-100), make/model/location (≤ 200),
// methods non-empty strings without duplicates, every range with a quantity, a known unit,
// min < max and a resolution > 0. kUnprocessable naming "name", "type", "serial",
// "ranges[1].max", "methods[0]", ...
Status ValidateInstrument(const InstrumentRecord& instrument);
// A calibration recorded on `today`: real dates, not in the future, due_date after date,
// calibration_lab and certificate given (≤ 100). kUnprocessable naming "date", "due_date", ...
Status ValidateCalibration(const CalibrationRecord& calibration, Day today);
// A check recorded on `today`: a real date, not in the future, note ≤ 2000; a failed check needs
// a note saying what was found. kUnprocessable naming "date", "note".
Status ValidateCheck(const IntermediateCheck& check, Day today);
// A status change of `instrument`: a reason of at least 5 characters (kUnprocessable naming
// "reason"); the same status as the current one is kConflict.
Status ValidateStatusChange(const InstrumentRecord& instrument, InstrumentStatus to, std::string_view reason);

// Canonical JSON of what a registry write recorded, for the audit trail (lims/core/audit.h).
std::string AuditDocument(const InstrumentRecord& instrument);  // identity, ranges, methods, status
std::string AuditDocument(const CalibrationRecord& calibration);
std::string AuditDocument(const IntermediateCheck& check);
std::string StatusAuditDocument(InstrumentStatus status);  // {"status": "..."}

}  // namespace lims::instruments

#endif  // LIMS_INSTRUMENTS_INSTRUMENT_H_
