// db.read_url with real MariaDB replication (issue 8, docs/read-replica.md). The suite starts its own
// primary (scripts/db.sh with LIMS_DB_BINLOG=1) and a GTID replica of it (scripts/replica.sh), each in
// a temporary directory on a free port, migrates the primary through limsd (the DDL reaches the
// replica through the binary log), and runs limsd with db.url = the primary and db.read_url = the
// replica, as `scripts/replica.sh env` prints it. Then:
//   - an event written just now shows in the auditor's /api/v1/audit once the replica has caught up;
//   - with replication stopped, a new sample answers on its primary route but its audit event is
//     absent from /api/v1/audit (while present on the primary) until replication resumes;
//   - with the replica server stopped, the auditor routes answer 503 problem+json, the lab's own
//     routes work, a limsd started meanwhile starts and serves, and the routes recover (no restart)
//     when the replica is back.
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <cppconn/resultset.h>
#include <cppconn/statement.h>
#include <gtest/gtest.h>
#include <mysql_connection.h>
#include <mysql_driver.h>

#include <chrono>
#include <exception>
#include <filesystem>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <tuple>
#include <utility>
#include <vector>

#include "tests/support/json_test_util.h"
#include "tests/support/limsd_process.h"
#include "tests/support/test_support.h"

namespace lims::testing {
namespace {

using Json = Poco::JSON::Object::Ptr;

constexpr char kPassword[] = "replica routing pass 5521";

// Two loopback ports nobody listens on right now (both held while the second is chosen).
std::pair<int, int> FreePorts() {
  Poco::Net::ServerSocket a(Poco::Net::SocketAddress("127.0.0.1", 0));
  Poco::Net::ServerSocket b(Poco::Net::SocketAddress("127.0.0.1", 0));
  return {a.address().port(), b.address().port()};
}

std::string Trimmed(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ')) s.pop_back();
  return s;
}

// A private MariaDB started by one of the scripts: its state directory holds mysqld.sock and
// root.password.
struct Server {
  std::string dir;
  int port = 0;

  // The first column of the first row of `query`, run as root over the server's socket.
  std::string Query(const std::string& query) const {
    sql::ConnectOptionsMap options;
    options["hostName"] = sql::SQLString("unix://" + dir + "/mysqld.sock");
    options["userName"] = sql::SQLString("root");
    options["password"] = sql::SQLString(Trimmed(ReadFile(dir + "/root.password")));
    options["OPT_CONNECT_TIMEOUT"] = 5;
    std::unique_ptr<sql::Connection> c(sql::mysql::get_mysql_driver_instance()->connect(options));
    std::unique_ptr<sql::Statement> st(c->createStatement());
    if (!st->execute(query)) return "";
    std::unique_ptr<sql::ResultSet> rs(st->getResultSet());
    return rs->next() && !rs->isNull(1) ? std::string(rs->getString(1)) : std::string();
  }
};

std::vector<Json> Items(const std::string& body) {
  std::vector<Json> out;
  const Json page = ParseJsonObject(body);
  for (unsigned i = 0; Json item = JsonArrayObject(page, "items", i); ++i) out.push_back(item);
  return out;
}

class ReadReplicaTest : public ::testing::Test {
 public:
  static void SetUpTestSuite() {
    try {
      dir_ = MakeTempDir("read-replica-e2e-");
      primary_.dir = dir_ + "/primary";
      replica_.dir = dir_ + "/replica";
      StartServers();
      // limsd as production runs it: the application account over TCP on the primary, the
      // replica's read-only account from `replica.sh env`.
      store::DbConfig db;
      db.host = "127.0.0.1";
      db.port = primary_.port;
      db.user = "pramaan";
      db.password = Trimmed(ReadFile(primary_.dir + "/app.password"));
      db.database = "pramaan";
      primary_db_ = db;
      std::string env;
      if (Script("replica.sh", "env", &env) != 0) throw std::runtime_error("replica.sh env: " + env);
      std::istringstream lines(env);
      for (std::string line; std::getline(lines, line);) {
        if (line.rfind("LIMS_DB_READ_", 0) == 0) read_env_.push_back(line);
      }
      if (read_env_.size() != 2) throw std::runtime_error("replica.sh env printed:\n" + env);
      std::string output;
      if (LimsdProcess::RunOnce(db, {"--migrate"}, read_env_, &output) != 0) {
        throw std::runtime_error("limsd --migrate: " + output);
      }
      limsd_ = std::make_unique<LimsdProcess>(db, read_env_);
      // The start-up log names the replica (its URL, never its password).
      const std::string log = ReadFile(limsd_->log_path());
      const std::string reader_password = Trimmed(ReadFile(replica_.dir + "/reader.password"));
      if (log.find("auditor reads use a replica") == std::string::npos ||
          log.find(":" + std::to_string(replica_.port) + "/pramaan") == std::string::npos || reader_password.empty() ||
          log.find(reader_password) != std::string::npos) {
        throw std::runtime_error("limsd's log of its replica:\n" + log);
      }
      exporter_ = Created(limsd_->CallAs(limsd_->admin_token(), "POST", "/api/v1/organizations", Organization()),
                          "organization");
      Created(limsd_->CallAs(limsd_->admin_token(), "POST", "/api/v1/users",
                             R"({"username": "rr-auditor", "password": ")" + std::string(kPassword) +
                                 R"(", "name": "Replica auditor", "roles": ["auditor"]})"),
              "creating the auditor");
      auditor_ = limsd_->Login("rr-auditor", kPassword);  // sessions live on the primary
    } catch (const std::exception& e) {
      setup_error_ = e.what();
    }
  }

  // Runs even when SetUpTestSuite failed half-way: both servers go, whatever state they are in.
  static void TearDownTestSuite() {
    limsd_.reset();
    std::string output;
    if (!dir_.empty()) {
      Script("replica.sh", "stop", &output);
      Script("db.sh", "stop", &output);
      std::error_code ec;
      std::filesystem::remove_all(dir_, ec);
    }
  }

 protected:
  void SetUp() override { ASSERT_TRUE(setup_error_.empty()) << setup_error_; }

  // scripts/NAME COMMAND with this suite's directories and ports; returns its exit code.
  static int Script(const std::string& name, const std::string& command, std::string* output) {
    const std::string env = "LIMS_DB_DIR='" + primary_.dir + "' LIMS_DB_PORT=" + std::to_string(primary_.port) +
                            " LIMS_DB_NAME=pramaan LIMS_DB_BINLOG=1 LIMS_REPLICA_DIR='" + replica_.dir +
                            "' LIMS_REPLICA_PORT=" + std::to_string(replica_.port);
    return RunCommand(env + " '" + SourcePath("scripts/" + name) + "' " + command + " </dev/null", output);
  }

  // A port taken between FreePorts() and the server's bind (another suite running in parallel)
  // makes the start fail: try again on other ports.
  static void StartServers() {
    std::string output;
    for (int attempt = 0;; ++attempt) {
      std::tie(primary_.port, replica_.port) = FreePorts();
      output.clear();
      if (Script("db.sh", "start", &output) == 0 && Script("replica.sh", "start", &output) == 0) return;
      Script("replica.sh", "stop", nullptr);
      Script("db.sh", "stop", nullptr);
      if (attempt == 2) throw std::runtime_error("starting the primary and the replica:\n" + output);
    }
  }

  // Waits until the replica has applied everything the primary has logged (MASTER_GTID_WAIT).
  static void WaitForReplica() {
    const std::string position = primary_.Query("SELECT @@gtid_binlog_pos");
    const std::string waited = replica_.Query("SELECT MASTER_GTID_WAIT('" + position + "', 10)");
    ASSERT_EQ(waited, "0") << "the replica did not reach " << position << " within 10 s";
  }

  static std::string Organization() {
    return R"({"name": "Replica Footwear Exports", "iec": "0512399001", "address": "1 Industrial Area",)"
           R"( "district": "Agra", "odop_product": "Leather footwear"})";
  }

  static std::string Created(const HttpReply& reply, const std::string& what) {
    if (reply.status != 201) throw std::runtime_error(what + ": " + std::to_string(reply.status) + " " + reply.body);
    const Json o = ParseJsonObject(reply.body);
    const std::string id = JsonString(o, "id");
    return id.empty() ? JsonString(o, "number") : id;
  }

  // Registers a sample through limsd (the primary); returns its number.
  static std::string RegisterSample() {
    const HttpReply r = limsd_->Post("/api/v1/samples", R"({"exporter": ")" + exporter_ +
                                                            R"(", "product": "Safety boot", "sizes": ["42"],)"
                                                            R"( "quantity": 2, "quantity_unit": "pairs",)"
                                                            R"( "destination": "DE", "decision_rule": "simple",)"
                                                            R"( "condition": "intact", "storage_location": "R1",)"
                                                            R"( "requirements": ["REACH-XVII-47-CRVI-LEATHER"]})");
    EXPECT_EQ(r.status, 201) << r.body;
    return JsonString(ParseJsonObject(r.body), "number");
  }

  static HttpReply Audit(const std::string& query) {
    return limsd_->CallAs(auditor_, "GET", "/api/v1/audit" + query, "");
  }

  // The actions of the audit events the auditor sees for one entity (the replica's view).
  static std::vector<std::string> AuditedActions(const std::string& entity, const std::string& id) {
    const HttpReply r = Audit("?entity=" + entity + "&entity_id=" + id);
    EXPECT_EQ(r.status, 200) << r.body;
    std::vector<std::string> actions;
    for (const Json& e : Items(r.body)) actions.push_back(JsonString(e, "action"));
    return actions;
  }

  static std::string PrimaryCount(const std::string& entity, const std::string& id) {
    return primary_.Query("SELECT COUNT(*) FROM pramaan.audit_events WHERE entity = '" + entity +
                          "' AND entity_id = '" + id + "'");
  }

  static inline std::string dir_;
  static inline Server primary_, replica_;
  static inline store::DbConfig primary_db_;
  static inline std::vector<std::string> read_env_;
  static inline std::unique_ptr<LimsdProcess> limsd_;
  static inline std::string setup_error_, exporter_, auditor_;
};

TEST_F(ReadReplicaTest, AnEventWrittenJustNowShowsOnceReplicated) {
  // The schema came to the replica by replication only (limsd migrated the primary after the seed).
  EXPECT_NE(replica_.Query("SELECT COUNT(*) FROM pramaan.schema_migrations"), "0");
  EXPECT_EQ(replica_.Query("SELECT @@read_only"), "1");
  const HttpReply created = limsd_->CallAs(limsd_->admin_token(), "POST", "/api/v1/users",
                                           R"({"username": "rr-written-now", "password": ")" + std::string(kPassword) +
                                               R"(", "name": "Written just now", "roles": ["technician"]})");
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string id = JsonString(ParseJsonObject(created.body), "id");
  ASSERT_FALSE(id.empty()) << created.body;
  WaitForReplica();
  const HttpReply audit = Audit("?entity=user&entity_id=" + id);
  ASSERT_EQ(audit.status, 200) << audit.body;
  EXPECT_EQ(audit.content_type.rfind("application/json", 0), 0u) << audit.content_type;
  const std::vector<Json> items = Items(audit.body);
  ASSERT_EQ(items.size(), 1u) << audit.body;
  EXPECT_NE(audit.body.find("rr-written-now"), std::string::npos) << audit.body;
  // Replicated rows keep their hashes: each listed event checks out, and so does the whole trail.
  EXPECT_TRUE(items[0]->getObject("chain")->getValue<bool>("ok")) << audit.body;
  const HttpReply verify = limsd_->CallAs(auditor_, "GET", "/api/v1/audit/verify", "");
  EXPECT_EQ(verify.status, 200) << verify.body;
  EXPECT_EQ(limsd_->CallAs(auditor_, "GET", "/api/v1/rejections", "").status, 200);
  EXPECT_EQ(limsd_->CallAs(auditor_, "GET", "/api/v1/rejections/summary", "").status, 200);
}

TEST_F(ReadReplicaTest, WithReplicationStoppedAuditorsDoNotSeeNewWritesUntilItResumes) {
  replica_.Query("STOP SLAVE");
  struct Resume {
    ~Resume() {
      try {
        replica_.Query("START SLAVE");
      } catch (const std::exception&) {
      }
    }
  } resume;
  const std::string number = RegisterSample();
  ASSERT_FALSE(number.empty());
  // The lab's own route reads the primary: the sample is there, and so is its audit event ...
  const HttpReply sample = limsd_->Get("/api/v1/samples/" + number);
  EXPECT_EQ(sample.status, 200) << sample.body;
  EXPECT_EQ(PrimaryCount("sample", number), "1");
  // ... which the replica has not applied, so the auditor's trail does not show it yet.
  EXPECT_EQ(replica_.Query("SELECT MASTER_GTID_WAIT('" + primary_.Query("SELECT @@gtid_binlog_pos") + "', 0.5)"), "-1");
  EXPECT_TRUE(AuditedActions("sample", number).empty());
  const HttpReply all = Audit("?entity=sample");
  ASSERT_EQ(all.status, 200) << all.body;
  EXPECT_EQ(all.body.find(number), std::string::npos) << all.body;

  replica_.Query("START SLAVE");
  WaitForReplica();
  EXPECT_EQ(AuditedActions("sample", number), std::vector<std::string>{"sample.register"});
  EXPECT_NE(Audit("?entity=sample").body.find(number), std::string::npos);
}

TEST_F(ReadReplicaTest, AStoppedReplicaFailsOnlyTheAuditorRoutes) {
  ASSERT_EQ(Audit("").status, 200);  // the pool holds a connection to the replica
  std::string output;
  ASSERT_EQ(Script("replica.sh", "stop", &output), 0) << output;
  for (const char* path : {"/api/v1/audit", "/api/v1/audit/verify", "/api/v1/rejections"}) {
    const HttpReply r = limsd_->CallAs(auditor_, "GET", path, "");
    EXPECT_EQ(r.status, 503) << path << ": " << r.body;
    EXPECT_EQ(r.content_type, "application/problem+json") << path;
  }
  // Writes and the lab's reads go on.
  const std::string number = RegisterSample();
  ASSERT_FALSE(number.empty());
  EXPECT_EQ(limsd_->Get("/api/v1/samples/" + number).status, 200);
  // limsd starts without its replica: neither migrated nor waited for.
  {
    LimsdProcess second(primary_db_, read_env_);
    EXPECT_EQ(second.CallAs(auditor_, "GET", "/api/v1/audit", "").status, 503);
    EXPECT_EQ(second.Get("/api/v1/samples/" + number).status, 200);
  }
  // The replica comes back, catches up, and the same limsd reads it again without a restart.
  ASSERT_EQ(Script("replica.sh", "start", &output), 0) << output;
  WaitForReplica();
  HttpReply back;
  for (int i = 0; i < 50; ++i) {
    back = Audit("?entity=sample&entity_id=" + number);
    if (back.status == 200) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_EQ(back.status, 200) << back.body;
  EXPECT_EQ(Items(back.body).size(), 1u) << back.body;
}

}  // namespace
}  // namespace lims::testing
