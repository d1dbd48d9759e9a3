#include "lims/core/workflow.h"

#include <gtest/gtest.h>

#include <array>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "tests/support/test_support.h"

namespace lims {
namespace {

using ::lims::testing::D;
using ::lims::testing::Fields;

bool Mentions(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// ---- Test state machine ---------------------------------------------------------------------

constexpr std::array<TestStatus, 5> kAllTestStatuses = {
    TestStatus::kPending, TestStatus::kEntered, TestStatus::kApproved, TestStatus::kRejected, TestStatus::kInvalidated};

// The whole table: every pair not listed here must be refused.
std::set<std::pair<TestStatus, TestStatus>> TestMoves() {
  return {
      {TestStatus::kPending, TestStatus::kEntered},      {TestStatus::kEntered, TestStatus::kApproved},
      {TestStatus::kEntered, TestStatus::kRejected},     {TestStatus::kEntered, TestStatus::kInvalidated},
      {TestStatus::kRejected, TestStatus::kEntered},     {TestStatus::kRejected, TestStatus::kInvalidated},
      {TestStatus::kApproved, TestStatus::kInvalidated},
  };
}

TEST(TestTransitions, EveryPairFollowsTheTable) {
  for (TestStatus from : kAllTestStatuses) {
    for (TestStatus to : kAllTestStatuses) {
      const bool allowed = TestMoves().count({from, to}) > 0;
      Status s = CheckTestTransition(12, from, to);
      EXPECT_EQ(s.ok(), allowed) << TestStatusName(from) << " -> " << TestStatusName(to) << ": " << s.ToString();
      if (!allowed) {
        EXPECT_EQ(s.code(), Status::Code::kConflict);
      }
    }
  }
}

TEST(TestTransitions, AllowedListAgreesWithTheCheck) {
  for (TestStatus from : kAllTestStatuses) {
    for (TestStatus to : AllowedTestTransitions(from)) EXPECT_OK(CheckTestTransition(1, from, to));
  }
  EXPECT_EQ(AllowedTestTransitions(TestStatus::kEntered),
            (std::vector<TestStatus>{TestStatus::kApproved, TestStatus::kRejected, TestStatus::kInvalidated}));
}

TEST(TestTransitions, RefusalNamesTheTestItsStateAndWhereItCanGo) {
  EXPECT_EQ(CheckTestTransition(12, TestStatus::kApproved, TestStatus::kEntered).message(),
            "test 12 is approved; it can go to: invalidated");
  EXPECT_EQ(CheckTestTransition(3, TestStatus::kRejected, TestStatus::kApproved).message(),
            "test 3 is rejected; it can go to: entered, invalidated");
  EXPECT_EQ(CheckTestTransition(4, TestStatus::kInvalidated, TestStatus::kPending).message(),
            "test 4 is invalidated; it can go to: nothing (final)");
}

// ---- Sample state machine -------------------------------------------------------------------

constexpr std::array<SampleStatus, 5> kAllSampleStatuses = {SampleStatus::kReceived, SampleStatus::kInTesting,
                                                            SampleStatus::kUnderReview, SampleStatus::kReady,
                                                            SampleStatus::kIssued};

std::set<std::pair<SampleStatus, SampleStatus>> SampleMoves() {
  return {
      {SampleStatus::kReceived, SampleStatus::kInTesting}, {SampleStatus::kReceived, SampleStatus::kUnderReview},
      {SampleStatus::kReceived, SampleStatus::kReady},     {SampleStatus::kInTesting, SampleStatus::kUnderReview},
      {SampleStatus::kInTesting, SampleStatus::kReady},    {SampleStatus::kUnderReview, SampleStatus::kInTesting},
      {SampleStatus::kUnderReview, SampleStatus::kReady},  {SampleStatus::kReady, SampleStatus::kInTesting},
      {SampleStatus::kReady, SampleStatus::kUnderReview},  {SampleStatus::kReady, SampleStatus::kIssued},
  };
}

TEST(SampleTransitions, EveryPairFollowsTheTable) {
  for (SampleStatus from : kAllSampleStatuses) {
    for (SampleStatus to : kAllSampleStatuses) {
      const bool allowed = SampleMoves().count({from, to}) > 0;
      Status s = CheckSampleTransition("AGR-2026-000001", from, to);
      EXPECT_EQ(s.ok(), allowed) << SampleStatusName(from) << " -> " << SampleStatusName(to) << ": " << s.ToString();
      if (!allowed) {
        EXPECT_EQ(s.code(), Status::Code::kConflict);
      }
    }
  }
}

TEST(SampleTransitions, AllowedListAgreesWithTheCheck) {
  for (SampleStatus from : kAllSampleStatuses) {
    for (SampleStatus to : AllowedSampleTransitions(from)) EXPECT_OK(CheckSampleTransition("X", from, to));
  }
}

TEST(SampleTransitions, OnlyAReadySampleIssues) {
  for (SampleStatus from : kAllSampleStatuses) {
    EXPECT_EQ(CheckSampleTransition("AGR-2026-000001", from, SampleStatus::kIssued).ok(), from == SampleStatus::kReady)
        << SampleStatusName(from);
  }
}

TEST(SampleTransitions, RefusalNamesTheSample) {
  EXPECT_EQ(CheckSampleTransition("AGR-2026-000001", SampleStatus::kIssued, SampleStatus::kReady).message(),
            "sample AGR-2026-000001 is issued; it can go to: nothing (final)");
  EXPECT_EQ(CheckSampleTransition("AGR-2026-000001", SampleStatus::kUnderReview, SampleStatus::kIssued).message(),
            "sample AGR-2026-000001 is under_review; it can go to: in_testing, ready");
}

// ---- DeriveSampleStatus ---------------------------------------------------------------------

using TS = TestStatus;

TEST(DeriveSampleStatus, NoTestsMeansReceivedUntilHandedOver) {
  EXPECT_EQ(DeriveSampleStatus({}, false), SampleStatus::kReceived);
  EXPECT_EQ(DeriveSampleStatus({}, true), SampleStatus::kInTesting);
}

TEST(DeriveSampleStatus, FollowsTheTestsStates) {
  struct Case {
    std::vector<TestStatus> tests;
    bool handed_over;
    SampleStatus expected;
  };
  const Case cases[] = {
      {{TS::kPending, TS::kPending}, false, SampleStatus::kReceived},
      {{TS::kPending, TS::kPending}, true, SampleStatus::kInTesting},
      {{TS::kPending, TS::kEntered}, false, SampleStatus::kInTesting},
      {{TS::kApproved, TS::kRejected}, false, SampleStatus::kInTesting},
      {{TS::kRejected}, false, SampleStatus::kInTesting},
      {{TS::kEntered, TS::kEntered}, false, SampleStatus::kUnderReview},
      {{TS::kEntered, TS::kApproved}, true, SampleStatus::kUnderReview},
      {{TS::kApproved}, false, SampleStatus::kReady},
      {{TS::kApproved, TS::kApproved}, true, SampleStatus::kReady},
      // Invalidated tests are history: only their replacements count.
      {{TS::kInvalidated, TS::kApproved}, false, SampleStatus::kReady},
      {{TS::kInvalidated, TS::kPending}, true, SampleStatus::kInTesting},
      {{TS::kInvalidated}, false, SampleStatus::kReceived},
  };
  for (const Case& c : cases) {
    std::string what;
    for (TestStatus t : c.tests) what += std::string(TestStatusName(t)) + " ";
    EXPECT_EQ(DeriveSampleStatus(c.tests, c.handed_over), c.expected) << what << "handed_over=" << c.handed_over;
  }
}

TEST(DeriveSampleStatus, NeverDerivesIssued) {
  for (TestStatus a : kAllTestStatuses) {
    for (TestStatus b : kAllTestStatuses) {
      for (bool handed : {false, true}) EXPECT_NE(DeriveSampleStatus({a, b}, handed), SampleStatus::kIssued);
    }
  }
}

// ---- Custody --------------------------------------------------------------------------------

TEST(CustodyKind, NamesRoundTrip) {
  const std::vector<std::pair<CustodyKind, std::string>> kinds = {
      {CustodyKind::kReceived, "received"}, {CustodyKind::kSplit, "split"},
      {CustodyKind::kMoved, "moved"},       {CustodyKind::kHandedToTest, "handed_to_test"},
      {CustodyKind::kConsumed, "consumed"}, {CustodyKind::kReturned, "returned"},
      {CustodyKind::kRetained, "retained"}, {CustodyKind::kDisposed, "disposed"},
  };
  for (const auto& [kind, name] : kinds) {
    EXPECT_EQ(CustodyKindName(kind), name);
    Result<CustodyKind> parsed = ParseCustodyKind(name);
    ASSERT_OK(parsed);
    EXPECT_EQ(*parsed, kind);
  }
}

TEST(CustodyKind, UnknownNameIsInvalid) {
  Result<CustodyKind> parsed = ParseCustodyKind("lost");
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.status().code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(Fields(parsed.status()), std::vector<std::string>{"event"});
}

CustodyRequest Request(CustodyKind kind) {
  CustodyRequest r;
  r.kind = kind;
  return r;
}

TEST(ValidateCustody, EachKindNeedsItsFields) {
  struct Case {
    CustodyKind kind;
    std::vector<std::string> missing;
  };
  const Case cases[] = {
      {CustodyKind::kSplit, {}},
      {CustodyKind::kMoved, {"location"}},
      {CustodyKind::kReturned, {"location"}},
      {CustodyKind::kRetained, {"location", "retain_until"}},
      {CustodyKind::kConsumed, {"note"}},
      {CustodyKind::kDisposed, {"note"}},
      {CustodyKind::kHandedToTest, {"test"}},
  };
  for (const Case& c : cases) {
    Status s = ValidateCustody(Request(c.kind), {"received"});
    EXPECT_EQ(Fields(s), c.missing) << CustodyKindName(c.kind) << ": " << s.ToString();
    if (!c.missing.empty()) {
      EXPECT_EQ(s.code(), Status::Code::kUnprocessable);
    }
  }
}

TEST(ValidateCustody, CompleteEventsPass) {
  CustodyRequest moved = Request(CustodyKind::kMoved);
  moved.location = "R2-S4";
  EXPECT_OK(ValidateCustody(moved, {"received"}));

  CustodyRequest handed = Request(CustodyKind::kHandedToTest);
  handed.test_id = 12;
  handed.portion = "AGR-2026-000001-P1";
  EXPECT_OK(ValidateCustody(handed, {"received", "split"}));

  CustodyRequest retained = Request(CustodyKind::kRetained);
  retained.location = "Retention store, shelf 3";
  retained.retain_until = "2028-02-29";
  EXPECT_OK(ValidateCustody(retained, {"received"}));

  CustodyRequest disposed = Request(CustodyKind::kDisposed);
  disposed.note = "Incinerated with batch 44 after the retention period";
  EXPECT_OK(ValidateCustody(disposed, {"received", "retained"}));
}

TEST(ValidateCustody, BlankTextCountsAsMissing) {
  CustodyRequest moved = Request(CustodyKind::kMoved);
  moved.location = "   ";
  EXPECT_EQ(Fields(ValidateCustody(moved, {})), std::vector<std::string>{"location"});
  CustodyRequest handed = Request(CustodyKind::kHandedToTest);
  handed.test_id = 0;
  EXPECT_EQ(Fields(ValidateCustody(handed, {})), std::vector<std::string>{"test"});
}

TEST(ValidateCustody, RetainUntilMustBeACalendarDate) {
  for (const char* date : {"2026-02-29", "2026-13-01", "2026-04-31", "2026-00-10", "2026-1-05", "26-01-05",
                           "2026/01/05", "2026-01-05T00:00", "tomorrow"}) {
    CustodyRequest r = Request(CustodyKind::kRetained);
    r.location = "Retention store";
    r.retain_until = date;
    EXPECT_EQ(Fields(ValidateCustody(r, {})), std::vector<std::string>{"retain_until"}) << date;
  }
  for (const char* date : {"2026-12-31", "2028-02-29", "2000-02-29", "2026-01-01"}) {
    CustodyRequest r = Request(CustodyKind::kRetained);
    r.location = "Retention store";
    r.retain_until = date;
    EXPECT_OK(ValidateCustody(r, {}));
  }
}

TEST(ValidateCustody, ReceivedIsForIntakeOnly) {
  Status s = ValidateCustody(Request(CustodyKind::kReceived), {});
  EXPECT_EQ(s.code(), Status::Code::kUnprocessable);
  EXPECT_EQ(Fields(s), std::vector<std::string>{"event"});
}

TEST(ValidateCustody, NothingFollowsADisposal) {
  for (CustodyKind kind : {CustodyKind::kSplit, CustodyKind::kMoved, CustodyKind::kDisposed}) {
    CustodyRequest r = Request(kind);
    r.location = "R1";
    r.note = "again";
    Status s = ValidateCustody(r, {"received", "disposed"});
    EXPECT_EQ(s.code(), Status::Code::kConflict) << CustodyKindName(kind);
    EXPECT_TRUE(Mentions(s.message(), "disposed")) << s.message();
  }
}

TEST(ValidateCustody, RefusesOverlongText) {
  CustodyRequest r = Request(CustodyKind::kMoved);
  r.location = std::string(101, 'L');
  r.note = std::string(1001, 'n');
  EXPECT_EQ(Fields(ValidateCustody(r, {})), (std::vector<std::string>{"location", "note"}));
}

// ---- Conditions -----------------------------------------------------------------------------

TEST(CheckConditions, AcceptsTheInclusiveRangesAndAbsentValues) {
  EXPECT_OK(CheckConditions({}));
  EXPECT_OK(CheckConditions({D("23.0"), D("50")}));
  EXPECT_OK(CheckConditions({D("-40"), D("0")}));
  EXPECT_OK(CheckConditions({D("100"), D("100")}));
}

TEST(CheckConditions, NamesTheFieldAndTheRange) {
  Status s = CheckConditions({D("-40.1"), D("100.5")});
  EXPECT_EQ(s.code(), Status::Code::kUnprocessable);
  ASSERT_EQ(Fields(s), (std::vector<std::string>{"temperature_c", "humidity_pct"}));
  EXPECT_TRUE(Mentions(s.field_errors()[0].reason, "-40 to 100")) << s.ToString();
  EXPECT_TRUE(Mentions(s.field_errors()[1].reason, "0 to 100")) << s.ToString();
  EXPECT_EQ(Fields(CheckConditions({D("100.01"), std::nullopt})), std::vector<std::string>{"temperature_c"});
  EXPECT_EQ(Fields(CheckConditions({std::nullopt, D("-1")})), std::vector<std::string>{"humidity_pct"});
}

// ---- Physical plausibility ------------------------------------------------------------------

TEST(CheckPhysicallyPossible, RefusesNegativeQuantities) {
  for (const char* unit : {"mg/kg", "mg", "g", "mm", "N", "kN", "J", "s", "min", "h", "1", "%", "kΩ"}) {
    Status s = CheckPhysicallyPossible({"1.5", "-0.2"}, unit);
    EXPECT_EQ(s.code(), Status::Code::kUnprocessable) << unit;
    EXPECT_EQ(Fields(s), std::vector<std::string>{"values[1]"}) << unit;
  }
}

TEST(CheckPhysicallyPossible, NamesTheQuantity) {
  EXPECT_EQ(CheckPhysicallyPossible({"-1"}, "mg/kg").field_errors()[0].reason, "a mass fraction cannot be negative");
  EXPECT_EQ(CheckPhysicallyPossible({"-1"}, "J").field_errors()[0].reason, "an energy cannot be negative");
  EXPECT_EQ(CheckPhysicallyPossible({"-1"}, "N").field_errors()[0].reason, "a force cannot be negative");
  EXPECT_EQ(CheckPhysicallyPossible({"-1"}, "min").field_errors()[0].reason, "a time cannot be negative");
  EXPECT_EQ(CheckPhysicallyPossible({"-1"}, "1").field_errors()[0].reason, "a count cannot be negative");
}

TEST(CheckPhysicallyPossible, AllowsSignedQuantities) {
  EXPECT_OK(CheckPhysicallyPossible({"-2.5"}, "°C"));
  EXPECT_OK(CheckPhysicallyPossible({"-0.1"}, "pH"));
}

TEST(CheckPhysicallyPossible, PercentCannotExceed100) {
  EXPECT_OK(CheckPhysicallyPossible({"0", "100", "100.0"}, "%"));
  Status s = CheckPhysicallyPossible({"30", "100.1"}, "%");
  ASSERT_EQ(Fields(s), std::vector<std::string>{"values[1]"});
  EXPECT_EQ(s.field_errors()[0].reason, "cannot exceed 100 %");
}

TEST(CheckPhysicallyPossible, MassFractionCannotExceedTheWhole) {
  EXPECT_OK(CheckPhysicallyPossible({"100"}, "% w/w"));
  EXPECT_OK(CheckPhysicallyPossible({"1000000"}, "mg/kg"));
  EXPECT_EQ(Fields(CheckPhysicallyPossible({"100.5"}, "% w/w")), std::vector<std::string>{"values[0]"});
  EXPECT_EQ(Fields(CheckPhysicallyPossible({"1000001"}, "mg/kg")), std::vector<std::string>{"values[0]"});
  EXPECT_OK(CheckPhysicallyPossible({"250"}, "N"));  // no upper bound outside fractions
}

TEST(CheckPhysicallyPossible, SkipsWhatIsNotANumber) {
  EXPECT_OK(CheckPhysicallyPossible({"nd", "pass", "<0.5", "-", "n.d."}, "mg/kg"));
  EXPECT_EQ(Fields(CheckPhysicallyPossible({"nd", "-3"}, "mg/kg")), std::vector<std::string>{"values[1]"});
}

TEST(CheckPhysicallyPossible, UnknownUnitIsLeftToResultParsing) {
  EXPECT_OK(CheckPhysicallyPossible({"-3"}, "furlongs"));
}

TEST(CheckPhysicallyPossible, AcceptsTheMicroSignSpellings) {
  EXPECT_EQ(Fields(CheckPhysicallyPossible({"-1"}, "\xCE\xBCg/kg")), std::vector<std::string>{"values[0]"});
}

// ---- Review ---------------------------------------------------------------------------------

TEST(ParseReviewDecision, KnowsApproveAndReject) {
  ASSERT_OK(ParseReviewDecision("approve"));
  EXPECT_EQ(*ParseReviewDecision("approve"), ReviewDecision::kApprove);
  EXPECT_EQ(*ParseReviewDecision("reject"), ReviewDecision::kReject);
  Result<ReviewDecision> bad = ParseReviewDecision("Approve");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), Status::Code::kInvalidArgument);
  EXPECT_FALSE(ParseReviewDecision("").ok());
}

TEST(CheckReview, AnotherPersonMayApproveWithoutComment) {
  EXPECT_OK(CheckReview(7, 8, ReviewDecision::kApprove, ""));
  EXPECT_OK(CheckReview(7, 8, ReviewDecision::kReject, "Blank not subtracted; re-run with a reagent blank"));
}

TEST(CheckReview, FourEyesRule) {
  for (ReviewDecision d : {ReviewDecision::kApprove, ReviewDecision::kReject}) {
    Status s = CheckReview(7, 7, d, "looks fine");
    EXPECT_EQ(s.code(), Status::Code::kUnprocessable);
    ASSERT_EQ(Fields(s), std::vector<std::string>{"reviewer"});
    EXPECT_EQ(s.field_errors()[0].reason,
              "the reviewer entered this result; a second person must review it (four-eyes rule)");
  }
}

TEST(CheckReview, RejectionNeedsAComment) {
  EXPECT_EQ(Fields(CheckReview(7, 8, ReviewDecision::kReject, "")), std::vector<std::string>{"comment"});
  EXPECT_EQ(Fields(CheckReview(7, 8, ReviewDecision::kReject, " \t\n")), std::vector<std::string>{"comment"});
  EXPECT_EQ(Fields(CheckReview(7, 7, ReviewDecision::kReject, "")), (std::vector<std::string>{"reviewer", "comment"}));
}

// ---- Retest ---------------------------------------------------------------------------------

TEST(CheckRetestReason, NeedsFiveCharactersAfterTrimming) {
  EXPECT_OK(CheckRetestReason("drift"));
  EXPECT_OK(CheckRetestReason("  Balance out of calibration  "));
  for (const char* reason : {"", "    ", "oops", "  bad  ", "\tabc\n"}) {
    Status s = CheckRetestReason(reason);
    EXPECT_EQ(s.code(), Status::Code::kUnprocessable) << reason;
    EXPECT_EQ(Fields(s), std::vector<std::string>{"reason"}) << reason;
  }
}

TEST(CheckRetestReason, CountsCharactersNotBytes) {
  EXPECT_OK(CheckRetestReason("\xE0\xA4\x97\xE0\xA4\xB2\xE0\xA4\xA4\xE0\xA5\x80 \xE0\xA4\xB9\xE0\xA5\x88"));  // गलती है
  EXPECT_FALSE(CheckRetestReason("\xE0\xA4\x97\xE0\xA4\xB2").ok());  // गल: 2 characters, 6 bytes
}

}  // namespace
}  // namespace lims
