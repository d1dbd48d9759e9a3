// The authorisation policy of the real route table. The table is built exactly as limsd's Serve()
// builds it (the five Add*Routes functions on an AppContext), and compared with the policy written
// out below, route by route. A route added without a line here fails the build's tests, so that
// every new route gets a deliberate access decision. No database: the pool never connects, and only
// requests that the dispatcher refuses before any handler runs are dispatched.
#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "lims/auth/password.h"
#include "lims/core/catalog.h"
#include "lims/core/clock.h"
#include "lims/core/user.h"
#include "lims/http/app_context.h"
#include "lims/http/dispatcher.h"
#include "lims/http/router.h"
#include "lims/http/routes.h"
#include "lims/http/session_authenticator.h"
#include "lims/log/log.h"
#include "lims/store/connection_pool.h"
#include "lims/store/db_config.h"

namespace lims::http {
namespace {

using RoleSet = std::set<Role>;

// Who the policy admits to one route: everybody (no sign-in) or holders of any of `roles`.
struct Rule {
  bool is_public = false;
  RoleSet roles;
};

Rule PublicRule() {
  return Rule{true, {}};
}
Rule RolesRule(RoleSet roles) {
  return Rule{false, std::move(roles)};
}

const RoleSet& EveryRole() {
  static const auto* roles =
      new RoleSet{Role::kAdmin, Role::kTechnician, Role::kReviewer, Role::kSignatory, Role::kExporter, Role::kAuditor};
  return *roles;
}

// Every staff role: the lab's people, not exporters.
const RoleSet& StaffRoles() {
  static const auto* roles =
      new RoleSet{Role::kAdmin, Role::kTechnician, Role::kReviewer, Role::kSignatory, Role::kAuditor};
  return *roles;
}

// The authorisation policy: "METHOD /pattern" → who may call it. Keep in step with the route
// functions; tests/e2e/authorization_matrix_test.cc mirrors it over HTTP.
const std::map<std::string, Rule>& ExpectedTable() {
  static const auto* table = new std::map<std::string, Rule>{
      // System: probes and the API description are public.
      {"GET /health", PublicRule()},
      {"GET /api/v1/version", PublicRule()},
      {"GET /api/openapi.json", PublicRule()},
      // The browser UI's static files.
      {"GET /", PublicRule()},
      {"GET /static/{file}", PublicRule()},
      // Identity: signing in is public; the caller's own session and password, any signed-in user.
      {"POST /api/v1/auth/login", PublicRule()},
      {"POST /api/v1/auth/logout", RolesRule(EveryRole())},
      {"GET /api/v1/auth/me", RolesRule(EveryRole())},
      {"POST /api/v1/auth/password", RolesRule(EveryRole())},
      // Users and API tokens: administrators only.
      {"GET /api/v1/users", RolesRule({Role::kAdmin})},
      {"POST /api/v1/users", RolesRule({Role::kAdmin})},
      {"POST /api/v1/users/{id}/disable", RolesRule({Role::kAdmin})},
      {"POST /api/v1/users/{id}/enable", RolesRule({Role::kAdmin})},
      {"GET /api/v1/api-tokens", RolesRule({Role::kAdmin})},
      {"POST /api/v1/api-tokens", RolesRule({Role::kAdmin})},
      {"POST /api/v1/api-tokens/{id}/revoke", RolesRule({Role::kAdmin})},
      // Samples: technicians write; every signed-in user reads (exporters their own only, which the
      // handlers enforce); the preliminary report is lab-internal.
      {"POST /api/v1/samples", RolesRule({Role::kTechnician})},
      {"GET /api/v1/samples", RolesRule(EveryRole())},
      {"GET /api/v1/samples/{number}", RolesRule(EveryRole())},
      {"GET /api/v1/samples/{number}/report.pdf", RolesRule(StaffRoles())},
      {"GET /api/v1/samples/{number}/label.pdf", RolesRule({Role::kTechnician})},
      {"GET /api/v1/samples/{number}/label.zpl", RolesRule({Role::kTechnician})},
      {"POST /api/v1/samples/{number}/custody", RolesRule({Role::kTechnician})},
      // Testing work: technicians enter and take work; reviewers (never the enterer, which the
      // handler enforces) review and order retests; any staff member reads a test.
      {"GET /api/v1/tests/{id}", RolesRule(StaffRoles())},
      {"POST /api/v1/tests/{id}/results", RolesRule({Role::kTechnician})},
      {"POST /api/v1/tests/{id}/review", RolesRule({Role::kReviewer})},
      {"POST /api/v1/tests/{id}/retest", RolesRule({Role::kReviewer})},
      {"POST /api/v1/tests/{id}/assign", RolesRule({Role::kTechnician})},
      {"POST /api/v1/tests/{id}/claim", RolesRule({Role::kTechnician})},
      {"GET /api/v1/worklist", RolesRule({Role::kTechnician})},
      // Organisations: administrators register them; an exporter reads only its own (handler).
      {"GET /api/v1/organizations", RolesRule({Role::kAdmin, Role::kTechnician})},
      {"POST /api/v1/organizations", RolesRule({Role::kAdmin})},
      {"GET /api/v1/organizations/{id}", RolesRule(EveryRole())},
      {"GET /api/v1/districts", RolesRule(EveryRole())},
      // Certificates: signatories issue, revoke and amend (re-authenticated in the handler); every
      // signed-in user reads (exporters their own, which the handlers enforce); anyone verifies.
      {"POST /api/v1/samples/{number}/certificate", RolesRule({Role::kSignatory})},
      {"POST /api/v1/certificates/batch", RolesRule({Role::kSignatory})},
      {"GET /api/v1/certificates", RolesRule(EveryRole())},
      {"GET /api/v1/certificates/{number}", RolesRule(EveryRole())},
      {"GET /api/v1/certificates/{number}/pdf", RolesRule(EveryRole())},
      {"GET /api/v1/certificates/{number}/credential", RolesRule(EveryRole())},
      {"POST /api/v1/certificates/{number}/revoke", RolesRule({Role::kSignatory})},
      {"POST /api/v1/certificates/{number}/amend", RolesRule({Role::kSignatory})},
      {"GET /verify/{number}", PublicRule()},
      {"GET /api/v1/verify/{number}", PublicRule()},
      {"POST /api/v1/verify", PublicRule()},
      {"GET /.well-known/jwks.json", PublicRule()},
      // The audit trail: auditors and administrators.
      {"GET /api/v1/audit", RolesRule({Role::kAuditor, Role::kAdmin})},
      {"GET /api/v1/audit/verify", RolesRule({Role::kAuditor, Role::kAdmin})},
      // The rejection history: auditors and administrators; exporters their own (docs/rejections.md).
      {"GET /api/v1/rejections", RolesRule({Role::kAuditor, Role::kAdmin, Role::kExporter})},
      {"GET /api/v1/rejections/summary", RolesRule({Role::kAuditor, Role::kAdmin, Role::kExporter})},
      {"GET /api/v1/rejections/report", RolesRule({Role::kAuditor, Role::kAdmin})},
      // The catalog: readable by every signed-in user; test-plan previews belong to intake.
      {"GET /api/v1/standards", RolesRule(EveryRole())},
      {"GET /api/v1/standards/{id}/requirements", RolesRule(EveryRole())},
      {"POST /api/v1/test-plans", RolesRule({Role::kTechnician})},
      // Instruments: lab staff who use or audit them read; administrators register them, change
      // their status and record calibrations; technicians (and administrators) record intermediate
      // checks. Signatories and exporters have no business here.
      {"GET /api/v1/instruments", RolesRule({Role::kTechnician, Role::kReviewer, Role::kAdmin, Role::kAuditor})},
      {"POST /api/v1/instruments", RolesRule({Role::kAdmin})},
      {"GET /api/v1/instruments/{id}", RolesRule({Role::kTechnician, Role::kReviewer, Role::kAdmin, Role::kAuditor})},
      {"POST /api/v1/instruments/{id}/status", RolesRule({Role::kAdmin})},
      {"POST /api/v1/instruments/{id}/calibrations", RolesRule({Role::kAdmin})},
      {"POST /api/v1/instruments/{id}/checks", RolesRule({Role::kTechnician, Role::kAdmin})},
      {"POST /api/v1/instruments/{id}/imports", RolesRule({Role::kTechnician})},
      {"GET /api/v1/instruments/{id}/imports",
       RolesRule({Role::kTechnician, Role::kReviewer, Role::kAdmin, Role::kAuditor})},
      {"GET /api/v1/instruments/{id}/imports/{import}",
       RolesRule({Role::kTechnician, Role::kReviewer, Role::kAdmin, Role::kAuditor})},
      {"GET /api/v1/instruments/{id}/imports/{import}/raw",
       RolesRule({Role::kTechnician, Role::kReviewer, Role::kAdmin, Role::kAuditor})},
  };
  return *table;
}

// Writes every signed-in user may make on their own account, whatever their roles.
bool IsSelfServiceWrite(const std::string& route) {
  return route == "POST /api/v1/auth/logout" || route == "POST /api/v1/auth/password";
}

bool IsRead(const std::string& method) {
  return method == "GET" || method == "HEAD";
}

std::string Key(const Router::Entry& e) {
  return e.method + " " + e.pattern;
}

std::string Describe(const Rule& rule) {
  if (rule.is_public) return "public";
  std::string out;
  for (Role r : rule.roles) out += (out.empty() ? "" : ", ") + std::string(RoleName(r));
  return "roles {" + out + "}";
}

std::string Describe(const Access& access) {
  if (access.anyone) return "public";
  std::string out;
  for (Role r : access.roles) out += (out.empty() ? "" : ", ") + std::string(RoleName(r));
  return "roles {" + out + "}";
}

Principal Holding(Role role) {
  Principal p;
  p.user_id = 7;
  p.username = "only-" + std::string(RoleName(role));
  p.roles = {role};
  p.csrf_token = "csrf-of-the-session";
  return p;
}

// A concrete path for a pattern: every {name} segment becomes "1".
std::string PathFor(const std::string& pattern) {
  std::string path;
  for (const std::string& segment : SplitPath(pattern)) {
    path += "/";
    path += segment.size() > 2 && segment.front() == '{' && segment.back() == '}' ? "1" : segment;
  }
  return path.empty() ? "/" : path;
}

// Bearer "role-<name>" signs in as a user holding only that role; anything else is unknown.
class OneRoleAuthenticator final : public Authenticator {
 public:
  Result<Principal> Authenticate(const std::string& token, bool via_cookie) override {
    for (Role r : AllRoles()) {
      if (token == "role-" + std::string(RoleName(r))) {
        Principal p = Holding(r);
        p.via_cookie = via_cookie;
        return p;
      }
    }
    return Status::NotFound("unknown token");
  }
};

store::DbConfig UnusedDatabase() {
  store::DbConfig db;
  db.host = "127.0.0.1";
  db.port = 1;  // never contacted: no handler that touches the database runs in this test
  db.user = "nobody";
  db.database = "none";
  db.connect_timeout_s = 1;
  return db;
}

Catalog EmptyCatalog() {
  Result<Catalog> catalog = Catalog::Build({}, {});
  EXPECT_TRUE(catalog.ok()) << catalog.status().ToString();
  return std::move(catalog).value();
}

class RouteTableTest : public ::testing::Test {
 protected:
  RouteTableTest() {
    // The same calls, in the same order, as limsd's Serve().
    AddAuthRoutes(router_, context_);
    AddSystemRoutes(router_, context_);
    AddSampleRoutes(router_, context_);
    AddWorkflowRoutes(router_, context_);
    AddOrganizationRoutes(router_, context_);
    AddAuditRoutes(router_, context_);
    AddRejectionRoutes(router_, context_);
    AddCertificateRoutes(router_, context_);
    AddCatalogRoutes(router_, context_);
    AddInstrumentRoutes(router_, context_);
    AddInstrumentImportRoutes(router_, context_);
    AddWebRoutes(router_, context_);
  }

  Response Dispatch(const std::string& method, const std::string& path, const std::string& token,
                    bool via_cookie = false) {
    Request request;
    request.method = method;
    request.path = path;
    request.request_id = "route-table-test";
    request.client_address = "127.0.0.1";
    request.body = "{}";
    if (!token.empty() && via_cookie) {
      request.headers["cookie"] = std::string(kSessionCookie) + "=" + token;
    } else if (!token.empty()) {
      request.headers["authorization"] = "Bearer " + token;
    }
    return http::Dispatch(router_, log_, fake_auth_, request);
  }

  store::ConnectionPool pool_{UnusedDatabase()};
  FakeClock clock_{Timestamp(std::chrono::seconds(1'800'000'000))};
  Catalog catalog_ = EmptyCatalog();
  SessionAuthenticator authenticator_{pool_, clock_};
  auth::CommonPasswords common_passwords_;
  AppContext context_{.pool = pool_,
                      .clock = clock_,
                      .catalog = catalog_,
                      .authenticator = authenticator_,
                      .common_passwords = common_passwords_,
                      .lab = Lab{"TST", "Route Table Test Lab", "Nowhere", "none"},
                      .fonts = {},
                      .version = "0.0.0-test",
                      .git_revision = "test",
                      .web_dir = "/nonexistent",
                      .argon2 = auth::Argon2Params::ForTests(),
                      .dummy_password_hash = "",
                      .session_ttl = std::chrono::seconds(3600),
                      .tls = false,
                      .districts = {},
                      .public_base_url = "http://localhost:8080"};
  Router router_;
  log::Log log_{log::Options{"off", log::Format::kText}};
  OneRoleAuthenticator fake_auth_;
};

TEST_F(RouteTableTest, EveryRouteHasAnEntryInTheAuthorisationTable) {
  const std::vector<Router::Entry> entries = router_.Entries();
  ASSERT_FALSE(entries.empty());
  for (const Router::Entry& e : entries) {
    EXPECT_EQ(ExpectedTable().count(Key(e)), 1u)
        << "new route " << Key(e) << " (" << Describe(e.access) << ") has no entry in the authorisation table";
  }
}

TEST_F(RouteTableTest, EveryTableEntryIsARoute) {
  std::set<std::string> served;
  for (const Router::Entry& e : router_.Entries()) served.insert(Key(e));
  for (const auto& [route, rule] : ExpectedTable()) {
    EXPECT_EQ(served.count(route), 1u) << "the authorisation table lists " << route << " (" << Describe(rule)
                                       << ") but the router has no such route";
  }
}

TEST_F(RouteTableTest, NoRouteIsRegisteredTwice) {
  std::map<std::string, int> seen;
  for (const Router::Entry& e : router_.Entries()) ++seen[Key(e)];
  for (const auto& [route, count] : seen) EXPECT_EQ(count, 1) << route << " is registered " << count << " times";
}

TEST_F(RouteTableTest, AccessOfEveryRouteMatchesTheTable) {
  for (const Router::Entry& e : router_.Entries()) {
    auto it = ExpectedTable().find(Key(e));
    if (it == ExpectedTable().end()) continue;  // reported by EveryRouteHasAnEntryInTheAuthorisationTable
    const Rule& expected = it->second;
    const RoleSet actual_roles(e.access.roles.begin(), e.access.roles.end());
    EXPECT_EQ(e.access.anyone, expected.is_public)
        << Key(e) << ": expected " << Describe(expected) << ", router has " << Describe(e.access);
    EXPECT_EQ(actual_roles, expected.roles)
        << Key(e) << ": expected " << Describe(expected) << ", router has " << Describe(e.access);
    EXPECT_EQ(actual_roles.size(), e.access.roles.size()) << Key(e) << " lists a role twice";
  }
}

TEST_F(RouteTableTest, EachRoleAloneIsAdmittedExactlyWhereTheTableSays) {
  int checks = 0;
  for (const Router::Entry& e : router_.Entries()) {
    auto it = ExpectedTable().find(Key(e));
    if (it == ExpectedTable().end()) continue;
    const Rule& expected = it->second;
    // Anonymous: only a public route lets a caller through without credentials, and a signed-in
    // caller who holds no role at all is no better off.
    EXPECT_EQ(e.access.anyone, expected.is_public) << "anonymous on " << Key(e);
    EXPECT_EQ(e.access.Allows(Principal{}), expected.is_public) << "role-less principal on " << Key(e);
    ++checks;
    for (Role r : AllRoles()) {
      const bool admitted = expected.is_public || expected.roles.count(r) > 0;
      EXPECT_EQ(e.access.Allows(Holding(r)), admitted)
          << RoleName(r) << " alone on " << Key(e) << ": expected " << (admitted ? "admitted" : "refused");
      ++checks;
    }
  }
  EXPECT_EQ(checks, static_cast<int>(ExpectedTable().size() * (AllRoles().size() + 1)));
}

TEST_F(RouteTableTest, DispatcherRefusesAnonymousCallersAndUnlistedRolesOnEveryRoute) {
  for (const Router::Entry& e : router_.Entries()) {
    auto it = ExpectedTable().find(Key(e));
    if (it == ExpectedTable().end() || it->second.is_public) continue;  // public handlers would run
    const std::string path = PathFor(e.pattern);
    EXPECT_EQ(Dispatch(e.method, path, "").status, 401) << "anonymous " << e.method << " " << path;
    EXPECT_EQ(Dispatch(e.method, path, "not-a-known-token").status, 401) << "unknown token " << e.method << " " << path;
    for (Role r : AllRoles()) {
      const std::string token = "role-" + std::string(RoleName(r));
      if (it->second.roles.count(r) == 0) {
        EXPECT_EQ(Dispatch(e.method, path, token).status, 403) << RoleName(r) << " " << e.method << " " << path;
      } else if (!IsRead(e.method)) {
        // Admitted, but by a browser cookie without the CSRF header: refused before the handler.
        EXPECT_EQ(Dispatch(e.method, path, token, /*via_cookie=*/true).status, 403)
            << RoleName(r) << " cookie write without X-CSRF-Token " << e.method << " " << path;
      }
    }
  }
}

TEST_F(RouteTableTest, ExportersAreAdmittedToNoWriteRoute) {
  const Principal exporter = Holding(Role::kExporter);
  for (const Router::Entry& e : router_.Entries()) {
    if (e.access.anyone || IsRead(e.method) || IsSelfServiceWrite(Key(e))) continue;
    EXPECT_FALSE(e.access.Allows(exporter)) << "an exporter may call the write route " << Key(e);
  }
}

TEST_F(RouteTableTest, AuditorsAreAdmittedOnlyToReadsLogoutAndPasswordChange) {
  const Principal auditor = Holding(Role::kAuditor);
  for (const Router::Entry& e : router_.Entries()) {
    if (e.access.anyone || e.method == "GET" || IsSelfServiceWrite(Key(e))) continue;
    EXPECT_FALSE(e.access.Allows(auditor)) << "an auditor may call " << Key(e);
  }
}

TEST_F(RouteTableTest, ExporterCannotReachUsersTokensOrReports) {
  const Principal exporter = Holding(Role::kExporter);
  for (const Router::Entry& e : router_.Entries()) {
    const std::string key = Key(e);
    const bool sensitive = key.find("/users") != std::string::npos || key.find("/api-tokens") != std::string::npos ||
                           key.find("report.pdf") != std::string::npos ||
                           (key.find("/organizations") != std::string::npos &&
                            key != "GET /api/v1/organizations/{id}");  // its own only: the handler checks
    if (!sensitive) continue;
    EXPECT_FALSE(e.access.Allows(exporter)) << "an exporter may call " << key;
  }
}

}  // namespace
}  // namespace lims::http
