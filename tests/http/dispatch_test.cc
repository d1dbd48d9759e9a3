#include <gtest/gtest.h>

#include <stdexcept>

#include "lims/http/dispatcher.h"

namespace lims::http {
namespace {

// Hand-written fake: "tech" is a technician, "auditor" an auditor; anything else is unknown.
class FakeAuthenticator final : public Authenticator {
 public:
  Result<Principal> Authenticate(const std::string& token, bool via_cookie) override {
    Principal p;
    p.via_cookie = via_cookie;
    p.csrf_token = "csrf-123";
    if (token == "tech")
      p.roles = {Role::kTechnician};
    else if (token == "auditor")
      p.roles = {Role::kAuditor};
    else if (token == "down")
      return Status::Unavailable("db down");
    else
      return Status::NotFound("unknown token");
    return p;
  }
};

class DispatchTest : public ::testing::Test {
 protected:
  Request Make(const std::string& method, const std::string& path, const std::string& bearer = "") {
    Request req{method, path, {}, {}, {}, "", "id", "127.0.0.1", std::nullopt, ""};
    if (!bearer.empty()) req.headers["authorization"] = "Bearer " + bearer;
    return req;
  }
  Response Run(Request req) { return Dispatch(router_, log_, auth_, req); }

  log::Log log_{log::Options{"off", log::Format::kText}};
  FakeAuthenticator auth_;
  Router router_;
};

TEST_F(DispatchTest, RoutesWithParameters) {
  router_.Add("GET", "/things/{id}", Access::Public(), [](const Request& r) {
    return Response{200, "text/plain", r.params.at("id"), {}};
  });
  EXPECT_EQ(Run(Make("GET", "/things/42")).body, "42");
}

TEST_F(DispatchTest, UnknownRouteIs404Problem) {
  Response r = Run(Make("GET", "/nowhere"));
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.content_type, "application/problem+json");
}

TEST_F(DispatchTest, WrongMethodIs405WithAllow) {
  router_.Add("GET", "/x", Access::Public(), [](const Request&) { return Response{}; });
  Response r = Run(Make("PUT", "/x"));
  EXPECT_EQ(r.status, 405);
  ASSERT_FALSE(r.headers.empty());
  EXPECT_EQ(r.headers.back().first, "Allow");
  EXPECT_EQ(r.headers.back().second, "GET");
}

TEST_F(DispatchTest, StdExceptionBecomes500WithoutDetail) {
  router_.Add("GET", "/boom", Access::Public(),
              [](const Request&) -> Response { throw std::runtime_error("secret detail"); });
  Response r = Run(Make("GET", "/boom"));
  EXPECT_EQ(r.status, 500);
  EXPECT_EQ(r.body.find("secret detail"), std::string::npos);
}

class AuthorizeTest : public DispatchTest {
 protected:
  void SetUp() override {
    router_.Add("POST", "/write", Access::Roles({Role::kTechnician}), [](const Request& r) {
      return Response{200, "text/plain", r.principal ? "ran" : "no principal", {}};
    });
  }
};

TEST_F(AuthorizeTest, NoCredentialsIs401BeforeTheHandler) {
  Response r = Run(Make("POST", "/write"));
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(r.body.find("ran"), std::string::npos);
}

TEST_F(AuthorizeTest, UnknownTokenIs401) {
  EXPECT_EQ(Run(Make("POST", "/write", "forged")).status, 401);
}

TEST_F(AuthorizeTest, WrongRoleIs403) {
  EXPECT_EQ(Run(Make("POST", "/write", "auditor")).status, 403);
}

TEST_F(AuthorizeTest, AllowedRoleRunsWithItsPrincipal) {
  Response r = Run(Make("POST", "/write", "tech"));
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "ran");
}

TEST_F(AuthorizeTest, DatabaseDownIs503NotA401) {
  EXPECT_EQ(Run(Make("POST", "/write", "down")).status, 503);
}

TEST_F(AuthorizeTest, CookieWriteNeedsTheCsrfHeader) {
  Request req = Make("POST", "/write");
  req.headers["cookie"] = "theme=dark; pramaan_session=tech";
  EXPECT_EQ(Run(req).status, 403);
  req.headers["x-csrf-token"] = "wrong-12";
  EXPECT_EQ(Run(req).status, 403);
  req.headers["x-csrf-token"] = "csrf-123";
  EXPECT_EQ(Run(req).status, 200);
}

TEST_F(AuthorizeTest, BearerWriteNeedsNoCsrf) {
  EXPECT_EQ(Run(Make("POST", "/write", "tech")).status, 200);
}

}  // namespace
}  // namespace lims::http
