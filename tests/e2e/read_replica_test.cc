// db.read_url routes the read-only auditor routes to a second database and nothing else: limsd
// runs against a primary database and a second, separately migrated database that stands in for
// the replica (real MariaDB replication is set up by scripts/replica.sh and docs/read-replica.md;
// here the point is which connection each route reads). An event present only in the stand-in is
// what the audit routes show; the lab's own routes keep reading and writing the primary; and with
// the replica unreachable the auditor routes answer 503 while the rest of the lab works on.
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "tests/support/json_test_util.h"
#include "tests/support/limsd_process.h"
#include "tests/support/test_database.h"
#include "tests/support/test_support.h"

namespace lims::testing {
namespace {

constexpr char kPassword[] = "replica routing pass 5521";

class ReadReplicaTest : public ::testing::Test {
 public:
  static void SetUpTestSuite() {
    try {
      primary_ = std::make_unique<TestDatabase>();
      replica_ = std::make_unique<TestDatabase>();
      std::string output;
      if (LimsdProcess::RunOnce(replica_->config(), {"--migrate"}, {}, &output) != 0) {
        throw std::runtime_error("migrating the stand-in replica: " + output);
      }
      // An event that exists only in the replica: the audit routes can only show it if they read there.
      replica_->Execute(
          "INSERT INTO audit_events (stripe, stripe_seq, at, actor_id, actor, role, action, entity, entity_id,"
          " before_doc, after_doc, reason, prev_hash, hash) VALUES (63, 1, UTC_TIMESTAMP(), 0, 'replica-only',"
          " 'system', 'replica.marker', 'marker', 'only-in-the-replica', '', '{}', '', REPEAT('0', 64), REPEAT('f', "
          "64))");
      limsd_ = std::make_unique<LimsdProcess>(
          primary_->config(), std::vector<std::string>{"LIMS_DB_READ_URL=" + DbUrlOf(replica_->config()),
                                                       "LIMS_DB_READ_PASSWORD=" + replica_->config().password});
      // The same, with a replica nobody answers for.
      store::DbConfig gone = replica_->config();
      gone.socket.clear();
      gone.host = "127.0.0.1";
      gone.port = 1;  // nothing listens on port 1
      limsd_without_replica_ = std::make_unique<LimsdProcess>(
          primary_->config(), std::vector<std::string>{"LIMS_DB_READ_URL=" + DbUrlOf(gone),
                                                       "LIMS_DB_READ_PASSWORD=" + replica_->config().password,
                                                       "LIMS_DB_CONNECT_TIMEOUT_S=1"});
    } catch (const std::exception& e) {
      setup_error_ = e.what();
    }
  }

  static void TearDownTestSuite() {
    limsd_without_replica_.reset();
    limsd_.reset();
    replica_.reset();
    primary_.reset();
  }

 protected:
  void SetUp() override { ASSERT_TRUE(setup_error_.empty()) << setup_error_; }

  static HttpReply Admin(const LimsdProcess& limsd, const std::string& method, const std::string& path,
                         const std::string& body = "") {
    return limsd.CallAs(limsd.admin_token(), method, path, body);
  }

  static inline std::unique_ptr<TestDatabase> primary_, replica_;
  static inline std::unique_ptr<LimsdProcess> limsd_, limsd_without_replica_;
  static inline std::string setup_error_;
};

TEST_F(ReadReplicaTest, AuditorRoutesReadTheReplica) {
  const HttpReply audit = Admin(*limsd_, "GET", "/api/v1/audit?entity=marker");
  ASSERT_EQ(audit.status, 200) << audit.body;
  EXPECT_NE(audit.body.find("only-in-the-replica"), std::string::npos) << audit.body;
  // The primary has no such event: the route did not read it.
  EXPECT_EQ(primary_->QueryValue("SELECT COUNT(*) FROM audit_events WHERE entity = 'marker'"), "0");
  const HttpReply rejections = Admin(*limsd_, "GET", "/api/v1/rejections");
  EXPECT_EQ(rejections.status, 200) << rejections.body;
}

TEST_F(ReadReplicaTest, WritesAndTheLabsOwnReadsStayOnThePrimary) {
  const HttpReply created = Admin(*limsd_, "POST", "/api/v1/users",
                                  R"({"username": "replica-auditor", "password": ")" + std::string(kPassword) +
                                      R"(", "name": "Replica auditor", "roles": ["auditor"]})");
  ASSERT_EQ(created.status, 201) << created.body;
  EXPECT_EQ(primary_->QueryValue("SELECT COUNT(*) FROM users WHERE username = 'replica-auditor'"), "1");
  EXPECT_EQ(replica_->QueryValue("SELECT COUNT(*) FROM users WHERE username = 'replica-auditor'"), "0");
  // Signing in reads the primary (the user exists only there) ...
  const std::string token = limsd_->Login("replica-auditor", kPassword);
  ASSERT_FALSE(token.empty());
  // ... while the audit trail the auditor reads is the replica's, which has not seen the creation.
  const HttpReply audit = limsd_->CallAs(token, "GET", "/api/v1/audit?entity=user", "");
  ASSERT_EQ(audit.status, 200) << audit.body;
  EXPECT_EQ(audit.body.find("replica-auditor"), std::string::npos) << audit.body;
  EXPECT_NE(primary_->QueryValue("SELECT COUNT(*) FROM audit_events WHERE entity = 'user'"), "0");
}

TEST_F(ReadReplicaTest, AnUnreachableReplicaFailsOnlyTheAuditorRoutes) {
  for (const char* path : {"/api/v1/audit", "/api/v1/rejections", "/api/v1/rejections/summary"}) {
    const HttpReply r = Admin(*limsd_without_replica_, "GET", path);
    EXPECT_EQ(r.status, 503) << path << ": " << r.body;
    EXPECT_EQ(r.content_type, "application/problem+json") << path;
  }
  EXPECT_EQ(Admin(*limsd_without_replica_, "GET", "/api/v1/users").status, 200);
  EXPECT_EQ(Admin(*limsd_without_replica_, "GET", "/api/v1/samples").status, 200);
}

}  // namespace
}  // namespace lims::testing
