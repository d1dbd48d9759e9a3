// The instrument registry against a real MariaDB: registration, the append-only histories with
// their optimistic versions, lab scoping, listing filters, and the registry-backed gate, whose
// locking read sees a change committed after its transaction began.
#include "lims/store/instrument_store.h"

#include <gtest/gtest.h>

#include <memory>
#include <set>
#include <string>
#include <vector>

#include "instruments/calibration_gate.h"
#include "lims/catalog/catalog_loader.h"
#include "lims/core/sample_service.h"
#include "lims/store/catalog_store.h"
#include "lims/store/connection_pool.h"
#include "lims/store/demo_data.h"
#include "lims/store/migrator.h"
#include "lims/store/mysql_sample_store.h"
#include "lims/store/mysql_user_store.h"
#include "lims/store/transaction.h"
#include "tests/support/test_database.h"
#include "tests/support/test_support.h"

namespace lims::store {
namespace {

using instruments::CalibrationResult;
using ::lims::testing::At;
using ::lims::testing::SourcePath;
using ::lims::testing::TestDatabase;

Decimal Dec(const char* text) {
  return *Decimal::Parse(text);
}

InstrumentRecord Spectrophotometer(const std::string& serial = "UV2-88231") {
  InstrumentRecord r;
  r.name = "UV-Vis spectrophotometer 2";
  r.type = "spectrophotometer";
  r.make = "Shimadzu";
  r.model = "UV-1900i";
  r.serial = serial;
  r.location = "Chemistry lab";
  r.methods = {"EN ISO 17075-1 / EN ISO 17075-2", "EN ISO 17075-1"};
  r.ranges = {{"mass fraction", "mg/kg", Dec("0"), Dec("100"), Dec("0.10")},
              {"absorbance", "1", Dec("0"), Dec("3.000"), std::nullopt}};
  return r;
}

CalibrationRecord Calibration(const char* date, const char* due) {
  CalibrationRecord c;
  c.date = date;
  c.due_date = due;
  c.calibration_lab = "NABL CC-2291";
  c.certificate = std::string("CAL-") + date;
  c.result = CalibrationResult::kPass;
  c.uncertainty = "0.3 mg/kg";
  return c;
}

TestRecord CrViTest() {
  TestRecord t;
  t.id = 1;
  t.method = "EN ISO 17075-1 / EN ISO 17075-2";
  t.limit.unit = "mg/kg";
  return t;
}

ResultEntry Entry(const std::string& instrument, const std::string& value = "2.9") {
  ResultEntry e;
  e.values = {value};
  e.unit = "mg/kg";
  e.instrument = instrument;
  return e;
}

class InstrumentStoreTest : public ::testing::Test {
 protected:
  InstrumentStoreTest() : pool_(db_.config()), clock_(At("2026-11-02T10:00:00Z")) {}

  void SetUp() override {
    Result<ConnectionPool::Lease> lease = pool_.Acquire();
    ASSERT_OK(lease);
    lease_.emplace(std::move(lease).value());
    Result<std::vector<MigrationFile>> files = ReadMigrations(SourcePath("schema"));
    ASSERT_OK(files);
    ASSERT_OK(Migrate(c(), *files));
    MysqlSampleStore samples(c());
    ASSERT_OK(samples.EnsureLab(Lab{"AGR", "Footwear Testing Laboratory, Agra", "Agra", "TC-0000"}));
    ASSERT_OK(samples.EnsureLab(Lab{"KNP", "Leather Testing Laboratory, Kanpur", "Kanpur", "TC-0001"}));
    MysqlUserStore users(c());
    Result<User> admin = users.CreateUser(NewUser{"inst-admin", "Instrument Admin", {Role::kAdmin}, std::nullopt, "x"});
    ASSERT_OK(admin);
    admin_ = admin->id;
  }

  sql::Connection& c() { return lease_->connection(); }
  InstrumentStore Store(const std::string& lab = "AGR") { return InstrumentStore(c(), lab); }

  // Registered and calibrated 2026-01-10, due 2026-10-31 (overdue at the fixture's clock).
  InstrumentRecord Registered(const std::string& serial = "UV2-88231") {
    InstrumentStore store = Store();
    Result<InstrumentRecord> r = store.Register(Spectrophotometer(serial), admin_, At("2026-01-05T08:00:00Z"));
    EXPECT_OK(r);
    if (!r.ok()) return {};
    EXPECT_OK(store.AddCalibration(*r, Calibration("2026-01-10", "2026-10-31"), admin_, At("2026-01-11T09:00:00Z")));
    Result<InstrumentRecord> read = store.Find(r->id);
    EXPECT_OK(read);
    return read.ok() ? *read : InstrumentRecord{};
  }

  TestDatabase db_;
  ConnectionPool pool_;
  FakeClock clock_;
  std::optional<ConnectionPool::Lease> lease_;
  int64_t admin_ = 0;
};

TEST_F(InstrumentStoreTest, RegisterStoresTheInstrumentAndItsFirstStatus) {
  InstrumentStore store = Store();
  Result<InstrumentRecord> r = store.Register(Spectrophotometer(), admin_, At("2026-01-05T08:00:00Z"));
  ASSERT_OK(r);
  EXPECT_GT(r->id, 0);
  EXPECT_EQ(r->version, 1);
  EXPECT_EQ(r->status, InstrumentStatus::kInService);
  EXPECT_EQ(r->created_at, At("2026-01-05T08:00:00Z"));
  EXPECT_EQ(r->created_by, admin_);
  EXPECT_EQ(r->methods, (std::vector<std::string>{"EN ISO 17075-1 / EN ISO 17075-2", "EN ISO 17075-1"}));
  ASSERT_EQ(r->ranges.size(), 2u);
  EXPECT_EQ(r->ranges[0].resolution->ToString(), "0.10");  // as written
  EXPECT_EQ(r->ranges[1].max.ToString(), "3.000");
  EXPECT_FALSE(r->ranges[1].resolution.has_value());
  ASSERT_EQ(r->status_history.size(), 1u);
  EXPECT_EQ(r->status_history[0].reason, "registered");
  EXPECT_EQ(r->status_history[0].by_name, "inst-admin");
  Result<InstrumentRecord> by_serial = store.FindBySerial("uv2-88231");  // the key ignores case
  ASSERT_OK(by_serial);
  EXPECT_EQ(by_serial->id, r->id);
}

TEST_F(InstrumentStoreTest, ADuplicateSerialInTheLabIsAConflictButAnotherLabMayHaveIt) {
  const InstrumentRecord first = Registered();
  InstrumentStore store = Store();
  Result<InstrumentRecord> twin = store.Register(Spectrophotometer(), admin_, clock_.Now());
  EXPECT_EQ(twin.status().code(), Status::Code::kConflict);
  EXPECT_EQ(twin.status().message(), "instrument " + std::to_string(first.id) + " already has serial UV2-88231");
  InstrumentStore kanpur = Store("KNP");
  ASSERT_OK(kanpur.Register(Spectrophotometer(), admin_, clock_.Now()));
  EXPECT_EQ(db_.QueryValue("SELECT COUNT(*) FROM instruments"), "2");
}

TEST_F(InstrumentStoreTest, AnotherLabsInstrumentIsNotFound) {
  const InstrumentRecord agra = Registered();
  EXPECT_EQ(Store("KNP").Find(agra.id).status().code(), Status::Code::kNotFound);
  EXPECT_EQ(Store().Find(agra.id + 100).status().code(), Status::Code::kNotFound);
}

TEST_F(InstrumentStoreTest, RecordsAppendAndEachIncrementsTheVersion) {
  InstrumentRecord r = Registered();
  EXPECT_EQ(r.version, 2);  // registered, calibrated
  InstrumentStore store = Store();
  IntermediateCheck check;
  check.date = "2026-11-01";
  check.passed = false;
  check.note = "K2Cr2O7 standard read 10 % high";
  Result<IntermediateCheck> stored = store.AddCheck(r, check, admin_, At("2026-11-01T09:00:00Z"));
  ASSERT_OK(stored);
  EXPECT_GT(stored->id, 0);
  // The version read is stale now: a second writer with it is refused and nothing is written.
  EXPECT_EQ(store.ChangeStatus(r, InstrumentStatus::kUnderRepair, "lamp replacement", admin_, clock_.Now()).code(),
            Status::Code::kConflict);
  ASSERT_OK(store.Find(r.id));
  r = *store.Find(r.id);
  EXPECT_EQ(r.version, 3);
  ASSERT_OK(store.ChangeStatus(r, InstrumentStatus::kUnderRepair, "lamp replacement", admin_, clock_.Now()));
  r = *store.Find(r.id);
  EXPECT_EQ(r.version, 4);
  EXPECT_EQ(r.status, InstrumentStatus::kUnderRepair);
  ASSERT_EQ(r.status_history.size(), 2u);
  EXPECT_EQ(r.status_history[1].reason, "lamp replacement");
  EXPECT_EQ(r.status_history[1].at, clock_.Now());
  ASSERT_EQ(r.calibrations.size(), 1u);
  EXPECT_EQ(r.calibrations[0].date, "2026-01-10");
  EXPECT_EQ(r.calibrations[0].due_date, "2026-10-31");
  EXPECT_EQ(r.calibrations[0].recorded_by_name, "inst-admin");
  ASSERT_EQ(r.checks.size(), 1u);
  EXPECT_FALSE(r.checks[0].passed);
  EXPECT_EQ(r.checks[0].note, "K2Cr2O7 standard read 10 % high");
  EXPECT_EQ(db_.QueryValue("SELECT COUNT(*) FROM instrument_status_history"), "2");
}

TEST_F(InstrumentStoreTest, ListFiltersByStatusTypeAndMethod) {
  const InstrumentRecord uv = Registered("UV2-88231");
  InstrumentRecord balance;
  balance.name = "Analytical balance";
  balance.type = "balance";
  balance.serial = "B-0042";
  balance.status = InstrumentStatus::kOutOfService;
  balance.methods = {"EN ISO 17075-1"};
  InstrumentStore store = Store();
  Result<InstrumentRecord> b = store.Register(balance, admin_, clock_.Now());
  ASSERT_OK(b);
  ASSERT_OK(Store("KNP").Register(Spectrophotometer("KNP-1"), admin_, clock_.Now()));
  auto ids = [&](InstrumentQuery q) {
    std::vector<int64_t> out;
    Result<std::vector<InstrumentRecord>> list = store.List(q);
    EXPECT_OK(list);
    if (list.ok()) {
      for (const InstrumentRecord& r : *list) out.push_back(r.id);
    }
    return out;
  };
  EXPECT_EQ(ids({}), (std::vector<int64_t>{uv.id, b->id}));
  EXPECT_EQ(ids({InstrumentStatus::kOutOfService, "", ""}), std::vector<int64_t>{b->id});
  EXPECT_EQ(ids({std::nullopt, "spectrophotometer", ""}), std::vector<int64_t>{uv.id});
  EXPECT_EQ(ids({std::nullopt, "", "en iso 17075-1"}), (std::vector<int64_t>{uv.id, b->id}));
  EXPECT_EQ(ids({std::nullopt, "", "EN ISO 17075-1 / EN ISO 17075-2"}), std::vector<int64_t>{uv.id});
  Result<std::vector<InstrumentRecord>> all = store.List({});
  ASSERT_OK(all);
  EXPECT_EQ(all->at(0).calibrations.size(), 1u);  // histories come along
  EXPECT_EQ(all->at(1).status_history.size(), 1u);
}

TEST_F(InstrumentStoreTest, TheGateDecidesOnTheRegistry) {
  InstrumentRecord r = Registered();
  RegistryInstrumentGate gate(c(), "AGR");
  const std::string id = std::to_string(r.id);
  EXPECT_OK(gate.CheckUsable(id, CrViTest(), Entry(id), At("2026-10-31T23:59:59Z")));
  const Status overdue = gate.CheckUsable(id, CrViTest(), Entry(id), At("2026-11-01T00:00:00Z"));
  EXPECT_EQ(overdue.code(), Status::Code::kUnprocessable);
  ASSERT_EQ(overdue.field_errors().size(), 1u);
  EXPECT_EQ(overdue.field_errors()[0].field, "instrument");
  EXPECT_EQ(overdue.field_errors()[0].reason, "calibration overdue: due 2026-10-31, test date 2026-11-01");
  for (const std::string& unknown :
       {std::string("UV-VIS-2"), std::to_string(r.id + 100), std::string("0"), "0" + std::to_string(r.id)}) {
    const Status s = gate.CheckUsable(unknown, CrViTest(), Entry(unknown), At("2026-06-01T00:00:00Z"));
    ASSERT_EQ(s.field_errors().size(), 1u) << unknown;
    EXPECT_EQ(s.field_errors()[0].reason, "unknown: no instrument \"" + unknown + "\" in the registry");
  }
  RegistryInstrumentGate kanpur(c(), "KNP");
  EXPECT_EQ(kanpur.CheckUsable(id, CrViTest(), Entry(id), At("2026-06-01T00:00:00Z")).field_errors().at(0).reason,
            "unknown: no instrument \"" + id + "\" in the registry");
}

// A result entry's transaction has read (and so fixed its snapshot) before it asks the gate; a
// status change committed meanwhile must still be seen, which a plain snapshot read would miss.
TEST_F(InstrumentStoreTest, TheGateSeesAStatusChangeCommittedAfterItsTransactionBegan) {
  InstrumentRecord r = Registered();
  const std::string id = std::to_string(r.id);
  Transaction entry_tx(c());
  ASSERT_OK(Store().Find(r.id));  // the snapshot of this transaction is taken here
  {
    Result<ConnectionPool::Lease> other = pool_.Acquire();
    ASSERT_OK(other);
    InstrumentStore admin_store(other->connection(), "AGR");
    ASSERT_OK(admin_store.ChangeStatus(r, InstrumentStatus::kOutOfService, "dropped during cleaning", admin_,
                                       At("2026-06-01T08:00:00Z")));
  }
  EXPECT_EQ(Store().Find(r.id)->status, InstrumentStatus::kInService) << "a plain read keeps the snapshot";
  RegistryInstrumentGate gate(c(), "AGR");
  const Status s = gate.CheckUsable(id, CrViTest(), Entry(id), At("2026-06-01T09:00:00Z"));
  ASSERT_EQ(s.field_errors().size(), 1u);
  EXPECT_EQ(s.field_errors()[0].reason,
            "out of service: status out_of_service since 2026-06-01T08:00:00Z (dropped during cleaning)");
}

TEST_F(InstrumentStoreTest, TheGateRangeChecksWhatIsReported) {
  InstrumentRecord r = Registered();
  RegistryInstrumentGate gate(c(), "AGR");
  const std::string id = std::to_string(r.id);
  const Status s = gate.CheckUsable(id, CrViTest(), Entry(id, "250"), At("2026-06-01T09:00:00Z"));
  ASSERT_EQ(s.field_errors().size(), 1u);
  EXPECT_EQ(s.field_errors()[0].reason,
            "out of range: values[0] 250 mg/kg is outside the calibrated range 0 to 100 mg/kg (mass fraction)");
}

// The demo lab's instruments: the set, methods the catalog (or the seeded requirements)
// name, exactly one overdue, the results entered through the gate, and loaded only once.
TEST_F(InstrumentStoreTest, TheDemoLabHasOneOverdueInstrumentAndMethodsOfTheCatalog) {
  Result<Catalog> catalog = catalog::LoadCatalog(SourcePath("catalog"));
  ASSERT_OK(catalog);
  ASSERT_OK(RecordCatalog(c(), *catalog));  // as limsd does at start-up
  ASSERT_OK(LoadDemoData(c(), Lab{"AGR", "Footwear Testing Laboratory, Agra", "Agra", "TC-0000"}, clock_, &*catalog));
  std::set<std::string> methods;
  for (const StandardEdition& s : catalog->standards()) {
    for (const CatalogRequirement& r : s.requirements) methods.insert(r.method);
  }
  for (const char* code : {"REACH-XVII-47-CRVI-LEATHER", "REACH-XVII-27-NI-RELEASE", "EN20345-2022-SOLE-BOND"}) {
    methods.insert(db_.QueryValue(std::string("SELECT method FROM requirements WHERE code = '") + code + "'"));
  }
  Result<std::vector<InstrumentRecord>> all = Store().List({});
  ASSERT_OK(all);
  std::set<std::string> types;
  std::vector<std::string> overdue;
  for (const InstrumentRecord& r : *all) {
    types.insert(r.type);
    for (const std::string& m : r.methods) EXPECT_EQ(methods.count(m), 1u) << r.name << ": " << m;
    const Status s = instruments::CheckCalibrationGate(&r, r.name, TestRecord{}, ResultEntry{}, clock_.Now());
    for (const FieldError& e : s.field_errors()) {
      EXPECT_EQ(e.reason.rfind("calibration overdue: ", 0), 0u) << r.name << ": " << e.reason;
      overdue.push_back(r.name);
    }
  }
  EXPECT_EQ(types, (std::set<std::string>{"universal_testing_machine", "slip_tester", "flexometer", "abrasion_tester",
                                          "impact_tester", "ph_meter", "spectrophotometer", "gc_ms", "icp_oes",
                                          "climate_chamber", "balance"}));
  EXPECT_EQ(overdue, std::vector<std::string>{"Slip resistance tester"});
  // Every demo result names the instrument that measured it.
  EXPECT_EQ(db_.QueryValue("SELECT COUNT(*) FROM results WHERE instrument <> ''"), "2");
  EXPECT_EQ(db_.QueryValue("SELECT COUNT(*) FROM results"), "2");
  EXPECT_EQ(db_.QueryValue("SELECT COUNT(*) FROM audit_events WHERE action = 'instrument.register'"), "11");
  ASSERT_OK(LoadDemoData(c(), Lab{"AGR", "Footwear Testing Laboratory, Agra", "Agra", "TC-0000"}, clock_, &*catalog));
  EXPECT_EQ(db_.QueryValue("SELECT COUNT(*) FROM instruments"), "11");
}

}  // namespace
}  // namespace lims::store
