// Handlers of certificates: issuing (signatory, re-authenticated), reading and downloading (staff;
// exporters their own), revoking and amending, the public verification page and API, and the lab's
// public keys. Issuing is one unit of work: number, e-signature, rendering, PDF signature,
// credential, storage, the sample's move to issued and the audit events commit together.
#include <Poco/JSON/Array.h>

#include <algorithm>
#include <atomic>
#include <set>
#include <thread>

#include "lims/auth/credential.h"
#include "lims/auth/e_signature.h"
#include "lims/core/certificate.h"
#include "lims/core/sha256.h"
#include "lims/http/json_io.h"
#include "lims/http/problem.h"
#include "lims/http/routes.h"
#include "lims/http/workflow_scope.h"
#include "lims/store/certificate_store.h"
#include "lims/store/mysql_user_store.h"
#include "reports/certificate.h"
#include "reports/pdf_signer.h"

namespace lims::http {
namespace {

JsonObject CertificateJson(const CertificateRecord& c) {
  JsonObject o = NewObject();
  o.set("number", c.number);
  o.set("status", std::string(CertificateStatusName(c.status)));
  o.set("kind", std::string(CertificateKindName(c.kind)));
  o.set("verdict", std::string(VerdictName(c.verdict)));
  o.set("sample", c.sample_number);
  JsonObject exporter = NewObject();
  exporter.set("id", std::to_string(c.exporter_id));
  exporter.set("name", c.exporter_name);
  o.set("exporter", exporter);
  o.set("product", c.product);
  o.set("issued_at", FormatRfc3339(c.issued_at));
  o.set("signatory", c.issued_by);
  o.set("sha256", c.pdf_sha256);
  o.set("supersedes", c.supersedes.empty() ? Poco::Dynamic::Var() : Poco::Dynamic::Var(c.supersedes));
  o.set("superseded_by", c.superseded_by.empty() ? Poco::Dynamic::Var() : Poco::Dynamic::Var(c.superseded_by));
  o.set("amend_reason", c.amend_reason);
  o.set("revoked_at", c.revoked_at ? Poco::Dynamic::Var(FormatRfc3339(*c.revoked_at)) : Poco::Dynamic::Var());
  o.set("revocation_reason", c.revocation_reason);
  o.set("version", c.version);
  return o;
}

std::string CertificateDocument(const CertificateRecord& c) {
  return AuditJson()
      .Set("number", c.number)
      .Set("sample", c.sample_number)
      .Set("kind", CertificateKindName(c.kind))
      .Set("verdict", VerdictName(c.verdict))
      .Set("status", CertificateStatusName(c.status))
      .Set("sha256", c.pdf_sha256)
      .Set("supersedes", c.supersedes)
      .str();
}

std::string VerifyUrl(const AppContext& ctx, const std::string& number) {
  return ctx.public_base_url + "/verify/" + number;
}

// The standards a sample was tested against, in first-seen order.
std::vector<std::string> StandardsOf(const std::vector<const TestRecord*>& tests) {
  std::vector<std::string> out;
  std::set<std::string> seen;
  for (const TestRecord* t : tests) {
    if (seen.insert(t->standard).second) out.push_back(t->standard);
  }
  return out;
}

std::string Join(const std::vector<std::string>& values, const std::string& sep) {
  std::string out;
  for (const std::string& v : values) out += (out.empty() ? "" : sep) + v;
  return out;
}

reports::CertificateData DocumentData(const AppContext& ctx, const SampleRecord& s, const Organization& exporter,
                                      const CertificationPlan& plan, const CertificateRecord& record,
                                      const User& signatory, const std::string& supersedes_reason) {
  reports::CertificateData d;
  d.kind = plan.kind == CertificateKind::kConformity ? reports::CertificateKind::kConformity
                                                     : reports::CertificateKind::kTestReport;
  d.number = record.number;
  d.lab_name = ctx.lab.name;
  d.lab_address = ctx.lab.address;
  d.lab_accreditation = ctx.lab.accreditation;
  d.test_location = ctx.lab.name + ", " + ctx.lab.address;
  d.customer_name = exporter.name;
  d.customer_address = exporter.address;
  d.customer_iec = exporter.iec;
  d.sample_number = s.number;
  d.sample_description = s.product;
  d.article = s.article;
  d.lot = s.lot;
  d.sizes = Join(s.sizes, ", ");
  d.condition = std::string(ReceiptConditionName(s.condition));
  d.condition_note = s.condition_note;
  d.received_at = FormatRfc3339(s.received_at).substr(0, 10);
  Timestamp first = record.issued_at, last = s.received_at;
  for (const TestRecord* t : plan.reported) {
    first = std::min(first, t->result->entered_at);
    last = std::max(last, t->result->entered_at);
  }
  d.testing_from = FormatRfc3339(first).substr(0, 10);
  d.testing_to = FormatRfc3339(last).substr(0, 10);
  d.issued_at = FormatRfc3339(record.issued_at);
  d.markings_claimed = s.markings.empty() ? Join(StandardsOf(plan.reported), "; ") : s.markings;
  d.decision_rule = s.decision_rule.Describe() + " (ILAC-G8:09/2019)";
  d.overall_verdict = VerdictHeadline(plan.verdict);
  for (const TestRecord* t : plan.reported) {
    const ResultRecord& r = *t->result;
    reports::CertificateRow row;
    row.requirement = t->standard + " " + t->clause;
    row.property = t->property;
    row.method = t->method;
    row.values = Join(r.values, "; ");
    row.unit = r.unit;
    row.uncertainty = r.uncertainty ? "± " + r.uncertainty->ToString() : "";
    row.limit = t->limit.ToDisplay();
    row.verdict = std::string(VerdictName(r.verdict));
    row.statement = r.explanation;
    d.rows.push_back(std::move(row));
  }
  d.signatory_name = signatory.name;
  d.signatory_role = "Authorised signatory";
  d.supersedes_number = record.supersedes;
  d.supersedes_reason = supersedes_reason;
  d.verification_url = VerifyUrl(ctx, record.number);
  return d;
}

auth::ConformityCredential CredentialFor(const AppContext& ctx, const reports::CertificateData& d,
                                         const CertificationPlan& plan, const SampleRecord& s) {
  auth::ConformityCredential c;
  c.number = d.number;
  c.issuer = {ctx.lab.name, ctx.public_base_url, ctx.lab.accreditation};
  c.issued_at = d.issued_at;
  c.status = "valid";
  c.kind = std::string(CertificateKindName(plan.kind));
  c.verdict = std::string(VerdictName(plan.verdict));
  c.exporter = {d.customer_name, d.customer_iec};
  c.product = {s.product, s.article, s.lot, s.number, {d.markings_claimed}};
  c.destination = s.destination;
  c.decision_rule = d.decision_rule;
  for (const TestRecord* t : plan.reported) {
    c.assessments.push_back({t->standard, t->clause, t->property, t->result->values, t->result->unit,
                             t->limit.ToDisplay(), std::string(VerdictName(t->result->verdict)), t->method});
  }
  if (!d.supersedes_number.empty()) c.supersedes = d.supersedes_number;
  c.verification_url = d.verification_url;
  return c;
}

// The signatory gives the password again: the electronic signature of this act (21 CFR 11.200).
Result<std::pair<User, auth::ESignature>> Reauthenticate(AppContext& ctx, store::MysqlUserStore& users,
                                                         const Request& req, const std::string& password,
                                                         auth::SignatureMeaning meaning, const std::string& record,
                                                         const std::string& reason) {
  Result<User> user = users.FindUser(req.principal->user_id);
  if (!user.ok()) return user.status();
  Result<auth::ESignature> sig = auth::PrepareSignature(*user, password, meaning, record, reason, ctx.clock.Now());
  if (!sig.ok()) return sig.status();
  return std::make_pair(std::move(user).value(), std::move(sig).value());
}

struct SignedAct {
  std::string password;
  std::string reason;
};

Result<SignedAct> ReadSignedAct(const std::string& body, bool reason_required) {
  BodyReader in(body);
  SignedAct a;
  a.password = in.RequiredString("password");
  a.reason = reason_required ? in.RequiredString("reason") : in.OptionalString("reason");
  LIMS_RETURN_IF_ERROR(in.Finish());
  if (reason_required) LIMS_RETURN_IF_ERROR(CheckCertificateReason(a.reason));
  return a;
}

// A certificate about to be issued: its locked sample, exporter and plan, and the record so far.
// `plan` points into `sample`; moving a PendingCertificate keeps those pointers valid (the tests'
// vector moves its buffer), copying it would not.
struct PendingCertificate {
  SampleRecord sample;
  Organization exporter;
  CertificationPlan plan;
  CertificateRecord record;
};

// Locks the sample (as every write does) and plans its certificate; 409 names the open tests.
Result<PendingCertificate> Prepare(store::MysqlSampleStore& samples, const std::string& sample_number,
                                   const User& signer, Timestamp at, const CertificateRecord* old,
                                   const std::string& reason) {
  PendingCertificate p;
  Result<SampleProgress> locked = samples.Progress(sample_number);
  if (!locked.ok()) return locked.status();
  Result<SampleRecord> sample = samples.FindSample(sample_number);
  if (!sample.ok()) return sample.status();
  p.sample = std::move(sample).value();
  Result<CertificationPlan> plan = PlanCertificate(p.sample, old != nullptr);
  if (!plan.ok()) return plan.status();
  p.plan = std::move(plan).value();
  Result<Organization> exporter = samples.FindOrganization(p.sample.exporter_id);
  if (!exporter.ok()) return exporter.status();
  p.exporter = std::move(exporter).value();
  p.record.exporter_id = p.sample.exporter_id;
  p.record.kind = p.plan.kind;
  p.record.verdict = p.plan.verdict;
  p.record.issued_at = at;
  p.record.issued_by_id = signer.id;
  if (old) {
    p.record.supersedes = old->number;
    p.record.amend_reason = reason;
  }
  return p;
}

// Renders, signs (PAdES) and credentials one numbered certificate. Touches no connection, so
// several run at once.
Result<store::IssuedDocument> MakeDocument(const AppContext& ctx, const PendingCertificate& p,
                                           const std::string& number, const User& signer, const std::string& reason,
                                           int64_t signature_id) {
  CertificateRecord named = p.record;
  named.number = number;
  const reports::CertificateData data = DocumentData(ctx, p.sample, p.exporter, p.plan, named, signer, reason);
  Result<std::string> pdf = reports::RenderCertificate(data, ctx.fonts);
  if (!pdf.ok()) return pdf.status();
  reports::SignatureInfo info;
  info.signer_name = signer.name;
  info.reason = std::string(reports::CertificateTitle(data.kind)) + " " + number;
  info.location = ctx.lab.name;
  info.signing_time = p.record.issued_at;
  Result<std::string> signed_pdf = reports::SignPdf(*pdf, *ctx.signing_key, info);
  if (!signed_pdf.ok()) return signed_pdf.status();
  Result<std::string> jws =
      ctx.credential_signer->SignCompact(auth::CredentialJson(CredentialFor(ctx, data, p.plan, p.sample)));
  if (!jws.ok()) return jws.status();
  return store::IssuedDocument{std::move(signed_pdf).value(), std::move(jws).value(), signature_id};
}

// MakeDocument for every certificate of a batch, on up to one thread per core: rendering and
// signing are CPU work that holds the counter's lock, so a batch of N costs about N / cores
// renderings of lock time.
Result<std::vector<store::IssuedDocument>> MakeDocuments(const AppContext& ctx,
                                                         const std::vector<PendingCertificate>& pending,
                                                         const std::vector<std::string>& numbers, const User& signer,
                                                         const std::string& reason,
                                                         const std::vector<int64_t>& signature_ids) {
  const size_t n = pending.size();
  std::vector<Result<store::IssuedDocument>> made(n, Status::Internal("not rendered"));
  std::atomic<size_t> next{0};
  auto work = [&] {
    for (size_t i = next++; i < n; i = next++) {
      try {
        made[i] = MakeDocument(ctx, pending[i], numbers[i], signer, reason, signature_ids[i]);
      } catch (const std::exception& e) {
        made[i] = Status::Internal(std::string("rendering failed: ") + e.what());
      }
    }
  };
  const size_t helpers = std::min<size_t>(n, std::max(1u, std::thread::hardware_concurrency())) - 1;
  std::vector<std::jthread> threads;
  for (size_t t = 0; t < helpers; ++t) threads.emplace_back(work);
  work();
  threads.clear();  // joins
  std::vector<store::IssuedDocument> docs;
  for (Result<store::IssuedDocument>& m : made) {
    if (!m.ok()) return m.status();
    docs.push_back(std::move(m).value());
  }
  return docs;
}

// Issues the certificates of `sample_numbers` (or, with `old`, the amendment that replaces it)
// inside `work`, with one re-authentication: the signatory's e-signature is recorded once per
// certificate it covers. Samples are locked in the order given (the batch route sorts them).
Result<std::vector<CertificateRecord>> IssueAll(AppContext& ctx, const Request& req, store::UnitOfWork& work,
                                                const std::vector<std::string>& sample_numbers, const SignedAct& act,
                                                const CertificateRecord* old) {
  if (ctx.signing_key == nullptr || ctx.credential_signer == nullptr) {
    return Status::Unavailable("certificate signing is not configured on this server");
  }
  store::MysqlSampleStore samples(work.connection());
  store::MysqlUserStore users(work.connection());
  const auth::SignatureMeaning meaning = old ? auth::SignatureMeaning::kAmend : auth::SignatureMeaning::kIssue;
  const std::string what = sample_numbers.size() == 1 ? "certificate of sample " + sample_numbers.front()
                                                      : std::to_string(sample_numbers.size()) + " certificates";
  Result<std::pair<User, auth::ESignature>> signer =
      Reauthenticate(ctx, users, req, act.password, meaning, what, act.reason);
  if (!signer.ok()) return signer.status();
  std::vector<PendingCertificate> pending;
  std::vector<store::Issuance> items;
  pending.reserve(sample_numbers.size());
  for (const std::string& number : sample_numbers) {
    Result<PendingCertificate> p = Prepare(samples, number, signer->first, work.now(), old, act.reason);
    if (!p.ok()) return p.status();
    items.push_back({p->sample.id, p->record});
    pending.push_back(std::move(p).value());
  }
  store::CertificateStore certificates(work.connection());
  Result<std::vector<CertificateRecord>> issued = certificates.IssueBatch(
      ctx.lab.code, std::move(items),
      [&](const std::vector<std::string>& numbers) -> Result<std::vector<store::IssuedDocument>> {
        std::vector<int64_t> signature_ids;
        for (const std::string& number : numbers) {
          auth::ESignature sig = signer->second;
          sig.record = "certificate " + number;
          Result<auth::ESignature> recorded = users.RecordSignature(sig);
          if (!recorded.ok()) return recorded.status();
          signature_ids.push_back(recorded->id);
        }
        return MakeDocuments(ctx, pending, numbers, signer->first, act.reason, signature_ids);
      });
  if (!issued.ok()) return issued.status();
  store::CertificateStore reader(work.connection());
  std::vector<CertificateRecord> stored;
  for (size_t i = 0; i < issued->size(); ++i) {
    CertificateRecord& c = (*issued)[i];
    const SampleRecord& sample = pending[i].sample;
    c.sample_number = sample.number;
    if (old) {
      work.Record({"certificate.supersede", "certificate", old->number, CertificateDocument(*old),
                   AuditJson().Set("status", "superseded").Set("superseded_by", c.number).str(), act.reason});
    }
    work.Record({old ? "certificate.amend" : "certificate.issue", "certificate", c.number, "", CertificateDocument(c),
                 act.reason});
    if (!old) {
      work.Record({"sample.status", "sample", sample.number,
                   AuditJson().Set("status", SampleStatusName(sample.status)).str(),
                   AuditJson().Set("status", SampleStatusName(SampleStatus::kIssued)).str(), ""});
    }
    Result<CertificateRecord> read = reader.Find(c.number);
    if (!read.ok()) return read.status();
    stored.push_back(std::move(read).value());
  }
  return stored;
}

Response IssueFor(AppContext& ctx, const Request& req, store::UnitOfWork& work, const std::string& sample_number,
                  const SignedAct& act, const CertificateRecord* old) {
  Result<std::vector<CertificateRecord>> issued = IssueAll(ctx, req, work, {sample_number}, act, old);
  if (!issued.ok()) return ProblemFromStatus(issued.status());
  const CertificateRecord& c = issued->front();
  Response r = JsonResponse(201, CertificateJson(c));
  r.headers.emplace_back("Location", "/api/v1/certificates/" + c.number);
  return r;
}

Response Issue(AppContext& ctx, const Request& req) {
  Result<SignedAct> act = ReadSignedAct(req.body, false);
  if (!act.ok()) return ProblemFromStatus(act.status());
  return RunWrite(ctx, req, [&](store::UnitOfWork& work) {
    return IssueFor(ctx, req, work, req.params.at("number"), *act, nullptr);
  });
}

constexpr size_t kMaxBatch = 100;

struct BatchAct {
  std::vector<std::string> samples;
  SignedAct act;
};

// 1..100 distinct sample numbers, sorted so that two batches lock their samples in the same order
// and cannot deadlock, and the signing act's password and optional reason.
Result<BatchAct> ReadBatchAct(const std::string& body) {
  BodyReader in(body);
  BatchAct b;
  b.samples = in.StringArray("samples", true);
  b.act.password = in.RequiredString("password");
  b.act.reason = in.OptionalString("reason");
  LIMS_RETURN_IF_ERROR(in.Finish());
  if (b.samples.empty() || b.samples.size() > kMaxBatch) {
    return Status::InvalidArgument("invalid request body",
                                   {{"samples", "must name 1 to " + std::to_string(kMaxBatch) + " samples"}});
  }
  std::set<std::string> seen;
  for (size_t i = 0; i < b.samples.size(); ++i) {
    if (!seen.insert(b.samples[i]).second) {
      return Status::InvalidArgument("invalid request body",
                                     {{"samples[" + std::to_string(i) + "]", "names " + b.samples[i] + " twice"}});
    }
  }
  std::sort(b.samples.begin(), b.samples.end());
  return b;
}

// POST /api/v1/certificates/batch: the signatory releases a day's certificates in one signing act.
Response IssueBatch(AppContext& ctx, const Request& req) {
  Result<BatchAct> batch = ReadBatchAct(req.body);
  if (!batch.ok()) return ProblemFromStatus(batch.status());
  return RunWrite(ctx, req, [&](store::UnitOfWork& work) {
    Result<std::vector<CertificateRecord>> issued = IssueAll(ctx, req, work, batch->samples, batch->act, nullptr);
    if (!issued.ok()) return ProblemFromStatus(issued.status());
    Poco::JSON::Array list;
    for (const CertificateRecord& c : *issued) list.add(CertificateJson(c));
    JsonObject o = NewObject();
    o.set("certificates", list);
    o.set("count", static_cast<int>(issued->size()));
    return JsonResponse(201, o);
  });
}

// A certificate the caller may see: staff see all; an exporter only its own (others answer 404).
Result<CertificateRecord> Visible(store::CertificateStore& store, const Request& req) {
  const std::string& number = req.params.at("number");
  if (!LooksLikeCertificateNumber(number)) return Status::NotFound("no certificate " + number);
  Result<CertificateRecord> c = store.Find(number);
  if (!c.ok()) return c;
  const Principal& p = *req.principal;
  if (p.IsExporter() && p.organization_id != c->exporter_id) return Status::NotFound("no certificate " + number);
  return c;
}

Response Amend(AppContext& ctx, const Request& req) {
  Result<SignedAct> act = ReadSignedAct(req.body, true);
  if (!act.ok()) return ProblemFromStatus(act.status());
  return RunWrite(ctx, req, [&](store::UnitOfWork& work) {
    store::CertificateStore store(work.connection());
    Result<CertificateRecord> old = Visible(store, req);
    if (!old.ok()) return ProblemFromStatus(old.status());
    LIMS_RETURN_IF_ERROR_RESPONSE(CheckCertificateTransition(old->number, old->status, CertificateStatus::kSuperseded));
    return IssueFor(ctx, req, work, old->sample_number, *act, &*old);
  });
}

Response Revoke(AppContext& ctx, const Request& req) {
  Result<SignedAct> act = ReadSignedAct(req.body, true);
  if (!act.ok()) return ProblemFromStatus(act.status());
  return RunWrite(ctx, req, [&](store::UnitOfWork& work) {
    store::CertificateStore store(work.connection());
    Result<CertificateRecord> c = Visible(store, req);
    if (!c.ok()) return ProblemFromStatus(c.status());
    LIMS_RETURN_IF_ERROR_RESPONSE(CheckCertificateTransition(c->number, c->status, CertificateStatus::kRevoked));
    store::MysqlUserStore users(work.connection());
    Result<std::pair<User, auth::ESignature>> signer = Reauthenticate(
        ctx, users, req, act->password, auth::SignatureMeaning::kRevoke, "certificate " + c->number, act->reason);
    if (!signer.ok()) return ProblemFromStatus(signer.status());
    Result<auth::ESignature> recorded = users.RecordSignature(signer->second);
    if (!recorded.ok()) return ProblemFromStatus(recorded.status());
    LIMS_RETURN_IF_ERROR_RESPONSE(store.Revoke(*c, signer->first.id, work.now(), act->reason));
    work.Record({"certificate.revoke", "certificate", c->number, CertificateDocument(*c),
                 AuditJson().Set("status", "revoked").str(), act->reason});
    Result<CertificateRecord> after = store.Find(c->number);
    if (!after.ok()) return ProblemFromStatus(after.status());
    return JsonResponse(200, CertificateJson(*after));
  });
}

template <typename Fn>
Response WithCertificates(AppContext& ctx, Fn fn) {
  Result<store::ConnectionPool::Lease> lease = ctx.pool.Acquire();
  if (!lease.ok()) return ProblemFromStatus(lease.status());
  store::CertificateStore store(lease->connection());
  Response r = fn(store);
  if (r.status == 503) lease->MarkBroken();
  return r;
}

Response Get(AppContext& ctx, const Request& req) {
  return WithCertificates(ctx, [&](store::CertificateStore& store) {
    Result<CertificateRecord> c = Visible(store, req);
    if (!c.ok()) return ProblemFromStatus(c.status());
    return JsonResponse(200, CertificateJson(*c));
  });
}

Response Pdf(AppContext& ctx, const Request& req) {
  return WithCertificates(ctx, [&](store::CertificateStore& store) {
    Result<CertificateRecord> c = Visible(store, req);
    if (!c.ok()) return ProblemFromStatus(c.status());
    Result<std::string> pdf = store.Pdf(c->number);
    if (!pdf.ok()) return ProblemFromStatus(pdf.status());
    Response r{200, "application/pdf", std::move(pdf).value(), {}};
    r.headers.emplace_back("ETag", "\"" + c->pdf_sha256 + "\"");
    r.headers.emplace_back("Content-Disposition", "attachment; filename=\"" + c->number + ".pdf\"");
    return r;
  });
}

Response Credential(AppContext& ctx, const Request& req) {
  return WithCertificates(ctx, [&](store::CertificateStore& store) {
    Result<CertificateRecord> c = Visible(store, req);
    if (!c.ok()) return ProblemFromStatus(c.status());
    Result<std::string> jws = store.Credential(c->number);
    if (!jws.ok()) return ProblemFromStatus(jws.status());
    JsonObject body = NewObject();
    body.set("format", "vc+jwt");
    body.set("jws", *jws);
    body.set("jwks", ctx.public_base_url + "/.well-known/jwks.json");
    body.set("status", std::string(CertificateStatusName(c->status)));
    return JsonResponse(200, body);
  });
}

Result<store::CertificateQuery> ReadQuery(const Request& req) {
  store::CertificateQuery q;
  std::vector<FieldError> errors;
  if (req.HasQuery("exporter")) {
    std::optional<int64_t> id;
    const std::string v = req.Query("exporter");
    int64_t n = 0;
    auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
    if (ec == std::errc() && end == v.data() + v.size())
      q.exporter_id = n;
    else
      errors.push_back({"exporter", "must be an id"});
  }
  for (const char* bound : {"from", "to"}) {
    if (!req.HasQuery(bound)) continue;
    Result<Timestamp> t = ParseRfc3339(req.Query(bound));
    if (!t.ok())
      errors.push_back({bound, "must be an RFC 3339 UTC time such as 2026-11-23T10:15:00Z"});
    else
      (std::string(bound) == "from" ? q.from : q.to) = *t;
  }
  q.after = req.Query("after");
  q.sample = req.Query("sample");
  if (req.HasQuery("limit")) {
    const std::string v = req.Query("limit");
    int n = 0;
    auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
    if (ec == std::errc() && end == v.data() + v.size() && n >= 1 && n <= 200)
      q.limit = n;
    else
      errors.push_back({"limit", "must be a whole number from 1 to 200"});
  }
  if (!errors.empty()) return Status::InvalidArgument("invalid query parameters", std::move(errors));
  return q;
}

Response List(AppContext& ctx, const Request& req) {
  Result<store::CertificateQuery> q = ReadQuery(req);
  if (!q.ok()) return ProblemFromStatus(q.status());
  if (req.principal->IsExporter()) q->exporter_id = req.principal->organization_id.value_or(-1);  // own only
  return WithCertificates(ctx, [&](store::CertificateStore& store) {
    Result<std::vector<CertificateRecord>> list = store.List(*q);
    if (!list.ok()) return ProblemFromStatus(list.status());
    Poco::JSON::Array items;
    for (const CertificateRecord& c : *list) items.add(CertificateJson(c));
    JsonObject body = NewObject();
    body.set("items", items);
    const bool full = static_cast<int>(list->size()) == q->limit;
    body.set("next", full ? Poco::Dynamic::Var(list->back().number) : Poco::Dynamic::Var());
    return JsonResponse(200, body);
  });
}

// What anyone may know about a certificate: enough to check it, nothing about the lab's work.
JsonObject PublicJson(const CertificateRecord& c) {
  JsonObject o = NewObject();
  o.set("number", c.number);
  o.set("status", std::string(CertificateStatusName(c.status)));
  o.set("kind", std::string(CertificateKindName(c.kind)));
  o.set("verdict", std::string(VerdictName(c.verdict)));
  o.set("exporter", c.exporter_name);
  o.set("product", c.product);
  o.set("issued_at", FormatRfc3339(c.issued_at));
  o.set("sha256", c.pdf_sha256);
  o.set("superseded_by", c.superseded_by.empty() ? Poco::Dynamic::Var() : Poco::Dynamic::Var(c.superseded_by));
  o.set("supersedes", c.supersedes.empty() ? Poco::Dynamic::Var() : Poco::Dynamic::Var(c.supersedes));
  return o;
}

Result<CertificateRecord> PublicFind(store::CertificateStore& store, const std::string& number) {
  if (!LooksLikeCertificateNumber(number)) return Status::NotFound("no such certificate");
  Result<CertificateRecord> c = store.Find(number);
  if (!c.ok() && c.status().code() == Status::Code::kNotFound) return Status::NotFound("no such certificate");
  return c;
}

// The public endpoints answer 429 past the per-client limit (numbers cannot be enumerated).
std::optional<Response> Throttled(AppContext& ctx, const Request& req) {
  std::chrono::seconds retry{0};
  if (ctx.verify_limiter == nullptr || ctx.verify_limiter->Allow(req.client_address, ctx.clock.Now(), &retry)) {
    return std::nullopt;
  }
  Response r = Problem(429, "Too many requests", "too many verification requests from this address; try again later");
  r.headers.emplace_back("Retry-After", std::to_string(std::max<int64_t>(1, retry.count())));
  return r;
}

Response VerifyApi(AppContext& ctx, const Request& req) {
  if (std::optional<Response> limited = Throttled(ctx, req)) return *limited;
  return WithCertificates(ctx, [&](store::CertificateStore& store) {
    Result<CertificateRecord> c = PublicFind(store, req.params.at("number"));
    if (!c.ok()) return ProblemFromStatus(c.status());
    return JsonResponse(200, PublicJson(*c));
  });
}

std::string Html(std::string_view text) {
  std::string out;
  for (char ch : text) {
    switch (ch) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += ch;
    }
  }
  return out;
}

Response VerifyPage(AppContext& ctx, const Request& req) {
  if (std::optional<Response> limited = Throttled(ctx, req)) return *limited;
  return WithCertificates(ctx, [&](store::CertificateStore& store) {
    Result<CertificateRecord> c = PublicFind(store, req.params.at("number"));
    std::string body =
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" "
        "content=\"width=device-width, initial-scale=1\"><title>Certificate verification</title><style>"
        "body{font-family:system-ui,sans-serif;max-width:40rem;margin:1rem auto;padding:0 1rem;line-height:1.5}"
        ".valid{background:#e6f4ea;border:2px solid #1e7e34}.bad{background:#fdecea;border:2px solid #b00020}"
        ".box{padding:1rem;border-radius:.5rem}dt{font-weight:bold}</style></head><body><h1>" +
        Html(ctx.lab.name) + "</h1>";
    if (!c.ok()) {
      if (c.status().code() != Status::Code::kNotFound) return ProblemFromStatus(c.status());
      body +=
          "<div class=\"box bad\"><h2>Not a certificate issued by this laboratory</h2><p>No certificate has the "
          "number you followed. Do not rely on the document.</p></div></body></html>";
      return Response{404, "text/html; charset=utf-8", body, {}};
    }
    const bool valid = c->status == CertificateStatus::kValid;
    std::string headline = valid ? "VALID" : c->status == CertificateStatus::kRevoked ? "REVOKED" : "SUPERSEDED";
    body += "<div class=\"box " + std::string(valid ? "valid" : "bad") + "\"><h2>" + headline + ": " + Html(c->number) +
            "</h2>";
    if (c->status == CertificateStatus::kRevoked) {
      body +=
          "<p>This certificate was revoked and must not be relied on. Reason: " + Html(c->revocation_reason) + "</p>";
    }
    if (!c->superseded_by.empty()) {
      body += "<p>This certificate was replaced by <a href=\"/verify/" + Html(c->superseded_by) + "\">" +
              Html(c->superseded_by) + "</a>.</p>";
    }
    body += "<dl><dt>Kind</dt><dd>" + Html(CertificateKindName(c->kind)) + "</dd><dt>Verdict</dt><dd>" +
            Html(VerdictHeadline(c->verdict)) + "</dd><dt>Exporter</dt><dd>" + Html(c->exporter_name) +
            "</dd><dt>Product</dt><dd>" + Html(c->product) + "</dd><dt>Issued</dt><dd>" +
            Html(FormatRfc3339(c->issued_at)) + "</dd><dt>SHA-256 of the PDF</dt><dd><code>" + Html(c->pdf_sha256) +
            "</code></dd></dl></div><p>Compare the SHA-256 with your copy (<code>sha256sum file.pdf</code>) or upload "
            "it to <code>POST /api/v1/verify</code>.</p></body></html>";
    return Response{200, "text/html; charset=utf-8", body, {}};
  });
}

Response VerifyUpload(AppContext& ctx, const Request& req) {
  if (std::optional<Response> limited = Throttled(ctx, req)) return *limited;
  if (req.body.rfind("%PDF-", 0) != 0) {
    return Problem(400, "Malformed request", "send the PDF itself as the request body",
                   {{"body", "not a PDF (it does not start with %PDF-)"}});
  }
  const std::string digest = Sha256Hex(req.body);
  return WithCertificates(ctx, [&](store::CertificateStore& store) {
    Result<CertificateRecord> c = store.FindBySha256(digest);
    JsonObject body = NewObject();
    body.set("sha256", digest);
    if (!c.ok()) {
      if (c.status().code() != Status::Code::kNotFound) return ProblemFromStatus(c.status());
      body.set("issued_here", false);
      return JsonResponse(200, body);
    }
    body.set("issued_here", true);
    body.set("certificate", PublicJson(*c));
    return JsonResponse(200, body);
  });
}

Response Jwks(const AppContext& ctx) {
  std::vector<std::string> keys;
  if (ctx.credential_signer != nullptr) keys.push_back(ctx.credential_signer->PublicJwk());
  return Response{200, "application/jwk-set+json", auth::CredentialSigner::Jwks(keys), {}};
}

}  // namespace

void AddCertificateRoutes(Router& router, AppContext& ctx) {
  const Access signatory = Access::Roles({Role::kSignatory});
  router.Add("POST", "/api/v1/samples/{number}/certificate", signatory,
             [&ctx](const Request& r) { return Issue(ctx, r); });
  router.Add("POST", "/api/v1/certificates/batch", signatory, [&ctx](const Request& r) { return IssueBatch(ctx, r); });
  router.Add("GET", "/api/v1/certificates", Access::AnyUser(), [&ctx](const Request& r) { return List(ctx, r); });
  router.Add("GET", "/api/v1/certificates/{number}", Access::AnyUser(),
             [&ctx](const Request& r) { return Get(ctx, r); });
  router.Add("GET", "/api/v1/certificates/{number}/pdf", Access::AnyUser(),
             [&ctx](const Request& r) { return Pdf(ctx, r); });
  router.Add("GET", "/api/v1/certificates/{number}/credential", Access::AnyUser(),
             [&ctx](const Request& r) { return Credential(ctx, r); });
  router.Add("POST", "/api/v1/certificates/{number}/revoke", signatory,
             [&ctx](const Request& r) { return Revoke(ctx, r); });
  router.Add("POST", "/api/v1/certificates/{number}/amend", signatory,
             [&ctx](const Request& r) { return Amend(ctx, r); });
  router.Add("GET", "/verify/{number}", Access::Public(), [&ctx](const Request& r) { return VerifyPage(ctx, r); });
  router.Add("GET", "/api/v1/verify/{number}", Access::Public(),
             [&ctx](const Request& r) { return VerifyApi(ctx, r); });
  router.Add("POST", "/api/v1/verify", Access::Public(), [&ctx](const Request& r) { return VerifyUpload(ctx, r); });
  router.Add("GET", "/.well-known/jwks.json", Access::Public(), [&ctx](const Request&) { return Jwks(ctx); });
}

}  // namespace lims::http
