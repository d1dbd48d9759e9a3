#include "lims/http/router.h"

#include <gtest/gtest.h>

namespace lims::http {
namespace {

Handler Named(const std::string& name) {
  return [name](const Request&) { return Response{200, "text/plain", name, {}}; };
}

Router MakeRouter() {
  Router r;
  r.Add("GET", "/health", Access::Public(), Named("health"));
  r.Add("GET", "/api/v1/samples/{number}", Access::Public(), Named("sample"));
  r.Add("GET", "/api/v1/samples/{number}/report.pdf", Access::Public(), Named("report"));
  r.Add("POST", "/api/v1/tests/{id}/results", Access::Public(), Named("results"));
  return r;
}

TEST(Router, MatchesLiteralPath) {
  Router r = MakeRouter();
  Router::Match m = r.Find("GET", "/health");
  ASSERT_NE(m.handler, nullptr);
  EXPECT_EQ((*m.handler)(Request{}).body, "health");
}

TEST(Router, ExtractsPathParameters) {
  Router r = MakeRouter();
  Router::Match m = r.Find("GET", "/api/v1/samples/AGR-2026-000001/report.pdf");
  ASSERT_NE(m.handler, nullptr);
  EXPECT_EQ((*m.handler)(Request{}).body, "report");
  EXPECT_EQ(m.params.at("number"), "AGR-2026-000001");
}

TEST(Router, UnknownPathHasNoAllowedMethods) {
  Router::Match m = MakeRouter().Find("GET", "/api/v1/nothing");
  EXPECT_EQ(m.handler, nullptr);
  EXPECT_TRUE(m.allowed.empty());
}

TEST(Router, WrongMethodListsAllowedOnes) {
  Router::Match m = MakeRouter().Find("DELETE", "/api/v1/tests/7/results");
  EXPECT_EQ(m.handler, nullptr);
  ASSERT_EQ(m.allowed.size(), 1u);
  EXPECT_EQ(m.allowed[0], "POST");
}

TEST(Router, ParameterDoesNotSpanSegments) {
  EXPECT_EQ(MakeRouter().Find("GET", "/api/v1/samples/a/b").handler, nullptr);
  EXPECT_EQ(MakeRouter().Find("GET", "/api/v1/samples/").handler, nullptr);
}

TEST(Router, DescribesEveryRoute) {
  std::vector<std::string> routes = MakeRouter().Describe();
  ASSERT_EQ(routes.size(), 4u);
  EXPECT_EQ(routes[0], "GET /health");
}

TEST(SplitPath, IgnoresEmptySegments) {
  EXPECT_EQ(SplitPath("//a///b/"), (std::vector<std::string>{"a", "b"}));
  EXPECT_TRUE(SplitPath("/").empty());
}

}  // namespace
}  // namespace lims::http
