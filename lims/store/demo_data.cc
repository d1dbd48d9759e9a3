#include "lims/store/demo_data.h"

#include "lims/core/sample_service.h"
#include "lims/store/demo_instruments.h"
#include "lims/store/instrument_store.h"
#include "lims/store/mysql_sample_store.h"
#include "lims/store/unit_of_work.h"

namespace lims::store {
namespace {

Organization Exporter(const char* name, const char* short_name, const char* iec, const char* gstin, const char* address,
                      const char* district, const char* product) {
  Organization o;
  o.name = name;
  o.short_name = short_name;
  o.iec = iec;
  o.gstin = gstin;
  o.address = address;
  o.district = district;
  o.state = "Uttar Pradesh";
  o.odop_product = product;
  return o;
}

Organization Sikandra() {
  return Exporter("Sikandra Footwear Exports Pvt Ltd", "Sikandra Footwear", "0512345678", "09AAACS1234F1ZQ",
                  "12 Sikandra Industrial Area, Agra 282007", "Agra", "Leather footwear");
}

Organization Jajmau() {
  return Exporter("Jajmau Leather Works", "Jajmau Leather", "0598765432", "09AABCJ5678K1ZZ",
                  "Plot 7, Jajmau, Kanpur 208010", "Kanpur Nagar", "Leather products");
}

NewSample Boot(int64_t exporter) {
  NewSample s;
  s.exporter_id = exporter;
  s.product = "Men's safety boot, black leather, steel toecap";
  s.article = "AGR-BT-204";
  s.sizes = {"42"};
  s.lot = "L-2026-118";
  s.quantity = 6;
  s.quantity_unit = "pairs";
  s.destination = "DE";
  s.storage_location = "R2-S4";
  s.requirements = {"REACH-XVII-47-CRVI-LEATHER", "EN20345-2022-SOLE-BOND"};
  return s;
}

NewSample Sandal(int64_t exporter) {
  NewSample s = Boot(exporter);
  s.product = "Women's sandal, tan vegetable-tanned leather, brass buckle";
  s.article = "JLW-SD-031";
  s.sizes = {"37", "38"};
  s.lot = "K-0921";
  s.quantity = 4;
  s.destination = "FR";
  s.condition = ReceiptCondition::kDamaged;
  s.condition_note = "Outer carton crushed; pairs intact";
  s.requirements = {"REACH-XVII-47-CRVI-LEATHER", "REACH-XVII-27-NI-RELEASE"};
  return s;
}

// An S3 SR safety boot for Germany, its tests derived from the catalog (EN ISO 20345:2022 + REACH),
// judged under a guarded decision rule agreed at contract review.
NewSample PlannedBoot(int64_t exporter) {
  NewSample s = Boot(exporter);
  s.product = "Men's S3 SR safety boot, full-grain leather, PU/rubber sole";
  s.article = "AGR-BT-310";
  s.requirements.clear();
  s.decision_rule.kind = DecisionRule::Kind::kGuarded;
  TestPlanRequest plan;
  plan.product_family = "footwear";
  plan.materials = {{"upper", "leather"}, {"lining", "textile"}, {"insock", "textile"}, {"outsole", "rubber"}};
  plan.markings = {{"EN ISO 20345:2022", "S3", {"SR"}}};
  plan.regulations = {"REACH Annex XVII"};
  s.test_plan = plan;
  return s;
}

// Names the first of `instruments` that may measure it (the service's gate checks it again).
Status EnterFirstResult(SampleService& service, const SampleRecord& sample, const char* value,
                        const std::vector<instruments::InstrumentRecord>& instruments, Timestamp now) {
  if (sample.tests.empty()) return Status::Ok();
  const TestRecord& t = sample.tests.front();
  ResultEntry entry;
  entry.values = {value, value};
  entry.unit = t.limit.unit;
  entry.uncertainty = "0.5";
  entry.remarks = "demo data";
  entry.temperature_c = "23.0";
  entry.humidity_pct = "50";
  entry.instrument = DemoInstrumentFor(instruments, t, entry, now);
  return service.EnterResult(t.id, entry).status();
}

Status RegisterDemoSamples(MysqlSampleStore& store, UnitOfWork& work, const Clock& clock, const Lab& lab,
                           const Catalog* catalog, int64_t agra, int64_t kanpur,
                           const std::vector<instruments::InstrumentRecord>& instruments) {
  // The results name the demo instruments that measured them, through the calibration gate.
  RegistryInstrumentGate gate(work.connection(), lab.code);
  SampleService service(store, clock, lab.code, SampleService::Options{catalog, &work, &gate, {0, "system"}});
  Result<SampleRecord> boot = service.Register(Boot(agra));
  if (!boot.ok()) return boot.status();
  LIMS_RETURN_IF_ERROR(EnterFirstResult(service, *boot, "1.2", instruments, clock.Now()));
  Result<SampleRecord> sandal = service.Register(Sandal(kanpur));
  if (!sandal.ok()) return sandal.status();
  LIMS_RETURN_IF_ERROR(EnterFirstResult(service, *sandal, "4.8", instruments, clock.Now()));
  LIMS_RETURN_IF_ERROR(service.Register(Boot(kanpur)).status());
  if (catalog == nullptr) return Status::Ok();
  return service.Register(PlannedBoot(agra)).status();
}

}  // namespace

// Loads the demo lab as one unit of work done by the system: all of it, audited, or nothing.
Status LoadDemoData(sql::Connection& connection, const Lab& lab, const Clock& clock, const Catalog* catalog) {
  MysqlSampleStore store(connection);
  UnitOfWork work(connection, Actor{}, clock.Now());
  LIMS_RETURN_IF_ERROR(store.EnsureLab(lab));
  Result<int64_t> agra = store.EnsureOrganization(Sikandra());
  if (!agra.ok()) return agra.status();
  Result<int64_t> kanpur = store.EnsureOrganization(Jajmau());
  if (!kanpur.ok()) return kanpur.status();
  SampleQuery first;
  first.limit = 1;
  Result<std::vector<SampleRecord>> existing = store.ListSamples(first);
  if (!existing.ok()) return existing.status();
  Result<std::vector<instruments::InstrumentRecord>> instruments = LoadDemoInstruments(work, lab.code);
  if (!instruments.ok()) return instruments.status();
  if (existing->empty()) {
    LIMS_RETURN_IF_ERROR(RegisterDemoSamples(store, work, clock, lab, catalog, *agra, *kanpur, *instruments));
  }
  return work.Commit(std::nullopt, nullptr);
}

}  // namespace lims::store
