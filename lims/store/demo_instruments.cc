#include "lims/store/demo_instruments.h"

#include <vector>

#include "instruments/calibration_gate.h"
#include "lims/store/instrument_store.h"

namespace lims::store {
namespace {

using instruments::Day;
using instruments::MeasuringRange;

struct DemoRange {
  const char* quantity;
  const char* unit;
  const char* min;
  const char* max;
  const char* resolution;
};

struct DemoCheck {
  int days_ago;
  bool passed;
  const char* note;
};

struct DemoInstrument {
  const char* name;
  const char* type;
  const char* make;
  const char* model;
  const char* serial;
  const char* location;
  std::vector<const char*> methods;
  std::vector<DemoRange> ranges;
  int calibrated_days_ago;
  int due_in_days;  // negative: overdue
  const char* calibration_lab;
  const char* uncertainty;
  std::vector<DemoCheck> checks;
};

constexpr char kPhysical[] = "Physical testing lab, ground floor";
constexpr char kChemistry[] = "Chemistry lab, first floor";
constexpr char kInstrumentRoom[] = "Instrument room, first floor";

// The lab's equipment; method strings exactly as the catalog (catalog/*.json) and the seeded
// requirements (schema/002) name them. The slip tester is the one overdue instrument.
const std::vector<DemoInstrument>& DemoSet() {
  static const auto* set = new std::vector<DemoInstrument>{
      {"Universal testing machine 10 kN",
       "universal_testing_machine",
       "Tinius Olsen",
       "H10KS",
       "TO-H10KS-0419",
       kPhysical,
       {"EN ISO 20344:2021 5.2", "EN ISO 20344:2011 (upper/outsole bond strength)", "EN ISO 20344:2021 (tear strength)",
        "EN ISO 20344:2011 (tear strength)", "EN ISO 20344:2021 5.5",
        "EN ISO 20344:2011 (compression resistance of toecaps)"},
       {{"force", "N", "2", "10000", "0.01"}},
       120,
       245,
       "NABL CC-2291 (Force Calibration Services, Faridabad)",
       "0.5 % of reading",
       {}},
      {"Slip resistance tester",
       "slip_tester",
       "SATRA",
       "STM 603",
       "SATRA-603-1187",
       kPhysical,
       {"EN ISO 13287"},
       {{"coefficient of friction", "1", "0", "1.000", "0.001"}},
       370,
       -5,
       "NABL CC-3107 (Precision Metrology Labs, Noida)",
       "0.01",
       {}},
      {"Outsole flexing machine",
       "flexometer",
       "Gotech",
       "GT-7006-B",
       "GT-7006-2231",
       kPhysical,
       {"EN ISO 20344:2021 (outsole flexing resistance)", "EN ISO 20344:2011 (outsole flexing resistance)"},
       {{"cut growth", "mm", "0", "30", "0.1"}},
       200,
       165,
       "NABL CC-3107 (Precision Metrology Labs, Noida)",
       "0.1 mm",
       {}},
      {"Rotating drum abrasion tester",
       "abrasion_tester",
       "Gotech",
       "GT-7012-D",
       "GT-7012-0877",
       kPhysical,
       {"EN ISO 20344:2021 (outsole abrasion, ISO 4649-type drum)",
        "EN ISO 20344:2011 (outsole abrasion, ISO 4649-type drum)"},
       {{"volume loss", "mm³", "0", "1000", "1"}},
       60,
       305,
       "NABL CC-3107 (Precision Metrology Labs, Noida)",
       "3 mm³",
       {}},
      {"Toecap impact tester 200 J",
       "impact_tester",
       "SATRA",
       "STM 703",
       "SATRA-703-0452",
       kPhysical,
       {"EN ISO 20344:2021 5.4", "EN ISO 20344:2011 (impact resistance of toecaps)"},
       {{"impact energy", "J", "0", "220", "1"}},
       300,
       65,
       "NABL CC-2291 (Force Calibration Services, Faridabad)",
       "2 J",
       {}},
      {"pH meter",
       "ph_meter",
       "Mettler Toledo",
       "SevenCompact S220",
       "MT-S220-B730",
       kChemistry,
       {"EN ISO 4045", "EN ISO 4045 (via EN ISO 20344:2011 6.9)"},
       {{"pH", "pH", "0", "14", "0.01"}},
       20,
       160,
       "NABL CC-1856 (Electrochem Calibration Lab, Delhi)",
       "0.02 pH",
       {{1, true, "buffers pH 4.01, 7.00 and 10.01 read within 0.02"}}},
      {"UV-Vis spectrophotometer 2",
       "spectrophotometer",
       "Shimadzu",
       "UV-1900i",
       "UV2-88231",
       kInstrumentRoom,
       {"EN ISO 17075-1 / EN ISO 17075-2", "EN ISO 17075-2", "EN ISO 17075"},
       {{"mass fraction", "mg/kg", "0", "100", "0.1"}, {"absorbance", "1", "0", "3.000", "0.001"}},
       90,
       275,
       "NABL CC-1856 (Electrochem Calibration Lab, Delhi)",
       "0.3 mg/kg",
       {{30, false, "K2Cr2O7 absorbance standard read 6 % high"},
        {29, true, "after lamp alignment: K2Cr2O7 standard within 2 %"},
        {7, true, "K2Cr2O7 standard within 2 %"}}},
      {"GC-MS",
       "gc_ms",
       "Agilent",
       "8890 GC / 5977B MSD",
       "AG-5977B-US2107",
       kInstrumentRoom,
       {"AfPS GS 2019:01 PAK", "ISO/TS 16186", "EN ISO 17234-1", "EN ISO 14362-1", "EN ISO 14389"},
       {{"mass fraction", "mg/kg", "0", "10000", "0.01"}},
       45,
       320,
       "NABL CC-2764 (Analytical Instrument Calibration, Gurugram)",
       "8 % relative",
       {{3, true, "PAH mix 1 mg/L check standard within 10 %"}}},
      {"ICP-OES",
       "icp_oes",
       "Agilent",
       "5110 SVDV",
       "AG-5110-MY2034",
       kInstrumentRoom,
       {"Extraction per Appendix 12, then ICP (Cr(VI) by a Cr(VI)-specific method)", "ICP after acid digestion",
        "EN 1811 (coated parts after EN 12472 simulated wear)", "EN 1811"},
       {{"mass fraction", "mg/kg", "0", "5000", "0.01"}, {"release rate", "µg/cm²/week", "0", "10", "0.01"}},
       345,
       20,
       "NABL CC-2764 (Analytical Instrument Calibration, Gurugram)",
       "5 % relative",
       {{2, true, "multi-element 1 mg/L check standard within 5 %"}}},
      {"Climate chamber",
       "climate_chamber",
       "Weiss Technik",
       "WKL 100",
       "WT-WKL100-5521",
       kPhysical,
       {"EN ISO 20344:2021 (water vapour permeability)", "EN ISO 20344:2011 6.6"},
       {{"temperature", "°C", "-20", "70", "0.1"}, {"relative humidity", "%", "10", "98", "1"}},
       100,
       265,
       "NABL CC-3107 (Precision Metrology Labs, Noida)",
       "0.3 °C; 2 % RH",
       {}},
      {"Analytical balance",
       "balance",
       "Sartorius",
       "Quintix 224-1S",
       "SART-224-0038812",
       kChemistry,
       {"EN ISO 20344:2021 (water vapour absorption and coefficient)", "EN ISO 20344:2011 6.6 and 6.8",
        "EN ISO 20344:2021 (water penetration and absorption of upper)", "EN ISO 20344:2011 6.13"},
       {{"mass", "g", "0", "220", "0.0001"}},
       30,
       335,
       "NABL CC-1902 (Mass Standards Laboratory, Ghaziabad)",
       "0.2 mg",
       {{1, true, "200 g E2 reference weight read 200.0001 g"}}},
  };
  return *set;
}

InstrumentRecord RecordOf(const DemoInstrument& d) {
  InstrumentRecord r;
  r.name = d.name;
  r.type = d.type;
  r.make = d.make;
  r.model = d.model;
  r.serial = d.serial;
  r.location = d.location;
  r.methods.assign(d.methods.begin(), d.methods.end());
  for (const DemoRange& range : d.ranges) {
    MeasuringRange m;
    m.quantity = range.quantity;
    m.unit = range.unit;
    m.min = *Decimal::Parse(range.min);
    m.max = *Decimal::Parse(range.max);
    m.resolution = *Decimal::Parse(range.resolution);
    r.ranges.push_back(std::move(m));
  }
  return r;
}

CalibrationRecord CalibrationOf(const DemoInstrument& d, Day today) {
  CalibrationRecord c;
  c.date = instruments::FormatDay(today - std::chrono::days(d.calibrated_days_ago));
  c.due_date = instruments::FormatDay(today + std::chrono::days(d.due_in_days));
  c.calibration_lab = d.calibration_lab;
  c.certificate = "CAL-" + c.date.substr(0, 4) + "-" + std::string(d.serial);
  c.uncertainty = d.uncertainty;
  return c;
}

// Registers one instrument with its calibration and checks, each audited as the routes do.
Result<InstrumentRecord> RegisterDemo(InstrumentStore& store, UnitOfWork& work, const DemoInstrument& d) {
  const Timestamp now = work.now();
  const Day today = instruments::DayOf(now);
  Result<InstrumentRecord> r = store.Register(RecordOf(d), 0, now);
  if (!r.ok()) return r;
  const std::string id = std::to_string(r->id);
  work.Record({"instrument.register", "instrument", id, "", instruments::AuditDocument(*r), ""});
  Result<CalibrationRecord> c = store.AddCalibration(*r, CalibrationOf(d, today), 0, now);
  if (!c.ok()) return c.status();
  work.Record({"instrument.calibration", "instrument", id, "", instruments::AuditDocument(*c), ""});
  for (const DemoCheck& check : d.checks) {
    Result<InstrumentRecord> current = store.Find(r->id);
    if (!current.ok()) return current;
    IntermediateCheck k;
    k.date = instruments::FormatDay(today - std::chrono::days(check.days_ago));
    k.passed = check.passed;
    k.note = check.note;
    Result<IntermediateCheck> stored = store.AddCheck(*current, k, 0, now);
    if (!stored.ok()) return stored.status();
    work.Record({"instrument.check", "instrument", id, "", instruments::AuditDocument(*stored), ""});
  }
  return r;
}

}  // namespace

Result<std::vector<InstrumentRecord>> LoadDemoInstruments(UnitOfWork& work, const std::string& lab_code) {
  InstrumentStore store(work.connection(), lab_code);
  Result<std::vector<InstrumentRecord>> existing = store.List({});
  if (!existing.ok() || !existing->empty()) return existing;
  for (const DemoInstrument& d : DemoSet()) LIMS_RETURN_IF_ERROR(RegisterDemo(store, work, d).status());
  return store.List({});
}

std::string DemoInstrumentFor(const std::vector<InstrumentRecord>& instruments, const TestRecord& test,
                              const ResultEntry& entry, Timestamp at) {
  for (const InstrumentRecord& r : instruments) {
    std::string id = std::to_string(r.id);
    if (instruments::CheckCalibrationGate(&r, id, test, entry, at).ok()) return id;
  }
  return "";
}

}  // namespace lims::store
