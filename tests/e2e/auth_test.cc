// Authentication and ownership over HTTP against a real limsd: login and its cookie, failed logins
// and their back-off, logout, disabled users, session expiry, the CSRF rule for cookie-borne
// writes, password changes, the rules for new users, scoped API tokens, and exporters confined to
// their own organisation's samples.
//
// Failed logins are counted per account and per client address (always 127.0.0.1 here), in this
// binary's database. Every test that fails a login ends with a successful one, which clears both
// counters, so that no test inherits another's back-off.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <exception>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "tests/support/json_test_util.h"
#include "tests/support/limsd_process.h"
#include "tests/support/test_database.h"

namespace lims::testing {
namespace {

constexpr char kProblemJson[] = "application/problem+json";
constexpr char kPassword[] = "auth test pass phrase 3390";

std::string Header(const HttpReply& reply, const std::string& name) {
  auto it = reply.headers.find(name);
  return it == reply.headers.end() ? "" : it->second;
}

std::string LoginJson(const std::string& username, const std::string& password) {
  return R"({"username":")" + username + R"(","password":")" + password + R"("})";
}

std::string IntakeJson(const std::string& exporter) {
  return R"({"exporter":")" + exporter +
         R"(","product":"Men's safety boot, black leather","quantity":6,"quantity_unit":"pairs",)"
         R"("destination":"DE","requirements":["REACH-XVII-47-CRVI-LEATHER"]})";
}

// Waits until just after the start of a wall-clock second: the server keeps failure times in whole
// seconds, so a burst of attempts that must land inside one back-off second starts here.
void WaitForTheStartOfASecond() {
  using std::chrono::system_clock;
  const auto now = system_clock::now();
  const auto next = std::chrono::ceil<std::chrono::seconds>(now) + std::chrono::milliseconds(20);
  std::this_thread::sleep_until(next);
}

class AuthTest : public ::testing::Test {
 public:
  static void SetUpTestSuite() {
    try {
      db_ = std::make_unique<TestDatabase>();
      limsd_ = std::make_unique<LimsdProcess>(db_->config());
      db_->Execute(
          "INSERT INTO organizations (name, iec, address, district, odop_product) VALUES "
          "('Agra Leather Works (A)', '0588000001', 'Agra', 'Agra', 'Leather footwear'), "
          "('Kanpur Saddlery (B)', '0588000002', 'Kanpur', 'Kanpur Nagar', 'Leather products')");
      org_a_ = db_->QueryValue("SELECT id FROM organizations WHERE iec = '0588000001'");
      org_b_ = db_->QueryValue("SELECT id FROM organizations WHERE iec = '0588000002'");
      if (org_a_.empty() || org_b_.empty()) throw std::runtime_error("organizations were not inserted");
    } catch (const std::exception& e) {
      setup_error_ = e.what();
    }
  }

  static void TearDownTestSuite() {
    limsd_.reset();
    db_.reset();
  }

 protected:
  void SetUp() override { ASSERT_TRUE(setup_error_.empty()) << setup_error_; }

  static const LimsdProcess& limsd() { return *limsd_; }

  static HttpReply LoginReply(const std::string& username, const std::string& password) {
    return limsd_->CallAs("", "POST", "/api/v1/auth/login", LoginJson(username, password));
  }

  static HttpReply AsAdmin(const std::string& method, const std::string& path, const std::string& body = "") {
    return limsd_->CallAs(limsd_->admin_token(), method, path, body);
  }

  static HttpReply CreateUserReply(const std::string& username, const std::string& roles, const std::string& org = "",
                                   const std::string& password = kPassword) {
    std::string body = R"({"username":")" + username + R"(","password":")" + password + R"(","name":"Auth Test",)" +
                       R"("roles":)" + roles;
    if (!org.empty()) body += R"(,"organization":")" + org + R"(")";
    return AsAdmin("POST", "/api/v1/users", body + "}");
  }

  // Creates a user with kPassword; returns its id ("" with a test failure when refused).
  static std::string CreateUser(const std::string& username, const std::string& roles, const std::string& org = "") {
    const HttpReply reply = CreateUserReply(username, roles, org);
    EXPECT_EQ(reply.status, 201) << reply.body;
    return JsonString(ParseJsonObject(reply.body), "id");
  }

  static int Me(const std::string& token) { return limsd_->CallAs(token, "GET", "/api/v1/auth/me", "").status; }

  static inline std::unique_ptr<TestDatabase> db_;
  static inline std::unique_ptr<LimsdProcess> limsd_;
  static inline std::string setup_error_;
  static inline std::string org_a_;
  static inline std::string org_b_;
};

TEST_F(AuthTest, LoginReturnsTokensAndAStrictHttpOnlyCookie) {
  CreateUser("auth-login", R"(["reviewer"])");
  const HttpReply reply = LoginReply("auth-login", kPassword);
  ASSERT_EQ(reply.status, 200) << reply.body;
  Poco::JSON::Object::Ptr body = ParseJsonObject(reply.body);
  ASSERT_FALSE(body.isNull()) << reply.body;
  const std::string token = JsonString(body, "token");
  EXPECT_EQ(token.size(), 43u) << reply.body;
  EXPECT_FALSE(JsonString(body, "csrf_token").empty()) << reply.body;
  EXPECT_NE(JsonString(body, "csrf_token"), token);
  EXPECT_EQ(JsonString(body->getObject("user"), "username"), "auth-login");
  const std::string cookie = Header(reply, "Set-Cookie");
  EXPECT_EQ(cookie.rfind("pramaan_session=" + token + ";", 0), 0u) << cookie;
  EXPECT_NE(cookie.find("HttpOnly"), std::string::npos) << cookie;
  EXPECT_NE(cookie.find("SameSite=Strict"), std::string::npos) << cookie;
  EXPECT_NE(cookie.find("Path=/"), std::string::npos) << cookie;
  EXPECT_EQ(reply.body.find("password"), std::string::npos) << "the login reply must not echo a password";

  const HttpReply me = limsd().CallAs(token, "GET", "/api/v1/auth/me", "");
  ASSERT_EQ(me.status, 200) << me.body;
  EXPECT_EQ(JsonString(ParseJsonObject(me.body), "username"), "auth-login");
}

TEST_F(AuthTest, WrongPasswordAndUnknownUserFailAlike) {
  CreateUser("auth-wrong", R"(["reviewer"])");
  const HttpReply wrong = LoginReply("auth-wrong", "not the right pass phrase");
  EXPECT_EQ(wrong.status, 401) << wrong.body;
  EXPECT_EQ(wrong.content_type, kProblemJson);
  const std::string detail = JsonString(ParseJsonObject(wrong.body), "detail");
  EXPECT_FALSE(detail.empty()) << wrong.body;
  EXPECT_EQ(wrong.body.find("token"), std::string::npos) << wrong.body;

  const HttpReply unknown = LoginReply("auth-nobody-by-this-name", "not the right pass phrase");
  EXPECT_EQ(unknown.status, 401) << unknown.body;
  EXPECT_EQ(unknown.content_type, kProblemJson);
  EXPECT_EQ(JsonString(ParseJsonObject(unknown.body), "detail"), detail);
  EXPECT_EQ(JsonString(ParseJsonObject(unknown.body), "title"), JsonString(ParseJsonObject(wrong.body), "title"));

  EXPECT_EQ(LoginReply("auth-wrong", kPassword).status, 200);  // clears the counters again
}

TEST_F(AuthTest, LogoutRevokesTheToken) {
  CreateUser("auth-logout", R"(["auditor"])");
  const std::string token = limsd().Login("auth-logout", kPassword);
  ASSERT_EQ(Me(token), 200);
  const HttpReply out = limsd().CallAs(token, "POST", "/api/v1/auth/logout", "");
  EXPECT_EQ(out.status, 204) << out.body;
  EXPECT_NE(Header(out, "Set-Cookie").find("Max-Age=0"), std::string::npos) << Header(out, "Set-Cookie");
  EXPECT_EQ(Me(token), 401);
  EXPECT_EQ(limsd().CallAs(token, "POST", "/api/v1/auth/logout", "").status, 401);
}

TEST_F(AuthTest, DisabledUserLosesItsSessionAndCannotSignInUntilEnabled) {
  const std::string id = CreateUser("auth-disabled", R"(["technician"])");
  ASSERT_FALSE(id.empty());
  const std::string token = limsd().Login("auth-disabled", kPassword);
  ASSERT_EQ(Me(token), 200);  // now in the authenticator's cache as well

  const HttpReply disabled = AsAdmin("POST", "/api/v1/users/" + id + "/disable");
  ASSERT_EQ(disabled.status, 200) << disabled.body;
  EXPECT_TRUE(ParseJsonObject(disabled.body)->getValue<bool>("disabled")) << disabled.body;
  EXPECT_EQ(Me(token), 401) << "a disabled user's session must stop at once";
  EXPECT_EQ(limsd().CallAs(token, "GET", "/api/v1/samples", "").status, 401);
  const HttpReply refused = LoginReply("auth-disabled", kPassword);
  EXPECT_EQ(refused.status, 401) << refused.body;
  EXPECT_EQ(refused.content_type, kProblemJson);

  const HttpReply enabled = AsAdmin("POST", "/api/v1/users/" + id + "/enable");
  ASSERT_EQ(enabled.status, 200) << enabled.body;
  EXPECT_FALSE(ParseJsonObject(enabled.body)->getValue<bool>("disabled")) << enabled.body;
  const HttpReply again = LoginReply("auth-disabled", kPassword);
  ASSERT_EQ(again.status, 200) << again.body;
  EXPECT_EQ(Me(JsonString(ParseJsonObject(again.body), "token")), 200);
  EXPECT_EQ(Me(token), 401) << "disabling revoked the old session for good";
}

TEST_F(AuthTest, AdministratorCannotDisableThemself) {
  const HttpReply me = AsAdmin("GET", "/api/v1/auth/me");
  ASSERT_EQ(me.status, 200) << me.body;
  const std::string id = JsonString(ParseJsonObject(me.body), "id");
  const HttpReply reply = AsAdmin("POST", "/api/v1/users/" + id + "/disable");
  EXPECT_EQ(reply.status, 422) << reply.body;
  EXPECT_EQ(Me(limsd().admin_token()), 200);
}

TEST_F(AuthTest, SessionExpiresAfterTheConfiguredLifetime) {
  CreateUser("auth-expiry", R"(["reviewer"])");
  // A second limsd on the same database with two-second sessions.
  std::unique_ptr<LimsdProcess> short_lived;
  try {
    short_lived = std::make_unique<LimsdProcess>(db_->config(), std::vector<std::string>{"LIMS_AUTH_SESSION_TTL_S=2"});
  } catch (const std::exception& e) {
    FAIL() << e.what();
  }
  const HttpReply login = short_lived->CallAs("", "POST", "/api/v1/auth/login", LoginJson("auth-expiry", kPassword));
  ASSERT_EQ(login.status, 200) << login.body;
  EXPECT_NE(Header(login, "Set-Cookie").find("Max-Age=2"), std::string::npos) << Header(login, "Set-Cookie");
  const std::string token = JsonString(ParseJsonObject(login.body), "token");
  ASSERT_EQ(short_lived->CallAs(token, "GET", "/api/v1/auth/me", "").status, 200);
  ASSERT_EQ(Me(token), 200) << "the session is in the shared database, so both processes know it";

  std::this_thread::sleep_for(std::chrono::seconds(3));
  EXPECT_EQ(short_lived->CallAs(token, "GET", "/api/v1/auth/me", "").status, 401);
  EXPECT_EQ(Me(token), 401) << "expiry is stored with the session, not kept by the process that made it";
}

TEST_F(AuthTest, CookieBorneWriteNeedsItsCsrfHeader) {
  const HttpReply login = LoginReply(LimsdProcess::kStaffUser, LimsdProcess::kStaffPassword);
  ASSERT_EQ(login.status, 200) << login.body;
  Poco::JSON::Object::Ptr body = ParseJsonObject(login.body);
  const std::string cookie = "pramaan_session=" + JsonString(body, "token");
  const std::string csrf = JsonString(body, "csrf_token");
  ASSERT_FALSE(csrf.empty());

  // Reads need only the cookie.
  EXPECT_EQ(limsd().CallAs("", "GET", "/api/v1/samples", "", {{"Cookie", cookie}}).status, 200);
  const HttpReply bare = limsd().CallAs("", "POST", "/api/v1/samples", IntakeJson(org_a_), {{"Cookie", cookie}});
  EXPECT_EQ(bare.status, 403) << bare.body;
  EXPECT_EQ(bare.content_type, kProblemJson);
  const HttpReply forged = limsd().CallAs("", "POST", "/api/v1/samples", IntakeJson(org_a_),
                                          {{"Cookie", cookie}, {"X-CSRF-Token", std::string(csrf.size(), 'x')}});
  EXPECT_EQ(forged.status, 403) << forged.body;
  const HttpReply with_header =
      limsd().CallAs("", "POST", "/api/v1/samples", IntakeJson(org_a_), {{"Cookie", cookie}, {"X-CSRF-Token", csrf}});
  EXPECT_NE(with_header.status, 403) << with_header.body;
  EXPECT_EQ(with_header.status, 201) << with_header.body;
}

TEST_F(AuthTest, RepeatedFailuresBackOffWith429AndRetryAfter) {
  CreateUser("auth-lockout", R"(["reviewer"])");
  WaitForTheStartOfASecond();
  for (int i = 0; i < 3; ++i) {
    const HttpReply reply = LoginReply("auth-lockout", "a wrong pass phrase 0000");
    EXPECT_EQ(reply.status, 401) << "attempt " << i + 1 << ": " << reply.body;
  }
  // Even the right password is refused while backing off.
  const HttpReply locked = LoginReply("auth-lockout", kPassword);
  ASSERT_EQ(locked.status, 429) << locked.body;
  EXPECT_EQ(locked.content_type, kProblemJson);
  const std::string retry_after = Header(locked, "Retry-After");
  ASSERT_FALSE(retry_after.empty());
  int wait_s = 0;
  ASSERT_NO_THROW(wait_s = std::stoi(retry_after)) << retry_after;
  EXPECT_GE(wait_s, 1);
  ASSERT_LE(wait_s, 3) << "the first back-off step is one second";

  std::this_thread::sleep_for(std::chrono::seconds(wait_s));
  const HttpReply after = LoginReply("auth-lockout", kPassword);
  ASSERT_EQ(after.status, 200) << after.body;

  // The success reset the counters: two more failures are plain 401s, not 429s.
  WaitForTheStartOfASecond();
  EXPECT_EQ(LoginReply("auth-lockout", "a wrong pass phrase 0000").status, 401);
  EXPECT_EQ(LoginReply("auth-lockout", "a wrong pass phrase 0000").status, 401);
  EXPECT_EQ(LoginReply("auth-lockout", kPassword).status, 200);
}

TEST_F(AuthTest, PasswordChangeChecksTheCurrentAndTheNewPassword) {
  CreateUser("auth-passwd", R"(["signatory"])");
  const std::string token = limsd().Login("auth-passwd", kPassword);
  const std::string next = "a brand new pass phrase 8812";
  auto change = [&](const std::string& current, const std::string& replacement) {
    return limsd().CallAs(token, "POST", "/api/v1/auth/password",
                          R"({"current_password":")" + current + R"(","new_password":")" + replacement + R"("})");
  };

  const HttpReply wrong_current = change("not my pass phrase at all", next);
  EXPECT_EQ(wrong_current.status, 422) << wrong_current.body;
  EXPECT_EQ(ProblemFields(ParseJsonObject(wrong_current.body)), (std::vector<std::string>{"current_password"}));

  const HttpReply common = change(kPassword, "password1234");
  EXPECT_EQ(common.status, 422) << common.body;
  EXPECT_EQ(ProblemFields(ParseJsonObject(common.body)), (std::vector<std::string>{"password"}));

  const HttpReply changed = change(kPassword, next);
  ASSERT_EQ(changed.status, 204) << changed.body;
  EXPECT_EQ(LoginReply("auth-passwd", kPassword).status, 401);
  EXPECT_EQ(LoginReply("auth-passwd", next).status, 200);
}

TEST_F(AuthTest, PasswordChangeEndsTheUsersOtherSessions) {
  CreateUser("auth-passwd2", R"(["signatory"])");
  const std::string changer = limsd().Login("auth-passwd2", kPassword);
  const std::string other = limsd().Login("auth-passwd2", kPassword);
  const HttpReply changed = limsd().CallAs(
      changer, "POST", "/api/v1/auth/password",
      R"({"current_password":")" + std::string(kPassword) + R"(","new_password":"another fresh pass phrase 3390"})");
  ASSERT_EQ(changed.status, 204) << changed.body;
  EXPECT_EQ(Me(other), 401) << "a session opened with the old password ends with it";
  EXPECT_EQ(Me(changer), 200) << "the session that changed the password goes on";
}

TEST_F(AuthTest, NewUsersFollowTheRoleAndPasswordRules) {
  const HttpReply no_org = CreateUserReply("auth-exp-noorg", R"(["exporter"])");
  EXPECT_EQ(no_org.status, 422) << no_org.body;
  EXPECT_EQ(ProblemFields(ParseJsonObject(no_org.body)), (std::vector<std::string>{"organization"}));

  const HttpReply mixed = CreateUserReply("auth-exp-mixed", R"(["exporter","technician"])", org_a_);
  EXPECT_EQ(mixed.status, 422) << mixed.body;
  EXPECT_EQ(ProblemFields(ParseJsonObject(mixed.body)), (std::vector<std::string>{"roles"}));

  const HttpReply first = CreateUserReply("auth-dup", R"(["technician"])");
  EXPECT_EQ(first.status, 201) << first.body;
  const HttpReply duplicate = CreateUserReply("auth-dup", R"(["reviewer"])");
  EXPECT_EQ(duplicate.status, 409) << duplicate.body;
  EXPECT_EQ(duplicate.content_type, kProblemJson);

  const HttpReply short_password = CreateUserReply("auth-short", R"(["technician"])", "", "short pw 1");
  EXPECT_EQ(short_password.status, 422) << short_password.body;
  EXPECT_EQ(ProblemFields(ParseJsonObject(short_password.body)), (std::vector<std::string>{"password"}));

  const HttpReply list = AsAdmin("GET", "/api/v1/users");
  EXPECT_EQ(list.status, 200) << list.body;
  EXPECT_NE(list.body.find("auth-dup"), std::string::npos);
  for (const HttpReply* reply : {&no_org, &mixed, &first, &duplicate, &short_password, &list}) {
    std::string lower = reply->body;
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    EXPECT_EQ(lower.find("argon2"), std::string::npos) << reply->body;
    EXPECT_EQ(lower.find(kPassword), std::string::npos) << reply->body;
  }
}

TEST_F(AuthTest, ApiTokenActsOnlyWithinItsScope) {
  const HttpReply created = AsAdmin(
      "POST", "/api/v1/api-tokens",
      std::string(R"({"user":")") + LimsdProcess::kStaffUser + R"(","name":"UV-Vis 2 import","scope":["technician"]})");
  ASSERT_EQ(created.status, 201) << created.body;
  Poco::JSON::Object::Ptr body = ParseJsonObject(created.body);
  const std::string token = JsonString(body, "token");
  const std::string id = JsonString(body, "id");
  ASSERT_EQ(token.size(), 43u) << created.body;
  EXPECT_EQ(JsonStrings(body, "scope"), (std::vector<std::string>{"technician"}));

  EXPECT_EQ(limsd().CallAs(token, "GET", "/api/v1/samples", "").status, 200);
  const HttpReply intake = limsd().CallAs(token, "POST", "/api/v1/samples", IntakeJson(org_a_));
  EXPECT_EQ(intake.status, 201) << intake.body;
  const HttpReply users = limsd().CallAs(token, "GET", "/api/v1/users", "");
  EXPECT_EQ(users.status, 403) << "the staff user is an admin, but the token's scope is not: " << users.body;

  const HttpReply listed = AsAdmin("GET", "/api/v1/api-tokens");
  ASSERT_EQ(listed.status, 200) << listed.body;
  EXPECT_EQ(listed.body.find(token), std::string::npos) << "the token value is shown once only";
  Poco::JSON::Array::Ptr items = ParseJsonObject(listed.body)->getArray("items");
  ASSERT_FALSE(items.isNull()) << listed.body;
  bool found = false;
  for (unsigned i = 0; i < items->size(); ++i) {
    Poco::JSON::Object::Ptr item = items->getObject(i);
    EXPECT_FALSE(item->has("token")) << listed.body;
    EXPECT_FALSE(item->has("token_hash")) << listed.body;
    if (JsonString(item, "id") == id) {
      found = true;
      EXPECT_EQ(JsonString(item, "name"), "UV-Vis 2 import");
      EXPECT_TRUE(item->isNull("revoked_at")) << listed.body;
    }
  }
  EXPECT_TRUE(found) << "token " << id << " missing from " << listed.body;

  const HttpReply revoked = AsAdmin("POST", "/api/v1/api-tokens/" + id + "/revoke");
  EXPECT_EQ(revoked.status, 204) << revoked.body;
  EXPECT_EQ(limsd().CallAs(token, "GET", "/api/v1/samples", "").status, 401);
}

TEST_F(AuthTest, ApiTokenNeedsAScope) {
  const HttpReply created =
      AsAdmin("POST", "/api/v1/api-tokens", R"({"user":"e2e-staff","name":"no scope","scope":[]})");
  EXPECT_EQ(created.status, 400) << created.body;
  EXPECT_NE(created.body.find("\"scope\""), std::string::npos) << created.body;
}

TEST_F(AuthTest, TokenRevocationDoesNotEndLoginSessions) {
  // The caller's own login session is a session row too, but not an API token: 404, and it lives on.
  const HttpReply me = AsAdmin("GET", "/api/v1/auth/me");
  ASSERT_EQ(me.status, 200);
  for (int id = 1; id <= 3; ++id) {
    const HttpReply r = AsAdmin("POST", "/api/v1/api-tokens/" + std::to_string(id) + "/revoke");
    EXPECT_EQ(r.status, 404) << r.body;
  }
  EXPECT_EQ(Me(limsd().admin_token()), 200);
}

TEST_F(AuthTest, ExporterSeesOnlyItsOwnOrganisationsSamples) {
  CreateUser("auth-exporter-a", R"(["exporter"])", org_a_);
  CreateUser("auth-exporter-b", R"(["exporter"])", org_b_);
  const HttpReply sample_a = limsd().Post("/api/v1/samples", IntakeJson(org_a_));
  const HttpReply sample_b = limsd().Post("/api/v1/samples", IntakeJson(org_b_));
  ASSERT_EQ(sample_a.status, 201) << sample_a.body;
  ASSERT_EQ(sample_b.status, 201) << sample_b.body;
  const std::string number_a = JsonString(ParseJsonObject(sample_a.body), "number");
  const std::string number_b = JsonString(ParseJsonObject(sample_b.body), "number");
  const std::string exporter_a = limsd().Login("auth-exporter-a", kPassword);

  for (const std::string& query : {std::string("?limit=500"), "?limit=500&exporter=" + org_b_}) {
    SCOPED_TRACE("GET /api/v1/samples" + query);
    const HttpReply list = limsd().CallAs(exporter_a, "GET", "/api/v1/samples" + query, "");
    ASSERT_EQ(list.status, 200) << list.body;
    Poco::JSON::Array::Ptr items = ParseJsonObject(list.body)->getArray("items");
    ASSERT_FALSE(items.isNull()) << list.body;
    std::vector<std::string> numbers;
    for (unsigned i = 0; i < items->size(); ++i) {
      Poco::JSON::Object::Ptr item = items->getObject(i);
      numbers.push_back(JsonString(item, "number"));
      EXPECT_EQ(JsonString(item->getObject("exporter"), "id"), org_a_) << list.body;
    }
    EXPECT_NE(std::find(numbers.begin(), numbers.end(), number_a), numbers.end()) << list.body;
    EXPECT_EQ(std::find(numbers.begin(), numbers.end(), number_b), numbers.end()) << list.body;
  }

  EXPECT_EQ(limsd().CallAs(exporter_a, "GET", "/api/v1/samples/" + number_a, "").status, 200);
  const HttpReply other = limsd().CallAs(exporter_a, "GET", "/api/v1/samples/" + number_b, "");
  EXPECT_EQ(other.status, 404) << "another organisation's sample must look absent, not forbidden: " << other.body;
  EXPECT_EQ(other.body.find("Kanpur"), std::string::npos) << other.body;
  for (const std::string& number : {number_a, number_b}) {
    const HttpReply report = limsd().CallAs(exporter_a, "GET", "/api/v1/samples/" + number + "/report.pdf", "");
    EXPECT_EQ(report.status, 403) << number << ": " << report.body;
  }
  // Staff still see both.
  EXPECT_EQ(limsd().Get("/api/v1/samples/" + number_b).status, 200);
}

}  // namespace
}  // namespace lims::testing
