#include "lims/http/instrument_import.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>

#include <sstream>

#include "instruments/importer.h"
#include "lims/core/audit.h"
#include "lims/core/sha256.h"
#include "lims/http/json_io.h"
#include "lims/http/problem.h"
#include "lims/http/workflow_scope.h"
#include "lims/store/instrument_import_store.h"
#include "lims/store/instrument_store.h"

namespace lims::http {
namespace {

using instruments::ImportReport;
using instruments::ImportRow;

JsonObject RowJson(const ImportRow& r) {
  JsonObject o = NewObject();
  o.set("line", r.line);
  o.set("status", std::string(r.accepted ? "accepted" : "rejected"));
  if (!r.sample.empty()) o.set("sample", r.sample);
  if (r.test_id > 0) o.set("test", std::to_string(r.test_id));
  if (r.accepted) {
    o.set("result", std::to_string(r.result_id));
    o.set("verdict", r.verdict);
  } else {
    o.set("reason", r.reason);
    Poco::JSON::Array errors;
    for (const FieldError& e : r.errors) {
      JsonObject item = NewObject();
      item.set("field", e.field);
      item.set("reason", e.reason);
      errors.add(item);
    }
    if (errors.size() > 0) o.set("errors", errors);
  }
  return o;
}

JsonObject HeaderJson(const instruments::FileHeader& h) {
  JsonObject o = NewObject();
  o.set("format", h.format);
  o.set("instrument_serial", h.instrument_serial);
  o.set("test_date", h.test_date);
  o.set("operator", h.operator_name);
  return o;
}

// The report as the API answers it (and as it is stored with the import).
std::string ReportJson(const store::ImportRecord& m, const ImportReport& report) {
  JsonObject o = NewObject();
  o.set("instrument", std::to_string(m.instrument_id));
  o.set("sha256", m.sha256);
  o.set("file_name", m.file_name);
  o.set("format", m.format);
  o.set("mode", m.mode);
  o.set("source", m.source);
  o.set("outcome", report.outcome);
  o.set("accepted", report.accepted);
  o.set("rejected", report.rejected);
  o.set("header", HeaderJson(report.header));
  Poco::JSON::Array rows;
  for (const ImportRow& r : report.rows) rows.add(RowJson(r));
  o.set("rows", rows);
  std::ostringstream out;
  o.stringify(out);
  return out.str();
}

// The stored report with the import's own id, time and whether this answer repeats it.
Response Answer(int status, const store::ImportRecord& m, bool duplicate) {
  Poco::JSON::Object::Ptr o = Poco::JSON::Parser().parse(m.report).extract<Poco::JSON::Object::Ptr>();
  JsonObject body = NewObject();
  body.set("id", std::to_string(m.id));
  body.set("duplicate", duplicate);
  body.set("imported_at", FormatRfc3339(m.imported_at));
  body.set("imported_by", m.imported_by_name);
  for (const auto& [key, value] : *o) body.set(key, value);
  Response r = JsonResponse(status, body);
  r.headers.emplace_back("Location",
                         "/api/v1/instruments/" + std::to_string(m.instrument_id) + "/imports/" + std::to_string(m.id));
  return r;
}

Response Refused(const ImportReport& report) {
  std::vector<FieldError> errors;
  for (const ImportRow& r : report.rows) {
    if (!r.accepted) errors.push_back({"line " + std::to_string(r.line), r.reason});
  }
  if (errors.empty()) return Problem(422, "Import refused", "the file holds no results");
  return Problem(422, "Import refused",
                 std::to_string(report.rejected) + " of " + std::to_string(report.rows.size()) +
                     " rows refused; nothing was imported",
                 errors);
}

Result<instruments::FileFormat> FormatFor(const ImportUpload& upload, const instruments::InstrumentRecord& i) {
  if (!upload.format.empty()) return instruments::ParseFileFormat(upload.format);
  std::optional<instruments::FileFormat> f = instruments::DefaultFormatFor(i.type);
  if (!f) {
    return Status::InvalidArgument("no file format", {{"format", "a " + i.type + " has no default: name one"}});
  }
  return *f;
}

}  // namespace

Response RunImport(AppContext& ctx, store::UnitOfWork& work, const ActingUser& user, const ImportUpload& upload) {
  store::InstrumentStore registry(work.connection(), ctx.lab.code);
  Result<instruments::InstrumentRecord> instrument = registry.Find(upload.instrument_id);
  if (!instrument.ok()) return ProblemFromStatus(instrument.status());
  Result<instruments::FileFormat> format = FormatFor(upload, *instrument);
  if (!format.ok()) return ProblemFromStatus(format.status());
  Result<instruments::ImportMode> mode = instruments::ParseImportMode(upload.mode);
  if (!mode.ok()) return ProblemFromStatus(mode.status());

  store::ImportRecord m;
  m.instrument_id = upload.instrument_id;
  m.sha256 = Sha256Hex(upload.bytes);
  store::InstrumentImportStore imports(work.connection(), ctx.lab.code);
  Result<std::optional<store::ImportRecord>> earlier = imports.FindFile(m.instrument_id, m.sha256);
  if (!earlier.ok()) return ProblemFromStatus(earlier.status());
  if (*earlier) return Answer(200, **earlier, true);

  store::MysqlSampleStore samples(work.connection());
  store::RegistryInstrumentGate gate(work.connection(), ctx.lab.code);
  SampleService::Options options;
  options.catalog = &ctx.catalog;
  options.audit = &work;
  options.instruments = &gate;
  options.user = user;
  SampleService service(samples, ctx.clock, ctx.lab.code, options);
  const instruments::ImportRequest request{std::to_string(upload.instrument_id), *format, *mode, upload.file_name,
                                           m.sha256};
  std::istringstream in(upload.bytes);
  Result<ImportReport> report = instruments::ImportResultFile(service, request, in);
  if (!report.ok()) return ProblemFromStatus(report.status());
  if (report->outcome == "rejected") return Refused(*report);

  m.file_name = upload.file_name;
  m.format = std::string(instruments::FileFormatName(*format));
  m.mode = upload.mode;
  m.source = upload.source;
  m.outcome = report->outcome;
  m.byte_size = static_cast<int64_t>(upload.bytes.size());
  m.accepted = report->accepted;
  m.rejected = report->rejected;
  m.report = ReportJson(m, *report);
  m.imported_at = work.now();
  m.imported_by = user.id;
  m.imported_by_name = user.username;
  std::vector<store::ImportedResultLink> links;
  for (const ImportRow& r : report->rows) {
    if (r.accepted) links.push_back({r.result_id, r.line});
  }
  Result<int64_t> id = imports.Record(m, upload.bytes, links);
  if (!id.ok()) return ProblemFromStatus(id.status());
  m.id = *id;
  work.Record({"instrument.import", "instrument_import", std::to_string(m.id), "",
               AuditJson()
                   .Set("instrument", std::to_string(m.instrument_id))
                   .Set("sha256", m.sha256)
                   .Set("file_name", m.file_name)
                   .Set("format", m.format)
                   .Set("outcome", m.outcome)
                   .Set("accepted", static_cast<int64_t>(m.accepted))
                   .Set("rejected", static_cast<int64_t>(m.rejected))
                   .str(),
               ""});
  return Answer(201, m, false);
}

}  // namespace lims::http
