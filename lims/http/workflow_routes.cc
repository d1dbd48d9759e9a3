// Handlers of the testing work: a test and its ETag, result entry, four-eyes review, retests,
// assignment and the worklist, and chain-of-custody events. Every write runs as one audited,
// idempotent unit of work (WithWorkflow) and honours If-Match.
#include <Poco/JSON/Array.h>

#include "lims/http/json_io.h"
#include "lims/http/problem.h"
#include "lims/http/routes.h"
#include "lims/http/sample_json.h"
#include "lims/http/workflow_scope.h"

namespace lims::http {
namespace {

Result<ResultEntry> ReadResultEntry(const std::string& body) {
  BodyReader in(body);
  ResultEntry e;
  e.values = in.StringArray("values", true);
  e.unit = in.OptionalString("unit");  // required for numeric results (checked against the test)
  e.uncertainty = in.NullableString("uncertainty");
  e.instrument = in.OptionalString("instrument");
  e.temperature_c = in.NullableString("temperature_c");
  e.humidity_pct = in.NullableString("humidity_pct");
  e.remarks = in.OptionalString("remarks");
  LIMS_RETURN_IF_ERROR(in.Finish());
  return e;
}

// Runs a write on test {id}: 404 for a malformed id, 400 for a malformed If-Match.
template <typename Fn>
Response OnTest(AppContext& ctx, const Request& req, Fn fn) {
  std::optional<int64_t> id = PathId(req, "id");
  if (!id) return Problem(404, "Not found", "no test " + req.params.at("id"));
  Result<std::optional<int>> if_match = ParseIfMatch(req);
  if (!if_match.ok()) return ProblemFromStatus(if_match.status());
  return WithWorkflow(ctx, req, [&](SampleService& service, store::MysqlSampleStore& store) -> Response {
    return fn(service, store, *id, *if_match);
  });
}

// A test with its results, reviews and history: read through its sample, which carries them.
Result<TestRecord> FullTest(SampleService& service, store::MysqlSampleStore& store, int64_t id) {
  Result<TestRecord> test = store.FindTest(id);
  if (!test.ok()) return test;
  Result<SampleRecord> sample = service.Get(test->sample_number);
  if (!sample.ok()) return sample.status();
  for (TestRecord& t : sample->tests) {
    if (t.id == id) return std::move(t);
  }
  return Status::NotFound("no test " + std::to_string(id));
}

Response GetTest(AppContext& ctx, const Request& req) {
  std::optional<int64_t> id = PathId(req, "id");
  if (!id) return Problem(404, "Not found", "no test " + req.params.at("id"));
  return WithSampleService(ctx, req, [&](SampleService& service, store::MysqlSampleStore& store) {
    Result<TestRecord> test = FullTest(service, store, *id);
    if (!test.ok()) return ProblemFromStatus(test.status());
    return JsonWithETag(200, TestJson(*test), test->version);
  });
}

// The test as it is after a write, with its new ETag.
Response TestAfter(SampleService& service, store::MysqlSampleStore& store, int64_t id, int status) {
  Result<TestRecord> test = FullTest(service, store, id);
  if (!test.ok()) return ProblemFromStatus(test.status());
  return JsonWithETag(status, TestJson(*test), test->version);
}

Response EnterResult(AppContext& ctx, const Request& req) {
  Result<ResultEntry> entry = ReadResultEntry(req.body);
  if (!entry.ok()) return ProblemFromStatus(entry.status());
  return OnTest(ctx, req,
                [&](SampleService& service, store::MysqlSampleStore&, int64_t id, std::optional<int> if_match) {
                  int version = 0;
                  Result<ResultRecord> result = service.EnterResult(id, *entry, if_match, &version);
                  if (!result.ok()) return ProblemFromStatus(result.status());
                  // The contract's response is the evaluated result; the test's new state and ETag come along.
                  JsonObject body = ResultJson(*result);
                  body.set("test_status", std::string(TestStatusName(TestStatus::kEntered)));
                  body.set("test_version", version);
                  return JsonWithETag(201, body, version);
                });
}

Response Review(AppContext& ctx, const Request& req) {
  BodyReader in(req.body);
  const std::string decision_text = in.RequiredString("decision");
  const std::string comment = in.OptionalString("comment");
  Status read = in.Finish();
  Result<ReviewDecision> decision = ParseReviewDecision(decision_text);
  if (read.ok() && !decision.ok()) {
    read = Status::InvalidArgument("the request body has invalid fields", {{"decision", "must be approve or reject"}});
  }
  if (!read.ok()) return ProblemFromStatus(read);
  return OnTest(ctx, req,
                [&](SampleService& service, store::MysqlSampleStore& store, int64_t id, std::optional<int> if_match) {
                  Result<ReviewRecord> review = service.Review(id, *decision, comment, if_match);
                  if (!review.ok()) return ProblemFromStatus(review.status());
                  return TestAfter(service, store, id, 200);
                });
}

Response Retest(AppContext& ctx, const Request& req) {
  BodyReader in(req.body);
  const std::string reason = in.RequiredString("reason");
  LIMS_RETURN_IF_ERROR_RESPONSE(in.Finish());
  return OnTest(ctx, req,
                [&](SampleService& service, store::MysqlSampleStore& store, int64_t id, std::optional<int> if_match) {
                  Result<TestRecord> repeat = service.Retest(id, reason, if_match);
                  if (!repeat.ok()) return ProblemFromStatus(repeat.status());
                  Result<TestRecord> old = FullTest(service, store, id);
                  if (!old.ok()) return ProblemFromStatus(old.status());
                  JsonObject body = NewObject();
                  body.set("invalidated", TestJson(*old));
                  body.set("test", TestJson(*repeat));
                  Response r = JsonWithETag(201, body, repeat->version);
                  r.headers.emplace_back("Location", "/api/v1/tests/" + std::to_string(repeat->id));
                  return r;
                });
}

Response Assign(AppContext& ctx, const Request& req, bool claim) {
  std::optional<int64_t> assignee;
  if (claim) {
    assignee = req.principal->user_id;
  } else {
    BodyReader in(req.body);
    std::optional<std::string> text = in.NullableString("assignee");
    LIMS_RETURN_IF_ERROR_RESPONSE(in.Finish());
    if (text) {
      int64_t id = 0;
      auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), id);
      if (ec != std::errc() || end != text->data() + text->size() || id < 1) {
        return Problem(400, "Malformed request", "the request body has invalid fields",
                       {{"assignee", "must be a user id or null"}});
      }
      assignee = id;
    }
  }
  return OnTest(ctx, req,
                [&](SampleService& service, store::MysqlSampleStore& store, int64_t id, std::optional<int> if_match) {
                  Result<TestRecord> test = service.Assign(id, assignee, if_match);
                  if (!test.ok()) return ProblemFromStatus(test.status());
                  return TestAfter(service, store, id, 200);
                });
}

Result<WorklistQuery> ReadWorklistQuery(const Request& req) {
  WorklistQuery q;
  std::vector<FieldError> errors;
  q.method = req.Query("method");
  q.instrument = req.Query("instrument");
  q.due_before = req.Query("due_before");
  if (req.HasQuery("assignee")) {
    const std::string v = req.Query("assignee");
    int64_t id = 0;
    auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), id);
    if (v == "me") {
      q.assignee = req.principal->user_id;
    } else if (v == "none") {
      q.assignee = 0;
    } else if (ec == std::errc() && end == v.data() + v.size() && id > 0) {
      q.assignee = id;
    } else {
      errors.push_back({"assignee", "must be a user id, me or none"});
    }
  }
  if (!q.due_before.empty() && !IsCalendarDate(q.due_before)) errors.push_back({"due_before", "must be YYYY-MM-DD"});
  if (req.HasQuery("limit")) {
    const std::string v = req.Query("limit");
    auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), q.limit);
    if (ec != std::errc() || end != v.data() + v.size() || q.limit < 1 || q.limit > 500) {
      errors.push_back({"limit", "must be a whole number from 1 to 500"});
    }
  }
  if (req.HasQuery("after")) {
    const std::string v = req.Query("after");
    auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), q.after);
    if (ec != std::errc() || end != v.data() + v.size()) errors.push_back({"after", "must be a test id"});
  }
  if (!errors.empty()) return Status::InvalidArgument("invalid query parameters", std::move(errors));
  return q;
}

Response Worklist(AppContext& ctx, const Request& req) {
  Result<WorklistQuery> query = ReadWorklistQuery(req);
  if (!query.ok()) return ProblemFromStatus(query.status());
  return WithSampleService(ctx, req, [&](SampleService&, store::MysqlSampleStore& store) {
    Result<std::vector<WorkItem>> items = store.Worklist(*query);
    if (!items.ok()) return ProblemFromStatus(items.status());
    Poco::JSON::Array list;
    for (const WorkItem& w : *items) list.add(WorkItemJson(w));
    JsonObject body = NewObject();
    body.set("items", list);
    const bool full = static_cast<int>(items->size()) == query->limit;
    body.set("next", full ? Poco::Dynamic::Var(std::to_string(items->back().test.id)) : Poco::Dynamic::Var());
    return JsonResponse(200, body);
  });
}

Result<CustodyRequest> ReadCustody(const std::string& body) {
  BodyReader in(body);
  CustodyRequest c;
  const std::string event = in.RequiredString("event");
  c.location = in.OptionalString("location");
  c.note = in.OptionalString("note");
  c.portion = in.OptionalString("portion");
  std::optional<std::string> test = in.NullableString("test");
  c.retain_until = in.OptionalString("retain_until");
  Status status = in.Finish();
  std::vector<FieldError> errors = status.field_errors();
  Result<CustodyKind> kind = ParseCustodyKind(event);
  if (kind.ok()) {
    c.kind = *kind;
  } else if (!event.empty()) {
    errors.push_back({"event", kind.status().message()});
  }
  if (test) {
    int64_t id = 0;
    auto [end, ec] = std::from_chars(test->data(), test->data() + test->size(), id);
    if (ec == std::errc() && end == test->data() + test->size() && id > 0)
      c.test_id = id;
    else
      errors.push_back({"test", "must be a test id"});
  }
  if (!errors.empty()) return Status::InvalidArgument("the request body has invalid fields", std::move(errors));
  return c;
}

Response AddCustody(AppContext& ctx, const Request& req) {
  Result<CustodyRequest> request = ReadCustody(req.body);
  if (!request.ok()) return ProblemFromStatus(request.status());
  Result<std::optional<int>> if_match = ParseIfMatch(req);
  if (!if_match.ok()) return ProblemFromStatus(if_match.status());
  const std::string& number = req.params.at("number");
  return WithWorkflow(ctx, req, [&](SampleService& service, store::MysqlSampleStore&) {
    Result<CustodyEvent> event = service.RecordCustody(number, *request, *if_match);
    if (!event.ok()) return ProblemFromStatus(event.status());
    Result<SampleRecord> sample = service.Get(number);
    if (!sample.ok()) return ProblemFromStatus(sample.status());
    JsonObject body = CustodyJson(*event);
    body.set("sample_status", std::string(SampleStatusName(sample->status)));
    body.set("sample_version", sample->version);
    return JsonWithETag(201, body, sample->version);
  });
}

}  // namespace

void AddWorkflowRoutes(Router& router, AppContext& ctx) {
  const Access technician = Access::Roles({Role::kTechnician});
  const Access reviewer = Access::Roles({Role::kReviewer});
  router.Add("GET", "/api/v1/tests/{id}", Access::Staff(), [&ctx](const Request& r) { return GetTest(ctx, r); });
  router.Add("POST", "/api/v1/tests/{id}/results", technician,
             [&ctx](const Request& r) { return EnterResult(ctx, r); });
  router.Add("POST", "/api/v1/tests/{id}/review", reviewer, [&ctx](const Request& r) { return Review(ctx, r); });
  router.Add("POST", "/api/v1/tests/{id}/retest", reviewer, [&ctx](const Request& r) { return Retest(ctx, r); });
  router.Add("POST", "/api/v1/tests/{id}/assign", technician,
             [&ctx](const Request& r) { return Assign(ctx, r, false); });
  router.Add("POST", "/api/v1/tests/{id}/claim", technician, [&ctx](const Request& r) { return Assign(ctx, r, true); });
  router.Add("GET", "/api/v1/worklist", technician, [&ctx](const Request& r) { return Worklist(ctx, r); });
  router.Add("POST", "/api/v1/samples/{number}/custody", technician,
             [&ctx](const Request& r) { return AddCustody(ctx, r); });
}

}  // namespace lims::http
