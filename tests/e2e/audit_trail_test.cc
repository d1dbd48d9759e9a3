// The audit trail over HTTP, against a real limsd.
//
// AuditTrailTest calls every write route once, successfully, and checks the exact events the call
// appended (GET /api/v1/audit?after=...): actions in order, entity, actor, role, reason, the key
// fields of before and after, and that the events of one unit of work form one unbroken piece of
// one chain. A refused call (4xx) appends nothing. WriteRoutes() is the expected table: a write
// route that limsd serves but the table does not list fails EveryServedWriteRouteIsInTheTable.
// This limsd runs as a serving account holding exactly the grants of scripts/db.sh and
// schema/grants/serving_account.sql (audit_events INSERT/SELECT only), so the routes also prove
// that the grant list is complete.
//
// AuditTamperTest edits the trail as the database's root, as an intruder with database access
// would, and checks that GET /api/v1/audit/verify and `limsd --verify-audit` name the broken event.
#include "lims/store/audit_trail.h"

#include <Poco/JSON/Array.h>
#include <cppconn/resultset.h>
#include <cppconn/statement.h>
#include <gtest/gtest.h>
#include <mysql_connection.h>
#include <unistd.h>

#include <cctype>
#include <exception>
#include <map>
#include <memory>
#include <random>
#include <regex>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "lims/core/audit.h"
#include "lims/store/sql_script.h"
#include "tests/support/json_test_util.h"
#include "tests/support/limsd_process.h"
#include "tests/support/test_database.h"
#include "tests/support/test_support.h"

namespace lims::testing {
namespace {

using Json = Poco::JSON::Object::Ptr;

constexpr char kPassword[] = "audit trail pass phrase 6630";
constexpr char kRequirement[] = "REACH-XVII-47-CRVI-LEATHER";
constexpr char kMethod[] = "EN ISO 17075-2";  // the method of kRequirement (schema/002_seed_requirements.sql)
constexpr char kStaff[] = "e2e-staff";
constexpr char kAdmin[] = "e2e-admin";
constexpr char kReviewer[] = "audit-reviewer";
constexpr char kTechnician[] = "audit-tech";

// Every write route limsd serves, and the audit actions one successful call appends, in order.
// The calls the tests make: custody "moved" on a received sample; a passing result on a sample's
// only test; an approval; a retest of an approved test. A route that changes nothing lists none.
const std::map<std::string, std::vector<std::string>>& WriteRoutes() {
  static const auto* routes = new std::map<std::string, std::vector<std::string>>{
      {"POST /api/v1/auth/login", {"auth.login"}},
      {"POST /api/v1/auth/logout", {"auth.logout"}},
      {"POST /api/v1/auth/password", {"user.password"}},
      {"POST /api/v1/users", {"user.create"}},
      {"POST /api/v1/users/{id}/disable", {"user.disable"}},
      {"POST /api/v1/users/{id}/enable", {"user.enable"}},
      {"POST /api/v1/api-tokens", {"token.create"}},
      {"POST /api/v1/api-tokens/{id}/revoke", {"token.revoke"}},
      {"POST /api/v1/organizations", {"organization.register"}},
      {"POST /api/v1/samples", {"sample.register"}},
      {"POST /api/v1/samples/{number}/custody", {"custody.moved"}},
      {"POST /api/v1/tests/{id}/results", {"test.result", "sample.status"}},
      {"POST /api/v1/tests/{id}/review", {"test.review", "sample.status"}},
      {"POST /api/v1/tests/{id}/retest", {"test.retest", "test.open", "sample.status"}},
      {"POST /api/v1/tests/{id}/assign", {"test.assign"}},
      {"POST /api/v1/tests/{id}/claim", {"test.assign"}},
      {"POST /api/v1/test-plans", {}},  // a preview: derives a plan, stores nothing
      // Certificates (their calls are made by tests/e2e/certificate_test.cc).
      {"POST /api/v1/samples/{number}/certificate", {"certificate.issue", "sample.status"}},
      {"POST /api/v1/certificates/batch", {"certificate.issue", "sample.status"}},
      {"POST /api/v1/certificates/{number}/revoke", {"certificate.revoke"}},
      {"POST /api/v1/certificates/{number}/amend", {"certificate.supersede", "certificate.amend"}},
      {"POST /api/v1/verify", {}},  // a public check of an uploaded PDF: stores nothing
      // The instrument registry.
      {"POST /api/v1/instruments", {"instrument.register"}},
      {"POST /api/v1/instruments/{id}/status", {"instrument.status"}},
      {"POST /api/v1/instruments/{id}/calibrations", {"instrument.calibration"}},
      {"POST /api/v1/instruments/{id}/checks", {"instrument.check"}},
      // Imports (their calls are made by tests/e2e/instrument_import_test.cc): the results' own
      // events ("result.enter", ...) come with them, one per row.
      {"POST /api/v1/instruments/{id}/imports", {"instrument.import"}},
  };
  return *routes;
}

std::string RandomSecret() {
  std::random_device random;
  std::string secret;
  for (int i = 0; i < 32; ++i) secret += "0123456789abcdefghijklmnopqrstuvwxyz"[random() % 36];
  return secret;
}

bool HoldsDatabaseWideUpdate(const TestDatabase& db, const std::string& account) {
  auto c = db.Connect();
  std::unique_ptr<sql::Statement> st(c->createStatement());
  std::unique_ptr<sql::ResultSet> rs(st->executeQuery("SHOW GRANTS FOR " + account));
  const std::regex wide("UPDATE.* ON `" + db.name() + "`\\.\\* TO");
  while (rs->next()) {
    if (std::regex_search(std::string(rs->getString(1)), wide)) return true;
  }
  return false;
}

// Creates `user`@localhost with the grants scripts/db.sh gives the application account, then
// applies schema/grants/serving_account.sql as `db.sh grants` does; returns its connection settings.
store::DbConfig CreateServingAccount(const TestDatabase& db, const std::string& user) {
  const std::string account = "'" + user + "'@'localhost'";
  store::DbConfig config = db.config();
  config.user = user;
  config.password = RandomSecret();
  db.Execute("DROP USER IF EXISTS " + account);
  db.Execute("CREATE USER " + account + " IDENTIFIED BY '" + config.password + "'");
  db.Execute("GRANT SELECT, INSERT, UPDATE, CREATE, ALTER, INDEX, REFERENCES, LOCK TABLES ON `" + db.name() +
             "`.* TO " + account);
  std::string script = ReadFile(SourcePath("schema/grants/serving_account.sql"));
  script = std::regex_replace(script, std::regex("@DB@"), db.name());
  script = std::regex_replace(script, std::regex("@USER@"), account);
  const bool wide = HoldsDatabaseWideUpdate(db, account);
  for (const store::SqlStatement& s : store::SplitSqlStatements(script)) {
    if (s.text.rfind("REVOKE", 0) == 0 && !wide) continue;
    db.Execute(s.text);
  }
  return config;
}

std::string Header(const HttpReply& reply, const std::string& name) {
  auto it = reply.headers.find(name);
  return it == reply.headers.end() ? "" : it->second;
}

std::string Created(const HttpReply& reply, const std::string& what) {
  if (reply.status != 201) throw std::runtime_error(what + ": " + std::to_string(reply.status) + " " + reply.body);
  const std::string id = JsonString(ParseJsonObject(reply.body), "id");
  if (id.empty()) throw std::runtime_error(what + ": no id in " + reply.body);
  return id;
}

// One expected event: the action and whom/what it names.
struct Want {
  std::string action;
  std::string entity;
  std::string entity_id;
  std::string actor;
  std::string role;
  std::string reason;
};

std::vector<std::string> Actions(const std::vector<Json>& events) {
  std::vector<std::string> out;
  for (const Json& e : events) out.push_back(JsonString(e, "action"));
  return out;
}

int64_t Int(const Json& o, const std::string& key) {
  return o.isNull() || !o->has(key) || o->isNull(key) ? -1 : o->getValue<int64_t>(key);
}

// before / after of an event (null when the event has none).
Json Doc(const Json& event, const std::string& which) {
  return event.isNull() ? nullptr : event->getObject(which);
}

// The shared part of both suites: a database, a limsd, and reading the trail back.
class AuditSuiteBase : public ::testing::Test {
 protected:
  static int64_t LastSeq() { return std::stoll(db_->QueryValue("SELECT COALESCE(MAX(seq), 0) FROM audit_events")); }

  // Every event after `seq`, read through the API as the administrator, page by page.
  static std::vector<Json> EventsAfter(int64_t seq) {
    std::vector<Json> events;
    std::string after = std::to_string(seq);
    for (int page = 0; page < 100; ++page) {
      const HttpReply reply = limsd_->CallAs(limsd_->admin_token(), "GET", "/api/v1/audit?limit=50&after=" + after, "");
      EXPECT_EQ(reply.status, 200) << reply.body;
      Json body = ParseJsonObject(reply.body);
      if (body.isNull() || body->getArray("items").isNull()) return events;
      Poco::JSON::Array::Ptr items = body->getArray("items");
      for (unsigned i = 0; i < items->size(); ++i) events.push_back(items->getObject(i));
      if (body->isNull("next")) return events;
      after = JsonString(body, "next");
    }
    ADD_FAILURE() << "the audit trail did not end";
    return events;
  }

  static Json Verify() {
    const HttpReply reply = limsd_->CallAs(limsd_->admin_token(), "GET", "/api/v1/audit/verify", "");
    EXPECT_EQ(reply.status, 200) << reply.body;
    return ParseJsonObject(reply.body);
  }

  // An intake body for the suite's exporter.
  static std::string IntakeJson(const std::string& exporter = exporter_) {
    return R"({"exporter": ")" + exporter +
           R"(", "product": "Men's safety boot, black leather", "quantity": 6, "quantity_unit": "pairs",)"
           R"( "destination": "DE", "requirements": [")" +
           kRequirement + R"("]})";
  }

  // Registers a sample as the staff user; returns (number, first test id).
  static std::pair<std::string, std::string> Register() {
    const HttpReply reply = limsd_->Post("/api/v1/samples", IntakeJson());
    EXPECT_EQ(reply.status, 201) << reply.body;
    Json sample = ParseJsonObject(reply.body);
    return {JsonString(sample, "number"), JsonString(JsonArrayObject(sample, "tests", 0), "id")};
  }

  static HttpReply Custody(const std::string& number, const std::string& json) {
    return limsd_->Post("/api/v1/samples/" + number + "/custody", json);
  }

  static HttpReply EnterPassingResult(const std::string& test_id) {
    return limsd_->Post("/api/v1/tests/" + test_id + "/results", R"({"values": ["1.10", "2.95"], "unit": "mg/kg"})");
  }

  static void InsertExporter(const std::string& iec) {
    db_->Execute(
        "INSERT INTO organizations (name, iec, address, district, odop_product) VALUES "
        "('Audit Trail Footwear Exports', '" +
        iec + "', 'Sikandra, Agra', 'Agra', 'Leather footwear')");
    exporter_ = db_->QueryValue("SELECT id FROM organizations WHERE iec = '" + iec + "'");
    if (exporter_.empty()) throw std::runtime_error("the exporter was not inserted");
  }

  static void TearDownSuite() {
    limsd_.reset();
    db_.reset();
  }

  static inline std::unique_ptr<TestDatabase> db_;
  static inline std::unique_ptr<LimsdProcess> limsd_;
  static inline std::string exporter_;
};

class AuditTrailTest : public AuditSuiteBase {
 public:
  static void SetUpTestSuite() {
    try {
      db_ = std::make_unique<TestDatabase>();
      // As in production: migrate as the owner, then serve as the account that cannot rewrite history.
      std::string output;
      if (LimsdProcess::RunOnce(db_->config(), {"--migrate"}, {}, &output) != 0) {
        throw std::runtime_error("limsd --migrate failed:\n" + output);
      }
      account_ = "pramaan_a_" + std::to_string(getpid());
      limsd_ = std::make_unique<LimsdProcess>(CreateServingAccount(*db_, account_));
      Populate();
    } catch (const std::exception& e) {
      setup_error_ = e.what();
    }
  }

  static void TearDownTestSuite() {
    limsd_.reset();
    if (db_ != nullptr && !account_.empty()) {
      try {
        db_->Execute("DROP USER IF EXISTS '" + account_ + "'@'localhost'");
      } catch (const std::exception& e) {
        ADD_FAILURE() << "cannot drop " << account_ << ": " << e.what();
      }
    }
    TearDownSuite();
  }

 protected:
  void SetUp() override { ASSERT_TRUE(setup_error_.empty()) << setup_error_; }

  static const LimsdProcess& limsd() { return *limsd_; }
  static const std::string& AdminToken() { return limsd_->admin_token(); }

  static HttpReply AsAdmin(const std::string& path, const std::string& json) {
    return limsd_->CallAs(AdminToken(), "POST", path, json);
  }

  static std::string CreateUser(const std::string& username, const std::string& role) {
    return Created(AsAdmin("/api/v1/users", R"({"username":")" + username + R"(","password":")" + kPassword +
                                                R"(","name":"Audit )" + role + R"(","roles":[")" + role + R"("]})"),
                   "creating " + username);
  }

  // Checks what the call of `route` appended after `since`: the actions of the route table, and
  // each event as `want` states it. Every event is chained: one unit of work is consecutive links
  // of one stripe. Returns the events for checks of their documents.
  static std::vector<Json> ExpectAppended(const std::string& route, int64_t since, const std::vector<Want>& want) {
    std::vector<std::string> wanted_actions;
    for (const Want& w : want) wanted_actions.push_back(w.action);
    EXPECT_EQ(wanted_actions, WriteRoutes().at(route)) << "the test and the route table disagree on " << route;
    const std::vector<Json> events = EventsAfter(since);
    EXPECT_EQ(Actions(events), wanted_actions) << route;
    if (events.size() != want.size()) return events;
    const std::regex hex64("^[0-9a-f]{64}$");
    for (size_t i = 0; i < events.size(); ++i) {
      SCOPED_TRACE(route + ": event " + std::to_string(i) + " " + want[i].action);
      const Json& e = events[i];
      EXPECT_EQ(JsonString(e, "entity"), want[i].entity);
      EXPECT_EQ(JsonString(e, "entity_id"), want[i].entity_id);
      EXPECT_EQ(JsonString(e, "actor"), want[i].actor);
      EXPECT_EQ(JsonString(e, "role"), want[i].role);
      EXPECT_EQ(JsonString(e, "reason"), want[i].reason);
      EXPECT_TRUE(ParseRfc3339(JsonString(e, "at")).ok()) << JsonString(e, "at");
      EXPECT_TRUE(std::regex_match(JsonString(e, "hash"), hex64));
      if (i == 0) continue;
      EXPECT_EQ(Int(e, "stripe"), Int(events[i - 1], "stripe"));
      EXPECT_EQ(Int(e, "stripe_seq"), Int(events[i - 1], "stripe_seq") + 1);
      EXPECT_EQ(JsonString(e, "prev_hash"), JsonString(events[i - 1], "hash"));
    }
    return events;
  }

  // A refused call: the status, and not one event appended.
  static void ExpectRefusedWithoutTrace(const HttpReply& reply, int status, int64_t since) {
    EXPECT_EQ(reply.status, status) << reply.body;
    EXPECT_EQ(Actions(EventsAfter(since)), std::vector<std::string>{}) << "a refused call left events";
  }

  // A sample whose only test has a passing result entered by the staff user.
  static std::pair<std::string, std::string> SampleWithResult() {
    auto [number, test_id] = Register();
    const HttpReply reply = EnterPassingResult(test_id);
    EXPECT_EQ(reply.status, 201) << reply.body;
    return {number, test_id};
  }

  static HttpReply Review(const std::string& test_id, const std::string& json) {
    return limsd_->CallAs(reviewer_token_, "POST", "/api/v1/tests/" + test_id + "/review", json);
  }

  static inline std::string account_;
  static inline std::string setup_error_;
  static inline std::string reviewer_id_;
  static inline std::string reviewer_token_;
  static inline std::string technician_id_;
  static inline std::string staff_id_;
  static inline std::string admin_id_;

 private:
  static void Populate() {
    InsertExporter("0588000001");
    reviewer_id_ = CreateUser(kReviewer, "reviewer");
    technician_id_ = CreateUser(kTechnician, "technician");
    reviewer_token_ = limsd_->Login(kReviewer, kPassword);
    staff_id_ = JsonString(ParseJsonObject(limsd_->Get("/api/v1/auth/me").body), "id");
    admin_id_ = JsonString(ParseJsonObject(limsd_->CallAs(AdminToken(), "GET", "/api/v1/auth/me", "").body), "id");
    if (staff_id_.empty() || admin_id_.empty()) throw std::runtime_error("cannot read the users' ids");
  }
};

TEST_F(AuditTrailTest, EveryServedWriteRouteIsInTheTable) {
  const HttpReply reply = limsd().CallAs("", "GET", "/api/openapi.json", "");
  ASSERT_EQ(reply.status, 200) << reply.body;
  Json paths = ParseJsonObject(reply.body)->getObject("paths");
  ASSERT_FALSE(paths.isNull()) << reply.body;
  std::set<std::string> served;
  for (const auto& [path, item] : *paths) {
    for (const auto& [method, operation] : *item.extract<Json>()) {
      std::string upper = method;
      for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      if (upper != "GET" && upper != "HEAD") served.insert(upper + " " + path);
    }
  }
  for (const std::string& route : served) {
    EXPECT_EQ(WriteRoutes().count(route), 1u) << "write route " << route << " is not in the audit table: "
                                              << "add it with the events one call appends, and a test";
  }
  for (const auto& [route, actions] : WriteRoutes()) {
    EXPECT_EQ(served.count(route), 1u) << "the audit table lists " << route << " but limsd does not serve it";
  }
  EXPECT_TRUE(served.count("POST /api/v1/auth/login") == 1 && served.count("POST /api/v1/auth/logout") == 1);
}

TEST_F(AuditTrailTest, RegisterSampleRecordsTheSampleAsReceived) {
  const int64_t since = LastSeq();
  const HttpReply reply = limsd().Post("/api/v1/samples", IntakeJson());
  ASSERT_EQ(reply.status, 201) << reply.body;
  Json sample = ParseJsonObject(reply.body);
  const std::string number = JsonString(sample, "number");
  const std::string test_id = JsonString(JsonArrayObject(sample, "tests", 0), "id");
  const std::vector<Json> events =
      ExpectAppended("POST /api/v1/samples", since, {{"sample.register", "sample", number, kStaff, "technician", ""}});
  ASSERT_EQ(events.size(), 1u);
  EXPECT_TRUE(events[0]->isNull("before"));
  Json after = Doc(events[0], "after");
  EXPECT_EQ(JsonString(after, "number"), number);
  EXPECT_EQ(JsonString(after, "status"), "received");
  EXPECT_EQ(JsonString(after, "exporter"), exporter_);
  EXPECT_EQ(JsonString(after, "destination"), "DE");
  EXPECT_EQ(JsonStrings(after, "tests"), std::vector<std::string>{test_id + " " + kRequirement});
}

TEST_F(AuditTrailTest, RefusedIntakeAppendsNothing) {
  const int64_t since = LastSeq();
  ExpectRefusedWithoutTrace(limsd().Post("/api/v1/samples", R"({"exporter": "1", "product": )"), 400, since);
  // Refused inside the unit of work, after the workflow ran: rolled back with its events.
  ExpectRefusedWithoutTrace(limsd().Post("/api/v1/samples", IntakeJson("99999999")), 422, since);
}

TEST_F(AuditTrailTest, AnIdempotentReplayAppendsNothing) {
  const int64_t since = LastSeq();
  const std::map<std::string, std::string> key = {{"Idempotency-Key", "audit-replay-" + RandomSecret()}};
  const HttpReply first = limsd().Call("POST", "/api/v1/samples", IntakeJson(), key);
  ASSERT_EQ(first.status, 201) << first.body;
  const HttpReply again = limsd().Call("POST", "/api/v1/samples", IntakeJson(), key);
  EXPECT_EQ(again.status, 201) << again.body;
  EXPECT_EQ(Header(again, "Idempotent-Replayed"), "true");
  EXPECT_EQ(Actions(EventsAfter(since)), std::vector<std::string>{"sample.register"});
}

TEST_F(AuditTrailTest, CustodyEventIsRecordedOnTheSample) {
  const std::string number = Register().first;
  const int64_t since = LastSeq();
  ASSERT_EQ(Custody(number, R"({"event": "moved", "location": "R3-S1", "note": "to the cold room"})").status, 201);
  const std::vector<Json> events = ExpectAppended("POST /api/v1/samples/{number}/custody", since,
                                                  {{"custody.moved", "sample", number, kStaff, "technician", ""}});
  ASSERT_EQ(events.size(), 1u);
  EXPECT_TRUE(events[0]->isNull("before"));
  EXPECT_EQ(JsonString(Doc(events[0], "after"), "event"), "moved");
  EXPECT_EQ(JsonString(Doc(events[0], "after"), "location"), "R3-S1");
  EXPECT_EQ(JsonString(Doc(events[0], "after"), "note"), "to the cold room");
}

TEST_F(AuditTrailTest, HandingASampleToATestAlsoRecordsItsStatusMove) {
  auto [number, test_id] = Register();
  const int64_t since = LastSeq();
  ASSERT_EQ(Custody(number, R"({"event": "handed_to_test", "test": ")" + test_id + R"("})").status, 201);
  const std::vector<Json> events = EventsAfter(since);
  ASSERT_EQ(Actions(events), (std::vector<std::string>{"custody.handed_to_test", "sample.status"}));
  EXPECT_EQ(JsonString(Doc(events[0], "after"), "test"), test_id);
  EXPECT_EQ(JsonString(events[1], "entity_id"), number);
  EXPECT_EQ(JsonString(Doc(events[1], "before"), "status"), "received");
  EXPECT_EQ(JsonString(Doc(events[1], "after"), "status"), "in_testing");
  EXPECT_EQ(Int(events[1], "stripe_seq"), Int(events[0], "stripe_seq") + 1);
}

TEST_F(AuditTrailTest, RefusedCustodyEventAppendsNothing) {
  const std::string number = Register().first;
  const int64_t since = LastSeq();
  ExpectRefusedWithoutTrace(Custody(number, R"({"event": "received"})"), 422, since);
  ExpectRefusedWithoutTrace(Custody(number, R"({"event": "moved"})"), 422, since);  // no location
  ExpectRefusedWithoutTrace(Custody(number, R"({"event": "teleported"})"), 400, since);
}

TEST_F(AuditTrailTest, ResultRecordsTheTestAndTheSampleMoving) {
  auto [number, test_id] = Register();
  const int64_t since = LastSeq();
  ASSERT_EQ(EnterPassingResult(test_id).status, 201);
  const std::vector<Json> events = ExpectAppended("POST /api/v1/tests/{id}/results", since,
                                                  {{"test.result", "test", test_id, kStaff, "technician", ""},
                                                   {"sample.status", "sample", number, kStaff, "technician", ""}});
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(JsonString(Doc(events[0], "before"), "status"), "pending");
  EXPECT_EQ(Int(Doc(events[0], "before"), "version"), 1);
  EXPECT_EQ(JsonString(Doc(events[0], "after"), "status"), "entered");
  Json result = Doc(events[0], "after")->getObject("result");
  EXPECT_EQ(JsonStrings(result, "values"), (std::vector<std::string>{"1.10", "2.95"}));
  EXPECT_EQ(JsonString(result, "unit"), "mg/kg");
  EXPECT_EQ(JsonString(result, "verdict"), "pass");
  EXPECT_EQ(JsonString(result, "entered_by"), kStaff);
  EXPECT_EQ(JsonString(Doc(events[1], "before"), "status"), "received");
  EXPECT_EQ(JsonString(Doc(events[1], "after"), "status"), "under_review");
}

TEST_F(AuditTrailTest, RefusedResultAppendsNothing) {
  const std::string entered = SampleWithResult().second;
  const std::string pending = Register().second;
  const int64_t since = LastSeq();
  ExpectRefusedWithoutTrace(EnterPassingResult(entered), 409, since);  // a second result
  ExpectRefusedWithoutTrace(EnterPassingResult("99999999"), 404, since);
  // Refused inside the unit of work, after the test was locked and read.
  ExpectRefusedWithoutTrace(
      limsd().Post("/api/v1/tests/" + pending + "/results", R"({"values": ["abc"], "unit": "mg/kg"})"), 400, since);
  ExpectRefusedWithoutTrace(
      limsd().Post("/api/v1/tests/" + pending + "/results", R"({"values": ["-1.0"], "unit": "mg/kg"})"), 422, since);
}

TEST_F(AuditTrailTest, ApprovalRecordsTheReviewerAndTheSampleBecomingReady) {
  auto [number, test_id] = SampleWithResult();
  const int64_t since = LastSeq();
  ASSERT_EQ(Review(test_id, R"({"decision": "approve"})").status, 200);
  const std::vector<Json> events = ExpectAppended("POST /api/v1/tests/{id}/review", since,
                                                  {{"test.review", "test", test_id, kReviewer, "reviewer", ""},
                                                   {"sample.status", "sample", number, kReviewer, "reviewer", ""}});
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(JsonString(Doc(events[0], "before"), "status"), "entered");
  EXPECT_EQ(JsonString(Doc(events[0], "after"), "status"), "approved");
  EXPECT_EQ(JsonString(Doc(events[0], "after"), "decision"), "approve");
  EXPECT_EQ(JsonString(Doc(events[1], "before"), "status"), "under_review");
  EXPECT_EQ(JsonString(Doc(events[1], "after"), "status"), "ready");
}

TEST_F(AuditTrailTest, RejectionRecordsItsCommentAsTheReason) {
  auto [number, test_id] = SampleWithResult();
  const int64_t since = LastSeq();
  const std::string comment = "Replicates differ by 40 %; re-extract";
  ASSERT_EQ(Review(test_id, R"({"decision": "reject", "comment": ")" + comment + R"("})").status, 200);
  const std::vector<Json> events = EventsAfter(since);
  ASSERT_EQ(Actions(events), (std::vector<std::string>{"test.review", "sample.status"}));
  EXPECT_EQ(JsonString(events[0], "reason"), comment);
  EXPECT_EQ(JsonString(events[0], "actor"), kReviewer);
  EXPECT_EQ(JsonString(Doc(events[0], "after"), "status"), "rejected");
  EXPECT_EQ(JsonString(Doc(events[0], "after"), "decision"), "reject");
  EXPECT_EQ(JsonString(Doc(events[0], "after"), "comment"), comment);
  EXPECT_EQ(JsonString(Doc(events[1], "before"), "status"), "under_review");
  EXPECT_EQ(JsonString(Doc(events[1], "after"), "status"), "in_testing");
}

TEST_F(AuditTrailTest, RefusedReviewAppendsNothing) {
  const std::string test_id = SampleWithResult().second;
  const int64_t since = LastSeq();
  // Four eyes: the staff user entered the result and may not review it.
  ExpectRefusedWithoutTrace(limsd().Post("/api/v1/tests/" + test_id + "/review", R"({"decision": "approve"})"), 422,
                            since);
  ExpectRefusedWithoutTrace(Review(test_id, R"({"decision": "reject"})"), 422, since);  // no comment
  ExpectRefusedWithoutTrace(Review(test_id, R"({"decision": "maybe"})"), 400, since);
}

TEST_F(AuditTrailTest, RetestRecordsTheInvalidationTheNewTestAndTheReason) {
  auto [number, test_id] = SampleWithResult();
  ASSERT_EQ(Review(test_id, R"({"decision": "approve"})").status, 200);
  const int64_t since = LastSeq();
  const std::string reason = "Balance found out of calibration after the run";
  const HttpReply reply = limsd().CallAs(reviewer_token_, "POST", "/api/v1/tests/" + test_id + "/retest",
                                         R"({"reason": ")" + reason + R"("})");
  ASSERT_EQ(reply.status, 201) << reply.body;
  const std::string new_id = JsonString(ParseJsonObject(reply.body)->getObject("test"), "id");
  ASSERT_FALSE(new_id.empty()) << reply.body;
  const std::vector<Json> events = ExpectAppended("POST /api/v1/tests/{id}/retest", since,
                                                  {{"test.retest", "test", test_id, kReviewer, "reviewer", reason},
                                                   {"test.open", "test", new_id, kReviewer, "reviewer", reason},
                                                   {"sample.status", "sample", number, kReviewer, "reviewer", ""}});
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(JsonString(Doc(events[0], "before"), "status"), "approved");
  EXPECT_EQ(JsonString(Doc(events[0], "after"), "status"), "invalidated");
  EXPECT_EQ(JsonString(Doc(events[0], "after"), "replaced_by"), new_id);
  EXPECT_TRUE(events[1]->isNull("before"));
  EXPECT_EQ(JsonString(Doc(events[1], "after"), "replaces"), test_id);
  EXPECT_EQ(JsonString(Doc(events[1], "after"), "status"), "pending");
  EXPECT_EQ(Int(Doc(events[1], "after"), "attempt"), 2);
  EXPECT_EQ(JsonString(Doc(events[2], "before"), "status"), "ready");
  EXPECT_EQ(JsonString(Doc(events[2], "after"), "status"), "in_testing");
}

TEST_F(AuditTrailTest, RefusedRetestAppendsNothing) {
  const std::string test_id = SampleWithResult().second;
  const int64_t since = LastSeq();
  const std::string path = "/api/v1/tests/" + test_id + "/retest";
  ExpectRefusedWithoutTrace(limsd().CallAs(reviewer_token_, "POST", path, R"({"reason": "bad"})"), 422, since);
  ExpectRefusedWithoutTrace(limsd().CallAs(reviewer_token_, "POST", path, "{}"), 400, since);
}

TEST_F(AuditTrailTest, AssignmentRecordsTheAssigneeBeforeAndAfter) {
  const std::string test_id = Register().second;
  const int64_t since = LastSeq();
  const HttpReply reply =
      limsd().Post("/api/v1/tests/" + test_id + "/assign", R"({"assignee": ")" + technician_id_ + R"("})");
  ASSERT_EQ(reply.status, 200) << reply.body;
  const std::vector<Json> events = ExpectAppended("POST /api/v1/tests/{id}/assign", since,
                                                  {{"test.assign", "test", test_id, kStaff, "technician", ""}});
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(JsonString(Doc(events[0], "before"), "assignee"), "");
  EXPECT_EQ(JsonString(Doc(events[0], "after"), "assignee"), technician_id_);
}

TEST_F(AuditTrailTest, ClaimRecordsTheCallerAsAssignee) {
  const std::string test_id = Register().second;
  const int64_t since = LastSeq();
  ASSERT_EQ(limsd().Post("/api/v1/tests/" + test_id + "/claim", "").status, 200);
  const std::vector<Json> events = ExpectAppended("POST /api/v1/tests/{id}/claim", since,
                                                  {{"test.assign", "test", test_id, kStaff, "technician", ""}});
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(JsonString(Doc(events[0], "after"), "assignee"), staff_id_);
}

TEST_F(AuditTrailTest, RefusedAssignmentAppendsNothing) {
  const std::string test_id = SampleWithResult().second;  // entered: off the worklist
  const int64_t since = LastSeq();
  ExpectRefusedWithoutTrace(limsd().Post("/api/v1/tests/" + test_id + "/claim", ""), 409, since);
  ExpectRefusedWithoutTrace(
      limsd().Post("/api/v1/tests/" + test_id + "/assign", R"({"assignee": ")" + technician_id_ + R"("})"), 409, since);
  ExpectRefusedWithoutTrace(limsd().Post("/api/v1/tests/99999999/claim", ""), 404, since);
}

TEST_F(AuditTrailTest, OrganizationRegistrationRecordsTheOrganization) {
  const int64_t since = LastSeq();
  const HttpReply reply = AsAdmin("/api/v1/organizations", R"({"name": "Audit Tannery Pvt Ltd", "iec": "0588000002",)"
                                                           R"( "address": "Foundry Nagar, Agra", "district": "agra"})");
  const std::string id = Created(reply, "registering an organization");
  const std::vector<Json> events = ExpectAppended("POST /api/v1/organizations", since,
                                                  {{"organization.register", "organization", id, kAdmin, "admin", ""}});
  ASSERT_EQ(events.size(), 1u);
  EXPECT_TRUE(events[0]->isNull("before"));
  EXPECT_EQ(JsonString(Doc(events[0], "after"), "name"), "Audit Tannery Pvt Ltd");
  EXPECT_EQ(JsonString(Doc(events[0], "after"), "iec"), "0588000002");
  EXPECT_EQ(JsonString(Doc(events[0], "after"), "district"), "Agra");  // as stored, in the list's spelling
}

TEST_F(AuditTrailTest, RefusedOrganizationAppendsNothing) {
  const int64_t since = LastSeq();
  ExpectRefusedWithoutTrace(AsAdmin("/api/v1/organizations", R"({"name": "Twin", "iec": "0588000001",)"
                                                             R"( "address": "Agra", "district": "Agra"})"),
                            409, since);  // the suite's exporter holds this IEC
  ExpectRefusedWithoutTrace(AsAdmin("/api/v1/organizations", R"({"name": "Nowhere", "iec": "0588000009",)"
                                                             R"( "address": "Agra", "district": "Atlantis"})"),
                            422, since);
}

// The registry's writes, made by the serving account: each is one event on the instrument, and the
// gate reads the registry under the same grants when a result names the instrument.
TEST_F(AuditTrailTest, InstrumentWritesAreRecordedOnTheInstrument) {
  int64_t since = LastSeq();
  const std::string id =
      Created(AsAdmin("/api/v1/instruments", R"({"name": "Audit balance", "type": "balance", "serial": "AUD-B-1",)"
                                             R"( "methods": [")" +
                                                 std::string(kMethod) +
                                                 R"("], "ranges": [{"quantity": "mass fraction", "unit": "mg/kg",)"
                                                 R"( "min": "0", "max": "1000"}]})"),
              "registering an instrument");
  std::vector<Json> events = ExpectAppended("POST /api/v1/instruments", since,
                                            {{"instrument.register", "instrument", id, kAdmin, "admin", ""}});
  ASSERT_EQ(events.size(), 1u);
  EXPECT_TRUE(events[0]->isNull("before"));
  EXPECT_EQ(JsonString(Doc(events[0], "after"), "serial"), "AUD-B-1");
  EXPECT_EQ(JsonString(Doc(events[0], "after"), "status"), "in_service");

  since = LastSeq();
  const std::string path = "/api/v1/instruments/" + id;
  ASSERT_EQ(AsAdmin(path + "/calibrations", R"({"date": "2026-01-10", "due_date": "2999-01-09",)"
                                            R"( "certificate": "CAL-AUD-1", "calibration_lab": "NABL CC-2291",)"
                                            R"( "result": "pass", "uncertainty": "0.2 mg"})")
                .status,
            201);
  events = ExpectAppended("POST /api/v1/instruments/{id}/calibrations", since,
                          {{"instrument.calibration", "instrument", id, kAdmin, "admin", ""}});
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(JsonString(Doc(events[0], "after"), "certificate"), "CAL-AUD-1");
  EXPECT_EQ(JsonString(Doc(events[0], "after"), "due_date"), "2999-01-09");

  since = LastSeq();
  ASSERT_EQ(limsd().Post(path + "/checks", R"({"result": "pass", "note": "100 g reference: 100.0002 g"})").status, 201);
  events = ExpectAppended("POST /api/v1/instruments/{id}/checks", since,
                          {{"instrument.check", "instrument", id, kStaff, "technician", ""}});
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(JsonString(Doc(events[0], "after"), "result"), "pass");

  // A result on this instrument passes the gate under the serving grants.
  auto [number, test_id] = Register();
  ASSERT_EQ(limsd()
                .Post("/api/v1/tests/" + test_id + "/results",
                      R"({"values": ["1.10", "2.95"], "unit": "mg/kg", "instrument": ")" + id + R"("})")
                .status,
            201);

  since = LastSeq();
  ASSERT_EQ(AsAdmin(path + "/status", R"({"status": "out_of_service", "reason": "dropped while cleaning"})").status,
            200);
  events = ExpectAppended("POST /api/v1/instruments/{id}/status", since,
                          {{"instrument.status", "instrument", id, kAdmin, "admin", "dropped while cleaning"}});
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(JsonString(Doc(events[0], "before"), "status"), "in_service");
  EXPECT_EQ(JsonString(Doc(events[0], "after"), "status"), "out_of_service");
}

TEST_F(AuditTrailTest, RefusedInstrumentWritesAppendNothing) {
  const std::string id =
      Created(AsAdmin("/api/v1/instruments", R"({"name": "Audit pH meter", "type": "ph_meter", "serial": "AUD-PH-1"})"),
              "registering an instrument");
  const std::string path = "/api/v1/instruments/" + id;
  const int64_t since = LastSeq();
  ExpectRefusedWithoutTrace(
      AsAdmin("/api/v1/instruments", R"({"name": "Twin", "type": "ph_meter", "serial": "AUD-PH-1"})"), 409, since);
  ExpectRefusedWithoutTrace(AsAdmin(path + "/status", R"({"status": "in_service", "reason": "still fine"})"), 409,
                            since);
  ExpectRefusedWithoutTrace(AsAdmin(path + "/calibrations", R"({"date": "2026-01-10", "due_date": "2026-01-10",)"
                                                            R"( "certificate": "C", "calibration_lab": "L",)"
                                                            R"( "result": "pass"})"),
                            422, since);
  ExpectRefusedWithoutTrace(limsd().Post(path + "/checks", R"({"result": "fail"})"), 422, since);  // no note
  // A result naming an instrument the registry does not know is refused inside the unit of work.
  const std::string test_id = Register().second;
  const int64_t after_intake = LastSeq();
  ExpectRefusedWithoutTrace(limsd().Post("/api/v1/tests/" + test_id + "/results",
                                         R"({"values": ["1.10"], "unit": "mg/kg", "instrument": "UV-VIS-404"})"),
                            422, after_intake);
  // Never calibrated: refused too.
  ExpectRefusedWithoutTrace(limsd().Post("/api/v1/tests/" + test_id + "/results",
                                         R"({"values": ["1.10"], "unit": "mg/kg", "instrument": ")" + id + R"("})"),
                            422, after_intake);
}

TEST_F(AuditTrailTest, UserCreationRecordsTheUserWithoutThePassword) {
  const int64_t since = LastSeq();
  const std::string id = CreateUser("audit-new-tech", "technician");
  const std::vector<Json> events =
      ExpectAppended("POST /api/v1/users", since, {{"user.create", "user", id, kAdmin, "admin", ""}});
  ASSERT_EQ(events.size(), 1u);
  Json after = Doc(events[0], "after");
  EXPECT_EQ(JsonString(after, "username"), "audit-new-tech");
  EXPECT_EQ(JsonStrings(after, "roles"), std::vector<std::string>{"technician"});
  EXPECT_EQ(JsonString(after, "disabled"), "false");
  EXPECT_FALSE(after->has("password_hash"));
  const std::string row =
      db_->QueryValue("SELECT after_doc FROM audit_events WHERE seq = " + std::to_string(Int(events[0], "seq")));
  EXPECT_EQ(row.find(kPassword), std::string::npos);
  EXPECT_EQ(row.find("argon2"), std::string::npos);
}

TEST_F(AuditTrailTest, RefusedUserCreationAppendsNothing) {
  const int64_t since = LastSeq();
  ExpectRefusedWithoutTrace(AsAdmin("/api/v1/users", R"({"username":")" + std::string(kReviewer) + R"(","password":")" +
                                                         kPassword + R"(","name":"Twin","roles":["reviewer"]})"),
                            409, since);
  ExpectRefusedWithoutTrace(AsAdmin("/api/v1/users", R"({"username":"audit-weak","password":"password",)"
                                                     R"("name":"Weak","roles":["reviewer"]})"),
                            422, since);
}

TEST_F(AuditTrailTest, DisableAndEnableRecordTheFlagBeforeAndAfter) {
  const std::string id = CreateUser("audit-victim", "technician");
  int64_t since = LastSeq();
  ASSERT_EQ(AsAdmin("/api/v1/users/" + id + "/disable", "").status, 200);
  std::vector<Json> events =
      ExpectAppended("POST /api/v1/users/{id}/disable", since, {{"user.disable", "user", id, kAdmin, "admin", ""}});
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(JsonString(Doc(events[0], "before"), "disabled"), "false");
  EXPECT_EQ(JsonString(Doc(events[0], "after"), "disabled"), "true");
  EXPECT_EQ(JsonString(Doc(events[0], "after"), "username"), "audit-victim");

  since = LastSeq();
  ASSERT_EQ(AsAdmin("/api/v1/users/" + id + "/enable", "").status, 200);
  events = ExpectAppended("POST /api/v1/users/{id}/enable", since, {{"user.enable", "user", id, kAdmin, "admin", ""}});
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(JsonString(Doc(events[0], "before"), "disabled"), "true");
  EXPECT_EQ(JsonString(Doc(events[0], "after"), "disabled"), "false");
}

TEST_F(AuditTrailTest, RefusedDisableAppendsNothing) {
  const int64_t since = LastSeq();
  ExpectRefusedWithoutTrace(AsAdmin("/api/v1/users/" + admin_id_ + "/disable", ""), 422, since);  // oneself
  ExpectRefusedWithoutTrace(AsAdmin("/api/v1/users/99999999/disable", ""), 404, since);
  ExpectRefusedWithoutTrace(AsAdmin("/api/v1/users/99999999/enable", ""), 404, since);
}

TEST_F(AuditTrailTest, ApiTokenCreationAndRevocationAreRecordedWithoutTheSecret) {
  int64_t since = LastSeq();
  const HttpReply created = AsAdmin("/api/v1/api-tokens", R"({"user": ")" + std::string(kStaff) +
                                                              R"(", "name": "audit bridge", "scope": ["technician"]})");
  const std::string id = Created(created, "creating an API token");
  const std::string secret = JsonString(ParseJsonObject(created.body), "token");
  ASSERT_FALSE(secret.empty());
  std::vector<Json> events =
      ExpectAppended("POST /api/v1/api-tokens", since, {{"token.create", "api_token", id, kAdmin, "admin", ""}});
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(JsonString(Doc(events[0], "after"), "user"), kStaff);
  EXPECT_EQ(JsonString(Doc(events[0], "after"), "name"), "audit bridge");
  EXPECT_EQ(JsonStrings(Doc(events[0], "after"), "scope"), std::vector<std::string>{"technician"});
  EXPECT_EQ(db_->QueryValue("SELECT COUNT(*) FROM audit_events WHERE after_doc LIKE '%" + secret + "%'"), "0");

  since = LastSeq();
  EXPECT_EQ(AsAdmin("/api/v1/api-tokens/" + id + "/revoke", "").status, 204);
  events = ExpectAppended("POST /api/v1/api-tokens/{id}/revoke", since,
                          {{"token.revoke", "api_token", id, kAdmin, "admin", ""}});
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(JsonString(Doc(events[0], "after"), "revoked"), "true");
}

TEST_F(AuditTrailTest, RefusedApiTokenWritesAppendNothing) {
  const int64_t since = LastSeq();
  ExpectRefusedWithoutTrace(AsAdmin("/api/v1/api-tokens", R"({"user": ")" + std::string(kReviewer) +
                                                              R"(", "name": "too wide", "scope": ["technician"]})"),
                            422, since);
  ExpectRefusedWithoutTrace(
      AsAdmin("/api/v1/api-tokens", R"({"user": "nobody-here", "name": "ghost", "scope": ["technician"]})"), 422,
      since);
  ExpectRefusedWithoutTrace(AsAdmin("/api/v1/api-tokens/99999999/revoke", ""), 404, since);
}

TEST_F(AuditTrailTest, LoginRecordsTheSessionAndTheAddress) {
  const int64_t since = LastSeq();
  const HttpReply reply =
      limsd().CallAs("", "POST", "/api/v1/auth/login",
                     R"({"username": ")" + std::string(kTechnician) + R"(", "password": ")" + kPassword + R"("})");
  ASSERT_EQ(reply.status, 200) << reply.body;
  const std::vector<Json> events = ExpectAppended("POST /api/v1/auth/login", since,
                                                  {{"auth.login", "user", technician_id_, kTechnician, "user", ""}});
  ASSERT_EQ(events.size(), 1u);
  EXPECT_FALSE(JsonString(Doc(events[0], "after"), "session").empty());
  EXPECT_EQ(JsonString(Doc(events[0], "after"), "address"), "127.0.0.1");
  const std::string token = JsonString(ParseJsonObject(reply.body), "token");
  ASSERT_FALSE(token.empty());
  EXPECT_EQ(db_->QueryValue("SELECT COUNT(*) FROM audit_events WHERE after_doc LIKE '%" + token + "%'"), "0");
}

TEST_F(AuditTrailTest, FailedLoginAppendsNothing) {
  const int64_t since = LastSeq();
  ExpectRefusedWithoutTrace(limsd().CallAs("", "POST", "/api/v1/auth/login",
                                           R"({"username": ")" + std::string(kTechnician) +
                                               R"(", "password": "not the pass phrase at all"})"),
                            401, since);
  ExpectRefusedWithoutTrace(limsd().CallAs("", "POST", "/api/v1/auth/login", R"({"username": "x"})"), 400, since);
  limsd().Login(kTechnician, kPassword);  // a success clears the failure counters again
}

TEST_F(AuditTrailTest, LogoutRecordsTheSessionItEnds) {
  const std::string token = limsd().Login(kReviewer, kPassword);
  const std::string session =
      JsonString(Doc(EventsAfter(LastSeq() - 1).at(0), "after"), "session");  // the login just made
  const int64_t since = LastSeq();
  ASSERT_EQ(limsd().CallAs(token, "POST", "/api/v1/auth/logout", "").status, 204);
  const std::vector<Json> events = ExpectAppended("POST /api/v1/auth/logout", since,
                                                  {{"auth.logout", "user", reviewer_id_, kReviewer, "reviewer", ""}});
  ASSERT_EQ(events.size(), 1u);
  EXPECT_FALSE(session.empty());
  EXPECT_EQ(JsonString(Doc(events[0], "after"), "session"), session);
}

TEST_F(AuditTrailTest, RefusedLogoutAppendsNothing) {
  const std::string token = limsd().Login(kReviewer, kPassword);
  ASSERT_EQ(limsd().CallAs(token, "POST", "/api/v1/auth/logout", "").status, 204);
  const int64_t since = LastSeq();
  ExpectRefusedWithoutTrace(limsd().CallAs(token, "POST", "/api/v1/auth/logout", ""), 401, since);  // ended
  ExpectRefusedWithoutTrace(limsd().CallAs("", "POST", "/api/v1/auth/logout", ""), 401, since);
}

TEST_F(AuditTrailTest, PasswordChangeIsRecordedWithoutEitherPassword) {
  const std::string id = CreateUser("audit-pw", "technician");
  const std::string token = limsd().Login("audit-pw", kPassword);
  const std::string next = "a brand new audit pass phrase 9904";
  const int64_t since = LastSeq();
  const HttpReply reply =
      limsd().CallAs(token, "POST", "/api/v1/auth/password",
                     R"({"current_password": ")" + std::string(kPassword) + R"(", "new_password": ")" + next + R"("})");
  ASSERT_EQ(reply.status, 204) << reply.body;
  const std::vector<Json> events = ExpectAppended("POST /api/v1/auth/password", since,
                                                  {{"user.password", "user", id, "audit-pw", "technician", ""}});
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(JsonString(Doc(events[0], "after"), "other_sessions"), "revoked");
  const std::string row =
      db_->QueryValue("SELECT CONCAT(before_doc, after_doc, reason) FROM audit_events WHERE seq = " +
                      std::to_string(Int(events[0], "seq")));
  EXPECT_EQ(row.find(kPassword), std::string::npos);
  EXPECT_EQ(row.find(next), std::string::npos);
}

TEST_F(AuditTrailTest, RefusedPasswordChangeAppendsNothing) {
  const int64_t since = LastSeq();
  ExpectRefusedWithoutTrace(
      limsd().CallAs(reviewer_token_, "POST", "/api/v1/auth/password",
                     R"({"current_password": "wrong wrong wrong", "new_password": "another long pass phrase 1"})"),
      422, since);
}

TEST_F(AuditTrailTest, TestPlanPreviewAppendsNothing) {
  const int64_t since = LastSeq();
  const HttpReply reply = limsd().Post("/api/v1/test-plans", R"({"product_family": "footwear",)"
                                                             R"( "materials": {"upper": "leather"},)"
                                                             R"( "regulations": ["REACH Annex XVII"]})");
  ASSERT_EQ(reply.status, 200) << reply.body;
  EXPECT_EQ(Actions(EventsAfter(since)), WriteRoutes().at("POST /api/v1/test-plans"));
}

TEST_F(AuditTrailTest, QueryFiltersByEntityAndActorAndPages) {
  const std::string number = Register().first;
  ASSERT_EQ(Custody(number, R"({"event": "moved", "location": "R1-S1"})").status, 201);
  ASSERT_EQ(Custody(number, R"({"event": "moved", "location": "R1-S2"})").status, 201);
  const HttpReply first =
      limsd().CallAs(AdminToken(), "GET", "/api/v1/audit?entity=sample&entity_id=" + number + "&limit=2", "");
  ASSERT_EQ(first.status, 200) << first.body;
  Json page = ParseJsonObject(first.body);
  ASSERT_EQ(page->getArray("items")->size(), 2u);
  EXPECT_EQ(JsonString(JsonArrayObject(page, "items", 0), "action"), "sample.register");
  EXPECT_EQ(JsonString(Doc(JsonArrayObject(page, "items", 1), "after"), "location"), "R1-S1");
  const std::string next = JsonString(page, "next");
  ASSERT_FALSE(next.empty()) << first.body;
  const HttpReply second = limsd().CallAs(
      AdminToken(), "GET", "/api/v1/audit?entity=sample&entity_id=" + number + "&limit=2&after=" + next, "");
  page = ParseJsonObject(second.body);
  ASSERT_EQ(page->getArray("items")->size(), 1u) << second.body;
  EXPECT_EQ(JsonString(Doc(JsonArrayObject(page, "items", 0), "after"), "location"), "R1-S2");
  EXPECT_TRUE(page->isNull("next"));

  const HttpReply by_reviewer =
      limsd().CallAs(AdminToken(), "GET", "/api/v1/audit?limit=500&actor=" + std::string(kReviewer), "");
  page = ParseJsonObject(by_reviewer.body);
  ASSERT_FALSE(page.isNull()) << by_reviewer.body;
  for (unsigned i = 0; i < page->getArray("items")->size(); ++i) {
    EXPECT_EQ(JsonString(JsonArrayObject(page, "items", i), "actor"), kReviewer);
  }
}

TEST_F(AuditTrailTest, TheServingAccountCannotRewriteTheTrail) {
  // The account limsd runs as, at the SQL level: the trail is append-only by grant.
  EXPECT_NE(db_->QueryValue("SELECT COUNT(*) FROM audit_events"), "0");
  const std::string grants = [&] {
    auto c = db_->Connect();
    std::unique_ptr<sql::Statement> st(c->createStatement());
    std::unique_ptr<sql::ResultSet> rs(st->executeQuery("SHOW GRANTS FOR '" + account_ + "'@'localhost'"));
    std::string all;
    while (rs->next()) all += std::string(rs->getString(1)) + "\n";
    return all;
  }();
  EXPECT_EQ(grants.find("`audit_events` TO"), std::string::npos) << grants;
  EXPECT_NE(grants.find("GRANT UPDATE ON `" + db_->name() + "`.`audit_heads`"), std::string::npos) << grants;
  EXPECT_EQ(grants.find("DELETE"), std::string::npos) << grants;
  const Json verdict = Verify();
  ASSERT_FALSE(verdict.isNull());
  EXPECT_TRUE(verdict->getValue<bool>("ok")) << JsonString(verdict->getObject("broken"), "reason");
}

// The trail edited as root, behind limsd's back. Each test starts from the same trail: the
// suite's writes, saved once and restored before every test.
class AuditTamperTest : public AuditSuiteBase {
 public:
  static void SetUpTestSuite() {
    try {
      db_ = std::make_unique<TestDatabase>();
      limsd_ = std::make_unique<LimsdProcess>(db_->config());
      Populate();
    } catch (const std::exception& e) {
      setup_error_ = e.what();
    }
  }

  static void TearDownTestSuite() { TearDownSuite(); }

 protected:
  void SetUp() override {
    ASSERT_TRUE(setup_error_.empty()) << setup_error_;
    db_->Execute("DELETE FROM audit_events");
    db_->Execute("INSERT INTO audit_events SELECT * FROM audit_events_saved");
    db_->Execute(
        "UPDATE audit_heads h JOIN audit_heads_saved s ON s.stripe = h.stripe"
        " SET h.stripe_seq = s.stripe_seq, h.hash = s.hash");
    const Json v = Verify();
    ASSERT_FALSE(v.isNull());
    ASSERT_TRUE(v->getValue<bool>("ok")) << "the restored trail does not verify";
  }

  // The sample's stripe: its events in stripe order (register, three custody moves, ...).
  static std::vector<int64_t> StripeSeqs() {
    std::vector<int64_t> seqs;
    auto c = db_->Connect();
    std::unique_ptr<sql::Statement> st(c->createStatement());
    std::unique_ptr<sql::ResultSet> rs(st->executeQuery(
        "SELECT seq FROM audit_events WHERE stripe = " + std::to_string(stripe_) + " ORDER BY stripe_seq"));
    while (rs->next()) seqs.push_back(rs->getInt64(1));
    return seqs;
  }

  static std::string Column(const std::string& column, int64_t seq) {
    return db_->QueryValue("SELECT " + column + " FROM audit_events WHERE seq = " + std::to_string(seq));
  }

  // The API's verdict must be broken at `seq`; returns the reason.
  static std::string ExpectBrokenAt(int64_t seq) {
    const Json v = Verify();
    if (v.isNull()) return "";
    EXPECT_FALSE(v->getValue<bool>("ok"));
    Json broken = v->getObject("broken");
    EXPECT_FALSE(broken.isNull()) << "no broken link reported";
    EXPECT_EQ(Int(broken, "seq"), seq);
    EXPECT_EQ(Int(broken, "stripe"), stripe_);
    EXPECT_EQ(Int(broken, "stripe_seq"), std::stoll(Column("stripe_seq", seq)));
    return JsonString(broken, "reason");
  }

  // GET /api/v1/audit checks every event it lists on its own: the verdict for event `seq` (its
  // hash, its link to the one before it) and the page's summary. Returns the event's reason ("" when ok).
  static std::string ListedChainReason(int64_t seq, bool* page_ok = nullptr) {
    const HttpReply reply =
        limsd_->CallAs(limsd_->admin_token(), "GET", "/api/v1/audit?limit=1&after=" + std::to_string(seq - 1), "");
    EXPECT_EQ(reply.status, 200) << reply.body;
    Json body = ParseJsonObject(reply.body);
    if (body.isNull() || body->getArray("items").isNull() || body->getArray("items")->size() != 1) {
      ADD_FAILURE() << "no event " << seq << " in " << reply.body;
      return "";
    }
    Json event = body->getArray("items")->getObject(0);
    EXPECT_EQ(Int(event, "seq"), seq);
    Json chain = event->getObject("chain");
    Json page = body->getObject("chain");
    if (chain.isNull() || page.isNull()) {
      ADD_FAILURE() << "no chain verdict in " << reply.body;
      return "";
    }
    const bool ok = chain->getValue<bool>("ok");
    EXPECT_EQ(page->getValue<bool>("ok"), ok);
    EXPECT_EQ(Int(page, "checked"), 1);
    if (page_ok != nullptr) *page_ok = ok;
    return ok ? "" : JsonString(chain, "reason");
  }

  // limsd --verify-audit must exit 1 naming the event; returns its output.
  static std::string ExpectCliBrokenAt(int64_t seq) {
    std::string output;
    EXPECT_EQ(LimsdProcess::RunOnce(db_->config(), {"--verify-audit"}, {}, &output), 1) << output;
    const std::string named = "audit trail BROKEN at event " + std::to_string(seq) + " (stripe " +
                              std::to_string(stripe_) + " #" + Column("stripe_seq", seq) + "): ";
    EXPECT_NE(output.find(named), std::string::npos) << "expected \"" << named << "\" in:\n" << output;
    return output;
  }

  // Rewrites the event's after_doc and gives it the hash its new content deserves, as an intruder
  // who knows the hash rule would: the row verifies on its own.
  static void RewriteAndRehash(int64_t seq, const std::string& from, const std::string& to) {
    db_->Execute("UPDATE audit_events SET after_doc = REPLACE(after_doc, '" + from + "', '" + to +
                 "') WHERE seq = " + std::to_string(seq));
    auto c = db_->Connect();
    store::AuditQuery q;
    q.after = seq - 1;
    q.limit = 1;
    Result<std::vector<AuditEvent>> events = store::QueryAudit(*c, q);
    ASSERT_TRUE(events.ok() && events->size() == 1u);
    const AuditEvent& e = events->front();
    ASSERT_NE(e.change.after.find(to), std::string::npos);
    db_->Execute("UPDATE audit_events SET hash = '" + ChainHash(e.prev_hash, e) +
                 "' WHERE seq = " + std::to_string(seq));
  }

  static inline std::string setup_error_;
  static inline int stripe_ = -1;
  static inline int64_t moved_[3] = {0, 0, 0};  // seqs of the custody moves to R3-S1, R3-S2, R3-S3

 private:
  static void Populate() {
    InsertExporter("0588000003");
    const auto [number, test_id] = Register();
    for (int i = 0; i < 3; ++i) {
      const HttpReply reply =
          Custody(number, R"({"event": "moved", "location": "R3-S)" + std::to_string(i + 1) + R"("})");
      if (reply.status != 201) throw std::runtime_error("custody failed: " + reply.body);
      moved_[i] = LastSeq();
    }
    if (EnterPassingResult(test_id).status != 201) throw std::runtime_error("result entry failed");
    Register();  // more events, on other stripes
    stripe_ = AuditStripeFor("sample", number, store::kAuditStripes);
    if (Column("stripe", moved_[1]) != std::to_string(stripe_)) throw std::runtime_error("unexpected stripe");
    db_->Execute("CREATE TABLE audit_events_saved LIKE audit_events");
    db_->Execute("INSERT INTO audit_events_saved SELECT * FROM audit_events");
    db_->Execute("CREATE TABLE audit_heads_saved LIKE audit_heads");
    db_->Execute("INSERT INTO audit_heads_saved SELECT * FROM audit_heads");
  }
};

TEST_F(AuditTamperTest, AnUntouchedTrailVerifies) {
  const std::string count = db_->QueryValue("SELECT COUNT(*) FROM audit_events");
  const Json v = Verify();
  ASSERT_FALSE(v.isNull());
  EXPECT_TRUE(v->getValue<bool>("ok"));
  EXPECT_FALSE(v->has("broken"));
  EXPECT_EQ(std::to_string(Int(v, "events")), count);
  Poco::JSON::Array::Ptr heads = v->getArray("heads");
  ASSERT_FALSE(heads.isNull());
  ASSERT_EQ(heads->size(), static_cast<size_t>(store::kAuditStripes));
  int64_t sum = 0;
  for (unsigned i = 0; i < heads->size(); ++i) sum += Int(heads->getObject(i), "events");
  EXPECT_EQ(std::to_string(sum), count);
  for (int64_t seq : StripeSeqs()) EXPECT_EQ(ListedChainReason(seq), "") << "event " << seq;

  std::string output;
  EXPECT_EQ(LimsdProcess::RunOnce(db_->config(), {"--verify-audit"}, {}, &output), 0) << output;
  EXPECT_NE(output.find("audit trail intact: " + count + " events"), std::string::npos) << output;
}

TEST_F(AuditTamperTest, AnAlteredEventIsNamed) {
  const int64_t k = moved_[1];
  db_->Execute("UPDATE audit_events SET after_doc = REPLACE(after_doc, 'R3-S2', 'R7-S9') WHERE seq = " +
               std::to_string(k));
  EXPECT_NE(ExpectBrokenAt(k).find("altered"), std::string::npos);
  ExpectCliBrokenAt(k);
  EXPECT_NE(ListedChainReason(k).find("altered"), std::string::npos);
  EXPECT_EQ(ListedChainReason(moved_[0]), "");
  // The trail still shows what the row now says: the tampering is visible, not hidden.
  const std::vector<Json> events = EventsAfter(k - 1);
  ASSERT_FALSE(events.empty());
  EXPECT_EQ(JsonString(Doc(events[0], "after"), "location"), "R7-S9");
}

TEST_F(AuditTamperTest, AnAlteredActorIsNamed) {
  const int64_t k = moved_[0];
  db_->Execute("UPDATE audit_events SET actor = 'someone-else' WHERE seq = " + std::to_string(k));
  EXPECT_NE(ExpectBrokenAt(k).find("altered"), std::string::npos);
  ExpectCliBrokenAt(k);
}

TEST_F(AuditTamperTest, ADeletedEventIsMissingBeforeTheNextOfItsStripe) {
  db_->Execute("DELETE FROM audit_events WHERE seq = " + std::to_string(moved_[1]));
  const std::string reason = ExpectBrokenAt(moved_[2]);
  EXPECT_NE(reason.find("missing"), std::string::npos) << reason;
  ExpectCliBrokenAt(moved_[2]);
  EXPECT_NE(ListedChainReason(moved_[2]).find("removed"), std::string::npos);
}

TEST_F(AuditTamperTest, ADeletedLastEventOfAStripeBreaksItsHead) {
  const std::vector<int64_t> seqs = StripeSeqs();
  ASSERT_GE(seqs.size(), 4u);
  db_->Execute("DELETE FROM audit_events WHERE seq = " + std::to_string(seqs.back()));
  const int64_t new_last = seqs[seqs.size() - 2];
  const std::string reason = ExpectBrokenAt(new_last);
  EXPECT_NE(reason.find("removed"), std::string::npos) << reason;
  ExpectCliBrokenAt(new_last);
}

TEST_F(AuditTamperTest, ARehashedEventIsCaughtAtItsSuccessor) {
  RewriteAndRehash(moved_[1], "R3-S2", "R7-S9");
  const std::string reason = ExpectBrokenAt(moved_[2]);
  EXPECT_NE(reason.find("does not link"), std::string::npos) << reason;
  ExpectCliBrokenAt(moved_[2]);
  // Read on its own the rehashed event looks sound; its successor's link gives it away.
  EXPECT_EQ(ListedChainReason(moved_[1]), "");
  EXPECT_NE(ListedChainReason(moved_[2]).find("does not link"), std::string::npos);
}

TEST_F(AuditTamperTest, ARehashedLastEventIsCaughtAtTheHead) {
  const std::vector<int64_t> seqs = StripeSeqs();
  ASSERT_FALSE(seqs.empty());
  const int64_t last = seqs.back();
  const std::string after = Column("after_doc", last);
  ASSERT_NE(after.find('}'), std::string::npos) << after;
  RewriteAndRehash(last, "}", ",\"zz\":\"forged\"}");
  const std::string reason = ExpectBrokenAt(last);
  EXPECT_NE(reason.find("rewritten"), std::string::npos) << reason;
  ExpectCliBrokenAt(last);
}

TEST_F(AuditTamperTest, AnEventMovedToAnotherStripeLeavesAGap) {
  const int other = (stripe_ + 1) % store::kAuditStripes;
  db_->Execute("UPDATE audit_events SET stripe = " + std::to_string(other) +
               ", stripe_seq = 1000000 WHERE seq = " + std::to_string(moved_[1]));
  // The moved event comes first in seq order: in its new stripe it claims #1000000 where the next
  // is expected, so the events "before it" are missing there.
  const Json v = Verify();
  ASSERT_FALSE(v.isNull());
  EXPECT_FALSE(v->getValue<bool>("ok"));
  Json broken = v->getObject("broken");
  ASSERT_FALSE(broken.isNull()) << "no broken link reported";
  EXPECT_EQ(Int(broken, "seq"), moved_[1]);
  EXPECT_EQ(Int(broken, "stripe"), other);
  const std::string reason = JsonString(broken, "reason");
  EXPECT_NE(reason.find("missing"), std::string::npos) << reason;
}

// A forged event inserted past a head, correctly chained, is reported: verification reads heads
// and events in one snapshot, so nothing beyond a head is excused as a concurrent append.
TEST_F(AuditTamperTest, AnEventBeyondItsStripeHeadIsReported) {
  const std::vector<int64_t> seqs = StripeSeqs();
  ASSERT_FALSE(seqs.empty());
  auto c = db_->Connect();
  store::AuditQuery q;
  q.after = seqs.back() - 1;
  q.limit = 1;
  Result<std::vector<AuditEvent>> last = store::QueryAudit(*c, q);
  ASSERT_TRUE(last.ok() && last->size() == 1u);
  AuditEvent forged = last->front();
  forged.stripe_seq += 1;
  forged.change.action = "custody.disposed";
  forged.change.before = "";
  forged.change.after = R"({"event":"disposed","note":"forged"})";
  forged.change.reason = "";
  forged.prev_hash = forged.hash;
  forged.hash = ChainHash(forged.prev_hash, forged);
  db_->Execute(
      "INSERT INTO audit_events (stripe, stripe_seq, at, actor_id, actor, role, action, entity, entity_id,"
      " before_doc, after_doc, reason, prev_hash, hash) SELECT stripe, stripe_seq + 1, at, actor_id, actor, role,"
      " 'custody.disposed', entity, entity_id, '', '{\"event\":\"disposed\",\"note\":\"forged\"}', '', hash, '" +
      forged.hash + "' FROM audit_events WHERE seq = " + std::to_string(seqs.back()));
  const Json v = Verify();
  ASSERT_FALSE(v.isNull());
  EXPECT_FALSE(v->getValue<bool>("ok")) << "a forged event past the head of stripe " << stripe_ << " was not reported";
}

}  // namespace
}  // namespace lims::testing
