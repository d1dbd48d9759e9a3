// Handlers of the instrument registry: register (admin), list with what is due for calibration,
// read one with its histories, change its status (admin), record a calibration (admin) and an
// intermediate check (technician or admin). Every write is one audited, idempotent unit of work
// (RunWrite) and honours If-Match on the instrument's version. docs/instruments/registry.md.
#include <Poco/JSON/Array.h>

#include <algorithm>
#include <tuple>

#include "instruments/calibration_gate.h"
#include "lims/http/json_io.h"
#include "lims/http/problem.h"
#include "lims/http/routes.h"
#include "lims/http/sample_json.h"
#include "lims/http/workflow_scope.h"
#include "lims/store/instrument_store.h"

namespace lims::http {
namespace {

using instruments::CalibrationRecord;
using instruments::Day;
using instruments::InstrumentRecord;
using instruments::InstrumentStatus;
using instruments::IntermediateCheck;
using instruments::MeasuringRange;
using instruments::StatusChange;

constexpr int kMaxDueWithinDays = 3660;

Poco::Dynamic::Var OptionalString(const std::optional<std::string>& s) {
  return s ? Poco::Dynamic::Var(*s) : Poco::Dynamic::Var();
}

Poco::Dynamic::Var UserId(int64_t id) {
  return id > 0 ? Poco::Dynamic::Var(std::to_string(id)) : Poco::Dynamic::Var();
}

// ---- JSON in ----

// A decimal string field; a malformed one is a field error naming it.
Decimal ReadDecimal(BodyReader& in, const std::string& field, bool required) {
  const std::optional<std::string> text = required ? in.RequiredString(field) : in.NullableString(field);
  if (!text || text->empty()) return Decimal();
  Result<Decimal> d = Decimal::Parse(*text);
  if (!d.ok()) in.Fail(field, "not a decimal number");
  return d.ok() ? *d : Decimal();
}

std::vector<MeasuringRange> ReadRanges(BodyReader& in) {
  std::vector<MeasuringRange> ranges;
  Poco::JSON::Array::Ptr items = in.Array("ranges", false);
  if (items.isNull()) return ranges;
  for (unsigned i = 0; i < items->size(); ++i) {
    const std::string prefix = "ranges[" + std::to_string(i) + "]";
    Poco::JSON::Object::Ptr item = items->getObject(i);
    if (item.isNull()) {
      in.Fail(prefix, "must be an object");
      continue;
    }
    BodyReader r(item, prefix + ".");
    MeasuringRange m;
    m.quantity = r.RequiredString("quantity");
    m.unit = r.RequiredString("unit");
    m.min = ReadDecimal(r, "min", true);
    m.max = ReadDecimal(r, "max", true);
    if (r.NullableString("resolution")) m.resolution = ReadDecimal(r, "resolution", false);
    in.Absorb(r);
    ranges.push_back(std::move(m));
  }
  return ranges;
}

Result<InstrumentRecord> ReadInstrument(const std::string& body) {
  BodyReader in(body);
  InstrumentRecord r;
  r.name = in.RequiredString("name");
  r.type = in.RequiredString("type");
  r.make = in.OptionalString("make");
  r.model = in.OptionalString("model");
  r.serial = in.RequiredString("serial");
  r.location = in.OptionalString("location");
  const std::string status = in.OptionalString("status", "in_service");
  r.methods = in.StringArray("methods", false);
  r.ranges = ReadRanges(in);
  Result<InstrumentStatus> parsed = instruments::ParseInstrumentStatus(status);
  if (!parsed.ok()) in.Fail("status", parsed.status().message());
  LIMS_RETURN_IF_ERROR(in.Finish());
  r.status = *parsed;
  return r;
}

Result<CalibrationRecord> ReadCalibration(const std::string& body) {
  BodyReader in(body);
  CalibrationRecord c;
  c.date = in.RequiredString("date");
  c.due_date = in.RequiredString("due_date");
  c.certificate = in.RequiredString("certificate");
  c.calibration_lab = in.RequiredString("calibration_lab");
  const std::string result = in.RequiredString("result");
  c.uncertainty = in.OptionalString("uncertainty");
  c.note = in.OptionalString("note");
  Result<instruments::CalibrationResult> parsed = instruments::ParseCalibrationResult(result);
  if (!result.empty() && !parsed.ok()) in.Fail("result", parsed.status().message());
  LIMS_RETURN_IF_ERROR(in.Finish());
  c.result = *parsed;
  return c;
}

// A check: `date` defaults to today; `result` is pass or fail.
Result<IntermediateCheck> ReadCheck(const std::string& body, Day today) {
  BodyReader in(body);
  IntermediateCheck c;
  c.date = in.OptionalString("date", instruments::FormatDay(today));
  const std::string result = in.RequiredString("result");
  c.note = in.OptionalString("note");
  if (!result.empty() && result != "pass" && result != "fail") in.Fail("result", "must be pass or fail");
  LIMS_RETURN_IF_ERROR(in.Finish());
  c.passed = result == "pass";
  return c;
}

struct StatusRequest {
  InstrumentStatus status = InstrumentStatus::kInService;
  std::string reason;
};

Result<StatusRequest> ReadStatusRequest(const std::string& body) {
  BodyReader in(body);
  StatusRequest s;
  const std::string status = in.RequiredString("status");
  s.reason = in.RequiredString("reason");
  Result<InstrumentStatus> parsed = instruments::ParseInstrumentStatus(status);
  if (!status.empty() && !parsed.ok()) in.Fail("status", parsed.status().message());
  LIMS_RETURN_IF_ERROR(in.Finish());
  s.status = *parsed;
  return s;
}

// ---- JSON out ----

JsonObject RangeJson(const MeasuringRange& m) {
  JsonObject o = NewObject();
  o.set("quantity", m.quantity);
  o.set("unit", m.unit);
  o.set("min", m.min.ToString());
  o.set("max", m.max.ToString());
  o.set("resolution", m.resolution ? Poco::Dynamic::Var(m.resolution->ToString()) : Poco::Dynamic::Var());
  return o;
}

JsonObject CalibrationJson(const CalibrationRecord& c) {
  JsonObject o = NewObject();
  o.set("id", std::to_string(c.id));
  o.set("date", c.date);
  o.set("due_date", c.due_date);
  o.set("calibration_lab", c.calibration_lab);
  o.set("certificate", c.certificate);
  o.set("result", std::string(instruments::CalibrationResultName(c.result)));
  o.set("uncertainty", c.uncertainty);
  o.set("note", c.note);
  o.set("recorded_at", FormatRfc3339(c.recorded_at));
  o.set("recorded_by", c.recorded_by_name);
  return o;
}

JsonObject CheckJson(const IntermediateCheck& c) {
  JsonObject o = NewObject();
  o.set("id", std::to_string(c.id));
  o.set("date", c.date);
  o.set("result", std::string(c.passed ? "pass" : "fail"));
  o.set("note", c.note);
  o.set("recorded_at", FormatRfc3339(c.recorded_at));
  o.set("recorded_by", c.recorded_by_name);
  return o;
}

JsonObject StatusChangeJson(const StatusChange& s) {
  JsonObject o = NewObject();
  o.set("status", std::string(instruments::InstrumentStatusName(s.status)));
  o.set("reason", s.reason);
  o.set("at", FormatRfc3339(s.at));
  o.set("by", s.by_name);
  return o;
}

// Where an instrument stands with its calibration on `today`.
struct DueState {
  const CalibrationRecord* calibration = nullptr;  // in force today
  bool needs_calibration = false;                  // none in force, or it failed
  std::optional<int> days_until_due;               // negative: overdue
};

DueState DueOf(const InstrumentRecord& r, Day today) {
  DueState d;
  d.calibration = instruments::CalibrationInForce(r, today);
  d.needs_calibration = d.calibration == nullptr || d.calibration->result == instruments::CalibrationResult::kFail;
  if (d.needs_calibration) return d;
  if (std::optional<Day> due = instruments::ParseDay(d.calibration->due_date)) {
    d.days_until_due = static_cast<int>((*due - today).count());
  }
  return d;
}

// Why the instrument may not be used today whatever the test (status, calibration, checks): the
// gate's reasons with no method or value to judge.
Poco::JSON::Array RefusalsToday(const InstrumentRecord& r, Timestamp now) {
  const Status s = instruments::CheckCalibrationGate(&r, std::to_string(r.id), TestRecord{}, ResultEntry{}, now);
  Poco::JSON::Array out;
  for (const FieldError& e : s.field_errors()) out.add(e.reason);
  return out;
}

JsonObject InstrumentJson(const InstrumentRecord& r, Timestamp now, bool detail) {
  const Day today = instruments::DayOf(now);
  const DueState due = DueOf(r, today);
  const IntermediateCheck* check = instruments::DecidingCheck(r, today);
  JsonObject o = NewObject();
  o.set("id", std::to_string(r.id));
  o.set("name", r.name);
  o.set("type", r.type);
  o.set("make", r.make);
  o.set("model", r.model);
  o.set("serial", r.serial);
  o.set("location", r.location);
  o.set("status", std::string(instruments::InstrumentStatusName(r.status)));
  o.set("methods", StringsJson(r.methods));
  Poco::JSON::Array ranges;
  for (const MeasuringRange& m : r.ranges) ranges.add(RangeJson(m));
  o.set("ranges", ranges);
  o.set("last_calibration",
        due.calibration ? Poco::Dynamic::Var(CalibrationJson(*due.calibration)) : Poco::Dynamic::Var());
  o.set("next_due", OptionalString(due.calibration && !due.needs_calibration ? std::optional(due.calibration->due_date)
                                                                             : std::nullopt));
  o.set("days_until_due", due.days_until_due ? Poco::Dynamic::Var(*due.days_until_due) : Poco::Dynamic::Var());
  o.set("last_check", check ? Poco::Dynamic::Var(CheckJson(*check)) : Poco::Dynamic::Var());
  o.set("refusals", RefusalsToday(r, now));
  o.set("version", r.version);
  if (!detail) return o;
  o.set("created_at", FormatRfc3339(r.created_at));
  o.set("created_by", UserId(r.created_by));
  Poco::JSON::Array calibrations, checks, history;
  for (const CalibrationRecord& c : r.calibrations) calibrations.add(CalibrationJson(c));
  for (const IntermediateCheck& c : r.checks) checks.add(CheckJson(c));
  for (const StatusChange& s : r.status_history) history.add(StatusChangeJson(s));
  o.set("calibrations", calibrations);
  o.set("checks", checks);
  o.set("status_history", history);
  return o;
}

// ---- handlers ----

// Runs `fn(store)` on a pooled connection (reads); a 503 outcome closes the connection.
template <typename Fn>
Response WithInstruments(AppContext& ctx, Fn fn) {
  Result<store::ConnectionPool::Lease> lease = ctx.pool.Acquire();
  if (!lease.ok()) return ProblemFromStatus(lease.status());
  store::InstrumentStore store(lease->connection(), ctx.lab.code);
  Response r = fn(store);
  if (r.status == 503) lease->MarkBroken();
  return r;
}

// Runs a write on instrument {id} inside the request's unit of work: the instrument is read with
// its row locked, its version compared with If-Match (409), then `fn(store, work, instrument)`.
template <typename Fn>
Response OnInstrument(AppContext& ctx, const Request& req, Fn fn) {
  std::optional<int64_t> id = PathId(req, "id");
  if (!id) return Problem(404, "Not found", "no instrument " + req.params.at("id"));
  Result<std::optional<int>> if_match = ParseIfMatch(req);
  if (!if_match.ok()) return ProblemFromStatus(if_match.status());
  return RunWrite(ctx, req, [&](store::UnitOfWork& work) -> Response {
    store::InstrumentStore store(work.connection(), ctx.lab.code);
    Result<InstrumentRecord> current = store.Find(*id, store::InstrumentLock::kExclusive);
    if (!current.ok()) return ProblemFromStatus(current.status());
    if (*if_match && **if_match != current->version) {
      return ProblemFromStatus(Status::Conflict("instrument " + std::to_string(*id) + " is at version " +
                                                std::to_string(current->version) + ", not " +
                                                std::to_string(**if_match)));
    }
    return fn(store, work, *current);
  });
}

// The instrument as it is after a write, with its new ETag.
Response InstrumentAfter(store::InstrumentStore& store, int64_t id, Timestamp now, int status) {
  Result<InstrumentRecord> r = store.Find(id);
  if (!r.ok()) return ProblemFromStatus(r.status());
  return JsonWithETag(status, InstrumentJson(*r, now, true), r->version);
}

Response Register(AppContext& ctx, const Request& req) {
  Result<InstrumentRecord> instrument = ReadInstrument(req.body);
  if (!instrument.ok()) return ProblemFromStatus(instrument.status());
  LIMS_RETURN_IF_ERROR_RESPONSE(instruments::ValidateInstrument(*instrument));
  return RunWrite(ctx, req, [&](store::UnitOfWork& work) {
    store::InstrumentStore store(work.connection(), ctx.lab.code);
    Result<InstrumentRecord> created = store.Register(*instrument, req.principal->user_id, work.now());
    if (!created.ok()) return ProblemFromStatus(created.status());
    work.Record({"instrument.register", "instrument", std::to_string(created->id), "",
                 instruments::AuditDocument(*created), ""});
    Response r = JsonWithETag(201, InstrumentJson(*created, work.now(), true), created->version);
    r.headers.emplace_back("Location", "/api/v1/instruments/" + std::to_string(created->id));
    return r;
  });
}

Response ChangeStatus(AppContext& ctx, const Request& req) {
  Result<StatusRequest> change = ReadStatusRequest(req.body);
  if (!change.ok()) return ProblemFromStatus(change.status());
  return OnInstrument(ctx, req, [&](store::InstrumentStore& store, store::UnitOfWork& work, InstrumentRecord& r) {
    LIMS_RETURN_IF_ERROR_RESPONSE(instruments::ValidateStatusChange(r, change->status, change->reason));
    LIMS_RETURN_IF_ERROR_RESPONSE(
        store.ChangeStatus(r, change->status, change->reason, req.principal->user_id, work.now()));
    work.Record({"instrument.status", "instrument", std::to_string(r.id), instruments::StatusAuditDocument(r.status),
                 instruments::StatusAuditDocument(change->status), change->reason});
    return InstrumentAfter(store, r.id, work.now(), 200);
  });
}

// The created record, with the instrument as it now stands and its new ETag.
Response Appended(store::InstrumentStore& store, int64_t id, Timestamp now, JsonObject record) {
  Result<InstrumentRecord> r = store.Find(id);
  if (!r.ok()) return ProblemFromStatus(r.status());
  record.set("instrument", InstrumentJson(*r, now, false));
  Response response = JsonWithETag(201, record, r->version);
  response.headers.emplace_back("Location", "/api/v1/instruments/" + std::to_string(id));
  return response;
}

Response AddCalibration(AppContext& ctx, const Request& req) {
  Result<CalibrationRecord> calibration = ReadCalibration(req.body);
  if (!calibration.ok()) return ProblemFromStatus(calibration.status());
  return OnInstrument(ctx, req, [&](store::InstrumentStore& store, store::UnitOfWork& work, InstrumentRecord& r) {
    LIMS_RETURN_IF_ERROR_RESPONSE(instruments::ValidateCalibration(*calibration, instruments::DayOf(work.now())));
    Result<CalibrationRecord> stored = store.AddCalibration(r, *calibration, req.principal->user_id, work.now());
    if (!stored.ok()) return ProblemFromStatus(stored.status());
    stored->recorded_by_name = req.principal->username;
    work.Record(
        {"instrument.calibration", "instrument", std::to_string(r.id), "", instruments::AuditDocument(*stored), ""});
    return Appended(store, r.id, work.now(), CalibrationJson(*stored));
  });
}

Response AddCheck(AppContext& ctx, const Request& req) {
  Result<IntermediateCheck> check = ReadCheck(req.body, instruments::DayOf(ctx.clock.Now()));
  if (!check.ok()) return ProblemFromStatus(check.status());
  return OnInstrument(ctx, req, [&](store::InstrumentStore& store, store::UnitOfWork& work, InstrumentRecord& r) {
    LIMS_RETURN_IF_ERROR_RESPONSE(instruments::ValidateCheck(*check, instruments::DayOf(work.now())));
    Result<IntermediateCheck> stored = store.AddCheck(r, *check, req.principal->user_id, work.now());
    if (!stored.ok()) return ProblemFromStatus(stored.status());
    stored->recorded_by_name = req.principal->username;
    work.Record({"instrument.check", "instrument", std::to_string(r.id), "", instruments::AuditDocument(*stored), ""});
    return Appended(store, r.id, work.now(), CheckJson(*stored));
  });
}

struct ListRequest {
  store::InstrumentQuery query;
  std::optional<int> due_within;  // days
};

// ?due_within=30d&status=&type=&method=; 400 naming every bad parameter.
Result<ListRequest> ReadListRequest(const Request& req) {
  ListRequest out;
  std::vector<FieldError> errors;
  if (req.HasQuery("due_within")) {
    const std::string v = req.Query("due_within");
    const bool shaped = v.size() >= 2 && v.size() <= 5 && v.back() == 'd' &&
                        std::all_of(v.begin(), v.end() - 1, [](char c) { return c >= '0' && c <= '9'; });
    if (shaped && std::stoi(v.substr(0, v.size() - 1)) <= kMaxDueWithinDays) {
      out.due_within = std::stoi(v.substr(0, v.size() - 1));
    } else {
      errors.push_back({"due_within", "must be a number of days up to 3660 followed by d, such as 30d"});
    }
  }
  if (req.HasQuery("status")) {
    Result<InstrumentStatus> s = instruments::ParseInstrumentStatus(req.Query("status"));
    if (s.ok()) out.query.status = *s;
    if (!s.ok()) errors.push_back({"status", s.status().message()});
  }
  out.query.type = req.Query("type");
  if (!out.query.type.empty() && !instruments::IsInstrumentType(out.query.type)) {
    errors.push_back({"type", "unknown instrument type \"" + out.query.type + "\""});
  }
  out.query.method = req.Query("method");
  if (!errors.empty()) return Status::InvalidArgument("invalid query parameters", std::move(errors));
  return out;
}

// Due within N days: overdue ones included; those without a valid calibration first, then by due date.
std::vector<const InstrumentRecord*> DueWithin(const std::vector<InstrumentRecord>& all, int days, Day today) {
  std::vector<std::pair<std::tuple<int, int, int64_t>, const InstrumentRecord*>> due;
  for (const InstrumentRecord& r : all) {
    const DueState d = DueOf(r, today);
    if (d.needs_calibration) {
      due.push_back({{0, 0, r.id}, &r});
    } else if (d.days_until_due && *d.days_until_due <= days) {
      due.push_back({{1, *d.days_until_due, r.id}, &r});
    }
  }
  std::sort(due.begin(), due.end());
  std::vector<const InstrumentRecord*> out;
  out.reserve(due.size());
  for (const auto& [key, r] : due) out.push_back(r);
  return out;
}

Response List(AppContext& ctx, const Request& req) {
  Result<ListRequest> list = ReadListRequest(req);
  if (!list.ok()) return ProblemFromStatus(list.status());
  const Timestamp now = ctx.clock.Now();
  return WithInstruments(ctx, [&](store::InstrumentStore& store) {
    Result<std::vector<InstrumentRecord>> all = store.List(list->query);
    if (!all.ok()) return ProblemFromStatus(all.status());
    std::vector<const InstrumentRecord*> shown;
    if (list->due_within) {
      shown = DueWithin(*all, *list->due_within, instruments::DayOf(now));
    } else {
      for (const InstrumentRecord& r : *all) shown.push_back(&r);
    }
    Poco::JSON::Array items;
    for (const InstrumentRecord* r : shown) items.add(InstrumentJson(*r, now, false));
    JsonObject body = NewObject();
    body.set("as_of", instruments::FormatDay(instruments::DayOf(now)));
    body.set("items", items);
    return JsonResponse(200, body);
  });
}

Response Get(AppContext& ctx, const Request& req) {
  std::optional<int64_t> id = PathId(req, "id");
  if (!id) return Problem(404, "Not found", "no instrument " + req.params.at("id"));
  return WithInstruments(ctx, [&](store::InstrumentStore& store) {
    Result<InstrumentRecord> r = store.Find(*id);
    if (!r.ok()) return ProblemFromStatus(r.status());
    return JsonWithETag(200, InstrumentJson(*r, ctx.clock.Now(), true), r->version);
  });
}

}  // namespace

void AddInstrumentRoutes(Router& router, AppContext& ctx) {
  const Access readers = Access::Roles({Role::kTechnician, Role::kReviewer, Role::kAdmin, Role::kAuditor});
  const Access admin = Access::Roles({Role::kAdmin});
  router.Add("GET", "/api/v1/instruments", readers, [&ctx](const Request& r) { return List(ctx, r); });
  router.Add("POST", "/api/v1/instruments", admin, [&ctx](const Request& r) { return Register(ctx, r); });
  router.Add("GET", "/api/v1/instruments/{id}", readers, [&ctx](const Request& r) { return Get(ctx, r); });
  router.Add("POST", "/api/v1/instruments/{id}/status", admin,
             [&ctx](const Request& r) { return ChangeStatus(ctx, r); });
  router.Add("POST", "/api/v1/instruments/{id}/calibrations", admin,
             [&ctx](const Request& r) { return AddCalibration(ctx, r); });
  router.Add("POST", "/api/v1/instruments/{id}/checks", Access::Roles({Role::kTechnician, Role::kAdmin}),
             [&ctx](const Request& r) { return AddCheck(ctx, r); });
}

}  // namespace lims::http
