#include "lims/http/problem.h"

#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

namespace lims::http {
namespace {

Poco::JSON::Object::Ptr Parse(const std::string& body) {
  return Poco::JSON::Parser().parse(body).extract<Poco::JSON::Object::Ptr>();
}

TEST(Problem, MapsEveryStatusCode) {
  EXPECT_EQ(HttpStatusFor(Status::Code::kInvalidArgument), 400);
  EXPECT_EQ(HttpStatusFor(Status::Code::kNotFound), 404);
  EXPECT_EQ(HttpStatusFor(Status::Code::kConflict), 409);
  EXPECT_EQ(HttpStatusFor(Status::Code::kUnprocessable), 422);
  EXPECT_EQ(HttpStatusFor(Status::Code::kUnavailable), 503);
  EXPECT_EQ(HttpStatusFor(Status::Code::kInternal), 500);
}

TEST(Problem, CarriesFieldErrors) {
  Response r = ProblemFromStatus(Status::InvalidArgument("bad", {{"values[1]", "not a decimal number"}}));
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.content_type, "application/problem+json");
  auto body = Parse(r.body);
  EXPECT_EQ(body->getValue<int>("status"), 400);
  EXPECT_EQ(body->getValue<std::string>("detail"), "bad");
  auto errors = body->getArray("errors");
  ASSERT_EQ(errors->size(), 1u);
  EXPECT_EQ(errors->getObject(0)->getValue<std::string>("field"), "values[1]");
}

TEST(Problem, HidesInternalDetails) {
  Response r = ProblemFromStatus(Status::Internal("SELECT * FROM secrets failed at /etc/x"));
  EXPECT_EQ(r.status, 500);
  EXPECT_EQ(r.body.find("secrets"), std::string::npos);
}

TEST(Problem, UnavailableAsksToRetry) {
  Response r = ProblemFromStatus(Status::Unavailable("cannot connect to mysql://u@h:1/d: refused"));
  EXPECT_EQ(r.status, 503);
  EXPECT_EQ(r.body.find("mysql://"), std::string::npos);
  ASSERT_FALSE(r.headers.empty());
  EXPECT_EQ(r.headers[0].first, "Retry-After");
}

TEST(Problem, TypeNamesTheKindOfError) {
  EXPECT_NE(Problem(401, "t", "d").body.find("/problems/unauthenticated"), std::string::npos);
  EXPECT_NE(Problem(403, "t", "d").body.find("/problems/forbidden"), std::string::npos);
  EXPECT_NE(Problem(429, "t", "d").body.find("/problems/rate-limited"), std::string::npos);
  EXPECT_NE(Problem(500, "t", "d").body.find("/problems/internal-error"), std::string::npos);
}

TEST(Problem, BytesThatAreNotUtf8BecomeReplacementCharacters) {
  // A decoded URI can carry any byte; the problem body must stay valid JSON text.
  Response r = Problem(404, "Not found", std::string("no route for /a\xB8") + "b");
  EXPECT_EQ(r.body.find('\xB8'), std::string::npos);
  EXPECT_NE(r.body.find("/a\xEF\xBF\xBD"
                        "b"),
            std::string::npos)
      << r.body;
}

}  // namespace
}  // namespace lims::http
