#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "lims/core/clock.h"
#include "lims/core/user.h"
#include "lims/store/connection_pool.h"
#include "lims/store/migrator.h"
#include "lims/store/mysql_user_store.h"
#include "tests/support/test_database.h"
#include "tests/support/test_support.h"

namespace lims::store {
namespace {

using ::lims::testing::At;

using ::lims::testing::SourcePath;
using ::lims::testing::TestDatabase;
using std::chrono::seconds;

// A SHA-256 in hex as the server stores it; `seed` makes it distinct per test token.
std::string TokenHash(char seed) {
  return std::string(64, seed);
}

NewUser Staff(const std::string& username, std::vector<Role> roles) {
  NewUser u;
  u.username = username;
  u.name = "Staff member " + username;
  u.roles = std::move(roles);
  u.password_hash = "$argon2id$v=19$m=65536,t=3,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo";
  return u;
}

// The string literals of a C++ source file, concatenated (comments and code dropped), so that a
// test can say what SQL the file can send.
std::string StringLiterals(const std::string& source) {
  std::string literals;
  bool in_literal = false;
  for (size_t i = 0; i < source.size(); ++i) {
    const char ch = source[i];
    if (!in_literal && ch == '/' && i + 1 < source.size() && source[i + 1] == '/') {
      i = std::min(source.find('\n', i), source.size());
    } else if (ch == '"' && !(in_literal && source[i - 1] == '\\')) {
      in_literal = !in_literal;
      literals += ' ';
    } else if (in_literal) {
      literals += static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    }
  }
  return literals;
}

// A migrated database and a store over a pooled (UTC) connection.
class UserStoreTest : public ::testing::Test {
 protected:
  UserStoreTest() : pool_(db_.config()) {}

  void SetUp() override {
    Result<ConnectionPool::Lease> lease = pool_.Acquire();
    ASSERT_OK(lease);
    lease_.emplace(std::move(lease).value());
    Result<std::vector<MigrationFile>> files = ReadMigrations(SourcePath("schema"));
    ASSERT_OK(files);
    ASSERT_OK(Migrate(lease_->connection(), *files));
    store_ = std::make_unique<MysqlUserStore>(lease_->connection());
  }

  int64_t CreateUser(const std::string& username, std::vector<Role> roles = {Role::kTechnician}) {
    Result<User> u = store_->CreateUser(Staff(username, std::move(roles)));
    EXPECT_OK(u);
    return u.ok() ? u->id : 0;
  }

  Session NewSession(int64_t user_id, char seed, Timestamp created, Timestamp expires) const {
    Session s;
    s.user_id = user_id;
    s.token_hash = TokenHash(seed);
    s.csrf_token = std::string(43, 'c');
    s.kind = "session";
    s.created_at = created;
    s.expires_at = expires;
    return s;
  }

  Session NewToken(int64_t user_id, char seed, const std::string& name, std::vector<Role> scope,
                   Timestamp created) const {
    Session s = NewSession(user_id, seed, created, created + std::chrono::days(365));
    s.kind = "api";
    s.csrf_token = "";
    s.name = name;
    s.scope = std::move(scope);
    return s;
  }

  int64_t CreateSession(const Session& s) {
    Result<Session> created = store_->CreateSession(s);
    EXPECT_OK(created);
    return created.ok() ? created->id : 0;
  }

  Status::Code LookupCode(char seed, Timestamp now) {
    return store_->FindLiveSession(TokenHash(seed), now).status().code();
  }

  TestDatabase db_;
  ConnectionPool pool_;
  std::optional<ConnectionPool::Lease> lease_;
  std::unique_ptr<MysqlUserStore> store_;
};

TEST_F(UserStoreTest, ElectronicSignaturesAreAppended) {
  const int64_t id = CreateUser("meera", {Role::kSignatory});
  auth::ESignature sig{0,
                       id,
                       "Meera Sharma",
                       auth::SignatureMeaning::kRevoke,
                       "certificate AGR-C-2026-000001",
                       "wrong lot number",
                       Timestamp(std::chrono::seconds(1795000000))};
  Result<auth::ESignature> first = store_->RecordSignature(sig);
  ASSERT_OK(first);
  EXPECT_GT(first->id, 0);
  Result<auth::ESignature> second = store_->RecordSignature(sig);
  ASSERT_OK(second);
  EXPECT_NE(first->id, second->id);
  EXPECT_EQ(db_.QueryValue("SELECT COUNT(*) FROM e_signatures WHERE meaning = 'revoke' AND record = "
                           "'certificate AGR-C-2026-000001'"),
            "2");
  EXPECT_EQ(db_.QueryValue("SELECT signed_at FROM e_signatures LIMIT 1"),
            "2026-11-18 11:06:40");  // 1795000000 s after the epoch, UTC
}

TEST_F(UserStoreTest, CreatedUserIsFoundByNameAndById) {
  Result<User> created = store_->CreateUser(Staff("asha.verma", {Role::kTechnician}));
  ASSERT_OK(created);
  EXPECT_GT(created->id, 0);
  EXPECT_EQ(created->username, "asha.verma");
  EXPECT_EQ(created->name, "Staff member asha.verma");
  EXPECT_EQ(created->password_hash, Staff("x", {}).password_hash);
  EXPECT_FALSE(created->disabled);
  EXPECT_FALSE(created->organization_id.has_value());
  EXPECT_GT(created->created_at, At("2020-01-01T00:00:00Z"));

  Result<User> by_name = store_->FindUserByName("asha.verma");
  ASSERT_OK(by_name);
  EXPECT_EQ(by_name->id, created->id);
  Result<User> by_id = store_->FindUser(created->id);
  ASSERT_OK(by_id);
  EXPECT_EQ(by_id->username, "asha.verma");
  EXPECT_EQ(by_id->created_at, created->created_at);
}

TEST_F(UserStoreTest, UnknownUserIsNotFound) {
  EXPECT_EQ(store_->FindUserByName("nobody").status().code(), Status::Code::kNotFound);
  EXPECT_EQ(store_->FindUser(4242).status().code(), Status::Code::kNotFound);
}

TEST_F(UserStoreTest, ListsUsersByUsername) {
  CreateUser("vikram");
  CreateUser("asha");
  CreateUser("meera");
  Result<std::vector<User>> users = store_->ListUsers();
  ASSERT_OK(users);
  std::vector<std::string> names;
  for (const User& u : *users) names.push_back(u.username);
  EXPECT_EQ(names, (std::vector<std::string>{"asha", "meera", "vikram"}));
}

TEST_F(UserStoreTest, RolesRoundTripThroughTheCommaList) {
  const std::vector<Role> roles = {Role::kTechnician, Role::kReviewer, Role::kSignatory};
  const int64_t id = CreateUser("meera", roles);
  EXPECT_EQ(db_.QueryValue("SELECT roles FROM users WHERE id = " + std::to_string(id)),
            "technician,reviewer,signatory");
  Result<User> read = store_->FindUser(id);
  ASSERT_OK(read);
  EXPECT_EQ(read->roles, roles);

  const int64_t admin = CreateUser("root.admin", {Role::kAdmin, Role::kAuditor});
  read = store_->FindUser(admin);
  ASSERT_OK(read);
  EXPECT_EQ(read->roles, (std::vector<Role>{Role::kAdmin, Role::kAuditor}));
}

TEST_F(UserStoreTest, UnknownRoleNamesAreDroppedNotGranted) {
  const int64_t id = CreateUser("meera");
  db_.Execute("UPDATE users SET roles = 'technician,superuser' WHERE id = " + std::to_string(id));
  Result<User> read = store_->FindUser(id);
  ASSERT_OK(read);
  EXPECT_EQ(read->roles, std::vector<Role>{Role::kTechnician});
}

TEST_F(UserStoreTest, DuplicateUsernameConflicts) {
  CreateUser("asha");
  Result<User> again = store_->CreateUser(Staff("asha", {Role::kReviewer}));
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.status().code(), Status::Code::kConflict);
  EXPECT_EQ(db_.QueryValue("SELECT COUNT(*) FROM users"), "1");
}

TEST_F(UserStoreTest, ExporterBelongsToItsOrganization) {
  db_.Execute(
      "INSERT INTO organizations (name, iec, district) VALUES ('Sikandra Footwear Exports', '0512345678', 'Agra')");
  const int64_t org = std::stoll(db_.QueryValue("SELECT id FROM organizations WHERE iec = '0512345678'"));
  NewUser exporter = Staff("sikandra", {Role::kExporter});
  exporter.organization_id = org;
  Result<User> created = store_->CreateUser(exporter);
  ASSERT_OK(created);
  Result<User> read = store_->FindUserByName("sikandra");
  ASSERT_OK(read);
  ASSERT_TRUE(read->organization_id.has_value());
  EXPECT_EQ(*read->organization_id, org);
  EXPECT_EQ(read->roles, std::vector<Role>{Role::kExporter});
}

TEST_F(UserStoreTest, UnknownOrganizationIsUnprocessable) {
  NewUser exporter = Staff("ghost", {Role::kExporter});
  exporter.organization_id = 999;
  Result<User> created = store_->CreateUser(exporter);
  ASSERT_FALSE(created.ok());
  EXPECT_EQ(created.status().code(), Status::Code::kUnprocessable);
  EXPECT_EQ(::lims::testing::Fields(created.status()), std::vector<std::string>{"organization"});
}

TEST_F(UserStoreTest, SetPasswordHashReplacesTheHashAndStampsTheChange) {
  const int64_t id = CreateUser("asha");
  const std::string where = " FROM users WHERE id = " + std::to_string(id);
  db_.Execute("UPDATE users SET password_changed_at = '2020-01-01 00:00:00' WHERE id = " + std::to_string(id));
  ASSERT_OK(store_->SetPasswordHash(id, "$argon2id$v=19$m=65536,t=3,p=1$bmV3c2FsdA$bmV3aGFzaA"));
  Result<User> read = store_->FindUser(id);
  ASSERT_OK(read);
  EXPECT_EQ(read->password_hash, "$argon2id$v=19$m=65536,t=3,p=1$bmV3c2FsdA$bmV3aGFzaA");
  EXPECT_EQ(db_.QueryValue("SELECT password_changed_at >= created_at" + where), "1");
}

TEST_F(UserStoreTest, SetPasswordHashLeavesSessionsAlone) {
  const int64_t id = CreateUser("asha");
  const Timestamp now = At("2026-11-23T10:15:00Z");
  CreateSession(NewSession(id, 'a', now, now + seconds(3600)));
  ASSERT_OK(store_->SetPasswordHash(id, "new-hash"));
  EXPECT_EQ(LookupCode('a', now), Status::Code::kOk);
}

TEST_F(UserStoreTest, WritesToAnUnknownUserAreNotFound) {
  EXPECT_EQ(store_->SetPasswordHash(4242, "h").code(), Status::Code::kNotFound);
  EXPECT_EQ(store_->SetDisabled(4242, true, At("2026-11-23T10:15:00Z")).code(), Status::Code::kNotFound);
}

TEST_F(UserStoreTest, DisablingRevokesEveryLiveSessionAndToken) {
  const int64_t asha = CreateUser("asha");
  const int64_t meera = CreateUser("meera");
  const Timestamp now = At("2026-11-23T10:15:00Z");
  CreateSession(NewSession(asha, 'a', now, now + seconds(3600)));
  CreateSession(NewToken(asha, 'b', "UV-Vis 2 import script", {Role::kTechnician}, now));
  CreateSession(NewSession(meera, 'm', now, now + seconds(3600)));

  const Timestamp later = now + seconds(60);
  ASSERT_OK(store_->SetDisabled(asha, true, later));
  EXPECT_EQ(LookupCode('a', later), Status::Code::kNotFound);
  EXPECT_EQ(LookupCode('b', later), Status::Code::kNotFound);
  EXPECT_EQ(LookupCode('m', later), Status::Code::kOk);  // another user's session lives on
  EXPECT_EQ(db_.QueryValue("SELECT COUNT(*) FROM sessions WHERE revoked_at = '2026-11-23 10:16:00'"), "2");
  Result<User> read = store_->FindUser(asha);
  ASSERT_OK(read);
  EXPECT_TRUE(read->disabled);

  // Enabling again revives nothing: the user logs in afresh.
  ASSERT_OK(store_->SetDisabled(asha, false, later + seconds(60)));
  read = store_->FindUser(asha);
  ASSERT_OK(read);
  EXPECT_FALSE(read->disabled);
  EXPECT_EQ(LookupCode('a', later + seconds(60)), Status::Code::kNotFound);
  EXPECT_EQ(db_.QueryValue("SELECT COUNT(*) FROM sessions"), "3");  // revoked, never removed
}

TEST_F(UserStoreTest, DisablingLeavesExpiredSessionsAsTheyEnded) {
  const int64_t asha = CreateUser("asha");
  const Timestamp now = At("2026-11-23T10:15:00Z");
  CreateSession(NewSession(asha, 'a', now - seconds(7200), now - seconds(3600)));
  ASSERT_OK(store_->SetDisabled(asha, true, now));
  EXPECT_EQ(db_.QueryValue("SELECT COUNT(*) FROM sessions WHERE revoked_at IS NULL"), "1");
}

TEST_F(UserStoreTest, SessionOfADisabledUserIsNotLive) {
  const int64_t asha = CreateUser("asha");
  const Timestamp now = At("2026-11-23T10:15:00Z");
  CreateSession(NewSession(asha, 'a', now, now + seconds(3600)));
  // Even if a session escaped revocation, the join on users still refuses it.
  db_.Execute("UPDATE users SET disabled = 1 WHERE id = " + std::to_string(asha));
  EXPECT_EQ(LookupCode('a', now), Status::Code::kNotFound);
}

TEST_F(UserStoreTest, LiveSessionComesWithItsUser) {
  const int64_t asha = CreateUser("asha", {Role::kTechnician, Role::kReviewer});
  const Timestamp now = At("2026-11-23T10:15:00Z");
  Session s = NewSession(asha, 'a', now, now + seconds(3600));
  Result<Session> created = store_->CreateSession(s);
  ASSERT_OK(created);
  EXPECT_GT(created->id, 0);

  Result<std::pair<Session, User>> live = store_->FindLiveSession(TokenHash('a'), now);
  ASSERT_OK(live);
  const auto& [session, user] = *live;
  EXPECT_EQ(session.id, created->id);
  EXPECT_EQ(session.user_id, asha);
  EXPECT_EQ(session.token_hash, TokenHash('a'));
  EXPECT_EQ(session.csrf_token, std::string(43, 'c'));
  EXPECT_EQ(session.kind, "session");
  EXPECT_TRUE(session.scope.empty());
  EXPECT_EQ(session.created_at, now);
  EXPECT_EQ(session.expires_at, now + seconds(3600));
  EXPECT_FALSE(session.revoked_at.has_value());
  EXPECT_EQ(user.id, asha);
  EXPECT_EQ(user.username, "asha");
  EXPECT_EQ(user.roles, (std::vector<Role>{Role::kTechnician, Role::kReviewer}));
}

TEST_F(UserStoreTest, SessionExpiresAtItsExpiryTime) {
  const int64_t asha = CreateUser("asha");
  const Timestamp expires = At("2026-11-23T18:15:00Z");
  CreateSession(NewSession(asha, 'a', expires - seconds(8 * 3600), expires));
  EXPECT_EQ(LookupCode('a', expires - seconds(1)), Status::Code::kOk);
  EXPECT_EQ(LookupCode('a', expires), Status::Code::kNotFound);
  EXPECT_EQ(LookupCode('a', expires + seconds(1)), Status::Code::kNotFound);
}

TEST_F(UserStoreTest, UnknownTokenIsNotFound) {
  EXPECT_EQ(LookupCode('z', At("2026-11-23T10:15:00Z")), Status::Code::kNotFound);
}

TEST_F(UserStoreTest, DuplicateTokenHashConflicts) {
  const int64_t asha = CreateUser("asha");
  const Timestamp now = At("2026-11-23T10:15:00Z");
  CreateSession(NewSession(asha, 'a', now, now + seconds(3600)));
  Result<Session> again = store_->CreateSession(NewSession(asha, 'a', now, now + seconds(3600)));
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.status().code(), Status::Code::kConflict);
  EXPECT_EQ(again.status().message().find(TokenHash('a')), std::string::npos);
}

TEST_F(UserStoreTest, RevokedSessionIsNotLive) {
  const int64_t asha = CreateUser("asha");
  const Timestamp now = At("2026-11-23T10:15:00Z");
  const int64_t id = CreateSession(NewSession(asha, 'a', now, now + seconds(3600)));
  ASSERT_OK(store_->RevokeSession(id, now + seconds(10)));
  EXPECT_EQ(LookupCode('a', now + seconds(20)), Status::Code::kNotFound);

  // A second revocation succeeds and keeps the first time.
  ASSERT_OK(store_->RevokeSession(id, now + seconds(30)));
  EXPECT_EQ(db_.QueryValue("SELECT revoked_at FROM sessions WHERE id = " + std::to_string(id)), "2026-11-23 10:15:10");
}

TEST_F(UserStoreTest, RevokingAnUnknownSessionIsNotFound) {
  EXPECT_EQ(store_->RevokeSession(4242, At("2026-11-23T10:15:00Z")).code(), Status::Code::kNotFound);
}

TEST_F(UserStoreTest, ListsApiTokensNewestFirstWithTheirScope) {
  const int64_t asha = CreateUser("asha", {Role::kTechnician, Role::kReviewer});
  const Timestamp now = At("2026-11-23T10:15:00Z");
  CreateSession(NewToken(asha, 'a', "UV-Vis 2 import script", {Role::kTechnician}, now - seconds(86400)));
  CreateSession(NewSession(asha, 's', now, now + seconds(3600)));  // a browser session: not listed
  const int64_t newest =
      CreateSession(NewToken(asha, 'b', "nightly export", {Role::kReviewer, Role::kTechnician}, now));
  ASSERT_OK(store_->RevokeSession(newest, now + seconds(5)));

  Result<std::vector<Session>> tokens = store_->ListApiTokens();
  ASSERT_OK(tokens);
  ASSERT_EQ(tokens->size(), 2u);
  EXPECT_EQ((*tokens)[0].name, "nightly export");
  EXPECT_EQ((*tokens)[0].scope, (std::vector<Role>{Role::kReviewer, Role::kTechnician}));
  EXPECT_EQ((*tokens)[0].revoked_at, std::optional<Timestamp>(now + seconds(5)));
  EXPECT_EQ((*tokens)[1].name, "UV-Vis 2 import script");
  EXPECT_EQ((*tokens)[1].scope, std::vector<Role>{Role::kTechnician});
  EXPECT_EQ((*tokens)[1].kind, "api");
  EXPECT_EQ((*tokens)[1].user_id, asha);
  EXPECT_FALSE((*tokens)[1].revoked_at.has_value());
}

TEST_F(UserStoreTest, CountsFailuresPerSubject) {
  const Timestamp t = At("2026-11-23T10:15:00Z");
  Result<int> first = store_->RecordFailure("user:asha", t);
  ASSERT_OK(first);
  EXPECT_EQ(*first, 1);
  Result<int> second = store_->RecordFailure("user:asha", t + seconds(5));
  ASSERT_OK(second);
  EXPECT_EQ(*second, 2);
  Result<int> other = store_->RecordFailure("addr:127.0.0.1", t + seconds(6));
  ASSERT_OK(other);
  EXPECT_EQ(*other, 1);

  int failures = -1;
  Result<std::optional<Timestamp>> last = store_->LastFailure("user:asha", &failures);
  ASSERT_OK(last);
  EXPECT_EQ(failures, 2);
  EXPECT_EQ(*last, std::optional<Timestamp>(t + seconds(5)));
}

TEST_F(UserStoreTest, SubjectWithoutFailuresHasNone) {
  int failures = -1;
  Result<std::optional<Timestamp>> last = store_->LastFailure("user:nobody", &failures);
  ASSERT_OK(last);
  EXPECT_EQ(failures, 0);
  EXPECT_FALSE(last->has_value());
  EXPECT_OK(store_->ClearFailures("user:nobody"));
}

TEST_F(UserStoreTest, ClearingResetsTheCounterAndKeepsTheRow) {
  const Timestamp t = At("2026-11-23T10:15:00Z");
  ASSERT_OK(store_->RecordFailure("user:asha", t));
  ASSERT_OK(store_->RecordFailure("user:asha", t + seconds(1)));
  ASSERT_OK(store_->RecordFailure("addr:127.0.0.1", t));
  ASSERT_OK(store_->ClearFailures("user:asha"));

  int failures = -1;
  Result<std::optional<Timestamp>> last = store_->LastFailure("user:asha", &failures);
  ASSERT_OK(last);
  EXPECT_EQ(failures, 0);
  EXPECT_FALSE(last->has_value());
  EXPECT_EQ(db_.QueryValue("SELECT COUNT(*) FROM login_failures"), "2");
  last = store_->LastFailure("addr:127.0.0.1", &failures);
  ASSERT_OK(last);
  EXPECT_EQ(failures, 1);  // other subjects keep counting

  Result<int> again = store_->RecordFailure("user:asha", t + seconds(60));
  ASSERT_OK(again);
  EXPECT_EQ(*again, 1);
}

// The application user has no DELETE grant (schema/GRANTS.md): a statement that needs one would
// fail only in production, so the source is checked here.
TEST(UserStoreSourceTest, NoStatementDeletesOrDrops) {
  const std::string literals = StringLiterals(::lims::testing::ReadFile(SourcePath("lims/store/mysql_user_store.cc")));
  ASSERT_NE(literals.find("INSERT INTO USERS"), std::string::npos) << "the store's SQL was not found";
  EXPECT_EQ(literals.find("DELETE"), std::string::npos);
  EXPECT_EQ(literals.find("TRUNCATE"), std::string::npos);
  EXPECT_EQ(literals.find("DROP"), std::string::npos);
}

}  // namespace
}  // namespace lims::store
