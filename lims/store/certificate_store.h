// CertificateStore: certificates in MySQL/MariaDB. Issuing allocates the gapless number, stores
// the signed PDF and credential once with their SHA-256 and marks the sample issued, inside the
// caller's unit of work, so number, document, sample and audit event commit together or not at
// all. Reads never return another exporter's certificate unless asked for it by staff (the caller
// filters). One instance per request, on the request's connection.
#ifndef LIMS_STORE_CERTIFICATE_STORE_H_
#define LIMS_STORE_CERTIFICATE_STORE_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "lims/core/certificate.h"
#include "lims/core/status.h"

namespace sql {
class Connection;
}

namespace lims::store {

// What the caller renders and signs once the number is known (the number is printed on the PDF).
struct IssuedDocument {
  std::string pdf;           // signed
  std::string credential;    // compact JWS
  int64_t signature_id = 0;  // the signatory's e-signature of this number (e_signatures row)
};

// One certificate of a batch: its sample and what the record says before it has a number.
struct Issuance {
  int64_t sample_id = 0;
  CertificateRecord record;
};

struct CertificateQuery {
  std::optional<int64_t> exporter_id;
  std::optional<Timestamp> from;  // issued_at ≥ from
  std::optional<Timestamp> to;    // issued_at < to
  std::string sample;             // the sample's number ("" = every sample): its certificates, amendments included
  std::string after;              // keyset cursor: the last number of the previous page
  int limit = 50;
};

class CertificateStore {
 public:
  explicit CertificateStore(sql::Connection& c) : c_(c) {}

  // Allocates the number of (lab, year of `record.issued_at`), calls `make` with it to render and
  // sign, and stores the result; `record.number`, `id` and `pdf_sha256` are filled in. The sample
  // moves to issued (with issued_at) and, for an amendment, the superseded certificate's status
  // changes. Errors of `make` are returned as they are; nothing is kept then.
  Result<CertificateRecord> Issue(std::string_view lab_code, int64_t sample_id, CertificateRecord record,
                                  const std::function<Result<IssuedDocument>(const std::string& number)>& make);
  // The same for several certificates in one act: consecutive numbers, reserved with one move of
  // the counter (so a batch holds the counter's lock once, not once per certificate), all rendered
  // by one call of `make` (which may work in parallel) and stored in order. All or nothing; every
  // record must carry the same issued_at.
  using MakeDocuments = std::function<Result<std::vector<IssuedDocument>>(const std::vector<std::string>& numbers)>;
  Result<std::vector<CertificateRecord>> IssueBatch(std::string_view lab_code, std::vector<Issuance> items,
                                                    const MakeDocuments& make);
  Result<CertificateRecord> Find(std::string_view number);
  Result<CertificateRecord> FindBySha256(std::string_view sha256);
  Result<std::vector<CertificateRecord>> List(const CertificateQuery& query);
  // The stored bytes, exactly as issued.
  Result<std::string> Pdf(std::string_view number);
  Result<std::string> Credential(std::string_view number);
  // The sample's current valid certificate, if any (an amendment supersedes it).
  Result<std::optional<CertificateRecord>> CurrentForSample(int64_t sample_id);
  // valid → revoked, conditional on the version read (kConflict otherwise).
  Status Revoke(const CertificateRecord& record, int64_t by, Timestamp at, const std::string& reason);

 private:
  Result<int64_t> Store(int64_t lab_id, int year, int64_t sequence, int64_t sample_id, CertificateRecord& record,
                        const IssuedDocument& doc);

  sql::Connection& c_;
};

}  // namespace lims::store

#endif  // LIMS_STORE_CERTIFICATE_STORE_H_
