// How the workflow's route handlers get a SampleService: for reads on a pooled connection
// (WithSampleService), for writes inside the request's unit of work (WithWorkflow: one
// transaction, audited, idempotent; lims/http/write_scope.h). Internal to lims/http.
#ifndef LIMS_HTTP_WORKFLOW_SCOPE_H_
#define LIMS_HTTP_WORKFLOW_SCOPE_H_

#include <charconv>
#include <string>

#include "lims/core/sample_service.h"
#include "lims/http/app_context.h"
#include "lims/http/problem.h"
#include "lims/http/write_scope.h"
#include "lims/store/instrument_store.h"
#include "lims/store/mysql_sample_store.h"

namespace lims::http {

// `instruments`: the request's calibration gate, reading the registry on the request's connection.
inline SampleService::Options ServiceOptions(AppContext& ctx, const Request& req, AuditSink* audit,
                                             InstrumentGate* instruments) {
  SampleService::Options o;
  o.catalog = &ctx.catalog;
  o.audit = audit;
  o.instruments = instruments;
  if (req.principal) o.user = {req.principal->user_id, req.principal->username};
  return o;
}

// Runs `fn(service, store)` on a pooled connection. A 503 outcome means the connection failed: it
// is closed instead of being returned, so the pool heals once the database is back.
template <typename Fn>
Response WithSampleService(AppContext& ctx, const Request& req, Fn fn) {
  Result<store::ConnectionPool::Lease> lease = ctx.pool.Acquire();
  if (!lease.ok()) return ProblemFromStatus(lease.status());
  store::MysqlSampleStore store(lease->connection());
  store::RegistryInstrumentGate gate(lease->connection(), ctx.lab.code);
  SampleService service(store, ctx.clock, ctx.lab.code, ServiceOptions(ctx, req, nullptr, &gate));
  Response r = fn(service, store);
  if (r.status == 503) lease->MarkBroken();
  return r;
}

// Runs `fn(service, store)` as the request's unit of work.
template <typename Fn>
Response WithWorkflow(AppContext& ctx, const Request& req, Fn fn) {
  return RunWrite(ctx, req, [&](store::UnitOfWork& work) {
    store::MysqlSampleStore store(work.connection());
    store::RegistryInstrumentGate gate(work.connection(), ctx.lab.code);  // reads inside the unit of work
    SampleService service(store, ctx.clock, ctx.lab.code, ServiceOptions(ctx, req, &work, &gate));
    return fn(service, store);
  });
}

// A numeric id from the path; nullopt when it is not one (the caller answers 404).
inline std::optional<int64_t> PathId(const Request& req, const std::string& name) {
  const std::string& v = req.params.at(name);
  int64_t id = 0;
  auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), id);
  if (ec != std::errc() || end != v.data() + v.size() || id < 1) return std::nullopt;
  return id;
}

}  // namespace lims::http

#endif  // LIMS_HTTP_WORKFLOW_SCOPE_H_
