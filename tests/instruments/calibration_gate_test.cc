// The calibration gate, condition by condition, with the boundary days exact.
#include "instruments/calibration_gate.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/support/test_support.h"

namespace lims::instruments {
namespace {

Timestamp At(const char* rfc3339) {
  return *ParseRfc3339(rfc3339);
}

Decimal Dec(const char* text) {
  return *Decimal::Parse(text);
}

CalibrationRecord Calibration(int64_t id, const char* date, const char* due, CalibrationResult result,
                              const char* recorded_at) {
  CalibrationRecord c;
  c.id = id;
  c.date = date;
  c.due_date = due;
  c.calibration_lab = "NABL CC-2291";
  c.certificate = "CAL-" + std::to_string(id);
  c.result = result;
  c.recorded_at = At(recorded_at);
  return c;
}

IntermediateCheck Check(int64_t id, const char* date, bool passed, const char* recorded_at) {
  IntermediateCheck c;
  c.id = id;
  c.date = date;
  c.passed = passed;
  c.note = passed ? "" : "200 g reference read 200.4 g";
  c.recorded_at = At(recorded_at);
  return c;
}

// A UV-Vis spectrophotometer calibrated on 2026-01-10, due 2026-10-31, serving EN ISO 17075-1 in
// 0-100 mg/kg; in service since registration.
InstrumentRecord Spectrophotometer() {
  InstrumentRecord r;
  r.id = 7;
  r.name = "UV-Vis spectrophotometer 2";
  r.type = "spectrophotometer";
  r.serial = "UV2-88231";
  r.methods = {"EN ISO 17075-1"};
  r.ranges = {{"mass fraction", "mg/kg", Dec("0"), Dec("100"), Dec("0.1")}};
  r.status_history = {{InstrumentStatus::kInService, "registered", At("2026-01-05T08:00:00Z"), 1, "admin"}};
  r.calibrations = {Calibration(1, "2026-01-10", "2026-10-31", CalibrationResult::kPass, "2026-01-11T09:00:00Z")};
  return r;
}

TestRecord CrViTest() {
  TestRecord t;
  t.id = 17;
  t.method = "EN ISO 17075-1";
  t.limit.unit = "mg/kg";
  return t;
}

ResultEntry Entry(std::vector<std::string> values, const char* unit = "mg/kg") {
  ResultEntry e;
  e.values = std::move(values);
  e.unit = unit;
  e.instrument = "7";
  return e;
}

// The reasons of the refusal's field errors, each on "instrument".
std::vector<std::string> Reasons(const Status& s) {
  std::vector<std::string> out;
  for (const FieldError& e : s.field_errors()) {
    EXPECT_EQ(e.field, "instrument");
    out.push_back(e.reason);
  }
  return out;
}

class CalibrationGateTest : public ::testing::Test {
 protected:
  Status Gate(const char* at, const ResultEntry& entry) const {
    return CheckCalibrationGate(&instrument_, "7", test_, entry, At(at));
  }
  Status Gate(const char* at) const { return Gate(at, Entry({"2.9", "3.1"})); }

  InstrumentRecord instrument_ = Spectrophotometer();
  TestRecord test_ = CrViTest();
};

TEST_F(CalibrationGateTest, AnInstrumentInServiceWithinItsCalibrationIsUsable) {
  EXPECT_OK(Gate("2026-06-15T10:00:00Z"));
}

TEST_F(CalibrationGateTest, UnknownInstrumentIsRefusedByName) {
  const Status s = CheckCalibrationGate(nullptr, "UV-VIS-9", test_, Entry({"2.9"}), At("2026-06-15T10:00:00Z"));
  EXPECT_EQ(s.code(), Status::Code::kUnprocessable);
  EXPECT_EQ(Reasons(s), std::vector<std::string>{"unknown: no instrument \"UV-VIS-9\" in the registry"});
}

// The due date is the last valid day: all of it, to its last second, and not a second more.
TEST_F(CalibrationGateTest, TheDueDateIsTheLastValidDay) {
  EXPECT_OK(Gate("2026-10-31T00:00:00Z"));
  EXPECT_OK(Gate("2026-10-31T23:59:59Z"));
  const Status next_day = Gate("2026-11-01T00:00:00Z");
  EXPECT_EQ(next_day.code(), Status::Code::kUnprocessable);
  EXPECT_EQ(Reasons(next_day), std::vector<std::string>{"calibration overdue: due 2026-10-31, test date 2026-11-01"});
  EXPECT_EQ(Reasons(Gate("2026-11-02T10:00:00Z")),
            std::vector<std::string>{"calibration overdue: due 2026-10-31, test date 2026-11-02"});
}

TEST_F(CalibrationGateTest, TheCalibrationDayItselfIsValid) {
  EXPECT_OK(Gate("2026-01-10T00:00:00Z"));
  // The day before, no calibration was in force yet.
  EXPECT_EQ(Reasons(Gate("2026-01-09T23:59:59Z")),
            std::vector<std::string>{"not calibrated: no calibration on or before 2026-01-09"});
}

TEST_F(CalibrationGateTest, NeverCalibratedIsRefused) {
  instrument_.calibrations.clear();
  EXPECT_EQ(Reasons(Gate("2026-06-15T10:00:00Z")),
            std::vector<std::string>{"not calibrated: no calibration on or before 2026-06-15"});
}

TEST_F(CalibrationGateTest, ARecalibrationPutsAnOverdueInstrumentBackInUse) {
  instrument_.calibrations.push_back(
      Calibration(2, "2026-11-03", "2027-11-02", CalibrationResult::kAdjusted, "2026-11-03T12:00:00Z"));
  EXPECT_FALSE(Gate("2026-11-02T10:00:00Z").ok()) << "the new calibration is not in force before its date";
  EXPECT_OK(Gate("2026-11-03T10:00:00Z"));
}

TEST_F(CalibrationGateTest, AFailedCalibrationIsRefusedAndNotReportedAsOverdue) {
  instrument_.calibrations.push_back(
      Calibration(2, "2026-06-01", "2027-05-31", CalibrationResult::kFail, "2026-06-01T12:00:00Z"));
  EXPECT_EQ(Reasons(Gate("2026-06-15T10:00:00Z")),
            std::vector<std::string>{"calibration failed: calibrated 2026-06-01 (certificate CAL-2), result fail"});
  EXPECT_TRUE(Gate("2026-05-31T10:00:00Z").ok()) << "before it, the earlier calibration was in force";
}

TEST_F(CalibrationGateTest, OutOfServiceAndUnderRepairAreRefused) {
  instrument_.status = InstrumentStatus::kOutOfService;
  instrument_.status_history.push_back(
      {InstrumentStatus::kOutOfService, "lamp failing", At("2026-06-01T09:00:00Z"), 1, "admin"});
  EXPECT_EQ(
      Reasons(Gate("2026-06-15T10:00:00Z")),
      std::vector<std::string>{"out of service: status out_of_service since 2026-06-01T09:00:00Z (lamp failing)"});
  instrument_.status = InstrumentStatus::kUnderRepair;
  instrument_.status_history.push_back(
      {InstrumentStatus::kUnderRepair, "sent to the vendor", At("2026-06-02T09:00:00Z"), 1, "admin"});
  EXPECT_EQ(
      Reasons(Gate("2026-06-15T10:00:00Z")),
      std::vector<std::string>{"under repair: status under_repair since 2026-06-02T09:00:00Z (sent to the vendor)"});
}

TEST_F(CalibrationGateTest, AResultTakenWhileTheInstrumentWasOutOfServiceIsRefused) {
  instrument_.status_history.push_back(
      {InstrumentStatus::kOutOfService, "lamp failing", At("2026-06-01T09:00:00Z"), 1, "admin"});
  instrument_.status_history.push_back(
      {InstrumentStatus::kInService, "lamp replaced", At("2026-06-03T09:00:00Z"), 1, "admin"});
  EXPECT_EQ(Reasons(Gate("2026-06-02T10:00:00Z")),
            std::vector<std::string>{"out of service: status out_of_service at 2026-06-02T10:00:00Z since "
                                     "2026-06-01T09:00:00Z (lamp failing)"});
  EXPECT_OK(Gate("2026-06-03T09:00:00Z"));
  EXPECT_OK(Gate("2026-05-31T10:00:00Z"));
}

TEST_F(CalibrationGateTest, AFailedCheckIsRefusedUntilALaterPassingCheck) {
  instrument_.checks = {Check(1, "2026-06-01", true, "2026-06-01T08:00:00Z"),
                        Check(2, "2026-06-10", false, "2026-06-10T08:00:00Z")};
  EXPECT_TRUE(Gate("2026-06-09T10:00:00Z").ok()) << "the failure is not known before its day";
  EXPECT_EQ(Reasons(Gate("2026-06-10T10:00:00Z")),
            std::vector<std::string>{"check failed: intermediate check of 2026-06-10 failed (200 g reference read "
                                     "200.4 g)"});
  // A repeat on the same day, recorded later, passes: it decides.
  instrument_.checks.push_back(Check(3, "2026-06-10", true, "2026-06-10T11:00:00Z"));
  EXPECT_OK(Gate("2026-06-10T12:00:00Z"));
}

TEST_F(CalibrationGateTest, AFailedCheckIsClearedByALaterCalibrationOnly) {
  instrument_.checks = {Check(1, "2026-06-10", false, "2026-06-10T08:00:00Z")};
  // Calibrated the same day but recorded before the check: the check still stands.
  instrument_.calibrations.push_back(
      Calibration(2, "2026-06-10", "2027-06-09", CalibrationResult::kPass, "2026-06-10T07:00:00Z"));
  EXPECT_FALSE(Gate("2026-06-11T10:00:00Z").ok());
  // Recalibrated after the failure: cleared.
  instrument_.calibrations.push_back(
      Calibration(3, "2026-06-10", "2027-06-09", CalibrationResult::kAdjusted, "2026-06-10T15:00:00Z"));
  EXPECT_OK(Gate("2026-06-11T10:00:00Z"));
}

TEST_F(CalibrationGateTest, AMethodTheInstrumentDoesNotServeIsRefused) {
  test_.method = "EN ISO 17234-1";
  EXPECT_EQ(Reasons(Gate("2026-06-15T10:00:00Z")),
            std::vector<std::string>{"method not served: the test's method is \"EN ISO 17234-1\"; the instrument "
                                     "serves \"EN ISO 17075-1\""});
  test_.method = "  en iso   17075-1 ";  // the same method, written differently
  EXPECT_OK(Gate("2026-06-15T10:00:00Z"));
  test_.method = "";  // a test without a method names none to check
  EXPECT_OK(Gate("2026-06-15T10:00:00Z"));
}

TEST_F(CalibrationGateTest, AValueOutsideTheCalibratedRangeIsRefusedInclusiveBounds) {
  EXPECT_OK(Gate("2026-06-15T10:00:00Z", Entry({"0", "100.0"})));
  const Status s = Gate("2026-06-15T10:00:00Z", Entry({"2.9", "100.1"}));
  EXPECT_EQ(s.code(), Status::Code::kUnprocessable);
  EXPECT_EQ(Reasons(s), std::vector<std::string>{"out of range: values[1] 100.1 mg/kg is outside the calibrated "
                                                 "range 0 to 100 mg/kg (mass fraction)"});
}

TEST_F(CalibrationGateTest, TheRangeIsCheckedInTheRangesUnit) {
  EXPECT_OK(Gate("2026-06-15T10:00:00Z", Entry({"0.0099"}, "% w/w")));  // 99 mg/kg
  EXPECT_FALSE(Gate("2026-06-15T10:00:00Z", Entry({"0.0101"}, "% w/w")).ok());
  EXPECT_OK(Gate("2026-06-15T10:00:00Z", Entry({"99000"}, "µg/kg")));
}

TEST_F(CalibrationGateTest, NonNumericReportsAreNotRangeChecked) {
  EXPECT_OK(Gate("2026-06-15T10:00:00Z", Entry({"nd", "<0.5", ">500", "pass"})));
}

TEST_F(CalibrationGateTest, AUnitWithoutARangeOfItsDimensionIsNotRangeChecked) {
  EXPECT_OK(Gate("2026-06-15T10:00:00Z", Entry({"5000"}, "N/mm")));
  EXPECT_OK(Gate("2026-06-15T10:00:00Z", Entry({"5000"}, "")));
}

TEST_F(CalibrationGateTest, AValueWithinAnyOfSeveralRangesOfItsDimensionPasses) {
  instrument_.ranges = {{"force", "N", Dec("0"), Dec("500"), std::nullopt},
                        {"force", "kN", Dec("0.5"), Dec("50"), std::nullopt}};
  EXPECT_OK(Gate("2026-06-15T10:00:00Z", Entry({"120", "4800"}, "N")));
  EXPECT_EQ(Reasons(Gate("2026-06-15T10:00:00Z", Entry({"60"}, "kN"))),
            std::vector<std::string>{"out of range: values[0] 60 kN is outside the calibrated range 0 to 500 N; 0.5 "
                                     "to 50 kN (force)"});
}

TEST_F(CalibrationGateTest, EveryConditionFoundIsNamedAndTheMessageSummarisesThem) {
  instrument_.status = InstrumentStatus::kOutOfService;
  test_.method = "EN ISO 17234-1";
  const Status s = Gate("2026-11-02T10:00:00Z", Entry({"120"}));
  const std::vector<std::string> reasons = Reasons(s);
  ASSERT_EQ(reasons.size(), 4u);
  EXPECT_EQ(reasons[0].rfind("out of service: ", 0), 0u);
  EXPECT_EQ(reasons[1].rfind("calibration overdue: ", 0), 0u);
  EXPECT_EQ(reasons[2].rfind("method not served: ", 0), 0u);
  EXPECT_EQ(reasons[3].rfind("out of range: ", 0), 0u);
  EXPECT_EQ(s.message(),
            "instrument \"7\" may not be used: out of service; calibration overdue; method not served; out of range");
}

TEST(StatusAtTest, FollowsTheHistory) {
  InstrumentRecord r = Spectrophotometer();
  r.status_history.push_back({InstrumentStatus::kUnderRepair, "motor", At("2026-03-01T00:00:00Z"), 1, "a"});
  EXPECT_EQ(StatusAt(r, At("2026-01-01T00:00:00Z")), InstrumentStatus::kInService);  // before registration
  EXPECT_EQ(StatusAt(r, At("2026-02-28T23:59:59Z")), InstrumentStatus::kInService);
  EXPECT_EQ(StatusAt(r, At("2026-03-01T00:00:00Z")), InstrumentStatus::kUnderRepair);
  r.status_history.clear();
  r.status = InstrumentStatus::kOutOfService;
  EXPECT_EQ(StatusAt(r, At("2026-03-01T00:00:00Z")), InstrumentStatus::kOutOfService);
}

}  // namespace
}  // namespace lims::instruments
