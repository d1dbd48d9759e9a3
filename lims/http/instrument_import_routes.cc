// Handlers of instrument result-file imports: upload a file (technician; the body is the file's
// bytes), list an instrument's imports, read one import's report and download its raw file
// (staff). Imports run through RunImport (instrument_import.h) as one audited, idempotent unit of
// work. docs/instruments/imports.md.
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>

#include "lims/http/instrument_import.h"
#include "lims/http/json_io.h"
#include "lims/http/problem.h"
#include "lims/http/routes.h"
#include "lims/http/workflow_scope.h"
#include "lims/store/instrument_import_store.h"

namespace lims::http {
namespace {

// Instrument files can be larger than a JSON request: a UTM run of 20 specimens with 10 000
// readings each is about 5 MB.
constexpr size_t kMaxImportBytes = 32u << 20;

// A file name as a client may name it: its last path segment, printable, at most 255 bytes.
std::string CleanFileName(std::string name) {
  const size_t slash = name.find_last_of("/\\");
  if (slash != std::string::npos) name = name.substr(slash + 1);
  std::string out;
  for (char c : name) {
    if (static_cast<unsigned char>(c) >= 0x20 && c != 0x7f) out += c;
  }
  return out.substr(0, 255);
}

Response Upload(AppContext& ctx, const Request& req) {
  const std::optional<int64_t> id = PathId(req, "id");
  if (!id) return Problem(404, "Not found", "no instrument " + req.params.at("id"));
  ImportUpload upload;
  upload.instrument_id = *id;
  upload.bytes = req.body;
  upload.file_name = CleanFileName(req.Query("file_name"));
  upload.format = req.Query("format");
  if (req.HasQuery("mode")) upload.mode = req.Query("mode");
  if (upload.bytes.empty())
    return Problem(400, "Invalid request", "the body must be the instrument file", {{"body", "is empty"}});
  const ActingUser user{req.principal->user_id, req.principal->username};
  return RunWrite(ctx, req, [&](store::UnitOfWork& work) { return RunImport(ctx, work, user, upload); });
}

JsonObject SummaryJson(const store::ImportRecord& m) {
  JsonObject o = NewObject();
  o.set("id", std::to_string(m.id));
  o.set("sha256", m.sha256);
  o.set("file_name", m.file_name);
  o.set("format", m.format);
  o.set("mode", m.mode);
  o.set("source", m.source);
  o.set("outcome", m.outcome);
  o.set("accepted", m.accepted);
  o.set("rejected", m.rejected);
  o.set("bytes", m.byte_size);
  o.set("imported_at", FormatRfc3339(m.imported_at));
  o.set("imported_by", m.imported_by_name);
  return o;
}

template <typename Fn>
Response WithImports(AppContext& ctx, Fn fn) {
  Result<store::ConnectionPool::Lease> lease = ctx.pool.Acquire();
  if (!lease.ok()) return ProblemFromStatus(lease.status());
  store::InstrumentImportStore imports(lease->connection(), ctx.lab.code);
  Response r = fn(imports);
  if (r.status == 503) lease->MarkBroken();
  return r;
}

Response List(AppContext& ctx, const Request& req) {
  const std::optional<int64_t> id = PathId(req, "id");
  if (!id) return Problem(404, "Not found", "no instrument " + req.params.at("id"));
  return WithImports(ctx, [&](store::InstrumentImportStore& imports) {
    Result<std::vector<store::ImportRecord>> list = imports.List(*id, 200);
    if (!list.ok()) return ProblemFromStatus(list.status());
    Poco::JSON::Array items;
    for (const store::ImportRecord& m : *list) items.add(SummaryJson(m));
    JsonObject body = NewObject();
    body.set("items", items);
    return JsonResponse(200, body);
  });
}

// The import of the path, if it belongs to the path's instrument.
Result<store::ImportRecord> FindImport(store::InstrumentImportStore& imports, const Request& req) {
  const std::optional<int64_t> id = PathId(req, "id");
  const std::optional<int64_t> import_id = PathId(req, "import");
  const Status none = Status::NotFound("no import " + req.params.at("import"));
  if (!id || !import_id) return none;
  Result<store::ImportRecord> m = imports.Find(*import_id);
  if (!m.ok()) return m;
  if (m->instrument_id != *id) return none;
  return m;
}

Response Get(AppContext& ctx, const Request& req) {
  return WithImports(ctx, [&](store::InstrumentImportStore& imports) {
    Result<store::ImportRecord> m = FindImport(imports, req);
    if (!m.ok()) return ProblemFromStatus(m.status());
    JsonObject body = SummaryJson(*m);
    Poco::JSON::Object::Ptr report = Poco::JSON::Parser().parse(m->report).extract<Poco::JSON::Object::Ptr>();
    body.set("header", report->get("header"));
    body.set("rows", report->get("rows"));
    return JsonResponse(200, body);
  });
}

Response Raw(AppContext& ctx, const Request& req) {
  return WithImports(ctx, [&](store::InstrumentImportStore& imports) {
    Result<store::ImportRecord> m = FindImport(imports, req);
    if (!m.ok()) return ProblemFromStatus(m.status());
    Result<std::string> raw = imports.Raw(m->id);
    if (!raw.ok()) return ProblemFromStatus(raw.status());
    Response r{200, "application/octet-stream", std::move(raw).value(), {}};
    r.headers.emplace_back("ETag", "\"" + m->sha256 + "\"");
    const std::string name = m->file_name.empty() ? "import-" + std::to_string(m->id) : m->file_name;
    std::string quoted;
    for (char c : name) quoted += (c == '"' || c == '\\' || static_cast<unsigned char>(c) >= 0x80) ? '_' : c;
    r.headers.emplace_back("Content-Disposition", "attachment; filename=\"" + quoted + "\"");
    return r;
  });
}

}  // namespace

void AddInstrumentImportRoutes(Router& router, AppContext& ctx) {
  const Access staff = Access::Roles({Role::kTechnician, Role::kReviewer, Role::kAdmin, Role::kAuditor});
  router.Add(
      "POST", "/api/v1/instruments/{id}/imports", Access::Roles({Role::kTechnician}),
      [&ctx](const Request& r) { return Upload(ctx, r); }, kMaxImportBytes);
  router.Add("GET", "/api/v1/instruments/{id}/imports", staff, [&ctx](const Request& r) { return List(ctx, r); });
  router.Add("GET", "/api/v1/instruments/{id}/imports/{import}", staff,
             [&ctx](const Request& r) { return Get(ctx, r); });
  router.Add("GET", "/api/v1/instruments/{id}/imports/{import}/raw", staff,
             [&ctx](const Request& r) { return Raw(ctx, r); });
}

}  // namespace lims::http
