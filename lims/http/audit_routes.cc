// Handlers of the audit trail: the events (filtered, keyset-paged) and the chain's verification.
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>

#include <charconv>

#include "lims/http/json_io.h"
#include "lims/http/problem.h"
#include "lims/http/routes.h"
#include "lims/store/audit_trail.h"

namespace lims::http {
namespace {

// The stored document as JSON (it is canonical JSON text); an empty one as null.
Poco::Dynamic::Var Document(const std::string& text) {
  if (text.empty()) return Poco::Dynamic::Var();
  try {
    Poco::JSON::Parser parser;
    return parser.parse(text);
  } catch (const Poco::Exception&) {
    return Poco::Dynamic::Var(text);  // a tampered row still shows what it holds
  }
}

JsonObject EventJson(const AuditEvent& e) {
  JsonObject o = NewObject();
  o.set("seq", e.seq);
  o.set("at", FormatRfc3339(e.at));
  o.set("actor", e.actor);
  o.set("role", e.role);
  o.set("action", e.change.action);
  o.set("entity", e.change.entity);
  o.set("entity_id", e.change.entity_id);
  o.set("before", Document(e.change.before));
  o.set("after", Document(e.change.after));
  o.set("reason", e.change.reason);
  o.set("stripe", e.stripe);
  o.set("stripe_seq", e.stripe_seq);
  o.set("prev_hash", e.prev_hash);
  o.set("hash", e.hash);
  return o;
}

Result<store::AuditQuery> ReadQuery(const Request& req) {
  store::AuditQuery q;
  std::vector<FieldError> errors;
  q.entity = req.Query("entity");
  q.entity_id = req.Query("entity_id");
  q.actor = req.Query("actor");
  for (const char* bound : {"from", "to"}) {
    if (!req.HasQuery(bound)) continue;
    Result<Timestamp> t = ParseRfc3339(req.Query(bound));
    if (!t.ok())
      errors.push_back({bound, "must be an RFC 3339 UTC time such as 2026-11-23T10:15:00Z"});
    else
      (std::string(bound) == "from" ? q.from : q.to) = *t;
  }
  auto number = [&](const char* name, auto* out, int64_t min, int64_t max) {
    if (!req.HasQuery(name)) return;
    const std::string v = req.Query(name);
    auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), *out);
    if (ec != std::errc() || end != v.data() + v.size() || *out < min || *out > max) {
      errors.push_back({name, "must be a whole number from " + std::to_string(min) + " to " + std::to_string(max)});
    }
  };
  number("limit", &q.limit, 1, 500);
  number("after", &q.after, 0, INT64_MAX);
  if (!q.entity_id.empty() && q.entity.empty()) errors.push_back({"entity_id", "needs entity"});
  if (!errors.empty()) return Status::InvalidArgument("invalid query parameters", std::move(errors));
  return q;
}

Response List(AppContext& ctx, const Request& req) {
  Result<store::AuditQuery> query = ReadQuery(req);
  if (!query.ok()) return ProblemFromStatus(query.status());
  Result<store::ConnectionPool::Lease> lease = ctx.ReadPool().Acquire();
  if (!lease.ok()) return ProblemFromStatus(lease.status());
  Result<std::vector<AuditEvent>> events = store::QueryAudit(lease->connection(), *query);
  if (!events.ok()) {
    if (events.status().code() == Status::Code::kUnavailable) lease->MarkBroken();
    return ProblemFromStatus(events.status());
  }
  // Each listed event is checked on its own: its hash against its content and its link to the
  // event before it on its stripe. The whole-trail verification stays at /api/v1/audit/verify.
  Result<store::PredecessorHashes> links = store::ReadPredecessorHashes(lease->connection(), *events);
  if (!links.ok()) {
    if (links.status().code() == Status::Code::kUnavailable) lease->MarkBroken();
    return ProblemFromStatus(links.status());
  }
  Poco::JSON::Array items;
  int64_t failing = 0;
  JsonObject first_failure;
  for (const AuditEvent& e : *events) {
    JsonObject o = EventJson(e);
    auto it = links->find({e.stripe, e.stripe_seq - 1});
    const std::optional<std::string> problem =
        CheckEventLink(e, it == links->end() ? std::nullopt : std::optional<std::string>(it->second));
    JsonObject chain = NewObject();
    chain.set("ok", !problem.has_value());
    if (problem) {
      chain.set("reason", *problem);
      if (failing++ == 0) {
        first_failure = NewObject();
        first_failure.set("seq", e.seq);
        first_failure.set("reason", *problem);
      }
    }
    o.set("chain", chain);
    items.add(o);
  }
  JsonObject body = NewObject();
  body.set("items", items);
  JsonObject chain = NewObject();
  chain.set("checked", static_cast<int64_t>(events->size()));
  chain.set("ok", failing == 0);
  chain.set("failing", failing);
  if (failing > 0) chain.set("first_failure", first_failure);
  chain.set(
      "scope",
      "each listed event: its hash and its link to the event before it; /api/v1/audit/verify checks the whole trail");
  body.set("chain", chain);
  const bool full = static_cast<int>(events->size()) == query->limit;
  body.set("next", full ? Poco::Dynamic::Var(std::to_string(events->back().seq)) : Poco::Dynamic::Var());
  return JsonResponse(200, body);
}

Response Verify(AppContext& ctx) {
  Result<store::ConnectionPool::Lease> lease = ctx.ReadPool().Acquire();
  if (!lease.ok()) return ProblemFromStatus(lease.status());
  Result<store::AuditVerification> v = store::VerifyAuditTrail(lease->connection());
  if (!v.ok()) {
    if (v.status().code() == Status::Code::kUnavailable) lease->MarkBroken();
    return ProblemFromStatus(v.status());
  }
  JsonObject body = NewObject();
  body.set("ok", !v->broken.has_value());
  body.set("events", v->events);
  if (v->broken) {
    JsonObject b = NewObject();
    b.set("seq", v->broken->seq);
    b.set("stripe", v->broken->stripe);
    b.set("stripe_seq", v->broken->stripe_seq);
    b.set("reason", v->broken->reason);
    body.set("broken", b);
  }
  Poco::JSON::Array heads;
  for (const auto& [stripe, head] : v->heads) {
    JsonObject h = NewObject();
    h.set("stripe", stripe);
    h.set("events", head.first);
    h.set("hash", head.second);
    heads.add(h);
  }
  body.set("heads", heads);
  return JsonResponse(200, body);
}

}  // namespace

void AddAuditRoutes(Router& router, AppContext& ctx) {
  const Access auditors = Access::Roles({Role::kAuditor, Role::kAdmin});
  router.Add("GET", "/api/v1/audit", auditors, [&ctx](const Request& r) { return List(ctx, r); });
  router.Add("GET", "/api/v1/audit/verify", auditors, [&ctx](const Request&) { return Verify(ctx); });
}

}  // namespace lims::http
