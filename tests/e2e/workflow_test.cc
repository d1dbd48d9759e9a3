// The lab's day over HTTP against one real limsd: an exporter registered by the administrator, a
// footwear sample with its derived test plan, labels read back by a barcode scanner, chain of
// custody, result entry, four-eyes review, a rejection and a retest; then the rules every write
// shares (Idempotency-Key, If-Match and concurrent writers), the worklist and the errors a client
// meets on the way. A technician and a reviewer are two different people, as four-eyes demands.
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <map>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "tests/support/json_test_util.h"
#include "tests/support/limsd_process.h"
#include "tests/support/test_database.h"
#include "tests/support/test_support.h"

namespace lims::testing {
namespace {

using Json = Poco::JSON::Object::Ptr;
using Headers = std::map<std::string, std::string>;

constexpr char kPassword[] = "workflow pass phrase 3390";
constexpr char kExporterIec[] = "AAACS1234F";
constexpr char kExporterGstin[] = "09AAACS1234F1ZQ";  // state 09, PAN AAACS1234F, check character Q
constexpr char kCrViRequirement[] = "REACH-XVII-47-CRVI-LEATHER";

// EN ISO 20345:2022 S3 safety footwear for the EU, with REACH Annex XVII chemistry.
constexpr char kFootwearPlan[] =
    R"({"product_family": "footwear",)"
    R"( "materials": {"upper": "leather", "lining": "textile", "insock": "textile", "outsole": "rubber"},)"
    R"( "markings": [{"standard": "EN ISO 20345:2022", "marking": "S3", "extra": []}],)"
    R"( "regulations": ["REACH Annex XVII"], "market": "EU"})";

// ---- JSON and HTTP helpers ----

std::string Quoted(const std::string& text) {
  return "\"" + text + "\"";
}

std::string JsonList(const std::vector<std::string>& items) {
  std::string out = "[";
  for (size_t i = 0; i < items.size(); ++i) out += (i == 0 ? "" : ", ") + Quoted(items[i]);
  return out + "]";
}

// An integer member, or -1 when it is absent or null.
int JsonInt(const Json& object, const std::string& key) {
  if (object.isNull() || !object->has(key) || object->isNull(key)) return -1;
  return object->get(key).convert<int>();
}

std::vector<Json> JsonObjects(const Json& object, const std::string& key) {
  std::vector<Json> out;
  for (unsigned i = 0; Json item = JsonArrayObject(object, key, i); ++i) out.push_back(item);
  return out;
}

std::string Header(const HttpReply& reply, const std::string& name) {
  auto it = reply.headers.find(name);
  return it == reply.headers.end() ? "" : it->second;
}

std::string Dump(const Json& object) {
  if (object.isNull()) return "null";
  std::ostringstream out;
  object->stringify(out);
  return out.str();
}

bool Contains(const std::vector<std::string>& items, const std::string& item) {
  return std::find(items.begin(), items.end(), item) != items.end();
}

// The problem document's "errors[].field" of a reply.
std::vector<std::string> FieldsOf(const HttpReply& reply) {
  return ProblemFields(ParseJsonObject(reply.body));
}

// Runs fn(0) ... fn(n - 1) on n threads at once and waits for all of them.
template <typename Fn>
void Concurrently(size_t n, Fn fn) {
  std::vector<std::thread> threads;
  threads.reserve(n);
  for (size_t i = 0; i < n; ++i) threads.emplace_back(fn, i);
  for (std::thread& t : threads) t.join();
}

// ---- Passing values, from the test's own limit ----

double Number(const std::string& text) {
  return text.empty() ? 0.0 : std::stod(text);
}

// A plain decimal string ("0.155", "45"): no exponent, no trailing zeros.
std::string DecimalText(double value) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.6f", value);
  std::string text = buffer;
  while (text.back() == '0') text.pop_back();
  if (text.back() == '.') text.pop_back();
  return text;
}

// A value the limit accepts with room to spare (the suite uses the simple decision rule).
std::string PassingValue(const Json& limit) {
  const std::string comparator = JsonString(limit, "comparator");
  if (comparator == "no_failure") return "pass";
  if (comparator == "not_detected") return "nd";
  if (comparator == "range")
    return DecimalText((Number(JsonString(limit, "low")) + Number(JsonString(limit, "high"))) / 2);
  const double value = Number(JsonString(limit, "value"));
  if (comparator == "<" || comparator == "<=") return DecimalText(value / 2);
  if (comparator == ">" || comparator == ">=") return DecimalText(value == 0 ? 1 : value * 1.5);
  ADD_FAILURE() << "unknown comparator " << comparator;
  return "";
}

std::string ResultBody(const std::vector<std::string>& values, const std::string& unit, const std::string& more = "") {
  std::string body = "{\"values\": " + JsonList(values);
  if (!unit.empty()) body += ", \"unit\": " + Quoted(unit);
  return body + R"(, "temperature_c": "23.0", "humidity_pct": "50", "remarks": "e2e")" + more + "}";
}

// A result for `test` that passes: one passing value per specimen, in the limit's unit.
std::string PassingResultBody(const Json& test) {
  const Json limit = test->getObject("limit");
  const int specimens = std::max(1, JsonInt(test, "specimens"));
  return ResultBody(std::vector<std::string>(specimens, PassingValue(limit)), JsonString(limit, "unit"));
}

std::string CrViResult(const std::vector<std::string>& values, const std::string& more = "") {
  return ResultBody(values, "mg/kg", more);
}

// ---- Labels ----

// The symbols zbarimg reads on a 600 dpi greyscale rendering of `pdf`, "TYPE:data" each.
std::vector<std::string> ScanLabel(const std::string& pdf) {
  const std::string dir = MakeTempDir("workflow-label-");
  WriteFile(dir + "/label.pdf", pdf);
  std::string output;
  const int raster =
      RunCommand("pdftoppm -r 600 -gray -png -singlefile '" + dir + "/label.pdf' '" + dir + "/label'", &output);
  EXPECT_EQ(raster, 0) << output;
  const int scan = RunCommand("zbarimg -q '" + dir + "/label.png'", &output);
  EXPECT_EQ(scan, 0) << "zbarimg read nothing:\n" << output;
  std::error_code ec;
  std::filesystem::remove_all(dir, ec);
  std::vector<std::string> symbols;
  std::istringstream lines(output);
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind("CODE-128:", 0) == 0 || line.rfind("QR-Code:", 0) == 0) symbols.push_back(line);
  }
  return symbols;
}

bool AnyStartsWith(const std::vector<std::string>& items, const std::string& prefix) {
  return std::any_of(items.begin(), items.end(), [&](const std::string& s) { return s.rfind(prefix, 0) == 0; });
}

// ---- The suite: one limsd, an exporter, a technician and a reviewer ----

class WorkflowTest : public ::testing::Test {
 public:
  static void SetUpTestSuite() {
    try {
      db_ = std::make_unique<TestDatabase>();
      limsd_ = std::make_unique<LimsdProcess>(db_->config());
      exporter_ =
          Created(Admin("POST", "/api/v1/organizations", OrganizationBody(kExporterIec, kExporterGstin, "Agra")),
                  "registering the exporter");
      tech_id_ = CreateUser("wf-tech", "technician");
      reviewer_id_ = CreateUser("wf-reviewer", "reviewer");
      tech_ = limsd_->Login("wf-tech", kPassword);
      reviewer_ = limsd_->Login("wf-reviewer", kPassword);
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

  static HttpReply As(const std::string& token, const std::string& method, const std::string& path,
                      const std::string& body = "", const Headers& headers = {}) {
    return limsd_->CallAs(token, method, path, body, headers);
  }
  static HttpReply Tech(const std::string& method, const std::string& path, const std::string& body = "",
                        const Headers& headers = {}) {
    return As(tech_, method, path, body, headers);
  }
  static HttpReply Reviewer(const std::string& method, const std::string& path, const std::string& body = "") {
    return As(reviewer_, method, path, body);
  }
  static HttpReply Admin(const std::string& method, const std::string& path, const std::string& body = "") {
    return As(limsd_->admin_token(), method, path, body);
  }

  static std::string OrganizationBody(const std::string& iec, const std::string& gstin, const std::string& district,
                                      const std::string& state = "") {
    std::string body = R"({"name": "Sikandra Footwear Exports Pvt Ltd", "short_name": "Sikandra", "iec": ")" + iec +
                       R"(", "address": "12 Sikandra Industrial Area, Agra 282007", "district": ")" + district +
                       R"(", "odop_product": "Leather footwear")";
    if (!gstin.empty()) body += R"(, "gstin": ")" + gstin + "\"";
    if (!state.empty()) body += R"(, "state": ")" + state + "\"";
    return body + "}";
  }

  // An intake body; `tail` adds members ("test_plan" or "requirements" must be among them).
  static std::string IntakeBody(const std::string& tail, const std::string& product = "Men's safety boot S3") {
    return R"({"exporter": ")" + exporter_ + R"(", "product": ")" + product +
           R"(", "sizes": ["42"], "quantity": 6, "quantity_unit": "pairs", "destination": "DE",)"
           R"( "decision_rule": "simple", "condition": "intact", "storage_location": "R2-S4", )" +
           tail + "}";
  }
  static std::string PlanIntake() { return IntakeBody(std::string("\"test_plan\": ") + kFootwearPlan); }
  static std::string CrViIntake(const std::string& more = "", const std::string& product = "Chrome-tanned upper") {
    return IntakeBody(std::string("\"requirements\": [\"") + kCrViRequirement + "\"]" + more, product);
  }

  // Registers a sample as the technician; null (with a failure) when intake failed.
  static Json Register(const std::string& body) {
    const HttpReply reply = Tech("POST", "/api/v1/samples", body);
    EXPECT_EQ(reply.status, 201) << reply.body;
    return reply.status == 201 ? ParseJsonObject(reply.body) : nullptr;
  }

  static Json GetSample(const std::string& number) {
    const HttpReply reply = Tech("GET", "/api/v1/samples/" + number);
    EXPECT_EQ(reply.status, 200) << reply.body;
    return ParseJsonObject(reply.body);
  }

  static HttpReply GetTestReply(const std::string& id) { return Tech("GET", "/api/v1/tests/" + id); }
  static Json GetTest(const std::string& id) {
    const HttpReply reply = GetTestReply(id);
    EXPECT_EQ(reply.status, 200) << reply.body;
    return ParseJsonObject(reply.body);
  }

  // The test of `sample` with this id (null when there is none).
  static Json TestById(const Json& sample, const std::string& id) {
    for (const Json& t : JsonObjects(sample, "tests")) {
      if (JsonString(t, "id") == id) return t;
    }
    return nullptr;
  }

  // The current chromium(VI) test of a sample (null when there is none): REACH-XVII-47-CRVI-LEATHER
  // when named alone, EN20345-2022-CRVI (with REACH among its sources) in the footwear plan.
  static Json CrViTest(const Json& sample) {
    for (const Json& t : JsonObjects(sample, "tests")) {
      const bool crvi = JsonString(t, "requirement").find("CRVI") != std::string::npos;
      if (crvi && JsonString(t, "status") != "invalidated") return t;
    }
    return nullptr;
  }

  static HttpReply EnterResult(const std::string& test_id, const std::string& body, const Headers& headers = {}) {
    return Tech("POST", "/api/v1/tests/" + test_id + "/results", body, headers);
  }

  static HttpReply Review(const std::string& test_id, const std::string& decision, const std::string& comment = "") {
    std::string body = R"({"decision": ")" + decision + "\"";
    if (!comment.empty()) body += R"(, "comment": ")" + comment + "\"";
    return Reviewer("POST", "/api/v1/tests/" + test_id + "/review", body + "}");
  }

  // Enters a passing result on every pending test but `except`, and approves each as the reviewer.
  static void PassAndApproveAll(const Json& sample, const std::string& except = "") {
    for (const Json& t : JsonObjects(sample, "tests")) {
      const std::string id = JsonString(t, "id");
      if (id == except || JsonString(t, "status") != "pending") continue;
      SCOPED_TRACE("test " + id + " " + JsonString(t, "requirement") + " limit " +
                   JsonString(t->getObject("limit"), "display"));
      const HttpReply entered = EnterResult(id, PassingResultBody(t));
      ASSERT_EQ(entered.status, 201) << PassingResultBody(t) << "\n" << entered.body;
      EXPECT_EQ(JsonString(ParseJsonObject(entered.body), "verdict"), "pass") << entered.body;
      const HttpReply approved = Review(id, "approve");
      ASSERT_EQ(approved.status, 200) << approved.body;
      EXPECT_EQ(JsonString(ParseJsonObject(approved.body), "status"), "approved") << approved.body;
    }
  }

  static HttpReply Custody(const std::string& number, const std::string& body, const Headers& headers = {}) {
    return Tech("POST", "/api/v1/samples/" + number + "/custody", body, headers);
  }

  // The ids of the worklist's items for `query` (limit 500).
  static std::vector<std::string> Worklist(const std::string& query) {
    const HttpReply reply = Tech("GET", "/api/v1/worklist?limit=500" + (query.empty() ? "" : "&" + query));
    EXPECT_EQ(reply.status, 200) << query << ": " << reply.body;
    std::vector<std::string> ids;
    for (const Json& item : JsonObjects(ParseJsonObject(reply.body), "items")) ids.push_back(JsonString(item, "id"));
    return ids;
  }

  static std::string QueryCount(const std::string& sql) { return db_->QueryValue(sql); }

  static std::string exporter() { return exporter_; }
  static std::string tech_id() { return tech_id_; }
  static std::string reviewer_id() { return reviewer_id_; }
  static std::string reviewer_token() { return reviewer_; }

 private:
  static std::string Created(const HttpReply& reply, const std::string& what) {
    if (reply.status != 201)
      throw std::runtime_error(what + " failed: " + std::to_string(reply.status) + " " + reply.body);
    std::string id = JsonString(ParseJsonObject(reply.body), "id");
    if (id.empty()) throw std::runtime_error(what + ": no id in " + reply.body);
    return id;
  }

  static std::string CreateUser(const std::string& username, const std::string& role) {
    const std::string body = R"({"username": ")" + username + R"(", "password": ")" + kPassword +
                             R"(", "name": "Workflow )" + role + R"(", "roles": [")" + role + "\"]}";
    return Created(Admin("POST", "/api/v1/users", body), "creating " + username);
  }

  static inline std::unique_ptr<TestDatabase> db_;
  static inline std::unique_ptr<LimsdProcess> limsd_;
  static inline std::string setup_error_;
  static inline std::string exporter_;
  static inline std::string tech_id_;
  static inline std::string reviewer_id_;
  static inline std::string tech_;
  static inline std::string reviewer_;
};

// ---- 1. The full day ----

TEST_F(WorkflowTest, FootwearS3WithReachIsRegisteredLabelledTestedReviewedAndReady) {
  const Json sample = Register(PlanIntake());
  ASSERT_FALSE(sample.isNull());
  const std::string number = JsonString(sample, "number");
  EXPECT_EQ(JsonString(sample, "status"), "received");
  EXPECT_EQ(JsonString(sample, "decision_rule"), "simple");
  EXPECT_EQ(JsonStrings(sample, "sizes"), std::vector<std::string>{"42"});
  EXPECT_EQ(JsonString(sample, "product_family"), "footwear");
  const std::vector<Json> tests = JsonObjects(sample, "tests");
  ASSERT_GT(tests.size(), 10u) << "S3 with REACH derives many tests: " << Dump(sample);
  for (const Json& t : tests) EXPECT_EQ(JsonString(t, "status"), "pending") << JsonString(t, "requirement");
  const Json crvi = CrViTest(sample);
  ASSERT_FALSE(crvi.isNull()) << "no Cr(VI) test in the plan";
  EXPECT_EQ(JsonString(crvi, "requirement"), "EN20345-2022-CRVI");
  EXPECT_TRUE(Contains(JsonStrings(crvi, "sources"), "REACH Annex XVII Entry 47")) << Dump(crvi);
  EXPECT_EQ(JsonString(crvi->getObject("limit"), "comparator"), "not_detected");
  EXPECT_EQ(JsonString(crvi->getObject("limit"), "value"), "3");
  EXPECT_EQ(JsonString(crvi->getObject("limit"), "unit"), "mg/kg");
  const std::string crvi_id = JsonString(crvi, "id");

  // Labels: a scanner reads the sample number (Code 128) and a QR code pointing at the sample.
  const HttpReply pdf = Tech("GET", "/api/v1/samples/" + number + "/label.pdf");
  ASSERT_EQ(pdf.status, 200) << pdf.body;
  EXPECT_EQ(pdf.content_type, "application/pdf");
  const std::vector<std::string> symbols = ScanLabel(pdf.body);
  EXPECT_TRUE(Contains(symbols, "CODE-128:" + number)) << ::testing::PrintToString(symbols);
  EXPECT_TRUE(AnyStartsWith(symbols, "QR-Code:")) << ::testing::PrintToString(symbols);
  for (const std::string& s : symbols) {
    if (s.rfind("QR-Code:", 0) == 0) {
      EXPECT_NE(s.find(number), std::string::npos) << s;
    }
  }
  const HttpReply zpl = Tech("GET", "/api/v1/samples/" + number + "/label.zpl");
  ASSERT_EQ(zpl.status, 200) << zpl.body;
  EXPECT_EQ(zpl.body.rfind("^XA", 0), 0u) << zpl.body;
  EXPECT_NE(zpl.body.find(number), std::string::npos) << zpl.body;

  // Custody: a portion is split off, labelled, handed to the Cr(VI) test; the rest moves.
  const HttpReply split = Custody(number, R"({"event": "split", "note": "left shoe upper for chemistry"})");
  ASSERT_EQ(split.status, 201) << split.body;
  const std::string portion = JsonString(ParseJsonObject(split.body), "portion");
  EXPECT_EQ(portion, number + "-P1");
  const HttpReply portion_pdf = Tech("GET", "/api/v1/samples/" + number + "/label.pdf?portion=" + portion);
  ASSERT_EQ(portion_pdf.status, 200) << portion_pdf.body;
  EXPECT_TRUE(Contains(ScanLabel(portion_pdf.body), "CODE-128:" + portion));
  EXPECT_EQ(Tech("GET", "/api/v1/samples/" + number + "/label.zpl?portion=" + number + "-P9").status, 404);
  const HttpReply handed =
      Custody(number, R"({"event": "handed_to_test", "portion": ")" + portion + R"(", "test": ")" + crvi_id + "\"}");
  ASSERT_EQ(handed.status, 201) << handed.body;
  EXPECT_EQ(JsonString(ParseJsonObject(handed.body), "sample_status"), "in_testing") << handed.body;
  const HttpReply moved = Custody(number, R"({"event": "moved", "location": "Chemistry lab, cabinet C3"})");
  ASSERT_EQ(moved.status, 201) << moved.body;

  // Every test gets a passing result from the technician and the reviewer's approval.
  PassAndApproveAll(GetSample(number));
  if (HasFatalFailure()) return;
  const Json ready = GetSample(number);
  EXPECT_EQ(JsonString(ready, "status"), "ready");
  const Json verdict = ready->getObject("verdict");
  EXPECT_EQ(JsonString(verdict, "overall"), "pass") << Dump(verdict);
  EXPECT_EQ(JsonInt(verdict, "open_tests"), 0);
  EXPECT_EQ(JsonObjects(verdict, "failing").size(), 0u);
  for (const Json& t : JsonObjects(ready, "tests")) EXPECT_EQ(JsonString(t, "status"), "approved");
  std::vector<std::string> events;
  for (const Json& e : JsonObjects(ready, "custody")) events.push_back(JsonString(e, "event"));
  EXPECT_EQ(events, (std::vector<std::string>{"received", "split", "handed_to_test", "moved"}));
  EXPECT_EQ(JsonObjects(ready, "portions").size(), 1u);

  // The audit trail holds the day and its hash chain verifies.
  const HttpReply audit = Admin("GET", "/api/v1/audit?entity=test&entity_id=" + crvi_id);
  ASSERT_EQ(audit.status, 200) << audit.body;
  std::vector<std::string> actions;
  for (const Json& e : JsonObjects(ParseJsonObject(audit.body), "items")) actions.push_back(JsonString(e, "action"));
  EXPECT_TRUE(Contains(actions, "test.result")) << audit.body;
  EXPECT_TRUE(Contains(actions, "test.review")) << audit.body;
  const HttpReply verify = Admin("GET", "/api/v1/audit/verify");
  ASSERT_EQ(verify.status, 200) << verify.body;
  EXPECT_TRUE(ParseJsonObject(verify.body)->getValue<bool>("ok")) << verify.body;
}

TEST_F(WorkflowTest, FailingCrViIsRejectedReEnteredApprovedThenRetestedAndPasses) {
  const Json sample = Register(PlanIntake());
  ASSERT_FALSE(sample.isNull());
  const std::string number = JsonString(sample, "number");
  const std::string crvi_id = JsonString(CrViTest(sample), "id");
  const std::string requirement = JsonString(CrViTest(sample), "requirement");
  ASSERT_FALSE(crvi_id.empty());
  PassAndApproveAll(sample, crvi_id);
  if (HasFatalFailure()) return;

  // 4.2 and 4.4 mg/kg against < 3 mg/kg: the sample fails on exactly that requirement.
  const HttpReply failed = EnterResult(crvi_id, CrViResult({"4.2", "4.4"}));
  ASSERT_EQ(failed.status, 201) << failed.body;
  EXPECT_EQ(JsonString(ParseJsonObject(failed.body), "verdict"), "fail") << failed.body;
  EXPECT_EQ(JsonString(ParseJsonObject(failed.body), "test_status"), "entered");
  Json now = GetSample(number);
  EXPECT_EQ(JsonString(now, "status"), "under_review");
  EXPECT_EQ(JsonString(now->getObject("verdict"), "overall"), "fail");
  const std::vector<Json> failing = JsonObjects(now->getObject("verdict"), "failing");
  ASSERT_EQ(failing.size(), 1u) << Dump(now->getObject("verdict"));
  EXPECT_EQ(JsonString(failing[0], "test"), crvi_id);
  EXPECT_EQ(JsonString(failing[0], "requirement"), requirement);
  EXPECT_NE(JsonString(now->getObject("verdict"), "summary").find("1 requirement"), std::string::npos)
      << Dump(now->getObject("verdict"));
  EXPECT_EQ(JsonStrings(failing[0], "values"), (std::vector<std::string>{"4.2", "4.4"}));

  // The reviewer sends it back; it is open work again and on the worklist.
  const HttpReply rejected = Review(crvi_id, "reject", "extraction blank not reported; repeat the calculation");
  ASSERT_EQ(rejected.status, 200) << rejected.body;
  EXPECT_EQ(JsonString(ParseJsonObject(rejected.body), "status"), "rejected");
  now = GetSample(number);
  EXPECT_EQ(JsonString(now, "status"), "in_testing");
  EXPECT_TRUE(JsonString(now->getObject("verdict"), "overall").empty()) << "a rejected result is open work";
  EXPECT_TRUE(Contains(Worklist("assignee=none"), crvi_id));

  // Re-entered (the same failing values, now with the blank) and approved.
  const HttpReply again = EnterResult(crvi_id, CrViResult({"4.2", "4.4"}, R"(, "uncertainty": "0.4")"));
  ASSERT_EQ(again.status, 201) << again.body;
  EXPECT_FALSE(Contains(Worklist("assignee=none"), crvi_id));
  ASSERT_EQ(Review(crvi_id, "approve").status, 200);
  now = GetSample(number);
  EXPECT_EQ(JsonString(now, "status"), "ready");
  EXPECT_EQ(JsonString(now->getObject("verdict"), "overall"), "fail");
  const Json approved = TestById(now, crvi_id);
  EXPECT_EQ(JsonObjects(approved, "earlier_results").size(), 1u) << "the rejected result stays";
  EXPECT_EQ(JsonObjects(approved, "reviews").size(), 2u);

  // The reviewer orders a retest: the old test is kept, invalidated; a new attempt replaces it.
  const std::string reason = "chromium(VI) reference material out of control on that run";
  const HttpReply retest = Reviewer("POST", "/api/v1/tests/" + crvi_id + "/retest", R"({"reason": ")" + reason + "\"}");
  ASSERT_EQ(retest.status, 201) << retest.body;
  const Json old_test = ParseJsonObject(retest.body)->getObject("invalidated");
  const Json new_test = ParseJsonObject(retest.body)->getObject("test");
  const std::string new_id = JsonString(new_test, "id");
  EXPECT_EQ(JsonString(old_test, "status"), "invalidated");
  EXPECT_EQ(JsonString(new_test, "status"), "pending");
  EXPECT_EQ(JsonInt(new_test, "attempt"), 2);
  EXPECT_EQ(JsonString(new_test, "replaces"), crvi_id);
  EXPECT_EQ(Header(retest, "Location"), "/api/v1/tests/" + new_id);
  now = GetSample(number);
  EXPECT_EQ(JsonString(now, "status"), "in_testing");
  const Json kept = TestById(now, crvi_id);
  ASSERT_FALSE(kept.isNull()) << "the invalidated test must stay visible";
  EXPECT_EQ(JsonString(kept, "status"), "invalidated");
  EXPECT_EQ(JsonString(kept, "replaced_by"), new_id);
  EXPECT_EQ(JsonString(kept, "invalidation_reason"), reason);
  EXPECT_EQ(JsonStrings(kept->getObject("result"), "values"), (std::vector<std::string>{"4.2", "4.4"}));
  const Json pending = now->getObject("verdict");
  EXPECT_TRUE(JsonString(pending, "overall").empty());
  EXPECT_EQ(JsonString(pending, "worst_so_far"), "pass") << "the invalidated FAIL must not count";
  EXPECT_EQ(JsonObjects(pending, "failing").size(), 0u);
  EXPECT_EQ(JsonInt(pending, "open_tests"), 1);
  EXPECT_EQ(Reviewer("POST", "/api/v1/tests/" + crvi_id + "/retest", R"({"reason": "once more, please"})").status, 409)
      << "an invalidated test cannot be retested again";

  // The repeat passes; the sample is ready and passes.
  const HttpReply repeat = EnterResult(new_id, CrViResult({"1.1"}));
  ASSERT_EQ(repeat.status, 201) << repeat.body;
  EXPECT_EQ(JsonString(ParseJsonObject(repeat.body), "verdict"), "pass");
  ASSERT_EQ(Review(new_id, "approve").status, 200);
  now = GetSample(number);
  EXPECT_EQ(JsonString(now, "status"), "ready");
  EXPECT_EQ(JsonString(now->getObject("verdict"), "overall"), "pass");
  EXPECT_EQ(JsonString(TestById(now, crvi_id), "status"), "invalidated");
}

// ---- 2. Errors ----

TEST_F(WorkflowTest, TheEntererCannotReviewTheirOwnResult) {
  const Json sample = Register(CrViIntake());
  ASSERT_FALSE(sample.isNull());
  const std::string id = JsonString(CrViTest(sample), "id");
  // The staff user holds technician and reviewer: one person, two roles, still one pair of eyes.
  ASSERT_EQ(limsd().Post("/api/v1/tests/" + id + "/results", CrViResult({"1.0"})).status, 201);
  const HttpReply own = limsd().Post("/api/v1/tests/" + id + "/review", R"({"decision": "approve"})");
  EXPECT_EQ(own.status, 422) << own.body;
  EXPECT_EQ(FieldsOf(own), std::vector<std::string>{"reviewer"}) << own.body;
  EXPECT_EQ(JsonString(GetTest(id), "status"), "entered");
  EXPECT_EQ(Review(id, "approve").status, 200) << "a second person may approve it";
}

TEST_F(WorkflowTest, ARejectionNeedsAComment) {
  const Json sample = Register(CrViIntake());
  ASSERT_FALSE(sample.isNull());
  const std::string id = JsonString(CrViTest(sample), "id");
  ASSERT_EQ(EnterResult(id, CrViResult({"1.0"})).status, 201);
  const HttpReply bare = Review(id, "reject");
  EXPECT_EQ(bare.status, 422) << bare.body;
  EXPECT_EQ(FieldsOf(bare), std::vector<std::string>{"comment"}) << bare.body;
  const HttpReply blank = Review(id, "reject", "   ");
  EXPECT_EQ(blank.status, 422) << blank.body;
  EXPECT_EQ(JsonString(GetTest(id), "status"), "entered");
}

TEST_F(WorkflowTest, ReviewingAPendingTestIs409NamingTheAllowedStates) {
  const Json sample = Register(CrViIntake());
  ASSERT_FALSE(sample.isNull());
  const std::string id = JsonString(CrViTest(sample), "id");
  const HttpReply early = Review(id, "approve");
  EXPECT_EQ(early.status, 409) << early.body;
  EXPECT_EQ(early.content_type, "application/problem+json");
  const std::string detail = JsonString(ParseJsonObject(early.body), "detail");
  EXPECT_NE(detail.find("pending"), std::string::npos) << detail;
  EXPECT_NE(detail.find("entered"), std::string::npos) << "the allowed next state is named: " << detail;
}

TEST_F(WorkflowTest, RetestsAreForReviewersWithAReasonOnResultedTests) {
  const Json sample = Register(CrViIntake());
  ASSERT_FALSE(sample.isNull());
  const std::string id = JsonString(CrViTest(sample), "id");
  const std::string path = "/api/v1/tests/" + id + "/retest";
  const HttpReply pending = Reviewer("POST", path, R"({"reason": "bench contamination suspected"})");
  EXPECT_EQ(pending.status, 409) << pending.body;
  EXPECT_NE(JsonString(ParseJsonObject(pending.body), "detail").find("it can go to: entered"), std::string::npos)
      << pending.body;
  ASSERT_EQ(EnterResult(id, CrViResult({"1.0"})).status, 201);
  EXPECT_EQ(Tech("POST", path, R"({"reason": "bench contamination suspected"})").status, 403);
  const HttpReply terse = Reviewer("POST", path, R"({"reason": "no"})");
  EXPECT_EQ(terse.status, 422) << terse.body;
  EXPECT_EQ(FieldsOf(terse), std::vector<std::string>{"reason"}) << terse.body;
  EXPECT_EQ(JsonString(GetTest(id), "status"), "entered");
  // An entered (not yet reviewed) result may be retested too; the repeat cannot take results twice.
  const HttpReply retest = Reviewer("POST", path, R"({"reason": "bench contamination suspected"})");
  ASSERT_EQ(retest.status, 201) << retest.body;
  EXPECT_EQ(EnterResult(id, CrViResult({"1.0"})).status, 409) << "an invalidated test takes no result";
}

TEST_F(WorkflowTest, ImplausibleResultsAre422NamingTheField) {
  const Json sample = Register(CrViIntake());
  ASSERT_FALSE(sample.isNull());
  const std::string id = JsonString(CrViTest(sample), "id");
  const HttpReply humid =
      EnterResult(id, R"({"values": ["1.0"], "unit": "mg/kg", "temperature_c": "23.0", "humidity_pct": "101"})");
  EXPECT_EQ(humid.status, 422) << humid.body;
  EXPECT_EQ(FieldsOf(humid), std::vector<std::string>{"humidity_pct"}) << humid.body;
  const HttpReply negative = EnterResult(id, CrViResult({"-0.5"}));
  EXPECT_EQ(negative.status, 422) << negative.body;
  EXPECT_TRUE(Contains(FieldsOf(negative), "values[0]")) << negative.body;
  const HttpReply over = EnterResult(id, CrViResult({"1000001"}));  // more than 100 % w/w
  EXPECT_EQ(over.status, 422) << over.body;
  EXPECT_TRUE(Contains(FieldsOf(over), "values[0]")) << over.body;
  EXPECT_EQ(JsonString(GetTest(id), "status"), "pending") << "nothing was written";
  EXPECT_EQ(QueryCount("SELECT COUNT(*) FROM results WHERE test_id = " + id), "0");
}

TEST_F(WorkflowTest, CustodyNeedsALocationToMoveAndNothingFollowsDisposal) {
  const Json sample = Register(CrViIntake());
  ASSERT_FALSE(sample.isNull());
  const std::string number = JsonString(sample, "number");
  const HttpReply nowhere = Custody(number, R"({"event": "moved"})");
  EXPECT_GE(nowhere.status, 400) << nowhere.body;
  EXPECT_LT(nowhere.status, 500) << nowhere.body;
  EXPECT_TRUE(Contains(FieldsOf(nowhere), "location")) << nowhere.body;
  const Json other = Register(CrViIntake());
  ASSERT_FALSE(other.isNull());
  const HttpReply foreign =
      Custody(number, R"({"event": "handed_to_test", "test": ")" + JsonString(CrViTest(other), "id") + "\"}");
  EXPECT_EQ(foreign.status, 422) << foreign.body;
  EXPECT_EQ(FieldsOf(foreign), std::vector<std::string>{"test"}) << foreign.body;
  const HttpReply undated = Custody(number, R"({"event": "retained", "location": "R1"})");
  EXPECT_EQ(undated.status, 422) << undated.body;
  EXPECT_EQ(FieldsOf(undated), std::vector<std::string>{"retain_until"}) << undated.body;
  const HttpReply disposed = Custody(number, R"({"event": "disposed", "note": "incinerated after the hold period"})");
  ASSERT_EQ(disposed.status, 201) << disposed.body;
  const HttpReply after = Custody(number, R"({"event": "moved", "location": "R1"})");
  EXPECT_EQ(after.status, 409) << after.body;
  EXPECT_EQ(Custody(number, R"({"event": "disposed", "note": "again"})").status, 409);
  EXPECT_EQ(JsonObjects(GetSample(number), "custody").size(), 2u) << "received and disposed only";
}

TEST_F(WorkflowTest, OrganisationsAreCheckedOnRegistration) {
  const HttpReply duplicate = Admin("POST", "/api/v1/organizations", OrganizationBody(kExporterIec, "", "Agra"));
  EXPECT_EQ(duplicate.status, 409) << duplicate.body;
  const HttpReply checksum =
      Admin("POST", "/api/v1/organizations", OrganizationBody("AAACS1235F", "09AAACS1235F1ZQ", "Agra"));
  EXPECT_EQ(checksum.status, 422) << checksum.body;
  EXPECT_EQ(FieldsOf(checksum), std::vector<std::string>{"gstin"}) << checksum.body;
  const HttpReply district = Admin("POST", "/api/v1/organizations", OrganizationBody("0512000001", "", "Agraa"));
  EXPECT_EQ(district.status, 422) << district.body;
  EXPECT_EQ(FieldsOf(district), std::vector<std::string>{"district"}) << district.body;
  const HttpReply elsewhere =
      Admin("POST", "/api/v1/organizations", OrganizationBody("0512000002", "", "Chennai", "Tamil Nadu"));
  ASSERT_EQ(elsewhere.status, 201) << elsewhere.body;
  const Json created = ParseJsonObject(elsewhere.body);
  EXPECT_EQ(JsonString(created, "district"), "Chennai");
  EXPECT_EQ(JsonString(created, "state"), "Tamil Nadu");
  const HttpReply agra = Admin("GET", "/api/v1/organizations/" + exporter());
  ASSERT_EQ(agra.status, 200) << agra.body;
  EXPECT_EQ(JsonString(ParseJsonObject(agra.body), "state"), "Uttar Pradesh");
  EXPECT_EQ(JsonString(ParseJsonObject(agra.body), "gstin"), kExporterGstin);
  EXPECT_EQ(Tech("POST", "/api/v1/organizations", OrganizationBody("0512000003", "", "Agra")).status, 403);
}

// ---- 3. Idempotency ----

TEST_F(WorkflowTest, ARepeatedIntakeWithTheSameKeyCreatesOneSample) {
  const std::string body = CrViIntake("", "Idempotent boot");
  const Headers key = {{"Idempotency-Key", "wf-intake-0001"}};
  const HttpReply first = Tech("POST", "/api/v1/samples", body, key);
  ASSERT_EQ(first.status, 201) << first.body;
  EXPECT_EQ(Header(first, "Idempotent-Replayed"), "");
  const HttpReply second = Tech("POST", "/api/v1/samples", body, key);
  ASSERT_EQ(second.status, 201) << second.body;
  EXPECT_EQ(Header(second, "Idempotent-Replayed"), "true");
  EXPECT_EQ(JsonString(ParseJsonObject(second.body), "number"), JsonString(ParseJsonObject(first.body), "number"));
  EXPECT_EQ(Header(second, "Location"), Header(first, "Location"));
  EXPECT_EQ(Header(second, "ETag"), Header(first, "ETag"));
  EXPECT_EQ(QueryCount("SELECT COUNT(*) FROM samples WHERE product = 'Idempotent boot'"), "1");

  const HttpReply other = Tech("POST", "/api/v1/samples", CrViIntake("", "Another boot"), key);
  EXPECT_EQ(other.status, 422) << other.body;
  EXPECT_EQ(FieldsOf(other), std::vector<std::string>{"Idempotency-Key"}) << other.body;
  EXPECT_EQ(QueryCount("SELECT COUNT(*) FROM samples WHERE product = 'Another boot'"), "0");
  // Keys belong to their user: the reviewer's identical key is another key (and 403 here anyway).
  EXPECT_EQ(As(reviewer_token(), "POST", "/api/v1/samples", body, key).status, 403);
}

TEST_F(WorkflowTest, ARetriedResultEntryReturnsTheSameResult) {
  const Json sample = Register(CrViIntake());
  ASSERT_FALSE(sample.isNull());
  const std::string id = JsonString(CrViTest(sample), "id");
  const Headers key = {{"Idempotency-Key", "wf-result-" + id}};
  const HttpReply first = EnterResult(id, CrViResult({"1.2"}), key);
  ASSERT_EQ(first.status, 201) << first.body;
  const HttpReply retry = EnterResult(id, CrViResult({"1.2"}), key);
  ASSERT_EQ(retry.status, 201) << retry.body;
  EXPECT_EQ(Header(retry, "Idempotent-Replayed"), "true");
  EXPECT_EQ(JsonString(ParseJsonObject(retry.body), "id"), JsonString(ParseJsonObject(first.body), "id"));
  EXPECT_EQ(retry.body, first.body);
  EXPECT_EQ(QueryCount("SELECT COUNT(*) FROM results WHERE test_id = " + id), "1");
  // Without the key the same request is a second entry, which the state machine refuses.
  EXPECT_EQ(EnterResult(id, CrViResult({"1.2"})).status, 409);
}

// Observed contract: only 2xx responses are stored, so a refused request leaves its key unused; the
// client may fix the body and retry with the same key, and the fixed request runs.
TEST_F(WorkflowTest, ARefusedRequestDoesNotConsumeItsKey) {
  const Json sample = Register(CrViIntake());
  ASSERT_FALSE(sample.isNull());
  const std::string id = JsonString(CrViTest(sample), "id");
  const Headers key = {{"Idempotency-Key", "wf-refused-" + id}};
  const std::string humid = R"({"values": ["1.0"], "unit": "mg/kg", "humidity_pct": "101"})";
  const HttpReply refused = EnterResult(id, humid, key);
  EXPECT_EQ(refused.status, 422) << refused.body;
  const HttpReply again = EnterResult(id, humid, key);
  EXPECT_EQ(again.status, 422) << again.body;
  EXPECT_EQ(Header(again, "Idempotent-Replayed"), "") << "a 4xx is evaluated afresh, not replayed";
  EXPECT_EQ(QueryCount("SELECT COUNT(*) FROM idempotency_keys WHERE idem_key = 'wf-refused-" + id + "'"), "0");
  const HttpReply fixed = EnterResult(id, CrViResult({"1.0"}), key);
  EXPECT_EQ(fixed.status, 201) << fixed.body;
  EXPECT_EQ(QueryCount("SELECT COUNT(*) FROM results WHERE test_id = " + id), "1");
}

// Retries racing the first request (a client that timed out and tried again at once): the losers of
// the race find the winner's stored response at commit and replay it.
TEST_F(WorkflowTest, ConcurrentRetriesOfAnIntakeWithOneKeyCreateOneSample) {
  const std::string body = CrViIntake("", "Concurrent key boot");
  const Headers key = {{"Idempotency-Key", "wf-intake-race"}};
  std::vector<HttpReply> replies(4);
  Concurrently(replies.size(), [&](size_t i) { replies[i] = Tech("POST", "/api/v1/samples", body, key); });
  const std::string number = JsonString(ParseJsonObject(replies[0].body), "number");
  int replayed = 0;
  for (const HttpReply& r : replies) {
    EXPECT_EQ(r.status, 201) << r.body;
    EXPECT_EQ(JsonString(ParseJsonObject(r.body), "number"), number);
    replayed += Header(r, "Idempotent-Replayed") == "true" ? 1 : 0;
  }
  EXPECT_EQ(replayed, 3);
  EXPECT_EQ(QueryCount("SELECT COUNT(*) FROM samples WHERE product = 'Concurrent key boot'"), "1");
}

// docs/workflow.md: "a retried request either finds it (and gets it back ...) or finds that nothing
// happened". A retry racing the first result entry waits on the sample's lock, is refused by the
// state machine (409 "changed meanwhile") and never looks at its key again. Disabled until
// RunWrite re-checks the key after a refused request (reported with the suite).
TEST_F(WorkflowTest, ConcurrentRetriesOfAResultWithOneKeyAllGetTheResult) {
  const Json sample = Register(CrViIntake());
  ASSERT_FALSE(sample.isNull());
  const std::string id = JsonString(CrViTest(sample), "id");
  const Headers key = {{"Idempotency-Key", "wf-result-race-" + id}};
  std::vector<HttpReply> replies(4);
  Concurrently(replies.size(), [&](size_t i) { replies[i] = EnterResult(id, CrViResult({"1.0"}), key); });
  for (const HttpReply& r : replies) EXPECT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(QueryCount("SELECT COUNT(*) FROM results WHERE test_id = " + id), "1");
}

// ---- 4. ETag, If-Match and concurrent writers ----

TEST_F(WorkflowTest, CustodyHonoursIfMatch) {
  const Json sample = Register(CrViIntake());
  ASSERT_FALSE(sample.isNull());
  const std::string number = JsonString(sample, "number");
  const HttpReply read = Tech("GET", "/api/v1/samples/" + number);
  ASSERT_EQ(read.status, 200);
  const int version = JsonInt(ParseJsonObject(read.body), "version");
  ASSERT_GT(version, 0);
  EXPECT_EQ(Header(read, "ETag"), Quoted(std::to_string(version)));

  ASSERT_EQ(Custody(number, R"({"event": "moved", "location": "R1-S1"})").status, 201);  // someone else
  const std::string moved_again = R"({"event": "moved", "location": "R9-S9"})";
  const HttpReply stale = Custody(number, moved_again, {{"If-Match", Header(read, "ETag")}});
  EXPECT_EQ(stale.status, 409) << stale.body;
  const Json after_stale = GetSample(number);
  EXPECT_EQ(JsonObjects(after_stale, "custody").size(), 2u) << "the stale write left nothing";
  EXPECT_EQ(QueryCount("SELECT COUNT(*) FROM custody_events WHERE location = 'R9-S9'"), "0");

  const std::string current = Quoted(std::to_string(JsonInt(after_stale, "version")));
  const HttpReply fresh = Custody(number, moved_again, {{"If-Match", current}});
  ASSERT_EQ(fresh.status, 201) << fresh.body;
  const int new_version = JsonInt(ParseJsonObject(fresh.body), "sample_version");
  EXPECT_GT(new_version, JsonInt(after_stale, "version"));
  EXPECT_EQ(Header(fresh, "ETag"), Quoted(std::to_string(new_version)));
  EXPECT_EQ(Header(Tech("GET", "/api/v1/samples/" + number), "ETag"), Header(fresh, "ETag"));
  EXPECT_EQ(Custody(number, moved_again, {{"If-Match", "\"not-a-version\""}}).status, 400);
}

TEST_F(WorkflowTest, ResultEntryHonoursTheTestsIfMatch) {
  const Json sample = Register(CrViIntake());
  ASSERT_FALSE(sample.isNull());
  const std::string id = JsonString(CrViTest(sample), "id");
  const HttpReply read = Tech("GET", "/api/v1/tests/" + id);
  ASSERT_EQ(read.status, 200) << read.body;
  const std::string etag = Header(read, "ETag");
  EXPECT_EQ(etag, Quoted(std::to_string(JsonInt(ParseJsonObject(read.body), "version"))));
  ASSERT_EQ(Tech("POST", "/api/v1/tests/" + id + "/claim", "{}").status, 200);  // the test changes
  const HttpReply stale = EnterResult(id, CrViResult({"1.0"}), {{"If-Match", etag}});
  EXPECT_EQ(stale.status, 409) << stale.body;
  EXPECT_EQ(QueryCount("SELECT COUNT(*) FROM results WHERE test_id = " + id), "0");
  const HttpReply fresh = EnterResult(id, CrViResult({"1.0"}), {{"If-Match", Header(GetTestReply(id), "ETag")}});
  EXPECT_EQ(fresh.status, 201) << fresh.body;
}

TEST_F(WorkflowTest, OfTwoConcurrentResultEntriesExactlyOneWins) {
  const Json sample = Register(CrViIntake());
  ASSERT_FALSE(sample.isNull());
  const std::string id = JsonString(CrViTest(sample), "id");
  // Two technicians enter different values at the same moment; the sample's lock orders them.
  std::vector<HttpReply> replies(2);
  Concurrently(2, [&](size_t i) { replies[i] = EnterResult(id, CrViResult({i == 0 ? "1.0" : "2.0"})); });
  std::vector<int> got = {replies[0].status, replies[1].status};
  std::sort(got.begin(), got.end());
  EXPECT_EQ(got, (std::vector<int>{201, 409})) << replies[0].body << "\n" << replies[1].body;
  EXPECT_EQ(QueryCount("SELECT COUNT(*) FROM results WHERE test_id = " + id), "1");
  const Json test = GetTest(id);
  EXPECT_EQ(JsonString(test, "status"), "entered");
  const HttpReply& winner = replies[0].status == 201 ? replies[0] : replies[1];
  EXPECT_EQ(JsonString(test->getObject("result"), "id"), JsonString(ParseJsonObject(winner.body), "id"));
}

// ---- 5. The worklist ----

TEST_F(WorkflowTest, WorklistFiltersByAssigneeMethodAndDueDate) {
  const Json sample = Register(CrViIntake(R"(, "due_date": "2031-03-15")", "Worklist boot"));
  ASSERT_FALSE(sample.isNull());
  const Json test = CrViTest(sample);
  const std::string id = JsonString(test, "id");
  const std::string method = JsonString(test, "method");
  ASSERT_FALSE(method.empty());

  EXPECT_TRUE(Contains(Worklist("assignee=none"), id));
  EXPECT_FALSE(Contains(Worklist("assignee=me"), id));
  const HttpReply claimed = Tech("POST", "/api/v1/tests/" + id + "/claim", "{}");
  ASSERT_EQ(claimed.status, 200) << claimed.body;
  EXPECT_EQ(JsonString(ParseJsonObject(claimed.body), "assignee"), "wf-tech") << claimed.body;
  EXPECT_FALSE(Contains(Worklist("assignee=none"), id));
  EXPECT_TRUE(Contains(Worklist("assignee=me"), id));
  EXPECT_TRUE(Contains(Worklist("assignee=" + tech_id()), id));
  EXPECT_FALSE(Contains(Worklist("assignee=" + reviewer_id()), id));

  std::string encoded;
  for (char c : method) encoded += c == ' ' ? std::string("%20") : std::string(1, c);
  EXPECT_TRUE(Contains(Worklist("method=" + encoded), id)) << method;
  EXPECT_FALSE(Contains(Worklist("method=ISO%200000"), id));
  EXPECT_TRUE(Contains(Worklist("due_before=2031-03-16"), id));
  EXPECT_TRUE(Contains(Worklist("due_before=2031-03-15"), id)) << "due on the day counts (docs: on or before)";
  EXPECT_FALSE(Contains(Worklist("due_before=2031-03-14"), id));
  EXPECT_EQ(Tech("GET", "/api/v1/worklist?due_before=2031-02-30").status, 400);

  // Unassigning puts it back; an entered result takes it off; a rejection brings it back.
  ASSERT_EQ(Tech("POST", "/api/v1/tests/" + id + "/assign", R"({"assignee": null})").status, 200);
  EXPECT_TRUE(Contains(Worklist("assignee=none"), id));
  const HttpReply ghost = Tech("POST", "/api/v1/tests/" + id + "/assign", R"({"assignee": "999999"})");
  EXPECT_EQ(ghost.status, 422) << ghost.body;
  EXPECT_EQ(FieldsOf(ghost), std::vector<std::string>{"assignee"}) << ghost.body;
  // The instrument must be in the registry, calibrated, and serve the test's method.
  const HttpReply uv = Admin("POST", "/api/v1/instruments",
                             R"({"name": "Worklist UV-Vis", "type": "spectrophotometer", "serial": "WL-UV-2",)"
                             R"( "methods": [")" +
                                 method + R"("]})");
  ASSERT_EQ(uv.status, 201) << uv.body;
  const std::string instrument = JsonString(ParseJsonObject(uv.body), "id");
  ASSERT_EQ(Admin("POST", "/api/v1/instruments/" + instrument + "/calibrations",
                  R"({"date": "2020-01-10", "due_date": "2999-01-09", "certificate": "CAL-WL-2",)"
                  R"( "calibration_lab": "NABL CC-2291", "result": "pass"})")
                .status,
            201);
  ASSERT_EQ(EnterResult(id, CrViResult({"1.0"}, R"(, "instrument": ")" + instrument + R"(")")).status, 201);
  EXPECT_FALSE(Contains(Worklist(""), id));
  EXPECT_EQ(Tech("POST", "/api/v1/tests/" + id + "/claim", "{}").status, 409) << "entered work is not claimable";
  ASSERT_EQ(Review(id, "reject", "wrong extraction time").status, 200);
  EXPECT_TRUE(Contains(Worklist("method=" + encoded + "&due_before=2031-03-15"), id));
  EXPECT_TRUE(Contains(Worklist("instrument=" + instrument), id)) << "the instrument of its earlier result";
  EXPECT_FALSE(Contains(Worklist("instrument=UV-VIS-3"), id));
}

TEST_F(WorkflowTest, WorklistPagesByTestId) {
  for (int i = 0; i < 3; ++i) ASSERT_FALSE(Register(CrViIntake(R"(, "due_date": "2031-07-01")")).isNull());
  const HttpReply page = Tech("GET", "/api/v1/worklist?due_before=2031-07-01&limit=2");
  ASSERT_EQ(page.status, 200) << page.body;
  const Json first = ParseJsonObject(page.body);
  ASSERT_EQ(JsonObjects(first, "items").size(), 2u);
  const std::string next = JsonString(first, "next");
  ASSERT_FALSE(next.empty()) << page.body;
  const HttpReply rest = Tech("GET", "/api/v1/worklist?due_before=2031-07-01&limit=2&after=" + next);
  ASSERT_EQ(rest.status, 200) << rest.body;
  for (const Json& item : JsonObjects(ParseJsonObject(rest.body), "items")) {
    EXPECT_GT(std::stoll(JsonString(item, "id")), std::stoll(next));
  }
}

}  // namespace
}  // namespace lims::testing
