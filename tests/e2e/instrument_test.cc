// The instrument registry end to end: a real limsd over HTTP against a fresh database. Register,
// calibrate, check, change status, list what is due, and result entry refused with 422 for every
// gate condition (the reason's first words name it) and accepted when all is well.
//
// limsd reads the system clock and offers no fixed one, so calibration dates are set relative to
// today's UTC date as limsd reports it (`as_of` of the list): "due today" and "due yesterday" pin
// the boundary day exactly (a run straddling midnight UTC could see one day change under it).
#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <string>
#include <vector>

#include "lims/core/clock.h"
#include "tests/e2e/limsd_fixture.h"

namespace lims::testing {
namespace {

using Json = Poco::JSON::Object::Ptr;

// The method of the seeded Cr(VI) requirement that LimsdSuite::Register() takes in.
constexpr char kCrViMethod[] = "EN ISO 17075-2";

std::string Day(std::chrono::sys_days day) {
  return FormatRfc3339(Timestamp(day)).substr(0, 10);
}

std::vector<std::string> Reasons(const HttpReply& reply) {
  std::vector<std::string> out;
  Json problem = ParseJsonObject(reply.body);
  if (problem.isNull() || problem->getArray("errors").isNull()) return out;
  Poco::JSON::Array::Ptr errors = problem->getArray("errors");
  for (unsigned i = 0; i < errors->size(); ++i) {
    EXPECT_EQ(JsonString(errors->getObject(i), "field"), "instrument") << reply.body;
    out.push_back(JsonString(errors->getObject(i), "reason"));
  }
  return out;
}

std::vector<std::string> FieldsOf(const HttpReply& reply) {
  return ProblemFields(ParseJsonObject(reply.body));
}

bool StartsWith(const std::string& s, const std::string& prefix) {
  return s.rfind(prefix, 0) == 0;
}

class InstrumentTest : public LimsdSuite {
 protected:
  void SetUp() override {
    LimsdSuite::SetUp();
    if (HasFatalFailure()) return;
    const HttpReply list = Admin("GET", "/api/v1/instruments");
    ASSERT_EQ(list.status, 200) << list.body;
    const std::string as_of = JsonString(ParseJsonObject(list.body), "as_of");
    Result<Timestamp> t = ParseRfc3339(as_of + "T00:00:00Z");
    ASSERT_TRUE(t.ok()) << list.body;
    today_ = std::chrono::floor<std::chrono::days>(*t);
  }

  static HttpReply Admin(const std::string& method, const std::string& path, const std::string& body = "") {
    return limsd().CallAs(limsd().admin_token(), method, path, body);
  }

  std::string DaysFromToday(int days) const { return Day(today_ + std::chrono::days(days)); }

  // Registers an instrument (admin) serving `method` in 0-100 mg/kg; returns its id.
  static std::string RegisterInstrument(const std::string& serial, const std::string& method = kCrViMethod) {
    const HttpReply reply = Admin("POST", "/api/v1/instruments",
                                  R"({"name": "UV-Vis spectrophotometer )" + serial +
                                      R"(", "type": "spectrophotometer", "make": "Shimadzu", "model": "UV-1900i",)"
                                      R"( "serial": ")" +
                                      serial +
                                      R"(", "location": "Chemistry lab",)"
                                      R"( "methods": [")" +
                                      method +
                                      R"("], "ranges": [{"quantity": "mass fraction", "unit": "mg/kg",)"
                                      R"( "min": "0", "max": "100", "resolution": "0.1"}]})");
    EXPECT_EQ(reply.status, 201) << reply.body;
    return JsonString(ParseJsonObject(reply.body), "id");
  }

  static HttpReply Calibrate(const std::string& id, const std::string& date, const std::string& due,
                             const std::string& result = "pass") {
    return Admin("POST", "/api/v1/instruments/" + id + "/calibrations",
                 R"({"date": ")" + date + R"(", "due_date": ")" + due + R"(", "certificate": "CAL-)" + id + "-" + date +
                     R"(", "calibration_lab": "NABL CC-2291", "result": ")" + result +
                     R"(", "uncertainty": "0.3 mg/kg"})");
  }

  // A registered instrument whose calibration runs until `due_in` days from today.
  std::string CalibratedInstrument(const std::string& serial, int due_in, const std::string& method = kCrViMethod) {
    const std::string id = RegisterInstrument(serial, method);
    const HttpReply c = Calibrate(id, DaysFromToday(due_in - 365), DaysFromToday(due_in));
    EXPECT_EQ(c.status, 201) << c.body;
    return id;
  }

  // Enters a Cr(VI) result on a fresh sample's test, naming `instrument`.
  static HttpReply EnterWith(const std::string& instrument, const std::string& value = "1.2") {
    Json sample = Register();
    return PostResult(FirstTestId(sample),
                      R"({"values": [")" + value + R"("], "unit": "mg/kg", "instrument": ")" + instrument + R"("})");
  }

  // The items of a list, by id.
  static std::map<std::string, Json> Items(const HttpReply& reply) {
    std::map<std::string, Json> out;
    Json body = ParseJsonObject(reply.body);
    if (body.isNull() || body->getArray("items").isNull()) return out;
    for (unsigned i = 0; i < body->getArray("items")->size(); ++i) {
      Json item = body->getArray("items")->getObject(i);
      out[JsonString(item, "id")] = item;
    }
    return out;
  }

  static std::vector<std::string> Ids(const HttpReply& reply) {
    std::vector<std::string> out;
    Json body = ParseJsonObject(reply.body);
    if (body.isNull() || body->getArray("items").isNull()) return out;
    for (unsigned i = 0; i < body->getArray("items")->size(); ++i) {
      out.push_back(JsonString(body->getArray("items")->getObject(i), "id"));
    }
    return out;
  }

  std::chrono::sys_days today_;
};

TEST_F(InstrumentTest, RegisterReadsBackWithItsRangesMethodsAndHistory) {
  const std::string id = RegisterInstrument("E2E-UV-1");
  ASSERT_FALSE(id.empty());
  const HttpReply got = limsd().Get("/api/v1/instruments/" + id);
  ASSERT_EQ(got.status, 200) << got.body;
  EXPECT_EQ(got.headers.at("ETag"), "\"1\"");
  Json r = ParseJsonObject(got.body);
  EXPECT_EQ(JsonString(r, "status"), "in_service");
  EXPECT_EQ(JsonString(r, "serial"), "E2E-UV-1");
  EXPECT_EQ(JsonStrings(r, "methods"), std::vector<std::string>{kCrViMethod});
  EXPECT_EQ(JsonString(JsonArrayObject(r, "ranges", 0), "max"), "100");
  EXPECT_EQ(JsonString(JsonArrayObject(r, "ranges", 0), "resolution"), "0.1");
  EXPECT_EQ(JsonString(JsonArrayObject(r, "status_history", 0), "reason"), "registered");
  EXPECT_TRUE(r->isNull("last_calibration"));
  EXPECT_EQ(JsonStrings(r, "refusals"),
            std::vector<std::string>{"not calibrated: no calibration on or before " + DaysFromToday(0)});

  ASSERT_EQ(Calibrate(id, DaysFromToday(-10), DaysFromToday(355)).status, 201);
  r = ParseJsonObject(limsd().Get("/api/v1/instruments/" + id).body);
  EXPECT_EQ(JsonString(r, "next_due"), DaysFromToday(355));
  EXPECT_EQ(r->getValue<int>("days_until_due"), 355);
  EXPECT_EQ(JsonString(JsonArrayObject(r, "calibrations", 0), "recorded_by"), LimsdProcess::kAdminUser);
  EXPECT_EQ(JsonStrings(r, "refusals"), std::vector<std::string>{});
  EXPECT_EQ(r->getValue<int>("version"), 2);
}

TEST_F(InstrumentTest, RegistrationIsCheckedAndASerialIsUniqueInTheLab) {
  ASSERT_FALSE(RegisterInstrument("E2E-DUP-1").empty());
  const HttpReply twin =
      Admin("POST", "/api/v1/instruments", R"({"name": "Twin", "type": "balance", "serial": "E2E-DUP-1"})");
  EXPECT_EQ(twin.status, 409) << twin.body;
  const HttpReply bad = Admin("POST", "/api/v1/instruments",
                              R"({"name": "Bad", "type": "tricorder", "serial": "E2E-BAD-1", "ranges":)"
                              R"( [{"quantity": "force", "unit": "N", "min": "500", "max": "5"}]})");
  EXPECT_EQ(bad.status, 422) << bad.body;
  EXPECT_EQ(FieldsOf(bad), (std::vector<std::string>{"type", "ranges[0].max"})) << bad.body;
  const HttpReply malformed = Admin("POST", "/api/v1/instruments",
                                    R"({"name": "Bad", "type": "balance", "serial": "E2E-BAD-2", "colour": "red",)"
                                    R"( "ranges": [{"quantity": "mass", "unit": "g", "min": "zero", "max": "220"}]})");
  EXPECT_EQ(malformed.status, 400) << malformed.body;
  EXPECT_EQ(FieldsOf(malformed), (std::vector<std::string>{"ranges[0].min", "colour"})) << malformed.body;
  const HttpReply due_before = Calibrate(RegisterInstrument("E2E-BAD-3"), DaysFromToday(-1), DaysFromToday(-1));
  EXPECT_EQ(due_before.status, 422) << due_before.body;
  EXPECT_EQ(FieldsOf(due_before), std::vector<std::string>{"due_date"});
}

TEST_F(InstrumentTest, DueWithinListsDueAndOverdueInstrumentsByDueDate) {
  const std::string soon = CalibratedInstrument("E2E-DUE-SOON", 10);
  const std::string overdue = CalibratedInstrument("E2E-DUE-OVER", -1);
  const std::string later = CalibratedInstrument("E2E-DUE-LATER", 100);
  const std::string never = RegisterInstrument("E2E-DUE-NEVER");
  const HttpReply due = limsd().Get("/api/v1/instruments?due_within=30d");
  ASSERT_EQ(due.status, 200) << due.body;
  std::vector<std::string> mine;
  for (const std::string& id : Ids(due)) {
    if (id == soon || id == overdue || id == later || id == never) mine.push_back(id);
  }
  EXPECT_EQ(mine, (std::vector<std::string>{never, overdue, soon})) << "uncalibrated first, then by due date";
  std::map<std::string, Json> items = Items(due);
  EXPECT_EQ(items[overdue]->getValue<int>("days_until_due"), -1);
  EXPECT_EQ(JsonString(items[overdue], "next_due"), DaysFromToday(-1));
  EXPECT_EQ(items[soon]->getValue<int>("days_until_due"), 10);
  EXPECT_TRUE(items[never]->isNull("days_until_due"));
  EXPECT_EQ(Items(limsd().Get("/api/v1/instruments?due_within=100d")).count(later), 1u) << "due on day N counts";
  EXPECT_EQ(Items(limsd().Get("/api/v1/instruments?due_within=99d")).count(later), 0u);
  EXPECT_EQ(Items(limsd().Get("/api/v1/instruments")).count(later), 1u);

  for (const char* bad : {"due_within=30", "due_within=-3d", "due_within=abc", "due_within=99999d"}) {
    const HttpReply reply = limsd().Get(std::string("/api/v1/instruments?") + bad);
    EXPECT_EQ(reply.status, 400) << bad;
    EXPECT_EQ(FieldsOf(reply), std::vector<std::string>{"due_within"}) << bad;
  }
  EXPECT_EQ(FieldsOf(limsd().Get("/api/v1/instruments?status=broken&type=tricorder")),
            (std::vector<std::string>{"status", "type"}));
}

TEST_F(InstrumentTest, AResultWithAnInstrumentInOrderIsAcceptedOnItsDueDate) {
  const std::string id = CalibratedInstrument("E2E-OK-1", 0);  // due today: the last valid day
  const HttpReply reply = EnterWith(id);
  ASSERT_EQ(reply.status, 201) << reply.body;
  EXPECT_EQ(JsonString(ParseJsonObject(reply.body), "instrument"), id);
}

TEST_F(InstrumentTest, AnOverdueInstrumentIsRefused) {
  const std::string id = CalibratedInstrument("E2E-OVERDUE-1", -1);  // due yesterday
  const HttpReply reply = EnterWith(id);
  EXPECT_EQ(reply.status, 422) << reply.body;
  EXPECT_EQ(Reasons(reply), std::vector<std::string>{"calibration overdue: due " + DaysFromToday(-1) + ", test date " +
                                                     DaysFromToday(0)});
  // Recalibrated today: usable again.
  ASSERT_EQ(Calibrate(id, DaysFromToday(0), DaysFromToday(365)).status, 201);
  EXPECT_EQ(EnterWith(id).status, 201);
}

TEST_F(InstrumentTest, AnInstrumentOutOfServiceIsRefusedUntilBackInService) {
  const std::string id = CalibratedInstrument("E2E-OOS-1", 200);
  const std::string path = "/api/v1/instruments/" + id + "/status";
  const HttpReply stale =
      limsd().CallAs(limsd().admin_token(), "POST", path, R"({"status": "out_of_service", "reason": "lamp failing"})",
                     {{"If-Match", "\"1\""}});
  EXPECT_EQ(stale.status, 409) << "version 2 after the calibration: " << stale.body;
  const HttpReply off = Admin("POST", path, R"({"status": "out_of_service", "reason": "lamp failing"})");
  ASSERT_EQ(off.status, 200) << off.body;
  EXPECT_EQ(JsonString(ParseJsonObject(off.body), "status"), "out_of_service");
  const HttpReply refused = EnterWith(id);
  EXPECT_EQ(refused.status, 422) << refused.body;
  ASSERT_EQ(Reasons(refused).size(), 1u) << refused.body;
  EXPECT_TRUE(StartsWith(Reasons(refused)[0], "out of service: status out_of_service since ")) << refused.body;
  EXPECT_NE(Reasons(refused)[0].find("(lamp failing)"), std::string::npos);

  ASSERT_EQ(Admin("POST", path, R"({"status": "under_repair", "reason": "sent to the vendor"})").status, 200);
  EXPECT_TRUE(StartsWith(Reasons(EnterWith(id)).at(0), "under repair: "));
  EXPECT_EQ(Admin("POST", path, R"({"status": "under_repair", "reason": "still there"})").status, 409);
  EXPECT_EQ(FieldsOf(Admin("POST", path, R"({"status": "in_service", "reason": ""})")),
            std::vector<std::string>{"reason"});
  ASSERT_EQ(Admin("POST", path, R"({"status": "in_service", "reason": "lamp replaced, verified"})").status, 200);
  EXPECT_EQ(EnterWith(id).status, 201);
  Json r = ParseJsonObject(limsd().Get("/api/v1/instruments/" + id).body);
  Poco::JSON::Array::Ptr history = r->getArray("status_history");
  ASSERT_EQ(history->size(), 4u);
  EXPECT_EQ(JsonString(history->getObject(3), "reason"), "lamp replaced, verified");
}

TEST_F(InstrumentTest, AFailedCheckRefusesUntilAPassingCheck) {
  const std::string id = CalibratedInstrument("E2E-CHK-1", 200);
  const std::string path = "/api/v1/instruments/" + id + "/checks";
  EXPECT_EQ(FieldsOf(limsd().Post(path, R"({"result": "fail"})")), std::vector<std::string>{"note"});
  const HttpReply failed = limsd().Post(path, R"({"result": "fail", "note": "K2Cr2O7 standard read 8 % high"})");
  ASSERT_EQ(failed.status, 201) << failed.body;
  EXPECT_EQ(JsonString(ParseJsonObject(failed.body), "date"), DaysFromToday(0));
  const HttpReply refused = EnterWith(id);
  EXPECT_EQ(refused.status, 422) << refused.body;
  EXPECT_EQ(Reasons(refused), std::vector<std::string>{"check failed: intermediate check of " + DaysFromToday(0) +
                                                       " failed (K2Cr2O7 standard read 8 % high)"});
  ASSERT_EQ(limsd().Post(path, R"({"result": "pass", "note": "after cleaning the cuvette"})").status, 201);
  EXPECT_EQ(EnterWith(id).status, 201);
}

TEST_F(InstrumentTest, AValueOutsideTheCalibratedRangeIsRefused) {
  const std::string id = CalibratedInstrument("E2E-RNG-1", 200);
  const HttpReply reply = EnterWith(id, "150");
  EXPECT_EQ(reply.status, 422) << reply.body;
  EXPECT_EQ(Reasons(reply), std::vector<std::string>{"out of range: values[0] 150 mg/kg is outside the calibrated "
                                                     "range 0 to 100 mg/kg (mass fraction)"});
  EXPECT_EQ(EnterWith(id, "100.0").status, 201) << "the range's bounds belong to it";
}

TEST_F(InstrumentTest, AMethodTheInstrumentDoesNotServeIsRefused) {
  const std::string id = CalibratedInstrument("E2E-MTH-1", 200, "EN ISO 13287");
  const HttpReply reply = EnterWith(id);
  EXPECT_EQ(reply.status, 422) << reply.body;
  EXPECT_EQ(Reasons(reply), std::vector<std::string>{"method not served: the test's method is \"EN ISO 17075-2\"; "
                                                     "the instrument serves \"EN ISO 13287\""});
}

TEST_F(InstrumentTest, AnUnknownInstrumentIsRefusedAndTheTestStaysPending) {
  Json sample = Register();
  const std::string test_id = FirstTestId(sample);
  const HttpReply reply = PostResult(test_id, R"({"values": ["1.2"], "unit": "mg/kg", "instrument": "UV-VIS-2"})");
  EXPECT_EQ(reply.status, 422) << reply.body;
  EXPECT_EQ(Reasons(reply), std::vector<std::string>{"unknown: no instrument \"UV-VIS-2\" in the registry"});
  EXPECT_EQ(JsonString(ParseJsonObject(limsd().Get("/api/v1/tests/" + test_id).body), "status"), "pending");
  // Without an instrument named, nothing is asked of the registry.
  EXPECT_EQ(PostResult(test_id, R"({"values": ["1.2"], "unit": "mg/kg"})").status, 201);
}

TEST_F(InstrumentTest, ExportersAndUnadmittedRolesAreRefused) {
  const std::string org = db().QueryValue("SELECT id FROM organizations WHERE iec = '0512345678'");
  const HttpReply user = Admin("POST", "/api/v1/users",
                               R"({"username": "inst-exporter", "password": "instrument exporter pass 5512",)"
                               R"( "name": "Exporter", "roles": ["exporter"], "organization": ")" +
                                   org + R"("})");
  ASSERT_EQ(user.status, 201) << user.body;
  const std::string exporter = limsd().Login("inst-exporter", "instrument exporter pass 5512");
  const std::string id = RegisterInstrument("E2E-403-1");
  for (const auto& [method, path] :
       std::vector<std::pair<std::string, std::string>>{{"GET", "/api/v1/instruments"},
                                                        {"GET", "/api/v1/instruments?due_within=30d"},
                                                        {"GET", "/api/v1/instruments/" + id},
                                                        {"POST", "/api/v1/instruments"},
                                                        {"POST", "/api/v1/instruments/" + id + "/status"},
                                                        {"POST", "/api/v1/instruments/" + id + "/calibrations"},
                                                        {"POST", "/api/v1/instruments/" + id + "/checks"}}) {
    EXPECT_EQ(limsd().CallAs(exporter, method, path, method == "GET" ? "" : "{}").status, 403) << method << path;
  }
  const HttpReply tech = Admin("POST", "/api/v1/users",
                               R"({"username": "inst-tech", "password": "instrument technician pass 7710",)"
                               R"( "name": "Technician", "roles": ["technician"]})");
  ASSERT_EQ(tech.status, 201) << tech.body;
  const std::string technician = limsd().Login("inst-tech", "instrument technician pass 7710");
  EXPECT_EQ(limsd().CallAs(technician, "POST", "/api/v1/instruments/" + id + "/checks", R"({"result": "pass"})").status,
            201);
  EXPECT_EQ(
      limsd()
          .CallAs(technician, "POST", "/api/v1/instruments/" + id + "/calibrations",
                  R"({"date": "2026-01-01", "due_date": "2027-01-01", "certificate": "C", "calibration_lab": "L",)"
                  R"( "result": "pass"})")
          .status,
      403);
  EXPECT_EQ(limsd().CallAs(technician, "GET", "/api/v1/instruments/" + id, "").status, 200);
}

}  // namespace
}  // namespace lims::testing
