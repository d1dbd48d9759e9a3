// Handlers of the sample slice: intake, reading, listing, result entry and the preliminary report.
#include <Poco/JSON/Array.h>

#include <charconv>

#include "lims/core/sample_service.h"
#include "lims/http/catalog_json.h"
#include "lims/http/json_io.h"
#include "lims/http/problem.h"
#include "lims/http/routes.h"
#include "lims/store/mysql_sample_store.h"
#include "reports/sample_report.h"

namespace lims::http {
namespace {

// Runs `fn` with a service on a pooled connection. A 503 outcome means the connection failed:
// it is closed instead of being returned, so the pool heals once the database is back.
template <typename Fn>
Response WithService(AppContext& ctx, Fn fn) {
  Result<store::ConnectionPool::Lease> lease = ctx.pool.Acquire();
  if (!lease.ok()) return ProblemFromStatus(lease.status());
  store::MysqlSampleStore store(lease->connection());
  SampleService service(store, ctx.clock, ctx.lab.code, &ctx.catalog);
  Response r = fn(service, store);
  if (r.status == 503) lease->MarkBroken();
  return r;
}

JsonObject ResultJson(const ResultRecord& r) {
  JsonObject o = NewObject();
  o.set("id", std::to_string(r.id));
  o.set("test", std::to_string(r.test_id));
  Poco::JSON::Array values;
  for (const std::string& v : r.values) values.add(v);
  o.set("values", values);
  o.set("unit", r.unit);
  if (r.uncertainty) {
    o.set("uncertainty", r.uncertainty->ToString());
  } else {
    o.set("uncertainty", Poco::Dynamic::Var());
  }
  o.set("remarks", r.remarks);
  o.set("verdict", std::string(VerdictName(r.verdict)));
  o.set("explanation", r.explanation);
  o.set("entered_at", FormatRfc3339(r.entered_at));
  return o;
}

JsonObject TestJson(const TestRecord& t) {
  JsonObject o = NewObject();
  o.set("id", std::to_string(t.id));
  SetTestSpec(o, t);
  o.set("status", std::string(TestStatusName(t.status)));
  if (t.result) {
    o.set("result", ResultJson(*t.result));
  } else {
    o.set("result", Poco::Dynamic::Var());
  }
  return o;
}

JsonObject SampleSummaryJson(const SampleRecord& s) {
  JsonObject o = NewObject();
  o.set("number", s.number);
  o.set("status", std::string(SampleStatusName(s.status)));
  JsonObject exporter = NewObject();
  exporter.set("id", std::to_string(s.exporter_id));
  exporter.set("name", s.exporter_name);
  o.set("exporter", exporter);
  o.set("product", s.product);
  o.set("article", s.article);
  o.set("sizes", StringsJson(s.sizes));
  o.set("lot", s.lot);
  o.set("quantity", s.quantity);
  o.set("quantity_unit", s.quantity_unit);
  o.set("destination", s.destination);
  o.set("decision_rule", s.decision_rule.Token());
  o.set("decision_rule_text", s.decision_rule.Describe());
  o.set("condition", std::string(ReceiptConditionName(s.condition)));
  o.set("condition_note", s.condition_note);
  o.set("storage_location", s.storage_location);
  o.set("received_at", FormatRfc3339(s.received_at));
  return o;
}

// The sample's overall verdict and, for a rejection, every failing requirement with value and limit.
JsonObject VerdictJson(const SampleRecord& s) {
  const SampleVerdict v = JudgeSample(s);
  JsonObject o = NewObject();
  if (v.verdict)
    o.set("overall", std::string(VerdictName(*v.verdict)));
  else
    o.set("overall", Poco::Dynamic::Var());
  o.set("worst_so_far", std::string(VerdictName(v.worst_so_far)));
  o.set("open_tests", v.open);
  o.set("rejected", v.rejected());
  Poco::JSON::Array failing;
  for (const TestRecord* t : v.failing) {
    JsonObject f = NewObject();
    f.set("test", std::to_string(t->id));
    f.set("requirement", t->requirement);
    f.set("sources", StringsJson(t->sources));
    f.set("values", StringsJson(t->result->values));
    f.set("unit", t->result->unit);
    f.set("limit", LimitJson(t->limit));
    f.set("verdict", std::string(VerdictName(t->result->verdict)));
    f.set("explanation", t->result->explanation);
    failing.add(f);
  }
  o.set("failing", failing);
  o.set("summary", v.Describe());
  return o;
}

JsonObject SampleJson(const SampleRecord& s) {
  JsonObject o = SampleSummaryJson(s);
  Poco::JSON::Array tests;
  for (const TestRecord& t : s.tests) tests.add(TestJson(t));
  o.set("tests", tests);
  Poco::JSON::Array custody;
  for (const CustodyEvent& e : s.custody) {
    JsonObject item = NewObject();
    item.set("event", e.event);
    item.set("location", e.location);
    item.set("note", e.note);
    item.set("at", FormatRfc3339(e.at));
    custody.add(item);
  }
  o.set("custody", custody);
  o.set("verdict", VerdictJson(s));
  return o;
}

Result<NewSample> ReadNewSample(const std::string& body) {
  BodyReader in(body);
  NewSample s;
  s.exporter_id = in.RequiredId("exporter");
  s.product = in.RequiredString("product");
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

Result<ResultEntry> ReadResultEntry(const std::string& body) {
  BodyReader in(body);
  ResultEntry e;
  e.values = in.StringArray("values", true);
  e.unit = in.OptionalString("unit");  // required for numeric results (checked against the test)
  e.uncertainty = in.NullableString("uncertainty");
  e.remarks = in.OptionalString("remarks");
  LIMS_RETURN_IF_ERROR(in.Finish());
  return e;
}

Response Register(AppContext& ctx, const Request& req) {
  Result<NewSample> sample = ReadNewSample(req.body);
  if (!sample.ok()) return ProblemFromStatus(sample.status());
  return WithService(ctx, [&](SampleService& service, store::MysqlSampleStore&) {
    Result<SampleRecord> created = service.Register(*sample);
    if (!created.ok()) return ProblemFromStatus(created.status());
    Response r = JsonResponse(201, SampleJson(*created));
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
  return WithService(ctx, [&](SampleService& service, store::MysqlSampleStore&) {
    Result<SampleRecord> sample = service.Get(req.params.at("number"));
    if (sample.ok() && !Owns(req, *sample)) return Problem(404, "Not found", "no sample " + req.params.at("number"));
    if (!sample.ok()) return ProblemFromStatus(sample.status());
    return JsonResponse(200, SampleJson(*sample));
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
  q.after = req.Query("after");
  if (!errors.empty()) return Status::InvalidArgument("invalid query parameters", std::move(errors));
  return q;
}

Response ListSamples(AppContext& ctx, const Request& req) {
  Result<SampleQuery> query = ReadSampleQuery(req);
  if (!query.ok()) return ProblemFromStatus(query.status());
  if (req.principal->IsExporter()) query->exporter_id = req.principal->organization_id.value_or(-1);  // own only
  return WithService(ctx, [&](SampleService&, store::MysqlSampleStore& store) {
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

Response EnterResult(AppContext& ctx, const Request& req) {
  int64_t test_id = 0;
  const std::string& id = req.params.at("id");
  auto [end, ec] = std::from_chars(id.data(), id.data() + id.size(), test_id);
  if (ec != std::errc() || end != id.data() + id.size()) return Problem(404, "Not found", "no test " + id);
  Result<ResultEntry> entry = ReadResultEntry(req.body);
  if (!entry.ok()) return ProblemFromStatus(entry.status());
  return WithService(ctx, [&](SampleService& service, store::MysqlSampleStore&) {
    Result<ResultRecord> result = service.EnterResult(test_id, *entry);
    if (!result.ok()) return ProblemFromStatus(result.status());
    return JsonResponse(201, ResultJson(*result));
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
  return WithService(ctx, [&](SampleService& service, store::MysqlSampleStore&) {
    Result<SampleRecord> sample = service.Get(req.params.at("number"));
    if (!sample.ok()) return ProblemFromStatus(sample.status());
    Result<std::string> pdf = reports::RenderSampleReport(ReportData(ctx, *sample), ctx.fonts);
    if (!pdf.ok()) return ProblemFromStatus(pdf.status());
    Response r{200, "application/pdf", std::move(pdf).value(), {}};
    r.headers.emplace_back("Content-Disposition", "inline; filename=\"" + sample->number + "-report.pdf\"");
    return r;
  });
}

Response ListOrganizations(AppContext& ctx) {
  return WithService(ctx, [&](SampleService&, store::MysqlSampleStore& store) {
    Result<std::vector<Organization>> orgs = store.ListOrganizations();
    if (!orgs.ok()) return ProblemFromStatus(orgs.status());
    Poco::JSON::Array items;
    for (const Organization& o : *orgs) {
      JsonObject item = NewObject();
      item.set("id", std::to_string(o.id));
      item.set("name", o.name);
      item.set("iec", o.iec);
      item.set("gstin", o.gstin);
      item.set("address", o.address);
      item.set("district", o.district);
      item.set("odop_product", o.odop_product);
      items.add(item);
    }
    JsonObject body = NewObject();
    body.set("items", items);
    return JsonResponse(200, body);
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
  router.Add("POST", "/api/v1/tests/{id}/results", technician,
             [&ctx](const Request& r) { return EnterResult(ctx, r); });
  router.Add("GET", "/api/v1/organizations", Access::Roles({Role::kAdmin, Role::kTechnician}),
             [&ctx](const Request&) { return ListOrganizations(ctx); });
}

}  // namespace lims::http
