// InstrumentGate: the seam where result entry asks whether the named instrument may be used.
//
// The registry implements it (lims/store/instrument_store.h, RegistryInstrumentGate) over the
// instruments' status, calibration records and checks (ISO/IEC 17025 6.4: equipment out of
// calibration must not be used), deciding with instruments/calibration_gate.h. Without a gate
// (unit tests) the instrument id is recorded as entered.
#ifndef LIMS_CORE_INSTRUMENT_GATE_H_
#define LIMS_CORE_INSTRUMENT_GATE_H_

#include <string>

#include "lims/core/clock.h"
#include "lims/core/sample.h"
#include "lims/core/status.h"

namespace lims {

class InstrumentGate {
 public:
  virtual ~InstrumentGate() = default;
  // Ok, or kUnprocessable with field "instrument" naming why it may not be used for `test` at `at`
  // (unknown, out of service, calibration overdue, method not covered, a value of `entry` out of
  // the calibrated range); kUnavailable when the registry cannot be read.
  virtual Status CheckUsable(const std::string& instrument, const TestRecord& test, const ResultEntry& entry,
                             Timestamp at) = 0;
};

}  // namespace lims

#endif  // LIMS_CORE_INSTRUMENT_GATE_H_
