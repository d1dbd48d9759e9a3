// The calibration gate (ISO/IEC 17025 6.4.4, 6.4.10, 6.4.13): may this instrument be used for this
// test's result at this time? A pure function over the instrument's record as the registry holds
// it; the store-backed InstrumentGate (lims/store/instrument_store.h) reads the record and asks it.
//
// Every refusal is kUnprocessable with one FieldError on "instrument" per condition found, its
// reason starting with a stable phrase, then the particulars:
//
//   "unknown: no instrument \"17\" in the registry"                 (then nothing else is checked)
//   "out of service: status out_of_service since 2026-11-01T09:00:00Z (drive belt slipping)"
//   "under repair: status under_repair since ..."
//   "not calibrated: no calibration on or before 2026-11-02"
//   "calibration failed: calibrated 2026-10-01 (certificate CAL-1), result fail"
//   "calibration overdue: due 2026-10-31, test date 2026-11-02"
//   "check failed: intermediate check of 2026-11-01 failed (reference weight 200 g read 200.4 g)"
//   "method not served: the test's method is \"EN ISO 17075-1\"; the instrument serves \"EN ISO 13287\""
//   "out of range: values[1] 120 mg/kg is outside the calibrated range 0 to 100 mg/kg (mass fraction)"
//
// The rules, all judged on the test date (the UTC day of `at`) and the records on file:
// - Status: the instrument must be in service now (its current status) and at `at` (its status
//   history: the latest change at or before `at`); a refusal names the current status when that
//   is not in service, else the status at `at`.
// - Calibration: the one in force is the latest with a date on or before the test date (latest by
//   date, then by when it was recorded). None: "not calibrated". Its result fail: "calibration
//   failed". Its due date is the last valid day: a test on the due date passes, the day after is
//   "calibration overdue".
// - Checks: the latest check on or before the test date (by date, then recording) decides. A failed
//   one refuses unless a later passing check or a calibration recorded after it (a later date, or
//   the same date and recorded later) clears it.
// - Method: the test's method must be one the instrument serves (SameMethod); a test without a
//   method is not checked.
// - Range: each value that is a plain decimal number ("3.20"; not "nd", "<0.5", "pass") is
//   converted from the entry's unit to the unit of each range of the same dimension and must lie
//   within [min, max] of at least one of them. A unit whose dimension has no range on the
//   instrument (a width-normalised N/mm from a UTM calibrated in N) is not range-checked.
// Thread-safe (no state).
#ifndef LIMS_INSTRUMENTS_CALIBRATION_GATE_H_
#define LIMS_INSTRUMENTS_CALIBRATION_GATE_H_

#include <string_view>

#include "instruments/instrument.h"
#include "lims/core/clock.h"
#include "lims/core/sample.h"
#include "lims/core/status.h"

namespace lims::instruments {

// `instrument` is null when `named` is not in the registry.
Status CheckCalibrationGate(const InstrumentRecord* instrument, std::string_view named, const TestRecord& test,
                            const ResultEntry& entry, Timestamp at);

// The calibration in force on `day` (null: none), and the check that decides on `day` (null: none).
const CalibrationRecord* CalibrationInForce(const InstrumentRecord& instrument, Day day);
const IntermediateCheck* DecidingCheck(const InstrumentRecord& instrument, Day day);
// Whether the deciding check failed and nothing later cleared it.
bool FailedCheckStands(const InstrumentRecord& instrument, Day day);
// The instrument's status at `at`, from its status history (its current status without one).
InstrumentStatus StatusAt(const InstrumentRecord& instrument, Timestamp at);

}  // namespace lims::instruments

#endif  // LIMS_INSTRUMENTS_CALIBRATION_GATE_H_
