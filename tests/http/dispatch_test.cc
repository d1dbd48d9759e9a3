#include <gtest/gtest.h>

#include <stdexcept>

#include "lims/http/dispatcher.h"

namespace lims::http {
namespace {

class DispatchTest : public ::testing::Test {
 protected:
  log::Log log_{log::Options{"off", log::Format::kText}};
  Router router_;
};

TEST_F(DispatchTest, RoutesWithParameters) {
  router_.Add("GET", "/things/{id}", [](const Request& r) {
    return Response{200, "text/plain", r.params.at("id"), {}};
  });
  Request req;
  req.method = "GET";
  req.path = "/things/42";
  EXPECT_EQ(Dispatch(router_, log_, req).body, "42");
}

TEST_F(DispatchTest, UnknownRouteIs404Problem) {
  Request req{"GET", "/nowhere", {}, {}, {}, "", "id"};
  Response r = Dispatch(router_, log_, req);
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.content_type, "application/problem+json");
}

TEST_F(DispatchTest, WrongMethodIs405WithAllow) {
  router_.Add("GET", "/x", [](const Request&) { return Response{}; });
  Request req{"PUT", "/x", {}, {}, {}, "", "id"};
  Response r = Dispatch(router_, log_, req);
  EXPECT_EQ(r.status, 405);
  ASSERT_FALSE(r.headers.empty());
  EXPECT_EQ(r.headers.back().first, "Allow");
  EXPECT_EQ(r.headers.back().second, "GET");
}

TEST_F(DispatchTest, StdExceptionBecomes500WithoutDetail) {
  router_.Add("GET", "/boom", [](const Request&) -> Response { throw std::runtime_error("secret detail"); });
  Request req{"GET", "/boom", {}, {}, {}, "", "id"};
  Response r = Dispatch(router_, log_, req);
  EXPECT_EQ(r.status, 500);
  EXPECT_EQ(r.body.find("secret detail"), std::string::npos);
}

}  // namespace
}  // namespace lims::http
