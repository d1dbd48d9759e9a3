// Handlers of the rejection history (auditors, admins): the filtered, keyset-paged list of every
// failing requirement of an issued sample, its summaries, and both as streamed CSV
// (docs/rejections.md).
#include <Poco/JSON/Array.h>

#include <cstdio>
#include <memory>

#include "lims/http/json_io.h"
#include "lims/http/problem.h"
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

std::string CsvRow(const RejectionRow& r) {
  return CsvLine({r.sample_number,
                  r.report_number,
                  std::to_string(r.exporter_id),
                  r.exporter,
                  r.district,
                  r.product,
                  r.product_family,
                  r.market,
                  r.lab,
                  r.standard,
                  r.clause,
                  r.requirement,
                  r.property,
                  r.value,
                  r.unit,
                  r.comparator,
                  r.limit,
                  r.limit_unit,
                  r.verdict,
                  r.decision_rule,
                  FormatRfc3339(r.received_at),
                  FormatRfc3339(r.tested_at),
                  FormatRfc3339(r.issued_at)});
}

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
    Status s = store::ScanRejections(lease->connection(), query, kCsvBatch, [&out](const RejectionRow& row) {
      out << CsvRow(row);
      return out.good();
    });
    if (s.code() == Status::Code::kUnavailable) lease->MarkBroken();
    return s.ok();
  });
}

Response List(AppContext& ctx, const Request& req) {
  Result<RejectionQuery> query = ParseRejectionQuery(req.query);
  if (!query.ok()) return ProblemFromStatus(query.status());
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

Poco::Dynamic::Var Hours(const std::optional<double>& h) {
  return h ? Poco::Dynamic::Var(*h) : Poco::Dynamic::Var();
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

JsonObject GroupJson(const SummaryGroupRow& g) {
  JsonObject o = NewObject();
  o.set("key", g.key);
  if (!g.label.empty()) o.set("label", g.label);
  o.set("tested", g.tested);
  o.set("rejected", g.rejected);
  o.set("rejection_rate", RejectionRate(g.tested, g.rejected));
  Poco::JSON::Array top;
  for (const auto& [requirement, n] : g.top_failing) {
    JsonObject t = NewObject();
    t.set("requirement", requirement);
    t.set("rejections", n);
    top.add(t);
  }
  o.set("top_failing", top);
  JsonObject turnaround = NewObject();
  turnaround.set("median_hours", Hours(g.turnaround_median_h));
  turnaround.set("p90_hours", Hours(g.turnaround_p90_h));
  o.set("turnaround", turnaround);
  return o;
}

Response SummaryJson(const SummaryQuery& q, const RejectionSummary& s) {
  JsonObject body = NewObject();
  body.set("group_by", std::string(SummaryGroupName(q.group)));
  Poco::JSON::Array groups;
  for (const SummaryGroupRow& g : s.groups) groups.add(GroupJson(g));
  body.set("groups", groups);
  Poco::JSON::Array repeat;
  for (const RepeatOffender& r : s.repeat_offenders) {
    JsonObject o = NewObject();
    o.set("exporter", std::to_string(r.exporter_id));
    o.set("exporter_name", r.exporter);
    o.set("requirement", r.requirement);
    o.set("rejections", r.rejections);
    repeat.add(o);
  }
  body.set("repeat_offenders", repeat);
  JsonObject turnaround = NewObject();
  turnaround.set("median_hours", Hours(s.turnaround_median_h));
  turnaround.set("p90_hours", Hours(s.turnaround_p90_h));
  body.set("turnaround", turnaround);
  return JsonResponse(200, body);
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
  // Deny by default: exporters, technicians, reviewers and signatories are refused (403).
  const Access auditors = Access::Roles({Role::kAuditor, Role::kAdmin});
  router.Add("GET", "/api/v1/rejections", auditors, [&ctx](const Request& r) { return List(ctx, r); });
  router.Add("GET", "/api/v1/rejections/summary", auditors, [&ctx](const Request& r) { return Summary(ctx, r); });
}

}  // namespace lims::http
