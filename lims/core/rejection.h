// Rejection history for auditors (issue 8): the query a caller may ask, the rows and summaries the
// store answers with, and the pure helpers around them (query parsing, keyset cursors, RFC 4180
// CSV with spreadsheet-formula neutralising, percentiles from a histogram).
//
// Value types and pure functions only: no I/O, thread-compatible. Parse errors are Status values
// (kInvalidArgument naming every bad parameter), never exceptions.
#ifndef LIMS_CORE_REJECTION_H_
#define LIMS_CORE_REJECTION_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "lims/core/clock.h"
#include "lims/core/status.h"

namespace lims {

// Position after the last row of a page: rows are ordered (issued_at DESC, id DESC).
struct RejectionCursor {
  Timestamp issued_at;
  int64_t id = 0;
  bool operator==(const RejectionCursor&) const = default;
};

// Filters of GET /api/v1/rejections; an empty string or nullopt means "any".
struct RejectionFilter {
  std::optional<Timestamp> from;  // issued_at ≥ from
  std::optional<Timestamp> to;    // issued_at < to
  std::optional<int64_t> exporter_id;
  std::string district;
  std::string product;         // the exporter's ODOP product
  std::string product_family;  // footwear, ...
  std::string standard;        // "EN ISO 20345:2022"
  std::string requirement;     // requirement code
  std::string market;          // destination, ISO 3166 alpha-2
  std::string lab;             // lab code
};

enum class RejectionFormat { kJson, kCsv };

struct RejectionQuery {
  RejectionFilter filter;
  std::optional<RejectionCursor> after;
  int limit = 100;  // 1..500 (JSON pages; CSV streams every row)
  RejectionFormat format = RejectionFormat::kJson;
};

enum class SummaryGroup { kMonth, kRequirement, kExporter, kDistrict, kProduct };

struct SummaryQuery {
  SummaryGroup group = SummaryGroup::kMonth;
  std::optional<Timestamp> from;
  std::optional<Timestamp> to;
  std::string district;                // "" = every district
  std::optional<int64_t> exporter_id;  // set for an exporter's own view (forced by the route)
  int top = 3;                         // failing requirements named per group
  RejectionFormat format = RejectionFormat::kJson;
};

using QueryParams = std::multimap<std::string, std::string>;

// Unknown parameters, bad dates, a limit outside 1..500, a malformed cursor: kInvalidArgument
// with one FieldError per parameter. A summary may be narrowed to a district or an exporter, but
// not group_by=requirement to a district: its denominators are counted per month and requirement
// only (docs/rejections.md).
Result<RejectionQuery> ParseRejectionQuery(const QueryParams& params);
Result<SummaryQuery> ParseSummaryQuery(const QueryParams& params);
std::string_view SummaryGroupName(SummaryGroup g);

// "<unix seconds>.<id>": opaque to clients, stable across requests.
std::string EncodeCursor(const RejectionCursor& c);
std::optional<RejectionCursor> DecodeCursor(std::string_view text);

struct RejectionRow {
  int64_t id = 0;
  std::string sample_number;
  std::string report_number;  // the test report (certificate) that states the failure
  int64_t exporter_id = 0;
  std::string exporter;
  std::string district;
  std::string product;
  std::string product_family;
  std::string market;
  std::string lab;
  std::string requirement;
  std::string standard;
  std::string clause;
  std::string property;
  std::string value;  // replicate values as reported, "; "-separated
  std::string unit;
  std::string comparator;
  std::string limit;
  std::string limit_unit;
  std::string verdict;
  std::string decision_rule;
  Timestamp received_at;
  Timestamp tested_at;
  Timestamp issued_at;
};

// One group of a summary. For group_by=requirement `rejected` counts failing tests of the
// requirement and `tested` its tests; otherwise both count samples.
struct SummaryGroupRow {
  std::string key;    // month "2026-03", requirement code, exporter id, district, product
  std::string label;  // exporter's name, requirement's property; "" when the key says it all
  int64_t tested = 0;
  int64_t rejected = 0;
  std::vector<std::pair<std::string, int64_t>> top_failing;  // requirement code, failures
  std::optional<double> turnaround_median_h;                 // received → issued
  std::optional<double> turnaround_p90_h;
};

struct RepeatOffender {
  int64_t exporter_id = 0;
  std::string exporter;
  std::string requirement;
  int64_t rejections = 0;
};

struct RejectionSummary {
  std::vector<SummaryGroupRow> groups;
  std::vector<RepeatOffender> repeat_offenders;
  std::optional<double> turnaround_median_h;  // over every issued sample of the period
  std::optional<double> turnaround_p90_h;
};

// A requirement failed in a period: what the district report's chart and table name.
struct FailingRequirement {
  std::string code;
  std::string standard;
  std::string clause;
  std::string property;
  int64_t failures = 0;
};

// GET /api/v1/rejections/report: the signed summary of a period, for one district or all.
struct ReportQuery {
  Timestamp from;        // inclusive
  Timestamp to;          // exclusive
  std::string district;  // "" = all districts
};

// from/to as for the list (a date is its midnight UTC; `to` exclusive), both optional: by
// default the 365 days up to the end of today (UTC) per `now`. At most 10 years.
Result<ReportQuery> ParseReportQuery(const QueryParams& params, Timestamp now);

// The calendar months ("2026-03") that [from, to) touches, in order.
std::vector<std::string> MonthsOf(Timestamp from, Timestamp to);

// Rejection rate of a group, 0 when nothing was tested.
double RejectionRate(int64_t tested, int64_t rejected);

// A histogram of (value, count), sorted by value. The p-quantile (0 < p ≤ 1) by the nearest-rank
// method (the smallest value whose cumulative count reaches ⌈p·N⌉); the median is the mean of the
// two middle values when N is even. nullopt for an empty histogram.
using Histogram = std::vector<std::pair<int64_t, int64_t>>;
std::optional<double> NearestRankPercentile(const Histogram& h, double p);
std::optional<double> Median(const Histogram& h);

// RFC 4180 field: quoted when it holds a comma, quote, CR or LF (quotes doubled). A field that a
// spreadsheet would run as a formula (first character = + - @, tab or CR) gets a leading single
// quote first (OWASP "CSV injection"), so "-5" in a text column reads '-5: only text columns go
// through here, numbers are written by the caller as they are.
std::string CsvField(std::string_view text);
// The same field appended to `line` (no temporary string: the CSV export writes a million rows).
void AppendCsvField(std::string* line, std::string_view text);
// Fields joined by commas, ended by CRLF.
std::string CsvLine(const std::vector<std::string>& fields);

}  // namespace lims

#endif  // LIMS_CORE_REJECTION_H_
