#include "lims/http/rejection_report.h"

#include <algorithm>
#include <map>

#include "lims/core/rejection.h"
#include "lims/http/problem.h"
#include "lims/store/rejection_store.h"
#include "reports/pdf_signer.h"
#include "reports/rejection_report.h"

namespace lims::http {
namespace {

constexpr int kTopRequirements = 10;
constexpr size_t kTopExporters = 20;

std::string Date(Timestamp t) {
  return FormatRfc3339(t).substr(0, 10);
}

// "AGR-RH-20261126T101500Z": the lab, "rejection history", the moment it was made.
std::string ReportNumber(const Lab& lab, Timestamp now) {
  std::string stamp;
  for (char c : FormatRfc3339(now)) {
    if (c != '-' && c != ':') stamp += c;
  }
  return (lab.code.empty() ? std::string("LAB") : lab.code) + "-RH-" + stamp;
}

std::vector<reports::RejectionReportMonth> Months(const ReportQuery& q, const RejectionSummary& by_month) {
  std::map<std::string, const SummaryGroupRow*> found;
  for (const SummaryGroupRow& g : by_month.groups) found[g.key] = &g;
  std::vector<reports::RejectionReportMonth> out;
  for (const std::string& month : MonthsOf(q.from, q.to)) {
    auto it = found.find(month);
    out.push_back({month, it == found.end() ? 0 : it->second->tested, it == found.end() ? 0 : it->second->rejected});
  }
  return out;
}

std::vector<reports::RejectionReportExporter> Exporters(const RejectionSummary& by_exporter) {
  std::vector<const SummaryGroupRow*> rows;
  for (const SummaryGroupRow& g : by_exporter.groups) {
    if (g.rejected > 0) rows.push_back(&g);
  }
  std::stable_sort(rows.begin(), rows.end(), [](const SummaryGroupRow* a, const SummaryGroupRow* b) {
    return a->rejected != b->rejected ? a->rejected > b->rejected : a->tested > b->tested;
  });
  if (rows.size() > kTopExporters) rows.resize(kTopExporters);
  std::vector<reports::RejectionReportExporter> out;
  for (const SummaryGroupRow* g : rows) out.push_back({g->label.empty() ? g->key : g->label, g->tested, g->rejected});
  return out;
}

struct Figures {
  RejectionSummary by_month;
  RejectionSummary by_exporter;
  std::vector<FailingRequirement> requirements;
};

Result<Figures> ReadFigures(sql::Connection& c, const ReportQuery& q) {
  SummaryQuery s;
  s.from = q.from;
  s.to = q.to;
  s.district = q.district;
  s.group = SummaryGroup::kMonth;
  Figures f;
  Result<RejectionSummary> by_month = store::SummarizeRejections(c, s);
  if (!by_month.ok()) return by_month.status();
  f.by_month = std::move(by_month).value();
  s.group = SummaryGroup::kExporter;
  Result<RejectionSummary> by_exporter = store::SummarizeRejections(c, s);
  if (!by_exporter.ok()) return by_exporter.status();
  f.by_exporter = std::move(by_exporter).value();
  Result<std::vector<FailingRequirement>> requirements = store::TopFailingRequirements(c, s, kTopRequirements);
  if (!requirements.ok()) return requirements.status();
  f.requirements = std::move(requirements).value();
  return f;
}

reports::RejectionReportData ReportData(const AppContext& ctx, const Request& req, const ReportQuery& q,
                                        const Figures& f, Timestamp now) {
  reports::RejectionReportData d;
  d.number = ReportNumber(ctx.lab, now);
  d.lab_name = ctx.lab.name;
  d.lab_address = ctx.lab.address;
  d.lab_accreditation = ctx.lab.accreditation;
  d.district = q.district;
  d.period_from = Date(q.from);
  d.period_to = Date(q.to - std::chrono::seconds(1));  // printed as the last day included
  d.generated_at = FormatRfc3339(now);
  d.generated_by = req.principal->username + " (" + req.acting_role + ")";
  d.months = Months(q, f.by_month);
  for (const auto& m : d.months) {
    d.tested += m.tested;
    d.rejected += m.rejected;
  }
  d.turnaround_median_h = f.by_month.turnaround_median_h;
  d.turnaround_p90_h = f.by_month.turnaround_p90_h;
  for (const FailingRequirement& r : f.requirements) {
    d.top_requirements.push_back({r.code, r.standard, r.clause, r.property, r.failures});
  }
  d.exporters = Exporters(f.by_exporter);
  for (const RepeatOffender& r : f.by_month.repeat_offenders) {
    d.repeat_offenders.push_back({r.exporter, r.requirement, r.rejections});
  }
  return d;
}

bool KnownDistrict(const AppContext& ctx, const std::string& district) {
  return std::any_of(ctx.districts.begin(), ctx.districts.end(), [&](const District& d) { return d.name == district; });
}

}  // namespace

Response RejectionReportPdf(AppContext& ctx, const Request& req) {
  const Timestamp now = ctx.clock.Now();
  Result<ReportQuery> query = ParseReportQuery(req.query, now);
  if (!query.ok()) return ProblemFromStatus(query.status());
  if (!query->district.empty() && !ctx.districts.empty() && !KnownDistrict(ctx, query->district)) {
    return ProblemFromStatus(
        Status::InvalidArgument("invalid query parameters", {{"district", "is not a district of the catalog"}}));
  }
  if (ctx.signing_key == nullptr) {
    return Problem(503, "Service Unavailable", "the lab has no signing key configured: reports cannot be signed");
  }
  Result<store::ConnectionPool::Lease> lease = ctx.ReadPool().Acquire();
  if (!lease.ok()) return ProblemFromStatus(lease.status());
  Result<Figures> figures = ReadFigures(lease->connection(), *query);
  if (!figures.ok()) {
    if (figures.status().code() == Status::Code::kUnavailable) lease->MarkBroken();
    return ProblemFromStatus(figures.status());
  }
  const reports::RejectionReportData data = ReportData(ctx, req, *query, *figures, now);
  Result<std::string> pdf = reports::RenderRejectionReport(data, ctx.fonts);
  if (!pdf.ok()) return ProblemFromStatus(pdf.status());
  reports::SignatureInfo info;
  info.signer_name = ctx.lab.name;
  info.reason = "Rejection history report " + data.number;
  info.location = ctx.lab.name;
  info.signing_time = now;
  Result<std::string> signed_pdf = reports::SignPdf(*pdf, *ctx.signing_key, info);
  if (!signed_pdf.ok()) return ProblemFromStatus(signed_pdf.status());
  Response r{200, "application/pdf", std::move(signed_pdf).value(), {}};
  r.headers.emplace_back("Content-Disposition", "attachment; filename=\"" + data.number + ".pdf\"");
  r.headers.emplace_back("Cache-Control", "no-store");
  return r;
}

}  // namespace lims::http
