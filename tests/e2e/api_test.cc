// The HTTP contract of limsd, exercised over a socket: system routes, intake, result entry and the
// error model (RFC 9457 problem documents).
#include <gtest/gtest.h>

#include <algorithm>
#include <regex>
#include <string>
#include <vector>

#include "tests/e2e/limsd_fixture.h"
#include "tests/support/json_test_util.h"
#include "tests/support/limsd_process.h"

namespace lims::testing {
namespace {

constexpr char kProblemJson[] = "application/problem+json";

bool Contains(const std::vector<std::string>& items, const std::string& item) {
  return std::find(items.begin(), items.end(), item) != items.end();
}

std::string Header(const HttpReply& reply, const std::string& name) {
  auto it = reply.headers.find(name);
  return it == reply.headers.end() ? "" : it->second;
}

class ApiTest : public LimsdSuite {};

TEST_F(ApiTest, HealthReportsDatabaseOk) {
  const HttpReply reply = limsd().Get("/health");
  EXPECT_EQ(reply.status, 200);
  EXPECT_EQ(reply.content_type, "application/json");
  Poco::JSON::Object::Ptr body = ParseJsonObject(reply.body);
  ASSERT_FALSE(body.isNull()) << reply.body;
  EXPECT_EQ(JsonString(body, "status"), "ok");
  EXPECT_EQ(JsonString(body, "db"), "ok");
}

TEST_F(ApiTest, VersionNamesTheVersion) {
  const HttpReply reply = limsd().Get("/api/v1/version");
  EXPECT_EQ(reply.status, 200);
  EXPECT_EQ(reply.content_type, "application/json");
  Poco::JSON::Object::Ptr body = ParseJsonObject(reply.body);
  ASSERT_FALSE(body.isNull()) << reply.body;
  EXPECT_FALSE(JsonString(body, "version").empty()) << reply.body;
}

TEST_F(ApiTest, OpenApiListsTheSampleRoutes) {
  const HttpReply reply = limsd().Get("/api/openapi.json");
  ASSERT_EQ(reply.status, 200);
  Poco::JSON::Object::Ptr doc = ParseJsonObject(reply.body);
  ASSERT_FALSE(doc.isNull()) << reply.body;
  Poco::JSON::Object::Ptr paths = doc->getObject("paths");
  ASSERT_FALSE(paths.isNull()) << reply.body;
  Poco::JSON::Object::Ptr samples = paths->getObject("/api/v1/samples");
  ASSERT_FALSE(samples.isNull()) << reply.body;
  EXPECT_TRUE(samples->has("post"));
  EXPECT_TRUE(samples->has("get"));
}

TEST_F(ApiTest, RegisterCreatesAReceivedSample) {
  const HttpReply reply = limsd().Post("/api/v1/samples", IntakeJson());
  ASSERT_EQ(reply.status, 201) << reply.body;
  EXPECT_EQ(reply.content_type, "application/json");
  Poco::JSON::Object::Ptr sample = ParseJsonObject(reply.body);
  ASSERT_FALSE(sample.isNull()) << reply.body;
  const std::string number = JsonString(sample, "number");
  EXPECT_TRUE(std::regex_match(number, std::regex(R"(^AGR-\d{4}-\d{6}$)"))) << number;
  EXPECT_EQ(Header(reply, "Location"), "/api/v1/samples/" + number);
  EXPECT_EQ(JsonString(sample, "status"), "received");
  Poco::JSON::Array::Ptr tests = sample->getArray("tests");
  ASSERT_FALSE(tests.isNull());
  ASSERT_EQ(tests->size(), 1u);
  Poco::JSON::Object::Ptr test = tests->getObject(0);
  EXPECT_EQ(JsonString(test, "requirement"), "REACH-XVII-47-CRVI-LEATHER");
  EXPECT_EQ(JsonString(test, "status"), "pending");
  Poco::JSON::Object::Ptr limit = test->getObject("limit");
  ASSERT_FALSE(limit.isNull()) << reply.body;
  EXPECT_EQ(JsonString(limit, "comparator"), "<");
  EXPECT_EQ(JsonString(limit, "value"), "3");
  EXPECT_EQ(JsonString(limit, "unit"), "mg/kg");
}

TEST_F(ApiTest, RegisteredSampleReadsBack) {
  Poco::JSON::Object::Ptr created = Register();
  ASSERT_FALSE(created.isNull());
  const std::string number = JsonString(created, "number");
  const HttpReply reply = limsd().Get("/api/v1/samples/" + number);
  ASSERT_EQ(reply.status, 200) << reply.body;
  Poco::JSON::Object::Ptr sample = ParseJsonObject(reply.body);
  ASSERT_FALSE(sample.isNull()) << reply.body;
  EXPECT_EQ(JsonString(sample, "number"), number);
  EXPECT_EQ(JsonString(sample->getObject("exporter"), "name"), "Sikandra Footwear Exports Pvt Ltd");
  Poco::JSON::Array::Ptr custody = sample->getArray("custody");
  ASSERT_FALSE(custody.isNull());
  ASSERT_GE(custody->size(), 1u);
  EXPECT_EQ(JsonString(custody->getObject(0), "event"), "received");
}

TEST_F(ApiTest, NumbersOfConsecutiveIntakesFollowEachOther) {
  Poco::JSON::Object::Ptr first = Register();
  Poco::JSON::Object::Ptr second = Register();
  ASSERT_FALSE(first.isNull());
  ASSERT_FALSE(second.isNull());
  const std::string a = JsonString(first, "number");
  const std::string b = JsonString(second, "number");
  ASSERT_EQ(a.size(), 15u);
  ASSERT_EQ(b.size(), 15u);
  EXPECT_EQ(a.substr(0, 9), b.substr(0, 9));
  EXPECT_EQ(std::stoi(b.substr(9)), std::stoi(a.substr(9)) + 1);
}

TEST_F(ApiTest, ListIncludesARegisteredSample) {
  Poco::JSON::Object::Ptr created = Register();
  ASSERT_FALSE(created.isNull());
  const HttpReply reply = limsd().Get("/api/v1/samples?limit=500");
  ASSERT_EQ(reply.status, 200) << reply.body;
  Poco::JSON::Object::Ptr list = ParseJsonObject(reply.body);
  ASSERT_FALSE(list.isNull()) << reply.body;
  Poco::JSON::Array::Ptr items = list->getArray("items");
  ASSERT_FALSE(items.isNull()) << reply.body;
  std::vector<std::string> numbers;
  for (unsigned i = 0; i < items->size(); ++i) numbers.push_back(JsonString(items->getObject(i), "number"));
  EXPECT_TRUE(Contains(numbers, JsonString(created, "number"))) << reply.body;
}

TEST_F(ApiTest, FailingResultKeepsValuesAsSent) {
  const std::string test_id = FirstTestId(Register());
  ASSERT_FALSE(test_id.empty());
  const HttpReply reply = PostResult(test_id, R"({"values": ["2.9", "3.20"], "unit": "mg/kg", "uncertainty": "0.5"})");
  ASSERT_EQ(reply.status, 201) << reply.body;
  Poco::JSON::Object::Ptr result = ParseJsonObject(reply.body);
  ASSERT_FALSE(result.isNull()) << reply.body;
  EXPECT_EQ(JsonString(result, "verdict"), "fail");
  EXPECT_EQ(JsonStrings(result, "values"), (std::vector<std::string>{"2.9", "3.20"}));
  EXPECT_EQ(JsonString(result, "uncertainty"), "0.5");
}

TEST_F(ApiTest, PassingResultOfTheOnlyTestPutsTheSampleUnderReview) {
  Poco::JSON::Object::Ptr sample = Register();
  const std::string test_id = FirstTestId(sample);
  ASSERT_FALSE(test_id.empty());
  const HttpReply reply = PostResult(test_id, R"({"values": ["1.10", "2.95"], "unit": "mg/kg"})");
  ASSERT_EQ(reply.status, 201) << reply.body;
  EXPECT_EQ(JsonString(ParseJsonObject(reply.body), "verdict"), "pass");

  const HttpReply read = limsd().Get("/api/v1/samples/" + JsonString(sample, "number"));
  ASSERT_EQ(read.status, 200);
  Poco::JSON::Object::Ptr after = ParseJsonObject(read.body);
  EXPECT_EQ(JsonString(after, "status"), "under_review");
  Poco::JSON::Object::Ptr test = JsonArrayObject(after, "tests", 0);
  ASSERT_FALSE(test.isNull()) << read.body;
  EXPECT_EQ(JsonString(test, "status"), "entered");
  EXPECT_EQ(JsonStrings(test->getObject("result"), "values"), (std::vector<std::string>{"1.10", "2.95"}));
}

TEST_F(ApiTest, SecondResultOnATestConflicts) {
  const std::string test_id = FirstTestId(Register());
  ASSERT_FALSE(test_id.empty());
  ASSERT_EQ(PostResult(test_id, R"({"values": ["1.0"], "unit": "mg/kg"})").status, 201);
  const HttpReply again = PostResult(test_id, R"({"values": ["1.5"], "unit": "mg/kg"})");
  EXPECT_EQ(again.status, 409) << again.body;
  EXPECT_EQ(again.content_type, kProblemJson);
  Poco::JSON::Object::Ptr problem = ParseJsonObject(again.body);
  ASSERT_FALSE(problem.isNull()) << again.body;
  EXPECT_EQ(problem->getValue<int>("status"), 409);
}

TEST_F(ApiTest, MalformedJsonIsABadRequest) {
  const HttpReply reply = limsd().Post("/api/v1/samples", R"({"exporter": "1", "product": )");
  EXPECT_EQ(reply.status, 400) << reply.body;
  EXPECT_EQ(reply.content_type, kProblemJson);
  Poco::JSON::Object::Ptr problem = ParseJsonObject(reply.body);
  ASSERT_FALSE(problem.isNull()) << reply.body;
  EXPECT_NE(JsonString(problem, "detail").find("JSON"), std::string::npos) << reply.body;
}

TEST_F(ApiTest, MalformedValueIsNamedByIndex) {
  const std::string test_id = FirstTestId(Register());
  ASSERT_FALSE(test_id.empty());
  const HttpReply reply = PostResult(test_id, R"({"values": ["4.2", "abc"], "unit": "mg/kg"})");
  EXPECT_EQ(reply.status, 400) << reply.body;
  EXPECT_EQ(reply.content_type, kProblemJson);
  const std::vector<std::string> fields = ProblemFields(ParseJsonObject(reply.body));
  EXPECT_TRUE(Contains(fields, "values[1]")) << reply.body;
  EXPECT_FALSE(Contains(fields, "values[0]")) << reply.body;
}

TEST_F(ApiTest, UnknownFieldIsNamed) {
  const HttpReply reply = limsd().Post("/api/v1/samples", IntakeJson(R"(, "colour": "black")"));
  EXPECT_EQ(reply.status, 400) << reply.body;
  EXPECT_EQ(reply.content_type, kProblemJson);
  EXPECT_EQ(ProblemFields(ParseJsonObject(reply.body)), std::vector<std::string>{"colour"}) << reply.body;
}

TEST_F(ApiTest, ZeroQuantityBreaksARule) {
  const HttpReply reply = limsd().Post("/api/v1/samples", IntakeJson("", "0"));
  EXPECT_EQ(reply.status, 422) << reply.body;
  EXPECT_EQ(reply.content_type, kProblemJson);
  EXPECT_TRUE(Contains(ProblemFields(ParseJsonObject(reply.body)), "quantity")) << reply.body;
}

TEST_F(ApiTest, UnknownRequirementBreaksARule) {
  const HttpReply reply = limsd().Post("/api/v1/samples", IntakeJson("", "6", "NO-SUCH-REQUIREMENT"));
  EXPECT_EQ(reply.status, 422) << reply.body;
  EXPECT_EQ(reply.content_type, kProblemJson);
  EXPECT_EQ(ProblemFields(ParseJsonObject(reply.body)), std::vector<std::string>{"requirements[0]"}) << reply.body;
}

TEST_F(ApiTest, OversizedBodyIsRefused) {
  LimsdProcess small(db().config(), {"LIMS_HTTP_MAX_BODY_BYTES=1024"});
  const std::string prefix = R"({"product": ")";
  const std::string suffix = "\"}";
  const std::string body = prefix + std::string(4096 - prefix.size() - suffix.size(), 'x') + suffix;
  ASSERT_EQ(body.size(), 4096u);
  const HttpReply reply = small.Post("/api/v1/samples", body);
  EXPECT_EQ(reply.status, 413) << reply.body;
  EXPECT_EQ(reply.content_type, kProblemJson);
  // A body under the limit still reaches the handler (and fails there for its own reasons).
  const HttpReply fits = small.Post("/api/v1/samples", prefix + std::string(900, 'x') + suffix);
  EXPECT_EQ(fits.status, 400) << fits.body;
}

TEST_F(ApiTest, UnknownRouteIsNotFound) {
  const HttpReply reply = limsd().Get("/api/v1/no-such-thing");
  EXPECT_EQ(reply.status, 404);
  EXPECT_EQ(reply.content_type, kProblemJson);
  EXPECT_FALSE(ParseJsonObject(reply.body).isNull()) << reply.body;
}

TEST_F(ApiTest, UnknownSampleIsNotFound) {
  const HttpReply reply = limsd().Get("/api/v1/samples/AGR-1999-999999");
  EXPECT_EQ(reply.status, 404) << reply.body;
  EXPECT_EQ(reply.content_type, kProblemJson);
}

TEST_F(ApiTest, WrongMethodListsTheAllowedOnes) {
  const HttpReply reply = limsd().Call("DELETE", "/health", "");
  EXPECT_EQ(reply.status, 405);
  EXPECT_EQ(reply.content_type, kProblemJson);
  EXPECT_NE(Header(reply, "Allow").find("GET"), std::string::npos) << Header(reply, "Allow");
}

TEST_F(ApiTest, EchoesTheClientRequestId) {
  const HttpReply reply = limsd().Call("GET", "/health", "", {{"X-Request-Id", "e2e-check-4711"}});
  EXPECT_EQ(Header(reply, "X-Request-Id"), "e2e-check-4711");
  const HttpReply other = limsd().Call("GET", "/health", "", {{"X-Request-Id", "not;sane<id>"}});
  EXPECT_NE(Header(other, "X-Request-Id"), "not;sane<id>");
  EXPECT_FALSE(Header(other, "X-Request-Id").empty());
}

}  // namespace
}  // namespace lims::testing
