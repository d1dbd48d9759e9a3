// Handlers of the sample slice: intake, reading, listing, labels and the preliminary report.
#include <Poco/JSON/Array.h>

#include <charconv>

#include "lims/core/sample_service.h"
#include "lims/http/catalog_json.h"
#include "lims/http/json_io.h"
#include "lims/http/problem.h"
#include "lims/http/routes.h"
#include "lims/http/sample_json.h"
#include "lims/http/workflow_scope.h"
#include "lims/store/mysql_sample_store.h"
#include "reports/sample_label.h"
#include "reports/sample_report.h"

namespace lims::http {
namespace {

Result<NewSample> ReadNewSample(const std::string& body) {
  BodyReader in(body);
  NewSample s;
  s.exporter_id = in.RequiredId("exporter");
  s.product = in.RequiredString("product");
  s.product_family = in.OptionalString("product_family");
  s.article = in.OptionalString("article");
  s.sizes = in.StringArray("sizes", false);
  s.lot = in.OptionalString("lot");
  s.quantity = in.RequiredInteger("quantity");
  s.quantity_unit = in.RequiredString("quantity_unit");
  s.destination = in.RequiredString("destination");
  s.decision_rule = ReadDecisionRule(in, "decision_rule");
  if (Poco::JSON::Object::Ptr plan = in.Object("test_plan", false); !plan.isNull()) {
    BodyReader plan_in(plan, "test_plan.");
    s.test_plan = ReadTestPlanRequest(plan_in);
    in.Absorb(plan_in);
  }
  const std::string condition = in.OptionalString("condition", "intact");
  s.condition_note = in.OptionalString("condition_note");
  s.storage_location = in.OptionalString("storage_location");
  s.due_date = in.OptionalString("due_date");
  s.requirements = in.StringArray("requirements", false);
  Status status = in.Finish();
  Result<ReceiptCondition> parsed = ParseReceiptCondition(condition);
  if (!parsed.ok()) {
    std::vector<FieldError> errors = status.field_errors();
    errors.push_back({"condition", parsed.status().message()});
    return Status::InvalidArgument("the request body has invalid fields", std::move(errors));
  }
  if (!status.ok()) return status;
  s.condition = *parsed;
  return s;
}

Response Register(AppContext& ctx, const Request& req) {
  Result<NewSample> sample = ReadNewSample(req.body);
  if (!sample.ok()) return ProblemFromStatus(sample.status());
  if (sample->product_family.empty() && sample->test_plan) sample->product_family = sample->test_plan->product_family;
  return WithWorkflow(ctx, req, [&](SampleService& service, store::MysqlSampleStore&) {
    Result<SampleRecord> created = service.Register(*sample);
    if (!created.ok()) return ProblemFromStatus(created.status());
    Response r = JsonWithETag(201, SampleJson(*created), created->version);
    r.headers.emplace_back("Location", "/api/v1/samples/" + created->number);
    return r;
  });
}

// An exporter sees only its own organisation's samples; another's answers 404, as if absent, so
// that sample numbers of competitors cannot be probed.
bool Owns(const Request& req, const SampleRecord& s) {
  const Principal& p = *req.principal;
  return !p.IsExporter() || (p.organization_id && *p.organization_id == s.exporter_id);
}

Response GetSample(AppContext& ctx, const Request& req) {
  return WithSampleService(ctx, req, [&](SampleService& service, store::MysqlSampleStore&) {
    Result<SampleRecord> sample = service.Get(req.params.at("number"));
    if (sample.ok() && !Owns(req, *sample)) return Problem(404, "Not found", "no sample " + req.params.at("number"));
    if (!sample.ok()) return ProblemFromStatus(sample.status());
    return JsonWithETag(200, SampleJson(*sample), sample->version);
  });
}

Result<SampleQuery> ReadSampleQuery(const Request& req) {
  SampleQuery q;
  std::vector<FieldError> errors;
  if (req.HasQuery("status")) {
    Result<SampleStatus> s = ParseSampleStatus(req.Query("status"));
    if (s.ok())
      q.status = *s;
    else
      errors.push_back({"status", s.status().message()});
  }
  if (req.HasQuery("exporter")) {
    int64_t id = 0;
    const std::string v = req.Query("exporter");
    auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), id);
    if (ec == std::errc() && end == v.data() + v.size())
      q.exporter_id = id;
    else
      errors.push_back({"exporter", "must be an id"});
  }
  if (req.HasQuery("limit")) {
    const std::string v = req.Query("limit");
    auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), q.limit);
    if (ec != std::errc() || end != v.data() + v.size() || q.limit < 1 || q.limit > 500) {
      errors.push_back({"limit", "must be a whole number from 1 to 500"});
    }
  }
  for (const char* bound : {"from", "to"}) {
    if (!req.HasQuery(bound)) continue;
    Result<Timestamp> t = ParseRfc3339(req.Query(bound));
    if (!t.ok()) {
      errors.push_back({bound, "must be an RFC 3339 UTC time such as 2026-11-23T10:15:00Z"});
    } else {
      (std::string(bound) == "from" ? q.from : q.to) = *t;
    }
  }
  q.after = req.Query("after");
  if (!errors.empty()) return Status::InvalidArgument("invalid query parameters", std::move(errors));
  return q;
}

Response ListSamples(AppContext& ctx, const Request& req) {
  Result<SampleQuery> query = ReadSampleQuery(req);
  if (!query.ok()) return ProblemFromStatus(query.status());
  if (req.principal->IsExporter()) query->exporter_id = req.principal->organization_id.value_or(-1);  // own only
  return WithSampleService(ctx, req, [&](SampleService&, store::MysqlSampleStore& store) {
    Result<std::vector<SampleRecord>> samples = store.ListSamples(*query);
    if (!samples.ok()) return ProblemFromStatus(samples.status());
    Poco::JSON::Array items;
    for (const SampleRecord& s : *samples) items.add(SampleSummaryJson(s));
    JsonObject body = NewObject();
    body.set("items", items);
    const bool full = static_cast<int>(samples->size()) == query->limit;
    if (full)
      body.set("next", samples->back().number);
    else
      body.set("next", Poco::Dynamic::Var());
    return JsonResponse(200, body);
  });
}

reports::SampleReportData ReportData(const AppContext& ctx, const SampleRecord& s) {
  reports::SampleReportData d;
  d.lab_name = ctx.lab.name;
  d.lab_address = ctx.lab.address;
  d.lab_accreditation = ctx.lab.accreditation;
  d.sample_number = s.number;
  d.exporter_name = s.exporter_name;
  d.product = s.product;
  d.article = s.article;
  d.lot = s.lot;
  d.destination = s.destination;
  d.condition = std::string(ReceiptConditionName(s.condition));
  d.received_at = FormatRfc3339(s.received_at);
  d.status = std::string(SampleStatusName(s.status));
  d.decision_rule = s.decision_rule.Describe() + " (ILAC-G8:09/2019)";
  d.overall_verdict = JudgeSample(s).Describe();
  Timestamp latest = s.received_at;  // the report's date comes from the record, never the clock
  for (const TestRecord& t : s.tests) {
    if (t.status == TestStatus::kInvalidated) continue;  // its repeat stands in its place
    reports::ReportResultRow row{t.standard + " " + t.clause, t.property, t.method, "", t.limit.unit,
                                 t.limit.ToDisplay(),         "pending",  ""};
    if (t.result) {
      for (const std::string& v : t.result->values) row.values += (row.values.empty() ? "" : "; ") + v;
      row.verdict = std::string(VerdictName(t.result->verdict));
      row.explanation = t.result->explanation;
      latest = std::max(latest, t.result->entered_at);
    }
    d.rows.push_back(std::move(row));
  }
  d.generated_at = FormatRfc3339(latest);
  return d;
}

Response Report(AppContext& ctx, const Request& req) {
  return WithSampleService(ctx, req, [&](SampleService& service, store::MysqlSampleStore&) {
    Result<SampleRecord> sample = service.Get(req.params.at("number"));
    if (!sample.ok()) return ProblemFromStatus(sample.status());
    Result<std::string> pdf = reports::RenderSampleReport(ReportData(ctx, *sample), ctx.fonts);
    if (!pdf.ok()) return ProblemFromStatus(pdf.status());
    Response r{200, "application/pdf", std::move(pdf).value(), {}};
    r.headers.emplace_back("Content-Disposition", "inline; filename=\"" + sample->number + "-report.pdf\"");
    return r;
  });
}

// The label of the sample, or of one of its portions (?portion=AGR-2026-000123-P1).
Result<reports::LabelData> LabelFor(const AppContext& ctx, const SampleRecord& s, const std::string& portion) {
  reports::LabelData d;
  d.code = s.number;
  if (!portion.empty()) {
    bool found = false;
    for (const PortionRecord& p : s.portions) found = found || p.code == portion;
    if (!found) return Status::NotFound("sample " + s.number + " has no portion " + portion);
    d.code = portion;
  }
  d.title = d.code;
  d.exporter_short = s.exporter_short_name.empty() ? s.exporter_name : s.exporter_short_name;
  d.received_date = FormatRfc3339(s.received_at).substr(0, 10);
  d.qr_url = ctx.public_base_url + "/api/v1/samples/" + s.number;
  return d;
}

Response Label(AppContext& ctx, const Request& req, bool zpl) {
  return WithSampleService(ctx, req, [&](SampleService& service, store::MysqlSampleStore&) {
    Result<SampleRecord> sample = service.Get(req.params.at("number"));
    if (!sample.ok()) return ProblemFromStatus(sample.status());
    Result<reports::LabelData> label = LabelFor(ctx, *sample, req.Query("portion"));
    if (!label.ok()) return ProblemFromStatus(label.status());
    if (zpl) return Response{200, "application/zpl; charset=utf-8", reports::RenderLabelZpl(*label), {}};
    Result<std::string> pdf = reports::RenderLabelPdf(*label, ctx.fonts);
    if (!pdf.ok()) return ProblemFromStatus(pdf.status());
    Response r{200, "application/pdf", std::move(pdf).value(), {}};
    r.headers.emplace_back("Content-Disposition", "inline; filename=\"" + label->code + "-label.pdf\"");
    return r;
  });
}

}  // namespace

void AddSampleRoutes(Router& router, AppContext& ctx) {
  const Access technician = Access::Roles({Role::kTechnician});
  router.Add("POST", "/api/v1/samples", technician, [&ctx](const Request& r) { return Register(ctx, r); });
  router.Add("GET", "/api/v1/samples", Access::AnyUser(), [&ctx](const Request& r) { return ListSamples(ctx, r); });
  router.Add("GET", "/api/v1/samples/{number}", Access::AnyUser(),
             [&ctx](const Request& r) { return GetSample(ctx, r); });
  router.Add("GET", "/api/v1/samples/{number}/report.pdf", Access::Staff(),
             [&ctx](const Request& r) { return Report(ctx, r); });
  router.Add("GET", "/api/v1/samples/{number}/label.pdf", technician,
             [&ctx](const Request& r) { return Label(ctx, r, false); });
  router.Add("GET", "/api/v1/samples/{number}/label.zpl", technician,
             [&ctx](const Request& r) { return Label(ctx, r, true); });
}

}  // namespace lims::http
