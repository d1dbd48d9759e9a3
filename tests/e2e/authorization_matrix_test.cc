// The authorisation matrix over HTTP: every route of a real limsd, called anonymously and as a
// user of each role alone. Anonymous callers get 401 on every non-public route, a role the route
// does not admit gets 403, and an admitted role gets past the gate (any status but 401/403: empty
// "{}" bodies may well fail validation). The route list mirrors the policy table of
// tests/http/route_table_test.cc; RouteListMatchesTheServedApi fails when limsd serves a route
// that is not listed here.
#include <Poco/JSON/Parser.h>
#include <Poco/URI.h>
#include <gtest/gtest.h>

#include <exception>
#include <map>
#include <memory>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "tests/support/json_test_util.h"
#include "tests/support/limsd_process.h"
#include "tests/support/test_database.h"

namespace lims::testing {
namespace {

constexpr char kPassword[] = "matrix pass phrase 5521";

const std::vector<std::string>& RoleNames() {
  static const auto* roles =
      new std::vector<std::string>{"admin", "technician", "reviewer", "signatory", "exporter", "auditor"};
  return *roles;
}

struct RouteCase {
  std::string method;
  std::string pattern;
  bool is_public;
  std::set<std::string> roles;  // who is admitted (ignored when public)
  // Calling it ends the caller's session: each admitted role uses a fresh one.
  bool ends_session = false;
};

const std::vector<RouteCase>& Routes() {
  const std::set<std::string> every_role(RoleNames().begin(), RoleNames().end());
  const std::set<std::string> staff = {"admin", "technician", "reviewer", "signatory", "auditor"};
  static const auto* routes = new std::vector<RouteCase>{
      {"GET", "/health", true, {}},
      {"GET", "/api/v1/version", true, {}},
      {"GET", "/api/openapi.json", true, {}},
      {"GET", "/", true, {}},
      {"GET", "/static/{file}", true, {}},
      {"POST", "/api/v1/auth/login", true, {}},
      {"POST", "/api/v1/auth/logout", false, every_role, /*ends_session=*/true},
      {"GET", "/api/v1/auth/me", false, every_role},
      {"POST", "/api/v1/auth/password", false, every_role},
      {"GET", "/api/v1/users", false, {"admin"}},
      {"POST", "/api/v1/users", false, {"admin"}},
      {"POST", "/api/v1/users/{id}/disable", false, {"admin"}},
      {"POST", "/api/v1/users/{id}/enable", false, {"admin"}},
      {"GET", "/api/v1/api-tokens", false, {"admin"}},
      {"POST", "/api/v1/api-tokens", false, {"admin"}},
      {"POST", "/api/v1/api-tokens/{id}/revoke", false, {"admin"}},
      {"POST", "/api/v1/samples", false, {"technician"}},
      {"GET", "/api/v1/samples", false, every_role},
      {"GET", "/api/v1/samples/{number}", false, every_role},
      {"GET", "/api/v1/samples/{number}/report.pdf", false, staff},
      {"GET", "/api/v1/samples/{number}/label.pdf", false, {"technician"}},
      {"GET", "/api/v1/samples/{number}/label.zpl", false, {"technician"}},
      {"POST", "/api/v1/samples/{number}/custody", false, {"technician"}},
      {"GET", "/api/v1/tests/{id}", false, staff},
      {"POST", "/api/v1/tests/{id}/results", false, {"technician"}},
      {"POST", "/api/v1/tests/{id}/review", false, {"reviewer"}},
      {"POST", "/api/v1/tests/{id}/retest", false, {"reviewer"}},
      {"POST", "/api/v1/tests/{id}/assign", false, {"technician"}},
      {"POST", "/api/v1/tests/{id}/claim", false, {"technician"}},
      {"GET", "/api/v1/worklist", false, {"technician"}},
      {"GET", "/api/v1/organizations", false, {"admin", "technician"}},
      {"POST", "/api/v1/organizations", false, {"admin"}},
      {"GET", "/api/v1/organizations/{id}", false, every_role},
      {"GET", "/api/v1/districts", false, every_role},
      {"POST", "/api/v1/samples/{number}/certificate", false, {"signatory"}},
      {"POST", "/api/v1/certificates/batch", false, {"signatory"}},
      {"GET", "/api/v1/certificates", false, every_role},
      {"GET", "/api/v1/certificates/{number}", false, every_role},
      {"GET", "/api/v1/certificates/{number}/pdf", false, every_role},
      {"GET", "/api/v1/certificates/{number}/credential", false, every_role},
      {"POST", "/api/v1/certificates/{number}/revoke", false, {"signatory"}},
      {"POST", "/api/v1/certificates/{number}/amend", false, {"signatory"}},
      {"GET", "/verify/{number}", true, {}},
      {"GET", "/api/v1/verify/{number}", true, {}},
      {"POST", "/api/v1/verify", true, {}},
      {"GET", "/.well-known/jwks.json", true, {}},
      {"GET", "/api/v1/audit", false, {"auditor", "admin"}},
      {"GET", "/api/v1/audit/verify", false, {"auditor", "admin"}},
      {"GET", "/api/v1/rejections", false, {"auditor", "admin", "exporter"}},
      {"GET", "/api/v1/rejections/summary", false, {"auditor", "admin", "exporter"}},
      {"GET", "/api/v1/rejections/report", false, {"auditor", "admin"}},
      {"GET", "/api/v1/standards", false, every_role},
      {"GET", "/api/v1/standards/{id}/requirements", false, every_role},
      {"POST", "/api/v1/test-plans", false, {"technician"}},
      {"GET", "/api/v1/instruments", false, {"technician", "reviewer", "admin", "auditor"}},
      {"POST", "/api/v1/instruments", false, {"admin"}},
      {"GET", "/api/v1/instruments/{id}", false, {"technician", "reviewer", "admin", "auditor"}},
      {"POST", "/api/v1/instruments/{id}/status", false, {"admin"}},
      {"POST", "/api/v1/instruments/{id}/calibrations", false, {"admin"}},
      {"POST", "/api/v1/instruments/{id}/checks", false, {"technician", "admin"}},
      {"POST", "/api/v1/instruments/{id}/imports", false, {"technician"}},
      {"GET", "/api/v1/instruments/{id}/imports", false, {"technician", "reviewer", "admin", "auditor"}},
      {"GET", "/api/v1/instruments/{id}/imports/{import}", false, {"technician", "reviewer", "admin", "auditor"}},
      {"GET", "/api/v1/instruments/{id}/imports/{import}/raw", false, {"technician", "reviewer", "admin", "auditor"}},
  };
  return *routes;
}

std::string Header(const HttpReply& reply, const std::string& name) {
  auto it = reply.headers.find(name);
  return it == reply.headers.end() ? "" : it->second;
}

class AuthorizationMatrixTest : public ::testing::Test {
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

  static void TearDownTestSuite() {
    limsd_.reset();
    db_.reset();
  }

 protected:
  void SetUp() override { ASSERT_TRUE(setup_error_.empty()) << setup_error_; }

  static const LimsdProcess& limsd() { return *limsd_; }

  // A concrete path: every {param} filled with a real value of this database.
  static std::string PathFor(const std::string& pattern) {
    std::string path = pattern;
    auto fill = [&path](const std::string& prefix, const std::string& param, const std::string& value) {
      if (path.rfind(prefix, 0) != 0) return;
      const size_t at = path.find(param);
      if (at != std::string::npos) path.replace(at, param.size(), value);
    };
    fill("/api/v1/samples/", "{number}", sample_number_);
    fill("/api/v1/tests/", "{id}", test_id_);
    fill("/api/v1/users/", "{id}", victim_id_);
    fill("/api/v1/api-tokens/", "{id}", api_token_id_);
    fill("/api/v1/organizations/", "{id}", org_id_);
    fill("/api/v1/instruments/", "{id}", instrument_id_);
    fill("/api/v1/instruments/", "{import}", "1");                   // none imported: admitted calls get 404
    fill("/api/v1/certificates/", "{number}", "AGR-C-2026-000001");  // none issued: admitted calls get 404
    fill("/verify/", "{number}", "AGR-C-2026-000001");
    fill("/api/v1/verify/", "{number}", "AGR-C-2026-000001");
    std::string standard;
    Poco::URI::encode(standard_id_, "/?#%&+ ", standard);
    fill("/api/v1/standards/", "{id}", standard);
    fill("/static/", "{file}", "app.js");
    if (path.find('{') != std::string::npos) throw std::logic_error("no value for a parameter of " + pattern);
    return path;
  }

  static HttpReply Call(const std::string& token, const RouteCase& route) {
    const std::string body = route.method == "GET" ? "" : "{}";
    return limsd_->CallAs(token, route.method, PathFor(route.pattern), body);
  }

  static const std::string& TokenOf(const std::string& role) { return tokens_.at(role); }
  static std::string Username(const std::string& role) { return "matrix-" + role; }

 private:
  static std::string Created(const HttpReply& reply, const std::string& what) {
    if (reply.status != 201) {
      throw std::runtime_error(what + " failed: " + std::to_string(reply.status) + " " + reply.body);
    }
    const std::string id = JsonString(ParseJsonObject(reply.body), "id");
    if (id.empty()) throw std::runtime_error(what + ": no id in " + reply.body);
    return id;
  }

  static std::string CreateUser(const std::string& username, const std::string& role, const std::string& org) {
    std::string body = R"({"username":")" + username + R"(","password":")" + kPassword + R"(","name":"Matrix )" + role +
                       R"(","roles":[")" + role + R"("])";
    if (!org.empty()) body += R"(,"organization":")" + org + R"(")";
    body += "}";
    return Created(limsd_->CallAs(limsd_->admin_token(), "POST", "/api/v1/users", body), "creating " + username);
  }

  static void Populate() {
    db_->Execute(
        "INSERT INTO organizations (name, iec, address, district, odop_product) VALUES "
        "('Matrix Leather Exports', '0577000001', 'Agra', 'Agra', 'Leather footwear')");
    const std::string org = db_->QueryValue("SELECT id FROM organizations WHERE iec = '0577000001'");
    if (org.empty()) throw std::runtime_error("the organization was not inserted");
    org_id_ = org;
    for (const std::string& role : RoleNames()) {
      CreateUser(Username(role), role, role == "exporter" ? org : "");
      tokens_[role] = limsd_->Login(Username(role), kPassword);
    }
    // Targets of the admin-only writes, so that admitted calls harm none of the callers.
    victim_id_ = CreateUser("matrix-victim", "technician", "");
    const HttpReply token = limsd_->CallAs(limsd_->admin_token(), "POST", "/api/v1/api-tokens",
                                           std::string(R"({"user":")") + LimsdProcess::kStaffUser +
                                               R"(","name":"matrix throwaway","scope":["reviewer"]})");
    api_token_id_ = Created(token, "creating an API token");
    instrument_id_ = Created(limsd_->CallAs(limsd_->admin_token(), "POST", "/api/v1/instruments",
                                            R"({"name":"Matrix balance","type":"balance","serial":"MX-1"})"),
                             "registering an instrument");
    const HttpReply sample =
        limsd_->Post("/api/v1/samples", R"({"exporter":")" + org +
                                            R"(","product":"Matrix boot","quantity":6,"quantity_unit":"pairs",)"
                                            R"("destination":"DE","requirements":["REACH-XVII-47-CRVI-LEATHER"]})");
    if (sample.status != 201) throw std::runtime_error("intake failed: " + sample.body);
    Poco::JSON::Object::Ptr created = ParseJsonObject(sample.body);
    sample_number_ = JsonString(created, "number");
    test_id_ = JsonString(JsonArrayObject(created, "tests", 0), "id");
    const HttpReply standards = limsd_->Get("/api/v1/standards");
    Poco::JSON::Parser parser;
    Poco::JSON::Array::Ptr items = parser.parse(standards.body).extract<Poco::JSON::Array::Ptr>();
    if (items.isNull() || items->size() == 0) throw std::runtime_error("no standards: " + standards.body);
    standard_id_ = items->getObject(0)->getValue<std::string>("id");
    if (sample_number_.empty() || test_id_.empty() || standard_id_.empty()) {
      throw std::runtime_error("missing fixture values: " + sample.body);
    }
  }

  static inline std::unique_ptr<TestDatabase> db_;
  static inline std::unique_ptr<LimsdProcess> limsd_;
  static inline std::string setup_error_;
  static inline std::map<std::string, std::string> tokens_;
  static inline std::string sample_number_;
  static inline std::string test_id_;
  static inline std::string victim_id_;
  static inline std::string api_token_id_;
  static inline std::string org_id_;
  static inline std::string instrument_id_;
  static inline std::string standard_id_;
};

TEST_F(AuthorizationMatrixTest, RouteListMatchesTheServedApi) {
  const HttpReply reply = limsd().CallAs("", "GET", "/api/openapi.json", "");
  ASSERT_EQ(reply.status, 200) << reply.body;
  Poco::JSON::Object::Ptr paths = ParseJsonObject(reply.body)->getObject("paths");
  ASSERT_FALSE(paths.isNull()) << reply.body;
  std::set<std::string> served;
  for (const auto& [path, item] : *paths) {
    for (const auto& [method, operation] : *item.extract<Poco::JSON::Object::Ptr>()) {
      std::string upper = method;
      for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      served.insert(upper + " " + path);
    }
  }
  std::set<std::string> listed;
  for (const RouteCase& r : Routes()) listed.insert(r.method + " " + r.pattern);
  for (const std::string& route : served) {
    EXPECT_EQ(listed.count(route), 1u) << "new route " << route << " has no entry in the authorisation matrix";
  }
  for (const std::string& route : listed) {
    EXPECT_EQ(served.count(route), 1u) << "the matrix lists " << route << " but limsd does not serve it";
  }
}

TEST_F(AuthorizationMatrixTest, AnonymousCallersGet401OnEveryNonPublicRoute) {
  int refused = 0;
  for (const RouteCase& route : Routes()) {
    SCOPED_TRACE("anonymous " + route.method + " " + PathFor(route.pattern));
    const HttpReply reply = Call("", route);
    if (route.is_public) {
      EXPECT_NE(reply.status, 401) << reply.body;
      EXPECT_NE(reply.status, 403) << reply.body;
      continue;
    }
    EXPECT_EQ(reply.status, 401) << reply.body;
    EXPECT_EQ(reply.content_type, "application/problem+json");
    EXPECT_EQ(Header(reply, "WWW-Authenticate"), "Bearer");
    ++refused;
  }
  EXPECT_EQ(refused, 54);  // 64 routes, 10 of them public
}

TEST_F(AuthorizationMatrixTest, UnknownTokensGet401OnEveryNonPublicRoute) {
  const std::string forged(43, 'A');  // the shape of a token, but none was ever issued
  for (const RouteCase& route : Routes()) {
    if (route.is_public) continue;
    SCOPED_TRACE("forged token " + route.method + " " + route.pattern);
    EXPECT_EQ(Call(forged, route).status, 401);
    EXPECT_EQ(Call("garbage", route).status, 401);
  }
}

TEST_F(AuthorizationMatrixTest, RolesTheRouteDoesNotAdmitGet403) {
  int refused = 0;
  for (const RouteCase& route : Routes()) {
    if (route.is_public) continue;
    for (const std::string& role : RoleNames()) {
      if (route.roles.count(role) > 0) continue;
      SCOPED_TRACE(role + " " + route.method + " " + PathFor(route.pattern));
      const HttpReply reply = Call(TokenOf(role), route);
      EXPECT_EQ(reply.status, 403) << reply.body;
      EXPECT_EQ(reply.content_type, "application/problem+json");
      ++refused;
    }
  }
  // 8 admin-only routes × 5 roles, 9 technician-only × 5, 2 reviewer-only × 5, 4 signatory-only
  // × 5, organizations list × 4, 2 audit routes × 4, and the 2 staff-only reads (report.pdf, a
  // test) × 1 (exporter); instruments: 3 admin-only writes × 5, the 2 reads × 2 (signatory,
  // exporter), checks × 4; imports: the upload (technician-only) × 5, its 3 reads × 2; the 2
  // rejection-history reads (auditor, admin, exporter) × 3 and the signed report (auditor, admin) × 4.
  EXPECT_EQ(refused, 8 * 5 + 9 * 5 + 2 * 5 + 4 * 5 + 4 + 2 * 4 + 2 * 1 + 3 * 5 + 2 * 2 + 4 + 5 + 3 * 2 + 2 * 3 + 4);
}

TEST_F(AuthorizationMatrixTest, AdmittedRolesGetPastTheGate) {
  int admitted = 0;
  for (const RouteCase& route : Routes()) {
    for (const std::string& role : RoleNames()) {
      if (!route.is_public && route.roles.count(role) == 0) continue;
      SCOPED_TRACE(role + " " + route.method + " " + PathFor(route.pattern));
      const std::string token = route.ends_session ? limsd().Login(Username(role), kPassword) : TokenOf(role);
      const HttpReply reply = Call(token, route);
      EXPECT_NE(reply.status, 401) << reply.body;
      EXPECT_NE(reply.status, 403) << reply.body;
      EXPECT_LT(reply.status, 500) << reply.body;
      ++admitted;
    }
  }
  EXPECT_EQ(admitted,
            64 * 6 - (8 * 5 + 9 * 5 + 2 * 5 + 4 * 5 + 4 + 2 * 4 + 2 * 1 + 3 * 5 + 2 * 2 + 4 + 5 + 3 * 2 + 2 * 3 + 4));
  // The role users' own sessions survived the calls (none was used for a logout).
  for (const std::string& role : RoleNames()) {
    EXPECT_EQ(limsd().CallAs(TokenOf(role), "GET", "/api/v1/auth/me", "").status, 200) << role;
  }
}

}  // namespace
}  // namespace lims::testing
