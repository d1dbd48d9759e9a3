#include "lims/core/rejection.h"

#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <set>

namespace lims {
namespace {

std::string First(const QueryParams& params, const std::string& name) {
  auto it = params.find(name);
  return it == params.end() ? std::string() : it->second;
}

// A period bound: an RFC 3339 UTC time, or a calendar date meaning its midnight UTC.
Result<Timestamp> ParseBound(const std::string& text) {
  if (text.size() == 10) return ParseRfc3339(text + "T00:00:00Z");
  return ParseRfc3339(text);
}

template <typename Int>
bool ParseInt(std::string_view text, Int min, Int max, Int* out) {
  Int v{};
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size() || v < min || v > max) return false;
  *out = v;
  return true;
}

class ParamReader {
 public:
  explicit ParamReader(const QueryParams& params) : params_(params) {}

  bool Has(const std::string& name) {
    known_.insert(name);
    return params_.count(name) > 0;
  }
  std::string Text(const std::string& name) { return Has(name) ? First(params_, name) : std::string(); }
  void Bound(const std::string& name, std::optional<Timestamp>* out) {
    if (!Has(name)) return;
    Result<Timestamp> t = ParseBound(First(params_, name));
    if (t.ok()) {
      *out = *t;
    } else {
      Fail(name, "must be a date (2026-01-31) or an RFC 3339 UTC time (2026-01-31T10:15:00Z)");
    }
  }
  void Number(const std::string& name, int min, int max, int* out) {
    if (Has(name) && !ParseInt(First(params_, name), min, max, out)) {
      Fail(name, "must be a whole number from " + std::to_string(min) + " to " + std::to_string(max));
    }
  }
  void Format(RejectionFormat* out) {
    const std::string f = Text("format");
    if (f == "csv") {
      *out = RejectionFormat::kCsv;
    } else if (!f.empty() && f != "json") {
      Fail("format", "must be json or csv");
    }
  }
  void Fail(const std::string& name, std::string reason) { errors_.push_back({name, std::move(reason)}); }
  // Every parameter not asked for is an error: a misspelt filter must not silently widen the result.
  Status Finish() {
    for (const auto& [name, value] : params_) {
      if (known_.count(name) == 0) Fail(name, "unknown parameter");
    }
    if (errors_.empty()) return Status::Ok();
    return Status::InvalidArgument("invalid query parameters", std::move(errors_));
  }

 private:
  const QueryParams& params_;
  std::set<std::string> known_;
  std::vector<FieldError> errors_;
};

void ReadExporter(ParamReader& r, std::optional<int64_t>* exporter_id) {
  if (!r.Has("exporter")) return;
  int64_t id = 0;
  if (ParseInt<int64_t>(r.Text("exporter"), 1, INT64_MAX, &id)) {
    *exporter_id = id;
  } else {
    r.Fail("exporter", "must be an organisation id");
  }
}

void ReadFilter(ParamReader& r, RejectionFilter* f) {
  r.Bound("from", &f->from);
  r.Bound("to", &f->to);
  ReadExporter(r, &f->exporter_id);
  f->district = r.Text("district");
  f->product = r.Text("product");
  f->product_family = r.Text("product_family");
  f->standard = r.Text("standard");
  f->requirement = r.Text("requirement");
  f->market = r.Text("market");
  f->lab = r.Text("lab");
  if (f->from && f->to && *f->to <= *f->from) r.Fail("to", "must be after from");
}

const std::pair<const char*, SummaryGroup> kGroups[] = {{"month", SummaryGroup::kMonth},
                                                        {"requirement", SummaryGroup::kRequirement},
                                                        {"exporter", SummaryGroup::kExporter},
                                                        {"district", SummaryGroup::kDistrict},
                                                        {"product", SummaryGroup::kProduct}};

}  // namespace

Result<RejectionQuery> ParseRejectionQuery(const QueryParams& params) {
  ParamReader r(params);
  RejectionQuery q;
  ReadFilter(r, &q.filter);
  r.Number("limit", 1, 500, &q.limit);
  r.Format(&q.format);
  if (r.Has("after")) {
    q.after = DecodeCursor(r.Text("after"));
    if (!q.after) r.Fail("after", "is not a cursor this server returned");
  }
  Status s = r.Finish();
  if (!s.ok()) return s;
  return q;
}

Result<SummaryQuery> ParseSummaryQuery(const QueryParams& params) {
  ParamReader r(params);
  SummaryQuery q;
  const std::string group = r.Text("group_by");
  bool found = group.empty();  // month by default
  for (const auto& [name, g] : kGroups) {
    if (group == name) {
      q.group = g;
      found = true;
    }
  }
  if (!found) r.Fail("group_by", "must be month, requirement, exporter, district or product");
  r.Bound("from", &q.from);
  r.Bound("to", &q.to);
  q.district = r.Text("district");
  ReadExporter(r, &q.exporter_id);
  r.Number("top", 1, 20, &q.top);
  r.Format(&q.format);
  if (q.from && q.to && *q.to <= *q.from) r.Fail("to", "must be after from");
  if (q.group == SummaryGroup::kRequirement && !q.district.empty()) {
    r.Fail("district", "cannot narrow group_by=requirement (its test counts are kept per month and requirement)");
  }
  Status s = r.Finish();
  if (!s.ok()) return s;
  return q;
}

namespace {

// Midnight UTC of the day that contains t.
Timestamp DayStart(Timestamp t) {
  return std::chrono::floor<std::chrono::days>(t);
}

}  // namespace

Result<ReportQuery> ParseReportQuery(const QueryParams& params, Timestamp now) {
  ParamReader r(params);
  std::optional<Timestamp> from, to;
  r.Bound("from", &from);
  r.Bound("to", &to);
  ReportQuery q;
  q.district = r.Text("district");
  q.to = to.value_or(DayStart(now) + std::chrono::days(1));
  q.from = from.value_or(q.to - std::chrono::days(365));
  if (q.to <= q.from) r.Fail("to", "must be after from");
  if (q.to - q.from > std::chrono::days(3653)) r.Fail("from", "the period may span at most 10 years");
  Status s = r.Finish();
  if (!s.ok()) return s;
  return q;
}

std::vector<std::string> MonthsOf(Timestamp from, Timestamp to) {
  std::vector<std::string> out;
  if (to <= from) return out;
  using namespace std::chrono;
  year_month ym{year_month_day{floor<days>(from)}.year(), year_month_day{floor<days>(from)}.month()};
  const year_month_day last{floor<days>(to - seconds(1))};
  const year_month end{last.year(), last.month()};
  for (; ym <= end; ym += months(1)) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02u", static_cast<int>(ym.year()), static_cast<unsigned>(ym.month()));
    out.emplace_back(buf);
  }
  return out;
}

std::string_view SummaryGroupName(SummaryGroup g) {
  for (const auto& [name, group] : kGroups) {
    if (group == g) return name;
  }
  return "month";
}

std::string EncodeCursor(const RejectionCursor& c) {
  return std::to_string(c.issued_at.time_since_epoch().count()) + "." + std::to_string(c.id);
}

std::optional<RejectionCursor> DecodeCursor(std::string_view text) {
  const size_t dot = text.find('.');
  if (dot == std::string_view::npos) return std::nullopt;
  int64_t seconds = 0;
  int64_t id = 0;
  if (!ParseInt<int64_t>(text.substr(0, dot), 0, INT64_MAX / 2, &seconds)) return std::nullopt;
  if (!ParseInt<int64_t>(text.substr(dot + 1), 1, INT64_MAX, &id)) return std::nullopt;
  return RejectionCursor{Timestamp(std::chrono::seconds(seconds)), id};
}

double RejectionRate(int64_t tested, int64_t rejected) {
  return tested <= 0 ? 0.0 : static_cast<double>(rejected) / static_cast<double>(tested);
}

namespace {

int64_t Total(const Histogram& h) {
  int64_t n = 0;
  for (const auto& [value, count] : h) n += count;
  return n;
}

// The value of the k-th observation (1-based) in sorted order.
int64_t NthValue(const Histogram& h, int64_t k) {
  int64_t seen = 0;
  for (const auto& [value, count] : h) {
    seen += count;
    if (seen >= k) return value;
  }
  return h.back().first;
}

}  // namespace

std::optional<double> NearestRankPercentile(const Histogram& h, double p) {
  const int64_t n = Total(h);
  if (n == 0 || p <= 0 || p > 1) return std::nullopt;
  const auto rank = static_cast<int64_t>(std::ceil(p * static_cast<double>(n) - 1e-9));
  return static_cast<double>(NthValue(h, std::max<int64_t>(rank, 1)));
}

std::optional<double> Median(const Histogram& h) {
  const int64_t n = Total(h);
  if (n == 0) return std::nullopt;
  if (n % 2 == 1) return static_cast<double>(NthValue(h, n / 2 + 1));
  return (static_cast<double>(NthValue(h, n / 2)) + static_cast<double>(NthValue(h, n / 2 + 1))) / 2.0;
}

void AppendCsvField(std::string* line, std::string_view text) {
  const bool guard = !text.empty() && (text[0] == '=' || text[0] == '+' || text[0] == '-' || text[0] == '@' ||
                                       text[0] == '\t' || text[0] == '\r');
  if (text.find_first_of(",\"\r\n") == std::string_view::npos) {
    if (guard) *line += '\'';
    *line += text;
    return;
  }
  *line += '"';
  if (guard) *line += '\'';
  for (char c : text) {
    if (c == '"') *line += '"';
    *line += c;
  }
  *line += '"';
}

std::string CsvField(std::string_view text) {
  std::string out;
  AppendCsvField(&out, text);
  return out;
}

std::string CsvLine(const std::vector<std::string>& fields) {
  std::string line;
  for (size_t i = 0; i < fields.size(); ++i) {
    if (i > 0) line += ',';
    AppendCsvField(&line, fields[i]);
  }
  line += "\r\n";
  return line;
}

}  // namespace lims
