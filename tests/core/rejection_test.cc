// The pure parts of the rejection history: query parsing, cursors, CSV (RFC 4180 and formula
// neutralising) and percentiles from a histogram.
#include "lims/core/rejection.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace lims {
namespace {

TEST(RejectionQuery, ParsesEveryFilter) {
  Result<RejectionQuery> q = ParseRejectionQuery({{"from", "2026-01-01"},
                                                  {"to", "2026-02-01T00:00:00Z"},
                                                  {"exporter", "42"},
                                                  {"district", "Agra"},
                                                  {"product", "Leather footwear"},
                                                  {"product_family", "footwear"},
                                                  {"standard", "EN ISO 20345:2022"},
                                                  {"requirement", "REACH-XVII-47-CRVI-LEATHER"},
                                                  {"market", "DE"},
                                                  {"lab", "AGR"},
                                                  {"limit", "20"},
                                                  {"format", "csv"}});
  ASSERT_TRUE(q.ok()) << q.status().ToString();
  EXPECT_EQ(FormatRfc3339(*q->filter.from), "2026-01-01T00:00:00Z");
  EXPECT_EQ(FormatRfc3339(*q->filter.to), "2026-02-01T00:00:00Z");
  EXPECT_EQ(q->filter.exporter_id, 42);
  EXPECT_EQ(q->filter.district, "Agra");
  EXPECT_EQ(q->filter.market, "DE");
  EXPECT_EQ(q->filter.lab, "AGR");
  EXPECT_EQ(q->limit, 20);
  EXPECT_EQ(q->format, RejectionFormat::kCsv);
}

TEST(RejectionQuery, NamesEveryBadParameter) {
  Result<RejectionQuery> q = ParseRejectionQuery({{"from", "yesterday"},
                                                  {"exporter", "x"},
                                                  {"limit", "501"},
                                                  {"format", "xls"},
                                                  {"after", "zz"},
                                                  {"distrct", "A"}});
  ASSERT_FALSE(q.ok());
  std::set<std::string> fields;
  for (const FieldError& e : q.status().field_errors()) fields.insert(e.field);
  EXPECT_EQ(fields, (std::set<std::string>{"from", "exporter", "limit", "format", "after", "distrct"}));
}

TEST(RejectionQuery, RefusesAnEmptyPeriod) {
  EXPECT_FALSE(ParseRejectionQuery({{"from", "2026-02-01"}, {"to", "2026-01-01"}}).ok());
  EXPECT_FALSE(ParseSummaryQuery({{"from", "2026-02-01"}, {"to", "2026-02-01"}}).ok());
}

TEST(RejectionQuery, DefaultsAreOneJsonPageOfAHundred) {
  Result<RejectionQuery> q = ParseRejectionQuery({});
  ASSERT_TRUE(q.ok());
  EXPECT_EQ(q->limit, 100);
  EXPECT_EQ(q->format, RejectionFormat::kJson);
  EXPECT_FALSE(q->after.has_value());
}

TEST(SummaryQuery, ParsesEveryGrouping) {
  for (const char* g : {"month", "requirement", "exporter", "district", "product"}) {
    Result<SummaryQuery> q = ParseSummaryQuery({{"group_by", g}});
    ASSERT_TRUE(q.ok()) << g;
    EXPECT_EQ(SummaryGroupName(q->group), g);
  }
  EXPECT_EQ(ParseSummaryQuery({})->group, SummaryGroup::kMonth);
  Result<SummaryQuery> bad = ParseSummaryQuery({{"group_by", "colour"}, {"top", "0"}});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().field_errors().size(), 2u);
}

TEST(RejectionCursor, RoundTrips) {
  const RejectionCursor c{*ParseRfc3339("2026-03-04T05:06:07Z"), 991};
  EXPECT_EQ(DecodeCursor(EncodeCursor(c)), c);
  EXPECT_FALSE(DecodeCursor("").has_value());
  EXPECT_FALSE(DecodeCursor("12").has_value());
  EXPECT_FALSE(DecodeCursor("12.").has_value());
  EXPECT_FALSE(DecodeCursor("-1.5").has_value());
  EXPECT_FALSE(DecodeCursor("1.0").has_value());
  EXPECT_FALSE(DecodeCursor("1.5x").has_value());
}

TEST(Csv, PlainFieldsStayAsTheyAre) {
  EXPECT_EQ(CsvField("Agra"), "Agra");
  EXPECT_EQ(CsvField(""), "");
  EXPECT_EQ(CsvField("Cr(VI) 3.2 mg/kg"), "Cr(VI) 3.2 mg/kg");
  EXPECT_EQ(CsvField("Fīrozābād"), "Fīrozābād");  // UTF-8 passes through
}

TEST(Csv, QuotesCommasQuotesAndLineBreaks) {
  EXPECT_EQ(CsvField("a,b"), "\"a,b\"");
  EXPECT_EQ(CsvField("say \"no\""), "\"say \"\"no\"\"\"");
  EXPECT_EQ(CsvField("two\nlines"), "\"two\nlines\"");
  EXPECT_EQ(CsvField("cr\rlf"), "\"cr\rlf\"");
}

TEST(Csv, NeutralisesSpreadsheetFormulas) {
  EXPECT_EQ(CsvField("=HYPERLINK(\"http://x\")"), "\"'=HYPERLINK(\"\"http://x\"\")\"");
  EXPECT_EQ(CsvField("+1"), "'+1");
  EXPECT_EQ(CsvField("-2"), "'-2");
  EXPECT_EQ(CsvField("@SUM(A1)"), "'@SUM(A1)");
  EXPECT_EQ(CsvField("\tx"), "'\tx");
  EXPECT_EQ(CsvField("a=b"), "a=b");  // only a leading sign starts a formula
}

TEST(Csv, LinesEndInCrLf) {
  EXPECT_EQ(CsvLine({"a", "b,c", ""}), "a,\"b,c\",\r\n");
  EXPECT_EQ(CsvLine({}), "\r\n");
}

TEST(Percentile, EmptyHistogramHasNone) {
  EXPECT_FALSE(Median({}).has_value());
  EXPECT_FALSE(NearestRankPercentile({}, 0.9).has_value());
  EXPECT_FALSE(NearestRankPercentile({{1, 0}}, 0.9).has_value());
}

TEST(Percentile, MedianOfOddAndEvenCounts) {
  EXPECT_EQ(*Median({{5, 1}}), 5.0);
  EXPECT_EQ(*Median({{1, 1}, {2, 1}, {10, 1}}), 2.0);
  EXPECT_EQ(*Median({{1, 1}, {2, 1}, {4, 1}, {10, 1}}), 3.0);
  EXPECT_EQ(*Median({{24, 3}, {48, 3}}), 36.0);
}

TEST(Percentile, NearestRank) {
  // 1..10 once each: the 90th percentile is the 9th value, the 100th the largest.
  Histogram h;
  for (int v = 1; v <= 10; ++v) h.emplace_back(v, 1);
  EXPECT_EQ(*NearestRankPercentile(h, 0.9), 9.0);
  EXPECT_EQ(*NearestRankPercentile(h, 1.0), 10.0);
  EXPECT_EQ(*NearestRankPercentile(h, 0.05), 1.0);
  EXPECT_EQ(*NearestRankPercentile({{72, 95}, {400, 5}}, 0.9), 72.0);
  EXPECT_EQ(*NearestRankPercentile({{72, 89}, {400, 11}}, 0.9), 400.0);
  EXPECT_FALSE(NearestRankPercentile(h, 0).has_value());
}

TEST(RejectionRate, IsZeroWhenNothingWasTested) {
  EXPECT_EQ(RejectionRate(0, 0), 0.0);
  EXPECT_DOUBLE_EQ(RejectionRate(8, 2), 0.25);
}

Timestamp Utc(const std::string& rfc3339) {
  return *ParseRfc3339(rfc3339);
}

TEST(ReportQuery, DefaultsToThe365DaysEndingToday) {
  Result<ReportQuery> q = ParseReportQuery({}, Utc("2026-11-26T15:30:00Z"));
  ASSERT_TRUE(q.ok()) << q.status().message();
  EXPECT_EQ(q->to, Utc("2026-11-27T00:00:00Z"));
  EXPECT_EQ(q->from, Utc("2025-11-27T00:00:00Z"));
  EXPECT_EQ(q->district, "");
}

TEST(ReportQuery, TakesDatesAndADistrict) {
  Result<ReportQuery> q = ParseReportQuery({{"from", "2026-01-01"}, {"to", "2026-07-01"}, {"district", "Agra"}},
                                           Utc("2026-11-26T15:30:00Z"));
  ASSERT_TRUE(q.ok()) << q.status().message();
  EXPECT_EQ(q->from, Utc("2026-01-01T00:00:00Z"));
  EXPECT_EQ(q->to, Utc("2026-07-01T00:00:00Z"));
  EXPECT_EQ(q->district, "Agra");
}

TEST(ReportQuery, RefusesBadPeriodsAndUnknownParameters) {
  const Timestamp now = Utc("2026-11-26T15:30:00Z");
  auto field_of = [&](const QueryParams& p) {
    Result<ReportQuery> q = ParseReportQuery(p, now);
    return q.ok() || q.status().field_errors().empty() ? std::string() : q.status().field_errors()[0].field;
  };
  EXPECT_EQ(field_of({{"from", "2026-07-01"}, {"to", "2026-07-01"}}), "to");
  EXPECT_EQ(field_of({{"from", "2010-01-01"}, {"to", "2026-07-01"}}), "from");
  EXPECT_EQ(field_of({{"from", "yesterday"}}), "from");
  EXPECT_EQ(field_of({{"group_by", "month"}}), "group_by");
}

TEST(MonthsOf, ListsEveryMonthThePeriodTouches) {
  EXPECT_EQ(MonthsOf(Utc("2025-11-15T00:00:00Z"), Utc("2026-02-01T00:00:00Z")),
            (std::vector<std::string>{"2025-11", "2025-12", "2026-01"}));
  EXPECT_EQ(MonthsOf(Utc("2026-01-01T00:00:00Z"), Utc("2026-01-01T00:00:01Z")), (std::vector<std::string>{"2026-01"}));
  EXPECT_TRUE(MonthsOf(Utc("2026-01-01T00:00:00Z"), Utc("2026-01-01T00:00:00Z")).empty());
}

TEST(SummaryQuery, NarrowsToADistrictOrExporterButNotRequirementsToADistrict) {
  Result<SummaryQuery> q = ParseSummaryQuery({{"district", "Agra"}, {"exporter", "17"}});
  ASSERT_TRUE(q.ok()) << q.status().message();
  EXPECT_EQ(q->district, "Agra");
  EXPECT_EQ(q->exporter_id, 17);
  Result<SummaryQuery> refused = ParseSummaryQuery({{"group_by", "requirement"}, {"district", "Agra"}});
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().field_errors()[0].field, "district");
  EXPECT_TRUE(ParseSummaryQuery({{"group_by", "requirement"}, {"exporter", "17"}}).ok());
  EXPECT_FALSE(ParseSummaryQuery({{"exporter", "x"}}).ok());
}

}  // namespace
}  // namespace lims
