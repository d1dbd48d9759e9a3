// The registry's value types: names, days, method matching and the checks on new records.
#include "instruments/instrument.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/support/test_support.h"

namespace lims::instruments {
namespace {

Decimal Dec(const char* text) {
  return *Decimal::Parse(text);
}

Day D(const char* text) {
  return *ParseDay(text);
}

std::vector<std::string> Fields(const Status& s) {
  std::vector<std::string> out;
  for (const FieldError& e : s.field_errors()) out.push_back(e.field);
  return out;
}

InstrumentRecord Utm() {
  InstrumentRecord r;
  r.name = "Universal testing machine 1";
  r.type = "universal_testing_machine";
  r.make = "Instron";
  r.model = "3345";
  r.serial = "3345K1187";
  r.location = "Physical lab, bay 2";
  r.methods = {"EN ISO 20344:2021 5.2", "EN ISO 17707"};
  r.ranges = {{"force", "N", Dec("2"), Dec("5000"), Dec("0.01")}};
  return r;
}

CalibrationRecord Calibration() {
  CalibrationRecord c;
  c.date = "2026-01-10";
  c.due_date = "2027-01-10";
  c.calibration_lab = "NABL CC-2291";
  c.certificate = "CAL-2026-0142";
  c.uncertainty = "0.3 %";
  return c;
}

TEST(InstrumentNamesTest, StatusesAndResultsRoundTrip) {
  for (InstrumentStatus s :
       {InstrumentStatus::kInService, InstrumentStatus::kOutOfService, InstrumentStatus::kUnderRepair}) {
    EXPECT_EQ(*ParseInstrumentStatus(InstrumentStatusName(s)), s);
  }
  for (CalibrationResult r : {CalibrationResult::kPass, CalibrationResult::kAdjusted, CalibrationResult::kFail}) {
    EXPECT_EQ(*ParseCalibrationResult(CalibrationResultName(r)), r);
  }
  EXPECT_FALSE(ParseInstrumentStatus("broken").ok());
  EXPECT_FALSE(ParseCalibrationResult("ok").ok());
}

TEST(InstrumentNamesTest, TheIssuesTypesAreKnown) {
  for (const char* type : {"universal_testing_machine", "slip_tester", "impact_tester", "flexometer", "abrasion_tester",
                           "balance", "ph_meter", "spectrophotometer", "gc_ms", "icp_oes", "climate_chamber"}) {
    EXPECT_TRUE(IsInstrumentType(type)) << type;
  }
  EXPECT_FALSE(IsInstrumentType("Balance"));
  EXPECT_FALSE(IsInstrumentType(""));
}

TEST(DayTest, ParsesFormatsAndTakesTheUtcDayOfATime) {
  EXPECT_EQ(FormatDay(D("2028-02-29")), "2028-02-29");
  EXPECT_FALSE(ParseDay("2026-02-29").has_value());
  EXPECT_FALSE(ParseDay("2026-1-10").has_value());
  EXPECT_EQ(FormatDay(DayOf(*ParseRfc3339("2026-10-31T23:59:59Z"))), "2026-10-31");
  EXPECT_EQ(FormatDay(DayOf(*ParseRfc3339("2026-11-01T00:00:00Z"))), "2026-11-01");
}

TEST(MethodTest, ComparesTrimmedCaseInsensitiveWithBlanksFolded) {
  EXPECT_TRUE(SameMethod("EN ISO 13287", " en  iso 13287 "));
  EXPECT_FALSE(SameMethod("EN ISO 13287", "EN ISO 1328"));
  EXPECT_FALSE(SameMethod("EN ISO 17075-1", "EN ISO 17075-1 / EN ISO 17075-2"));
  InstrumentRecord r = Utm();
  EXPECT_TRUE(ServesMethod(r, "EN ISO 17707"));
  EXPECT_FALSE(ServesMethod(r, "EN ISO 13287"));
}

TEST(ValidateInstrumentTest, AcceptsACompleteInstrument) {
  EXPECT_OK(ValidateInstrument(Utm()));
  InstrumentRecord bare = Utm();
  bare.make = bare.model = bare.location = "";
  bare.ranges.clear();
  bare.methods.clear();
  EXPECT_OK(ValidateInstrument(bare));
}

TEST(ValidateInstrumentTest, NamesEveryBadField) {
  InstrumentRecord r = Utm();
  r.name = " ";
  r.type = "tricorder";
  r.serial = "";
  r.methods = {"EN ISO 17707", "en iso 17707", ""};
  r.ranges = {{"", "furlong", Dec("5"), Dec("5"), Dec("0")}, {"force", "kN", Dec("0"), Dec("5"), std::nullopt}};
  const Status s = ValidateInstrument(r);
  EXPECT_EQ(s.code(), Status::Code::kUnprocessable);
  EXPECT_EQ(Fields(s), (std::vector<std::string>{"name", "type", "serial", "ranges[0].quantity", "ranges[0].unit",
                                                 "ranges[0].max", "ranges[0].resolution", "methods[1]", "methods[2]"}));
}

TEST(ValidateInstrumentTest, MinMustBeBelowMax) {
  InstrumentRecord r = Utm();
  r.ranges = {{"force", "N", Dec("5000"), Dec("2"), std::nullopt}};
  const Status s = ValidateInstrument(r);
  ASSERT_EQ(s.field_errors().size(), 1u);
  EXPECT_EQ(s.field_errors()[0].field, "ranges[0].max");
  EXPECT_EQ(s.field_errors()[0].reason, "must be greater than min (5000)");
}

TEST(ValidateCalibrationTest, DueDateMustFollowTheCalibrationDate) {
  const Day today = D("2026-03-01");
  EXPECT_OK(ValidateCalibration(Calibration(), today));
  CalibrationRecord c = Calibration();
  c.due_date = c.date;
  const Status same = ValidateCalibration(c, today);
  EXPECT_EQ(same.code(), Status::Code::kUnprocessable);
  EXPECT_EQ(Fields(same), std::vector<std::string>{"due_date"});
  c.due_date = "2025-12-31";
  EXPECT_EQ(Fields(ValidateCalibration(c, today)), std::vector<std::string>{"due_date"});
}

TEST(ValidateCalibrationTest, RefusesFutureAndMalformedDatesAndMissingReferences) {
  CalibrationRecord c = Calibration();
  EXPECT_OK(ValidateCalibration(c, D("2026-01-10")));  // recorded on the day it was done
  EXPECT_EQ(Fields(ValidateCalibration(c, D("2026-01-09"))), std::vector<std::string>{"date"});
  c.date = "2026-13-01";
  c.due_date = "soon";
  c.calibration_lab = "";
  c.certificate = " ";
  EXPECT_EQ(Fields(ValidateCalibration(c, D("2026-03-01"))),
            (std::vector<std::string>{"date", "due_date", "calibration_lab", "certificate"}));
}

TEST(ValidateCheckTest, AFailedCheckNeedsANote) {
  IntermediateCheck check;
  check.date = "2026-03-01";
  check.passed = true;
  EXPECT_OK(ValidateCheck(check, D("2026-03-01")));
  check.passed = false;
  const Status s = ValidateCheck(check, D("2026-03-01"));
  ASSERT_EQ(Fields(s), std::vector<std::string>{"note"});
  EXPECT_EQ(s.field_errors()[0].reason, "is required for a failed check: say what was found");
  check.note = "pH 7.00 buffer read 7.12";
  EXPECT_OK(ValidateCheck(check, D("2026-03-01")));
  EXPECT_EQ(Fields(ValidateCheck(check, D("2026-02-28"))), std::vector<std::string>{"date"});
}

TEST(ValidateStatusChangeTest, NeedsAReasonAndAChange) {
  InstrumentRecord r = Utm();
  r.id = 3;
  EXPECT_OK(ValidateStatusChange(r, InstrumentStatus::kUnderRepair, "load cell drift"));
  EXPECT_EQ(Fields(ValidateStatusChange(r, InstrumentStatus::kUnderRepair, " ok ")),
            std::vector<std::string>{"reason"});
  const Status same = ValidateStatusChange(r, InstrumentStatus::kInService, "back from service");
  EXPECT_EQ(same.code(), Status::Code::kConflict);
  EXPECT_EQ(same.message(), "instrument 3 is already in_service; it can go to out_of_service or under_repair");
}

}  // namespace
}  // namespace lims::instruments
