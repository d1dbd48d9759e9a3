#include "lims/store/certificate_store.h"

#include <cppconn/exception.h>
#include <cppconn/prepared_statement.h>
#include <cppconn/resultset.h>
#include <mysql_connection.h>

#include <istream>
#include <sstream>

#include "lims/core/sha256.h"
#include "lims/store/rejection_store.h"
#include "lims/store/sql_error.h"
#include "lims/store/sql_util.h"
#include "lims/store/transaction.h"

namespace lims::store {
namespace {

constexpr const char* kColumns =
    "SELECT c.id, c.number, c.exporter_id, c.kind, c.verdict, c.issued_at, c.issued_by, c.signature_id,"
    " c.amend_reason, c.pdf_sha256, c.status, c.revoked_at, c.revocation_reason, c.version, s.number AS"
    " sample_number, s.product, o.name AS exporter_name, u.name AS signer, p.number AS supersedes,"
    " n.number AS superseded_by FROM certificates c JOIN samples s ON s.id = c.sample_id"
    " JOIN organizations o ON o.id = c.exporter_id JOIN users u ON u.id = c.issued_by"
    " LEFT JOIN certificates p ON p.id = c.supersedes_id LEFT JOIN certificates n ON n.id = c.superseded_by_id ";

std::string Nullable(sql::ResultSet& rs, const char* column) {
  return rs.isNull(column) ? "" : std::string(rs.getString(column));
}

CertificateRecord FromRow(sql::ResultSet& rs) {
  CertificateRecord r;
  r.id = rs.getInt64("id");
  r.number = rs.getString("number");
  r.sample_number = rs.getString("sample_number");
  r.exporter_id = rs.getInt64("exporter_id");
  r.exporter_name = rs.getString("exporter_name");
  r.product = rs.getString("product");
  r.kind =
      std::string(rs.getString("kind")) == "test_report" ? CertificateKind::kTestReport : CertificateKind::kConformity;
  Result<Verdict> verdict = ParseVerdict(std::string(rs.getString("verdict")));
  r.verdict = verdict.ok() ? *verdict : Verdict::kFail;
  r.issued_at = FromSqlDatetime(rs.getString("issued_at"));
  r.issued_by_id = rs.getInt64("issued_by");
  r.issued_by = rs.getString("signer");
  r.signature_id = rs.getInt64("signature_id");
  r.supersedes = Nullable(rs, "supersedes");
  r.amend_reason = rs.getString("amend_reason");
  r.superseded_by = Nullable(rs, "superseded_by");
  r.pdf_sha256 = rs.getString("pdf_sha256");
  Result<CertificateStatus> status = ParseCertificateStatus(std::string(rs.getString("status")));
  r.status = status.ok() ? *status : CertificateStatus::kValid;
  r.revoked_at = OptionalDatetime(rs, "revoked_at");
  r.revocation_reason = rs.getString("revocation_reason");
  r.version = rs.getInt("version");
  return r;
}

int YearOf(Timestamp t) {
  return static_cast<int>(std::chrono::year_month_day(std::chrono::floor<std::chrono::days>(t)).year());
}

int64_t LabIdOf(sql::Connection& c, std::string_view code) {
  Statement ps = Prepare(c, "SELECT id FROM labs WHERE code = ?");
  ps->setString(1, std::string(code));
  Rows rs(ps->executeQuery());
  if (!rs->next()) throw sql::SQLException("lab " + std::string(code) + " is not set up");
  return rs->getInt64(1);
}

// Reserves the next `count` numbers of (lab, year) and returns the first; the counter row stays
// locked until the transaction ends, so a rolled-back issue gives its numbers back.
int64_t ReserveSequences(sql::Connection& c, int64_t lab_id, int year, int count) {
  Statement ps =
      Prepare(c,
              "INSERT INTO certificate_counters (lab_id, year, last_sequence) VALUES (?, ?,"
              " LAST_INSERT_ID(?)) ON DUPLICATE KEY UPDATE last_sequence = LAST_INSERT_ID(last_sequence + ?)");
  ps->setInt64(1, lab_id);
  ps->setInt(2, year);
  ps->setInt(3, count);
  ps->setInt(4, count);
  ps->executeUpdate();
  return LastInsertId(c) - count + 1;
}

std::optional<int64_t> IdOf(sql::Connection& c, const std::string& number) {
  if (number.empty()) return std::nullopt;
  Statement ps = Prepare(c, "SELECT id FROM certificates WHERE number = ?");
  ps->setString(1, number);
  Rows rs(ps->executeQuery());
  if (!rs->next()) return std::nullopt;
  return rs->getInt64(1);
}

}  // namespace

Result<CertificateRecord> CertificateStore::Issue(
    std::string_view lab_code, int64_t sample_id, CertificateRecord record,
    const std::function<Result<IssuedDocument>(const std::string& number)>& make) {
  Result<std::vector<CertificateRecord>> issued =
      IssueBatch(lab_code, {{sample_id, std::move(record)}},
                 [&](const std::vector<std::string>& numbers) -> Result<std::vector<IssuedDocument>> {
                   Result<IssuedDocument> doc = make(numbers.front());
                   if (!doc.ok()) return doc.status();
                   std::vector<IssuedDocument> docs;
                   docs.push_back(std::move(doc).value());
                   return docs;
                 });
  if (!issued.ok()) return issued.status();
  return std::move(issued->front());
}

Result<std::vector<CertificateRecord>> CertificateStore::IssueBatch(std::string_view lab_code,
                                                                    std::vector<Issuance> items,
                                                                    const MakeDocuments& make) {
  if (items.empty()) return std::vector<CertificateRecord>{};
  try {
    Transaction tx(c_);
    const int64_t lab_id = LabIdOf(c_, lab_code);
    const int year = YearOf(items.front().record.issued_at);
    const int count = static_cast<int>(items.size());
    const int64_t first = ReserveSequences(c_, lab_id, year, count);
    std::vector<std::string> numbers;
    for (int i = 0; i < count; ++i) numbers.push_back(FormatCertificateNumber(lab_code, year, first + i));
    Result<std::vector<IssuedDocument>> docs = make(numbers);
    if (!docs.ok()) return docs.status();
    if (docs->size() != items.size()) return Status::Internal("one document per certificate expected");
    std::vector<CertificateRecord> issued;
    for (int i = 0; i < count; ++i) {
      CertificateRecord& record = items[i].record;
      record.number = numbers[i];
      Result<int64_t> id = Store(lab_id, year, first + i, items[i].sample_id, record, (*docs)[i]);
      if (!id.ok()) return id.status();
      record.id = *id;
      issued.push_back(std::move(record));
    }
    tx.Commit();
    return issued;
  } catch (const sql::SQLException& e) {
    return FromSqlException(e, "issuing a certificate");
  }
}

// Inserts one certificate, supersedes the old one of an amendment and moves the sample to issued.
Result<int64_t> CertificateStore::Store(int64_t lab_id, int year, int64_t sequence, int64_t sample_id,
                                        CertificateRecord& record, const IssuedDocument& doc) {
  record.pdf_sha256 = Sha256Hex(doc.pdf);
  record.signature_id = doc.signature_id;
  const std::optional<int64_t> supersedes = IdOf(c_, record.supersedes);
  Statement ps = Prepare(c_,
                         "INSERT INTO certificates (lab_id, number, year, sequence, sample_id, exporter_id, kind,"
                         " verdict, issued_at, issued_by, signature_id, supersedes_id, amend_reason, pdf,"
                         " pdf_sha256, credential, status) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,'valid')");
  ps->setInt64(1, lab_id);
  ps->setString(2, record.number);
  ps->setInt(3, year);
  ps->setInt64(4, sequence);
  ps->setInt64(5, sample_id);
  ps->setInt64(6, record.exporter_id);
  ps->setString(7, std::string(CertificateKindName(record.kind)));
  ps->setString(8, std::string(VerdictName(record.verdict)));
  ps->setString(9, ToSqlDatetime(record.issued_at));
  ps->setInt64(10, record.issued_by_id);
  ps->setInt64(11, record.signature_id);
  if (supersedes)
    ps->setInt64(12, *supersedes);
  else
    ps->setNull(12, 0);
  ps->setString(13, record.amend_reason);
  std::istringstream pdf(doc.pdf);
  ps->setBlob(14, &pdf);
  ps->setString(15, record.pdf_sha256);
  ps->setString(16, doc.credential);
  ps->executeUpdate();
  const int64_t id = LastInsertId(c_);
  if (supersedes) {
    Statement old = Prepare(c_,
                            "UPDATE certificates SET status = 'superseded', superseded_by_id = ?, version = version"
                            " + 1 WHERE id = ? AND status = 'valid'");
    old->setInt64(1, id);
    old->setInt64(2, *supersedes);
    if (old->executeUpdate() != 1) return Status::Conflict("certificate " + record.supersedes + " is not valid");
  }
  Statement sample = Prepare(c_,
                             "UPDATE samples SET status = 'issued', issued_at = COALESCE(issued_at, ?),"
                             " version = version + 1 WHERE id = ?");
  sample->setString(1, ToSqlDatetime(record.issued_at));
  sample->setInt64(2, sample_id);
  sample->executeUpdate();
  // The auditors' rejection history, in this transaction; an amendment's sample is counted already.
  if (!supersedes) {
    if (Status s = RecordIssuedSample(c_, id); !s.ok()) return s;
  }
  return id;
}

Result<CertificateRecord> CertificateStore::Find(std::string_view number) {
  try {
    Statement ps = Prepare(c_, std::string(kColumns) + "WHERE c.number = ?");
    ps->setString(1, std::string(number));
    Rows rs(ps->executeQuery());
    if (!rs->next()) return Status::NotFound("no certificate " + std::string(number));
    return FromRow(*rs);
  } catch (const sql::SQLException& e) {
    return FromSqlException(e, "reading a certificate");
  }
}

Result<CertificateRecord> CertificateStore::FindBySha256(std::string_view sha256) {
  try {
    Statement ps = Prepare(c_, std::string(kColumns) + "WHERE c.pdf_sha256 = ?");
    ps->setString(1, std::string(sha256));
    Rows rs(ps->executeQuery());
    if (!rs->next()) return Status::NotFound("not a certificate issued here");
    return FromRow(*rs);
  } catch (const sql::SQLException& e) {
    return FromSqlException(e, "looking a certificate up by its digest");
  }
}

Result<std::vector<CertificateRecord>> CertificateStore::List(const CertificateQuery& q) {
  try {
    Statement ps = Prepare(c_, std::string(kColumns) +
                                   "WHERE (? IS NULL OR c.exporter_id = ?) AND (? IS NULL OR c.issued_at >= ?)"
                                   " AND (? IS NULL OR c.issued_at < ?) AND (? = '' OR s.number = ?) AND c.number > ?"
                                   " ORDER BY c.number LIMIT ?");
    int i = BindOptionalTwice(*ps, 1, q.exporter_id);
    i = BindOptionalTwice(*ps, i, q.from);
    i = BindOptionalTwice(*ps, i, q.to);
    ps->setString(i++, q.sample);
    ps->setString(i++, q.sample);
    ps->setString(i++, q.after);
    ps->setInt(i, q.limit);
    Rows rs(ps->executeQuery());
    std::vector<CertificateRecord> out;
    while (rs->next()) out.push_back(FromRow(*rs));
    return out;
  } catch (const sql::SQLException& e) {
    return FromSqlException(e, "listing certificates");
  }
}

Result<std::string> CertificateStore::Pdf(std::string_view number) {
  try {
    Statement ps = Prepare(c_, "SELECT pdf FROM certificates WHERE number = ?");
    ps->setString(1, std::string(number));
    Rows rs(ps->executeQuery());
    if (!rs->next()) return Status::NotFound("no certificate " + std::string(number));
    std::unique_ptr<std::istream> blob(rs->getBlob(1));
    std::ostringstream out;
    out << blob->rdbuf();
    return out.str();
  } catch (const sql::SQLException& e) {
    return FromSqlException(e, "reading a certificate's PDF");
  }
}

Result<std::string> CertificateStore::Credential(std::string_view number) {
  try {
    Statement ps = Prepare(c_, "SELECT credential FROM certificates WHERE number = ?");
    ps->setString(1, std::string(number));
    Rows rs(ps->executeQuery());
    if (!rs->next()) return Status::NotFound("no certificate " + std::string(number));
    return std::string(rs->getString(1));
  } catch (const sql::SQLException& e) {
    return FromSqlException(e, "reading a certificate's credential");
  }
}

Result<std::optional<CertificateRecord>> CertificateStore::CurrentForSample(int64_t sample_id) {
  try {
    Statement ps =
        Prepare(c_, std::string(kColumns) + "WHERE c.sample_id = ? AND c.status = 'valid' ORDER BY c.id DESC");
    ps->setInt64(1, sample_id);
    Rows rs(ps->executeQuery());
    if (!rs->next()) return std::optional<CertificateRecord>();
    return std::optional<CertificateRecord>(FromRow(*rs));
  } catch (const sql::SQLException& e) {
    return FromSqlException(e, "reading a sample's certificate");
  }
}

Status CertificateStore::Revoke(const CertificateRecord& record, int64_t by, Timestamp at, const std::string& reason) {
  try {
    Statement ps = Prepare(c_,
                           "UPDATE certificates SET status = 'revoked', revoked_at = ?, revoked_by = ?,"
                           " revocation_reason = ?, version = version + 1 WHERE id = ? AND version = ?"
                           " AND status = 'valid'");
    ps->setString(1, ToSqlDatetime(at));
    ps->setInt64(2, by);
    ps->setString(3, reason);
    ps->setInt64(4, record.id);
    ps->setInt(5, record.version);
    if (ps->executeUpdate() != 1) {
      return Status::Conflict("certificate " + record.number + " changed meanwhile; reload and try again");
    }
    return Status::Ok();
  } catch (const sql::SQLException& e) {
    return FromSqlException(e, "revoking a certificate");
  }
}

}  // namespace lims::store
