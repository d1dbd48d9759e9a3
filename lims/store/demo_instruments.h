// Demo instruments for `./run.sh`: the equipment of a footwear and leather testing lab in Agra
// (universal testing machine, slip tester, flexometer, abrasion tester, impact tester, pH meter,
// UV-Vis spectrophotometer for Cr(VI), GC-MS, ICP-OES, climate chamber, balance), each with the
// catalog's methods it serves, its measuring ranges, a calibration and, where the lab checks it
// between calibrations, intermediate checks. Dates are relative to `clock`, so exactly one
// instrument (the slip tester) is overdue, by five days on the day the demo is loaded: the
// calibration gate is visible. Internal to lims/store (demo_data.cc).
#ifndef LIMS_STORE_DEMO_INSTRUMENTS_H_
#define LIMS_STORE_DEMO_INSTRUMENTS_H_

#include <string>
#include <vector>

#include "instruments/instrument.h"
#include "lims/core/sample.h"
#include "lims/core/status.h"
#include "lims/store/unit_of_work.h"

namespace lims::store {

// Registers the set inside `work` (audited) unless the lab already has instruments; dates count
// from the unit of work's time. Returns the lab's instruments, for the demo's results to name.
Result<std::vector<instruments::InstrumentRecord>> LoadDemoInstruments(UnitOfWork& work, const std::string& lab_code);

// The id of the first of `instruments` that the calibration gate lets measure `entry` for `test`
// at `at`; "" when none does (the result then names no instrument).
std::string DemoInstrumentFor(const std::vector<instruments::InstrumentRecord>& instruments, const TestRecord& test,
                              const ResultEntry& entry, Timestamp at);

}  // namespace lims::store

#endif  // LIMS_STORE_DEMO_INSTRUMENTS_H_
