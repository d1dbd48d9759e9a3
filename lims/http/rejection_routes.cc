// Handlers of the rejection history (auditors, admins): the filtered, keyset-paged list of every
// failing requirement of an issued sample, its summaries, and both as streamed CSV
// (docs/rejections.md).
#include <Poco/JSON/Array.h>

#include <charconv>
#include <cstdio>
#include <memory>

#include "lims/core/audit.h"  // JsonEscape
#include "lims/http/json_io.h"
#include "lims/http/problem.h"
#include "lims/http/rejection_report.h"
#include "lims/http/routes.h"
#include "lims/store/rejection_store.h"

namespace lims::http {
namespace {

// Rows read per round trip while streaming CSV: memory stays at one batch whatever the export size.
constexpr int kCsvBatch = 5000;
// A UTF-8 byte order mark: without it spreadsheets guess a legacy code page for exporters' names.
constexpr char kUtf8Bom[] = "\xEF\xBB\xBF";

JsonObject RowJson(const RejectionRow& r) {
  JsonObject o = NewObject();
  o.set("sample", r.sample_number);
  o.set("report", r.report_number);
  o.set("exporter", std::to_string(r.exporter_id));
  o.set("exporter_name", r.exporter);
  o.set("district", r.district);
  o.set("product", r.product);
  o.set("product_family", r.product_family);
  o.set("market", r.market);
  o.set("lab", r.lab);
  o.set("requirement", r.requirement);
  o.set("standard", r.standard);
  o.set("clause", r.clause);
  o.set("property", r.property);
  o.set("value", r.value);
  o.set("unit", r.unit);
  JsonObject limit = NewObject();
  limit.set("comparator", r.comparator);
  limit.set("value", r.limit);
  limit.set("unit", r.limit_unit);
  o.set("limit", limit);
  o.set("verdict", r.verdict);
  o.set("decision_rule", r.decision_rule);
  o.set("received_at", FormatRfc3339(r.received_at));
  o.set("tested_at", FormatRfc3339(r.tested_at));
  o.set("issued_at", FormatRfc3339(r.issued_at));
  return o;
}

const std::vector<std::string>& CsvHeader() {
  static const auto* header = new std::vector<std::string>{
      "sample", "report",     "exporter", "exporter_name", "district",    "product",   "product_family", "market",
      "lab",    "standard",   "clause",   "requirement",   "property",    "value",     "unit",           "comparator",
      "limit",  "limit_unit", "verdict",  "decision_rule", "received_at", "tested_at", "issued_at"};
  return *header;
}

// One CSV record per row into a reused buffer. The three times are formatted once per distinct
// value: consecutive rows of one sample share them, and formatting was a visible share of a
// million-row export.
class CsvRowWriter {
 public:
  const std::string& Row(const RejectionRow& r) {
    line_.clear();
    for (const std::string* text : {&r.sample_number, &r.report_number}) Field(*text);
    Field(std::to_string(r.exporter_id));
    for (const std::string* text : {&r.exporter, &r.district, &r.product, &r.product_family, &r.market, &r.lab,
                                    &r.standard, &r.clause, &r.requirement, &r.property, &r.value, &r.unit,
                                    &r.comparator, &r.limit, &r.limit_unit, &r.verdict, &r.decision_rule}) {
      Field(*text);
    }
    Field(times_[0].Text(r.received_at));
    Field(times_[1].Text(r.tested_at));
    Field(times_[2].Text(r.issued_at));
    line_.back() = '\r';  // the last field's comma becomes the record's CRLF
    line_ += '\n';
    return line_;
  }

 private:
  struct CachedTime {
    Timestamp at{};
    std::string text;
    const std::string& Text(Timestamp t) {
      if (text.empty() || t != at) {
        at = t;
        text = FormatRfc3339(t);
      }
      return text;
    }
  };
  void Field(std::string_view text) {
    AppendCsvField(&line_, text);
    line_ += ',';
  }

  std::string line_;
  CachedTime times_[3];
};

Response CsvResponse(const std::string& filename, std::function<bool(std::ostream&)> stream) {
  Response r;
  r.content_type = "text/csv; charset=utf-8; header=present";
  r.headers.emplace_back("Content-Disposition", "attachment; filename=\"" + filename + "\"");
  r.stream = std::move(stream);
  return r;
}

// The lease moves into the stream, which outlives this handler: the connection is held (and
// returned to the pool) by the stream.
Response StreamRejections(std::shared_ptr<store::ConnectionPool::Lease> lease, const RejectionQuery& query) {
  return CsvResponse("rejections.csv", [lease, query](std::ostream& out) {
    out << kUtf8Bom << CsvLine(CsvHeader());
    CsvRowWriter writer;
    Status s = store::ScanRejections(lease->connection(), query, kCsvBatch, [&out, &writer](const RejectionRow& row) {
      out << writer.Row(row);
      return out.good();
    });
    if (s.code() == Status::Code::kUnavailable) lease->MarkBroken();
    return s.ok();
  });
}

// An exporter sees only its own organisation's history: the exporter filter is set to its
// organisation, and naming another one is refused rather than silently replaced.
std::optional<Response> ConfineToOwnOrganisation(const Request& req, std::optional<int64_t>* exporter_id) {
  const Principal& p = *req.principal;
  if (!p.IsExporter()) return std::nullopt;
  const int64_t own = p.organization_id.value_or(-1);
  if (exporter_id->has_value() && **exporter_id != own) {
    return Problem(403, "Forbidden", "an exporter sees only its own organisation's rejections");
  }
  *exporter_id = own;
  return std::nullopt;
}

Response List(AppContext& ctx, const Request& req) {
  Result<RejectionQuery> query = ParseRejectionQuery(req.query);
  if (!query.ok()) return ProblemFromStatus(query.status());
  if (auto refused = ConfineToOwnOrganisation(req, &query->filter.exporter_id)) return *refused;
  Result<store::ConnectionPool::Lease> lease = ctx.ReadPool().Acquire();
  if (!lease.ok()) return ProblemFromStatus(lease.status());
  if (query->format == RejectionFormat::kCsv) {
    return StreamRejections(std::make_shared<store::ConnectionPool::Lease>(std::move(lease).value()), *query);
  }
  Result<std::vector<RejectionRow>> rows = store::ListRejections(lease->connection(), *query);
  if (!rows.ok()) {
    if (rows.status().code() == Status::Code::kUnavailable) lease->MarkBroken();
    return ProblemFromStatus(rows.status());
  }
  Poco::JSON::Array items;
  for (const RejectionRow& r : *rows) items.add(RowJson(r));
  JsonObject body = NewObject();
  body.set("items", items);
  const bool full = static_cast<int>(rows->size()) == query->limit;
  body.set("next",
           full ? Poco::Dynamic::Var(EncodeCursor({rows->back().issued_at, rows->back().id})) : Poco::Dynamic::Var());
  return JsonResponse(200, body);
}

std::string HoursText(const std::optional<double>& h) {
  if (!h) return "";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", *h);
  return buf;
}

std::string RateText(const SummaryGroupRow& g) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.4f", RejectionRate(g.tested, g.rejected));
  return buf;
}

// The summary's JSON is written as text rather than built as Poco objects: a summary by exporter
// has 2,000 groups (≈0.5 MB), and building and stringifying that many Poco::Dynamic::Var trees
// cost more than the database's part of the request (docs/rejections.md, "Scale").
class JsonText {
 public:
  JsonText& Str(std::string_view text) {
    BeforeValue();
    Quote(text);
    return *this;
  }
  JsonText& Key(std::string_view key) {
    BeforeValue();
    Quote(key);
    out_ += ':';
    fresh_ = true;  // its value follows without a comma
    return *this;
  }
  JsonText& Int(int64_t v) { return Literal(std::to_string(v)); }
  JsonText& Real(double v) {
    char buf[32];
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
    return Literal(ec == std::errc() ? std::string_view(buf, static_cast<size_t>(end - buf)) : "null");
  }
  JsonText& Hours(const std::optional<double>& h) { return h ? Real(*h) : Literal("null"); }
  JsonText& Open(char bracket) {
    BeforeValue();
    out_ += bracket;
    fresh_ = true;
    return *this;
  }
  JsonText& Close(char bracket) {
    out_ += bracket;
    fresh_ = false;
    return *this;
  }
  std::string Take() { return std::move(out_); }

 private:
  JsonText& Literal(std::string_view text) {
    BeforeValue();
    out_ += text;
    return *this;
  }
  void Quote(std::string_view text) {
    out_ += '"';
    out_ += JsonEscape(text);
    out_ += '"';
  }
  // A comma before every member or element but the first of its object or array.
  void BeforeValue() {
    if (!fresh_) out_ += ',';
    fresh_ = false;
  }

  std::string out_;
  bool fresh_ = true;
};

void TurnaroundJson(JsonText& j, const std::optional<double>& median, const std::optional<double>& p90) {
  j.Key("turnaround").Open('{');
  j.Key("median_hours").Hours(median);
  j.Key("p90_hours").Hours(p90);
  j.Close('}');
}

void GroupJson(JsonText& j, const SummaryGroupRow& g) {
  j.Open('{');
  j.Key("key").Str(g.key);
  if (!g.label.empty()) j.Key("label").Str(g.label);
  j.Key("tested").Int(g.tested);
  j.Key("rejected").Int(g.rejected);
  j.Key("rejection_rate").Real(RejectionRate(g.tested, g.rejected));
  j.Key("top_failing").Open('[');
  for (const auto& [requirement, n] : g.top_failing) {
    j.Open('{');
    j.Key("requirement").Str(requirement);
    j.Key("rejections").Int(n);
    j.Close('}');
  }
  j.Close(']');
  TurnaroundJson(j, g.turnaround_median_h, g.turnaround_p90_h);
  j.Close('}');
}

Response SummaryJson(const SummaryQuery& q, const RejectionSummary& s) {
  JsonText j;
  j.Open('{');
  j.Key("group_by").Str(SummaryGroupName(q.group));
  j.Key("groups").Open('[');
  for (const SummaryGroupRow& g : s.groups) GroupJson(j, g);
  j.Close(']');
  j.Key("repeat_offenders").Open('[');
  for (const RepeatOffender& r : s.repeat_offenders) {
    j.Open('{');
    j.Key("exporter").Str(std::to_string(r.exporter_id));
    j.Key("exporter_name").Str(r.exporter);
    j.Key("requirement").Str(r.requirement);
    j.Key("rejections").Int(r.rejections);
    j.Close('}');
  }
  j.Close(']');
  TurnaroundJson(j, s.turnaround_median_h, s.turnaround_p90_h);
  j.Close('}');
  return Response{200, "application/json", j.Take(), {}};
}

std::string SummaryCsvRow(const SummaryGroupRow& g) {
  std::string top;
  for (const auto& [requirement, n] : g.top_failing) {
    top += (top.empty() ? "" : "; ") + requirement + " (" + std::to_string(n) + ")";
  }
  // Numbers are written as they are (not through the formula guard); text goes through CsvField.
  return CsvField(g.key) + "," + CsvField(g.label) + "," + std::to_string(g.tested) + "," + std::to_string(g.rejected) +
         "," + RateText(g) + "," + CsvField(top) + "," + HoursText(g.turnaround_median_h) + "," +
         HoursText(g.turnaround_p90_h) + "\r\n";
}

Response SummaryCsv(const SummaryQuery& q, RejectionSummary s) {
  auto summary = std::make_shared<RejectionSummary>(std::move(s));
  return CsvResponse("rejections-by-" + std::string(SummaryGroupName(q.group)) + ".csv", [summary](std::ostream& out) {
    out << kUtf8Bom
        << CsvLine({"key", "label", "tested", "rejected", "rejection_rate", "top_failing", "turnaround_median_h",
                    "turnaround_p90_h"});
    for (const SummaryGroupRow& g : summary->groups) out << SummaryCsvRow(g);
    return out.good();
  });
}

Response Summary(AppContext& ctx, const Request& req) {
  Result<SummaryQuery> query = ParseSummaryQuery(req.query);
  if (!query.ok()) return ProblemFromStatus(query.status());
  if (auto refused = ConfineToOwnOrganisation(req, &query->exporter_id)) return *refused;
  if (req.principal->IsExporter() && query->group != SummaryGroup::kMonth &&
      query->group != SummaryGroup::kRequirement) {
    return ProblemFromStatus(Status::InvalidArgument(
        "invalid query parameters", {{"group_by", "an exporter may group its own history by month or requirement"}}));
  }
  Result<store::ConnectionPool::Lease> lease = ctx.ReadPool().Acquire();
  if (!lease.ok()) return ProblemFromStatus(lease.status());
  Result<RejectionSummary> summary = store::SummarizeRejections(lease->connection(), *query);
  if (!summary.ok()) {
    if (summary.status().code() == Status::Code::kUnavailable) lease->MarkBroken();
    return ProblemFromStatus(summary.status());
  }
  if (query->format == RejectionFormat::kCsv) return SummaryCsv(*query, std::move(summary).value());
  return SummaryJson(*query, *summary);
}

}  // namespace

void AddRejectionRoutes(Router& router, AppContext& ctx) {
  // Deny by default: technicians, reviewers and signatories are refused (403); an exporter reads
  // its own organisation's rejections only (ConfineToOwnOrganisation).
  const Access readers = Access::Roles({Role::kAuditor, Role::kAdmin, Role::kExporter});
  router.Add("GET", "/api/v1/rejections", readers, [&ctx](const Request& r) { return List(ctx, r); });
  router.Add("GET", "/api/v1/rejections/summary", readers, [&ctx](const Request& r) { return Summary(ctx, r); });
  // The signed district report covers every exporter of the district: auditors and admins only.
  router.Add("GET", "/api/v1/rejections/report", Access::Roles({Role::kAuditor, Role::kAdmin}),
             [&ctx](const Request& r) { return RejectionReportPdf(ctx, r); });
}

}  // namespace lims::http
