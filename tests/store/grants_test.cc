// The serving account's grants, checked as that account on a migrated database: the grants
// scripts/db.sh gives the application account, then schema/grants/serving_account.sql applied as
// `db.sh grants` applies it. The audit trail and every record table are append-only by grant (no
// UPDATE, no DELETE), and the whole workflow (intake, custody, assignment, results, four-eyes
// reviews, a retest, an organisation, identity and start-up) still runs, which proves the grant
// list complete. A missing grant shows as MySQL error 1142 ("UPDATE command denied").
#include <cppconn/exception.h>
#include <cppconn/resultset.h>
#include <cppconn/statement.h>
#include <gtest/gtest.h>
#include <mysql_connection.h>
#include <unistd.h>

#include <exception>
#include <functional>
#include <memory>
#include <optional>
#include <random>
#include <regex>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "lims/auth/e_signature.h"
#include "lims/catalog/catalog_loader.h"
#include "lims/core/audit.h"
#include "lims/core/clock.h"
#include "lims/core/sample_service.h"
#include "lims/core/sha256.h"
#include "lims/store/audit_trail.h"
#include "lims/store/catalog_store.h"
#include "lims/store/connection_pool.h"
#include "lims/store/instrument_store.h"
#include "lims/store/migrator.h"
#include "lims/store/mysql_sample_store.h"
#include "lims/store/mysql_user_store.h"
#include "lims/store/sql_script.h"
#include "lims/store/unit_of_work.h"
#include "tests/support/test_database.h"
#include "tests/support/test_support.h"

namespace lims::store {
namespace {

using ::lims::testing::ReadFile;
using ::lims::testing::SourcePath;
using ::lims::testing::TestDatabase;

constexpr int kCommandDenied = 1142;  // ER_TABLEACCESS_DENIED_ERROR
constexpr int kColumnDenied = 1143;   // ER_COLUMNACCESS_DENIED_ERROR
constexpr char kChromium[] = "REACH-XVII-47-CRVI-LEATHER";

// Tables limsd may only append to. A new table must be added here or to serving_account.sql.
const std::set<std::string>& AppendOnlyTables() {
  static const auto* tables = new std::set<std::string>{"audit_events",
                                                        "custody_events",
                                                        "e_signatures",
                                                        "idempotency_keys",
                                                        "instrument_calibrations",
                                                        "instrument_checks",
                                                        "instrument_import_results",
                                                        "instrument_imports",
                                                        "instrument_methods",
                                                        "instrument_ranges",
                                                        "instrument_status_history",
                                                        "invalidations",
                                                        "portions",
                                                        "rejections",
                                                        "result_values",
                                                        "results",
                                                        "reviews",
                                                        "sample_outcomes",
                                                        "schema_migrations"};
  return *tables;
}

std::string RandomSecret() {
  std::random_device random;
  std::string secret;
  for (int i = 0; i < 32; ++i) secret += "0123456789abcdefghijklmnopqrstuvwxyz"[random() % 36];
  return secret;
}

std::vector<std::string> Column(sql::Connection& c, const std::string& query) {
  std::unique_ptr<sql::Statement> st(c.createStatement());
  std::unique_ptr<sql::ResultSet> rs(st->executeQuery(query));
  std::vector<std::string> out;
  while (rs->next()) out.emplace_back(rs->getString(1));
  return out;
}

// Runs `statement`; 0 when it succeeds, else the server's error code.
int ErrorOf(sql::Connection& c, const std::string& statement) {
  try {
    std::unique_ptr<sql::Statement> st(c.createStatement());
    st->execute(statement);
    return 0;
  } catch (const sql::SQLException& e) {
    return e.getErrorCode();
  }
}

// The tables serving_account.sql grants UPDATE on.
// Tables whose lifecycle columns limsd may update but whose record it may never rewrite.
const std::set<std::string>& LifecycleOnlyTables() {
  static const auto* tables = new std::set<std::string>{"certificates", "instruments"};
  return *tables;
}

std::set<std::string> UpdatableTables() {
  std::set<std::string> tables;
  const std::string script = ReadFile(SourcePath("schema/grants/serving_account.sql"));
  const std::regex grant(R"(GRANT UPDATE ON `@DB@`\.`(\w+)` TO @USER@)");
  for (auto it = std::sregex_iterator(script.begin(), script.end(), grant); it != std::sregex_iterator(); ++it) {
    tables.insert((*it)[1]);
  }
  return tables;
}

class GrantsTest : public ::testing::Test {
 public:
  static void SetUpTestSuite() {
    try {
      db_ = std::make_unique<TestDatabase>();
      Migrated();
      account_ = "pramaan_g_" + std::to_string(getpid());
      serving_ = std::make_unique<ConnectionPool>(CreateAccount());
    } catch (const std::exception& e) {
      setup_error_ = e.what();
    }
  }

  static void TearDownTestSuite() {
    serving_.reset();
    if (db_ != nullptr && !account_.empty()) {
      try {
        db_->Execute("DROP USER IF EXISTS " + Account());
      } catch (const std::exception& e) {
        ADD_FAILURE() << "cannot drop " << Account() << ": " << e.what();
      }
    }
    db_.reset();
  }

 protected:
  void SetUp() override {
    ASSERT_TRUE(setup_error_.empty()) << setup_error_;
    Result<ConnectionPool::Lease> lease = serving_->Acquire();
    ASSERT_TRUE(lease.ok()) << lease.status().ToString();
    lease_.emplace(std::move(lease).value());
  }

  sql::Connection& serving() { return lease_->connection(); }
  static std::string Account() { return "'" + account_ + "'@'localhost'"; }

  static std::vector<std::string> Tables() {
    auto root = db_->Connect();
    return Column(*root, "SELECT table_name FROM information_schema.tables WHERE table_schema = '" + db_->name() +
                             "' ORDER BY table_name");
  }

  static std::string FirstColumn(const std::string& table) {
    return db_->QueryValue("SELECT column_name FROM information_schema.columns WHERE table_schema = '" + db_->name() +
                           "' AND table_name = '" + table + "' ORDER BY ordinal_position LIMIT 1");
  }

  static int UpdateError(sql::Connection& c, const std::string& table) {
    const std::string column = "`" + FirstColumn(table) + "`";
    return ErrorOf(c, "UPDATE `" + table + "` SET " + column + " = " + column + " WHERE 1 = 0");
  }

  static inline std::unique_ptr<TestDatabase> db_;
  static inline std::unique_ptr<ConnectionPool> serving_;
  static inline std::string account_;
  static inline std::string setup_error_;
  std::optional<ConnectionPool::Lease> lease_;

 private:
  static void Migrated() {
    auto root = db_->Connect();
    Result<std::vector<MigrationFile>> files = ReadMigrations(SourcePath("schema"));
    if (!files.ok()) throw std::runtime_error(files.status().ToString());
    Result<MigrationReport> report = Migrate(*root, *files);
    if (!report.ok()) throw std::runtime_error(report.status().ToString());
  }

  // As scripts/db.sh: bootstrap's grants, then `grants` (the REVOKE only when the wide UPDATE is held).
  static DbConfig CreateAccount() {
    DbConfig config = db_->config();
    config.user = account_;
    config.password = RandomSecret();
    config.pool_size = 2;
    db_->Execute("DROP USER IF EXISTS " + Account());
    db_->Execute("CREATE USER " + Account() + " IDENTIFIED BY '" + config.password + "'");
    db_->Execute("GRANT SELECT, INSERT, UPDATE, CREATE, ALTER, INDEX, REFERENCES, LOCK TABLES ON `" + db_->name() +
                 "`.* TO " + Account());
    std::string script = ReadFile(SourcePath("schema/grants/serving_account.sql"));
    script = std::regex_replace(script, std::regex("@DB@"), db_->name());
    script = std::regex_replace(script, std::regex("@USER@"), Account());
    auto root = db_->Connect();
    bool wide = false;
    const std::regex wide_update("UPDATE.* ON `" + db_->name() + "`\\.\\* TO");
    for (const std::string& g : Column(*root, "SHOW GRANTS FOR " + Account())) {
      wide = wide || std::regex_search(g, wide_update);
    }
    if (!wide) throw std::runtime_error("the bootstrap grants hold no database-wide UPDATE to revoke");
    for (const SqlStatement& s : SplitSqlStatements(script)) db_->Execute(s.text);
    return config;
  }
};

TEST_F(GrantsTest, TheScriptReplacesTheDatabaseWideUpdate) {
  auto root = db_->Connect();
  const std::vector<std::string> grants = Column(*root, "SHOW GRANTS FOR " + Account());
  const std::regex wide_update("UPDATE.* ON `" + db_->name() + "`\\.\\* TO");
  for (const std::string& g : grants) {
    EXPECT_FALSE(std::regex_search(g, wide_update)) << g;
    EXPECT_EQ(g.find("DELETE"), std::string::npos) << g;
    EXPECT_EQ(g.find("DROP"), std::string::npos) << g;
  }
  EXPECT_EQ(UpdatableTables().count("audit_heads"), 1u);
}

TEST_F(GrantsTest, AuditEventsTakeInsertsAndReads) {
  ASSERT_EQ(ErrorOf(serving(), "START TRANSACTION"), 0);
  EXPECT_EQ(ErrorOf(serving(),
                    "INSERT INTO audit_events (stripe, stripe_seq, at, actor_id, actor, role, action, entity,"
                    " entity_id, before_doc, after_doc, reason, prev_hash, hash) VALUES (0, 999999,"
                    " '2026-11-23 10:15:00', 0, 'system', 'system', 'grants.probe', 'probe', '1', '', '{}', '',"
                    " REPEAT('0', 64), REPEAT('0', 64))"),
            0);
  EXPECT_EQ(Column(serving(), "SELECT COUNT(*) FROM audit_events WHERE stripe_seq = 999999"),
            std::vector<std::string>{"1"});
  EXPECT_EQ(ErrorOf(serving(), "ROLLBACK"), 0);  // the probe leaves the chain as it was
  EXPECT_EQ(Column(serving(), "SELECT COUNT(*) FROM audit_events WHERE stripe_seq = 999999"),
            std::vector<std::string>{"0"});
}

TEST_F(GrantsTest, AuditEventsRefuseUpdateDeleteAndTruncate) {
  EXPECT_EQ(ErrorOf(serving(), "UPDATE audit_events SET after_doc = '{}' WHERE seq = 1"), kCommandDenied);
  EXPECT_EQ(ErrorOf(serving(), "UPDATE audit_events SET hash = prev_hash"), kCommandDenied);
  EXPECT_EQ(ErrorOf(serving(), "DELETE FROM audit_events WHERE seq = 1"), kCommandDenied);
  EXPECT_EQ(ErrorOf(serving(), "TRUNCATE TABLE audit_events"), kCommandDenied);
  EXPECT_EQ(ErrorOf(serving(), "DROP TABLE audit_events"), kCommandDenied);
  // REPLACE deletes the row it replaces: it needs DELETE.
  EXPECT_EQ(ErrorOf(serving(), "REPLACE INTO audit_heads (stripe, stripe_seq, hash) VALUES (0, 0, REPEAT('0', 64))"),
            kCommandDenied);
}

TEST_F(GrantsTest, RecordTablesRefuseUpdates) {
  for (const char* table : {"results", "result_values", "custody_events", "reviews", "invalidations"}) {
    EXPECT_EQ(UpdateError(serving(), table), kCommandDenied) << table;
  }
  EXPECT_EQ(ErrorOf(serving(), "UPDATE results SET verdict = 'pass' WHERE id = 1"), kCommandDenied);
  EXPECT_EQ(ErrorOf(serving(), "UPDATE reviews SET decision = 'approve' WHERE id = 1"), kCommandDenied);
}

// Every table is either in the grant list (and takes UPDATE) or append-only (and refuses it): a new
// table must be placed on one side, in serving_account.sql or in AppendOnlyTables above.
TEST_F(GrantsTest, EveryTableIsEitherUpdatableOrAppendOnly) {
  const std::set<std::string> updatable = UpdatableTables();
  std::set<std::string> append_only;
  for (const std::string& table : Tables()) {
    SCOPED_TRACE(table);
    if (updatable.count(table) > 0) {
      EXPECT_EQ(UpdateError(serving(), table), 0);
    } else if (LifecycleOnlyTables().count(table) > 0) {
      EXPECT_EQ(UpdateError(serving(), table), kColumnDenied);  // its first column is its id
    } else {
      EXPECT_EQ(UpdateError(serving(), table), kCommandDenied);
      append_only.insert(table);
    }
  }
  EXPECT_EQ(append_only, AppendOnlyTables());
  for (const std::string& table : updatable) {
    EXPECT_EQ(db_->QueryValue("SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = '" + db_->name() +
                              "' AND table_name = '" + table + "'"),
              "1")
        << "serving_account.sql grants UPDATE on " << table << ", which no migration creates";
  }
}

TEST_F(GrantsTest, CertificatesChangeOnlyTheirLifecycle) {
  EXPECT_EQ(ErrorOf(serving(),
                    "UPDATE certificates SET status = 'revoked', revoked_at = NOW(), revoked_by = 1,"
                    " revocation_reason = 'x', version = version + 1, superseded_by_id = NULL WHERE 1 = 0"),
            0);
  for (const char* column : {"pdf", "pdf_sha256", "credential", "number", "verdict", "kind", "issued_at"}) {
    EXPECT_EQ(ErrorOf(serving(), std::string("UPDATE certificates SET ") + column + " = " + column + " WHERE 1 = 0"),
              kColumnDenied)
        << column;
  }
}

TEST_F(GrantsTest, InstrumentsChangeOnlyTheirStatusAndVersion) {
  EXPECT_EQ(ErrorOf(serving(), "UPDATE instruments SET status = 'under_repair', version = version + 1 WHERE 1 = 0"), 0);
  for (const char* column : {"serial", "name", "type", "lab_id", "created_at", "created_by", "location"}) {
    EXPECT_EQ(ErrorOf(serving(), std::string("UPDATE instruments SET ") + column + " = " + column + " WHERE 1 = 0"),
              kColumnDenied)
        << column;
  }
  for (const char* table : {"instrument_calibrations", "instrument_checks", "instrument_status_history",
                            "instrument_ranges", "instrument_methods"}) {
    EXPECT_EQ(UpdateError(serving(), table), kCommandDenied) << table;
  }
}

TEST_F(GrantsTest, NoTableTakesDeletes) {
  const std::vector<std::string> tables = Tables();
  ASSERT_GE(tables.size(), 20u);
  for (const std::string& table : tables) {
    EXPECT_EQ(ErrorOf(serving(), "DELETE FROM `" + table + "` WHERE 1 = 0"), kCommandDenied) << table;
  }
}

// The lab's day as the serving account: every write of the workflow, each as the unit of work a
// request runs, audited and (for the intake) idempotent. Then the account verifies the trail.
class GrantsWorkflowTest : public GrantsTest {
 protected:
  GrantsWorkflowTest() : clock_(*ParseRfc3339("2026-11-23T10:15:00Z")) {}

  void SetUp() override {
    GrantsTest::SetUp();
    if (HasFatalFailure()) return;
    db_->Execute(
        "INSERT IGNORE INTO users (username, name, password_hash, roles, created_at, password_changed_at) VALUES"
        " ('g-tech', 'Grants Technician', 'x', 'technician', UTC_TIMESTAMP(), UTC_TIMESTAMP()),"
        " ('g-reviewer', 'Grants Reviewer', 'x', 'reviewer', UTC_TIMESTAMP(), UTC_TIMESTAMP())");
    technician_ =
        Actor{std::stoll(db_->QueryValue("SELECT id FROM users WHERE username = 'g-tech'")), "g-tech", "technician"};
    reviewer_ = Actor{std::stoll(db_->QueryValue("SELECT id FROM users WHERE username = 'g-reviewer'")), "g-reviewer",
                      "reviewer"};
    MysqlSampleStore store(serving());
    ASSERT_OK(store.EnsureLab(Lab{"AGR", "Footwear Testing Laboratory, Agra", "Agra, Uttar Pradesh", "TC-0000"}));
    Organization org;
    org.name = "Sikandra Footwear Exports";
    org.iec = "0512345678";
    org.address = "Sikandra, Agra";
    org.district = "Agra";
    Result<int64_t> id = store.EnsureOrganization(org);
    ASSERT_OK(id);
    exporter_ = *id;
  }

  using Step = std::function<Status(SampleService&, MysqlSampleStore&, UnitOfWork&)>;

  // Runs `step` as one unit of work of `actor` on the serving connection and commits it.
  Status Work(const Actor& actor, const Step& step, const std::optional<IdempotencyKey>& key = std::nullopt) {
    MysqlSampleStore store(serving());
    UnitOfWork work(serving(), actor, clock_.Now());
    SampleService service(store, clock_, "AGR",
                          SampleService::Options{nullptr, &work, nullptr, {actor.user_id, actor.username}});
    const Status done = step(service, store, work);
    if (!done.ok()) return done;
    const StoredResponse response{201, "application/json", "{}", "", ""};
    return work.Commit(key, key ? &response : nullptr);
  }

  NewSample Intake() const {
    NewSample s;
    s.exporter_id = exporter_;
    s.product = "Men's safety boot, black leather";
    s.quantity = 6;
    s.quantity_unit = "pairs";
    s.destination = "DE";
    s.requirements = {kChromium};
    return s;
  }

  static ResultEntry Entry(const std::string& value) {
    ResultEntry e;
    e.values = {value, value};
    e.unit = "mg/kg";
    e.temperature_c = "23.0";
    e.humidity_pct = "50";
    return e;
  }

  static CustodyRequest CustodyOf(CustodyKind kind) {
    CustodyRequest r;
    r.kind = kind;
    return r;
  }

  FakeClock clock_;
  Actor technician_;
  Actor reviewer_;
  int64_t exporter_ = 0;
};

TEST_F(GrantsWorkflowTest, TheLabsDayRunsUnderTheServingGrants) {
  std::string number;
  int64_t test_id = 0;
  const IdempotencyKey key{technician_.user_id, "grants-intake-1", Sha256Hex("POST\n/api/v1/samples\n{}")};
  ASSERT_OK(Work(
      technician_,
      [&](SampleService& service, MysqlSampleStore&, UnitOfWork&) {
        Result<SampleRecord> sample = service.Register(Intake());
        if (!sample.ok()) return sample.status();
        number = sample->number;
        test_id = sample->tests.at(0).id;
        return Status::Ok();
      },
      key));
  Result<std::optional<StoredResponse>> stored = FindStoredResponse(serving(), key);
  ASSERT_OK(stored);
  EXPECT_TRUE(stored->has_value());

  auto custody = [&](CustodyRequest request) {
    return Work(technician_, [&](SampleService& service, MysqlSampleStore&, UnitOfWork&) {
      return service.RecordCustody(number, request).status();
    });
  };
  CustodyRequest split = CustodyOf(CustodyKind::kSplit);
  split.note = "left boot, for extraction";
  ASSERT_OK(custody(split));
  CustodyRequest moved = CustodyOf(CustodyKind::kMoved);
  moved.location = "R2-S4";
  ASSERT_OK(custody(moved));
  CustodyRequest handed = CustodyOf(CustodyKind::kHandedToTest);
  handed.test_id = test_id;
  ASSERT_OK(custody(handed));

  auto as = [&](const Actor& actor, const std::function<Status(SampleService&)>& fn) {
    return Work(actor, [&](SampleService& service, MysqlSampleStore&, UnitOfWork&) { return fn(service); });
  };
  ASSERT_OK(as(technician_, [&](SampleService& s) { return s.Assign(test_id, technician_.user_id).status(); }));
  ASSERT_OK(as(technician_, [&](SampleService& s) { return s.EnterResult(test_id, Entry("1.10")).status(); }));
  ASSERT_OK(as(reviewer_, [&](SampleService& s) {
    return s.Review(test_id, ReviewDecision::kReject, "replicates disagree; re-extract").status();
  }));
  ASSERT_OK(as(technician_, [&](SampleService& s) { return s.EnterResult(test_id, Entry("1.20")).status(); }));
  ASSERT_OK(as(reviewer_, [&](SampleService& s) { return s.Review(test_id, ReviewDecision::kApprove, "").status(); }));
  ASSERT_OK(as(reviewer_, [&](SampleService& s) {
    return s.Retest(test_id, "balance out of calibration after the run").status();
  }));
  ASSERT_OK(Work(reviewer_, [&](SampleService&, MysqlSampleStore& store, UnitOfWork& work) {
    Organization org;
    org.name = "Jajmau Leather Works";
    org.iec = "0598765432";
    org.address = "Jajmau, Kanpur";
    org.district = "Kanpur Nagar";
    Result<Organization> created = store.CreateOrganization(org, reviewer_.user_id);
    if (!created.ok()) return created.status();
    work.Record({"organization.register", "organization", std::to_string(created->id), "", "{}", ""});
    return Status::Ok();
  }));

  EXPECT_EQ(db_->QueryValue("SELECT status FROM tests WHERE id = " + std::to_string(test_id)), "invalidated");
  EXPECT_EQ(db_->QueryValue("SELECT COUNT(*) FROM audit_events WHERE action = 'test.review'"), "2");
  Result<AuditVerification> verified = VerifyAuditTrail(serving());
  ASSERT_OK(verified);
  EXPECT_FALSE(verified->broken.has_value()) << verified->broken->reason;
  EXPECT_EQ(std::to_string(verified->events), db_->QueryValue("SELECT COUNT(*) FROM audit_events"));
  EXPECT_GE(verified->events, 15);
}

// The instrument registry as the serving account: registration, a calibration, a check, a status
// change, and result entry asking the registry-backed gate (a locking read) in the unit of work.
TEST_F(GrantsWorkflowTest, TheInstrumentRegistryRunsUnderTheServingGrants) {
  const Actor admin{reviewer_.user_id, "g-reviewer", "admin"};
  int64_t instrument_id = 0;
  ASSERT_OK(Work(admin, [&](SampleService&, MysqlSampleStore&, UnitOfWork& work) {
    InstrumentStore store(work.connection(), "AGR");
    instruments::InstrumentRecord uv;
    uv.name = "UV-Vis spectrophotometer";
    uv.type = "spectrophotometer";
    uv.serial = "G-UV-1";
    uv.methods = {"EN ISO 17075-2"};
    uv.ranges = {{"mass fraction", "mg/kg", Decimal(), *Decimal::Parse("100"), std::nullopt}};
    Result<instruments::InstrumentRecord> r = store.Register(uv, admin.user_id, clock_.Now());
    if (!r.ok()) return r.status();
    instrument_id = r->id;
    instruments::CalibrationRecord c;
    c.date = "2026-01-10";
    c.due_date = "2027-01-09";
    c.calibration_lab = "NABL CC-2291";
    c.certificate = "CAL-G-1";
    LIMS_RETURN_IF_ERROR(store.AddCalibration(*r, c, admin.user_id, clock_.Now()).status());
    Result<instruments::InstrumentRecord> locked = store.Find(r->id, InstrumentLock::kExclusive);
    if (!locked.ok()) return locked.status();
    instruments::IntermediateCheck k;
    k.date = "2026-11-23";
    k.passed = true;
    return store.AddCheck(*locked, k, admin.user_id, clock_.Now()).status();
  }));
  std::string number;
  int64_t test_id = 0;
  ASSERT_OK(Work(technician_, [&](SampleService& service, MysqlSampleStore&, UnitOfWork&) {
    Result<SampleRecord> sample = service.Register(Intake());
    if (!sample.ok()) return sample.status();
    test_id = sample->tests.at(0).id;
    return Status::Ok();
  }));
  ResultEntry entry = Entry("1.10");
  entry.instrument = std::to_string(instrument_id);
  ASSERT_OK(Work(technician_, [&](SampleService&, MysqlSampleStore& store, UnitOfWork& work) {
    RegistryInstrumentGate gate(work.connection(), "AGR");
    SampleService service(store, clock_, "AGR",
                          SampleService::Options{nullptr, &work, &gate, {technician_.user_id, technician_.username}});
    return service.EnterResult(test_id, entry).status();
  }));
  ASSERT_OK(Work(admin, [&](SampleService&, MysqlSampleStore&, UnitOfWork& work) {
    InstrumentStore store(work.connection(), "AGR");
    Result<instruments::InstrumentRecord> r = store.Find(instrument_id, InstrumentLock::kExclusive);
    if (!r.ok()) return r.status();
    return store.ChangeStatus(*r, InstrumentStatus::kOutOfService, "lamp failing", admin.user_id, clock_.Now());
  }));
  EXPECT_EQ(db_->QueryValue("SELECT CONCAT(status, ' ', version) FROM instruments WHERE id = " +
                            std::to_string(instrument_id)),
            "out_of_service 4");
}

// What limsd does before and around the workflow: migrate (nothing pending), record the catalog
// and the lab, and the identity slice: users, sessions, API tokens, failure counters, signatures.
TEST_F(GrantsWorkflowTest, StartUpAndIdentityRunUnderTheServingGrants) {
  Result<std::vector<MigrationFile>> files = ReadMigrations(SourcePath("schema"));
  ASSERT_OK(files);
  Result<MigrationReport> migrated = Migrate(serving(), *files);
  ASSERT_OK(migrated);
  EXPECT_TRUE(migrated->applied.empty());
  Result<Catalog> loaded = catalog::LoadCatalog(SourcePath("catalog"));
  ASSERT_OK(loaded);
  ASSERT_OK(RecordCatalog(serving(), *loaded));

  MysqlUserStore users(serving());
  Result<User> created =
      users.CreateUser(NewUser{"g-admin", "Grants Admin", {Role::kAdmin, Role::kSignatory}, std::nullopt, "x"});
  ASSERT_OK(created);
  ASSERT_OK(users.SetPasswordHash(created->id, "y"));
  Session s;
  s.user_id = created->id;
  s.token_hash = Sha256Hex("grants session token");
  s.csrf_token = std::string(43, 'c');
  s.kind = "session";
  s.created_at = clock_.Now();
  s.expires_at = clock_.Now() + std::chrono::hours(8);
  Result<Session> session = users.CreateSession(s);
  ASSERT_OK(session);
  ASSERT_OK(users.FindLiveSession(s.token_hash, clock_.Now()));
  s.token_hash = Sha256Hex("grants api token");
  s.kind = "api";
  s.scope = {Role::kAdmin};
  ASSERT_OK(users.CreateSession(s));
  ASSERT_OK(users.RevokeOtherSessions(created->id, session->id, clock_.Now()));
  ASSERT_OK(users.RevokeSession(session->id, clock_.Now()));
  ASSERT_OK(users.RecordFailure("user:g-admin", clock_.Now()));
  ASSERT_OK(users.RecordFailure("user:g-admin", clock_.Now()));
  ASSERT_OK(users.ClearFailures("user:g-admin"));
  ASSERT_OK(users.SetDisabled(technician_.user_id, true, clock_.Now()));
  ASSERT_OK(users.SetDisabled(technician_.user_id, false, clock_.Now()));
  auth::ESignature signature;
  signature.user_id = created->id;
  signature.signer = "Grants Admin";
  signature.record = "certificate AGR-C-2026-000001";
  signature.at = clock_.Now();
  ASSERT_OK(users.RecordSignature(signature));

  UnitOfWork work(serving(), Actor{}, clock_.Now());
  work.Record(UserCreatedChange(*created));
  ASSERT_OK(work.Commit(std::nullopt, nullptr));
  Result<AuditVerification> verified = VerifyAuditTrail(serving());
  ASSERT_OK(verified);
  EXPECT_FALSE(verified->broken.has_value());
}

}  // namespace
}  // namespace lims::store
