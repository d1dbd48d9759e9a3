#include "lims/core/clock.h"

#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "tests/support/test_support.h"

namespace lims {
namespace {

using ::lims::testing::At;

using std::chrono::days;
using std::chrono::hours;
using std::chrono::seconds;

TEST(FormatRfc3339, FormatsTheEpoch) {
  EXPECT_EQ(FormatRfc3339(Timestamp()), "1970-01-01T00:00:00Z");
}

TEST(FormatRfc3339, FormatsAKnownInstant) {
  // 2026-11-23 is day 20780 after the epoch.
  const Timestamp t = Timestamp(days(20780)) + hours(10) + std::chrono::minutes(15);
  EXPECT_EQ(FormatRfc3339(t), "2026-11-23T10:15:00Z");
}

TEST(ParseRfc3339, RoundTripsThroughFormat) {
  for (const char* text : {"2026-11-23T10:15:00Z", "1970-01-01T00:00:00Z", "2024-02-29T23:59:59Z",
                           "2026-12-31T23:59:59Z", "2027-01-01T00:00:00Z"}) {
    Result<Timestamp> t = ParseRfc3339(text);
    ASSERT_OK(t);
    EXPECT_EQ(FormatRfc3339(*t), text);
  }
}

TEST(ParseRfc3339, RoundTripsFromTimestamp) {
  const Timestamp t = Timestamp(seconds(1'790'000'123));
  Result<Timestamp> parsed = ParseRfc3339(FormatRfc3339(t));
  ASSERT_OK(parsed);
  EXPECT_EQ(*parsed, t);
}

TEST(ParseRfc3339, RejectsOffsetsOtherThanUtc) {
  for (const char* text :
       {"2026-11-23T10:15:00+05:30", "2026-11-23T15:45:00+00:00", "2026-11-23T10:15:00", "2026-11-23T10:15:00-01:00"}) {
    Result<Timestamp> t = ParseRfc3339(text);
    ASSERT_FALSE(t.ok()) << text;
    EXPECT_EQ(t.status().code(), Status::Code::kInvalidArgument);
  }
}

TEST(ParseRfc3339, RejectsInvalidDatesAndTimes) {
  for (const char* text :
       {"2026-02-30T00:00:00Z", "2025-02-29T00:00:00Z", "2026-13-01T00:00:00Z", "2026-00-10T00:00:00Z",
        "2026-04-31T00:00:00Z", "2026-11-23T24:00:00Z", "2026-11-23T10:60:00Z", "2026-11-23T10:15:60Z"}) {
    Result<Timestamp> t = ParseRfc3339(text);
    ASSERT_FALSE(t.ok()) << text;
    EXPECT_EQ(t.status().code(), Status::Code::kInvalidArgument);
  }
}

TEST(ParseRfc3339, RejectsMalformedText) {
  for (const char* text :
       {"", "2026-11-23", "2026-11-23 10:15:00Z", "2026/11/23T10:15:00Z", "20261123T101500Z", "2026-11-23T10:15:00.5Z",
        "2026-11-23t10:15:00Z", "2026-11-23T10:15:5ZZ", "2026-+1-23T10:15:00Z", "2026- 1-23T10:15:00Z",
        "-026-11-23T10:15:00Z", "2026-11-23T10:15:00ZZ"}) {
    Result<Timestamp> t = ParseRfc3339(text);
    EXPECT_FALSE(t.ok()) << '"' << text << '"';
  }
}

TEST(YearOf, ReturnsTheUtcYear) {
  EXPECT_EQ(YearOf(At("2026-11-23T10:15:00Z")), 2026);
  EXPECT_EQ(YearOf(At("2026-12-31T23:59:59Z")), 2026);
  EXPECT_EQ(YearOf(At("2027-01-01T00:00:00Z")), 2027);
  EXPECT_EQ(YearOf(Timestamp()), 1970);
}

TEST(FakeClock, StartsWhereItIsTold) {
  const Timestamp start = At("2026-11-23T10:15:00Z");
  FakeClock clock(start);
  EXPECT_EQ(clock.Now(), start);
  EXPECT_EQ(clock.Now(), start);  // does not move by itself
}

TEST(FakeClock, AdvancesByTheGivenDuration) {
  FakeClock clock(At("2026-12-31T23:59:00Z"));
  clock.Advance(seconds(60));
  EXPECT_EQ(FormatRfc3339(clock.Now()), "2027-01-01T00:00:00Z");
  clock.Advance(days(1) + hours(2));
  EXPECT_EQ(FormatRfc3339(clock.Now()), "2027-01-02T02:00:00Z");
}

TEST(FakeClock, WorksThroughTheClockInterface) {
  FakeClock fake(At("2026-01-01T00:00:00Z"));
  const Clock& clock = fake;
  fake.Advance(seconds(1));
  EXPECT_EQ(FormatRfc3339(clock.Now()), "2026-01-01T00:00:01Z");
}

TEST(SystemClock, ReadsWholeSecondsNearNow) {
  const Timestamp before = std::chrono::floor<seconds>(std::chrono::system_clock::now());
  const Timestamp now = SystemClock().Now();
  EXPECT_GE(now, before);
  EXPECT_LE(now, before + seconds(5));
  EXPECT_GE(YearOf(now), 2025);
}

}  // namespace
}  // namespace lims
