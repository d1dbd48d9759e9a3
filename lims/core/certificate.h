// Certificates of conformity and test reports: when a sample may be certified, which kind it gets,
// how certificates are numbered, and how they move (ISO/IEC 17025:2017 7.8; amendments 7.8.8).
// Value types and pure functions; thread-safe.
#ifndef LIMS_CORE_CERTIFICATE_H_
#define LIMS_CORE_CERTIFICATE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "lims/core/clock.h"
#include "lims/core/decision.h"
#include "lims/core/sample.h"
#include "lims/core/status.h"

namespace lims {

// All Pass → certificate of conformity; any Fail or Conditional fail → test report naming every
// failing requirement (the rejection record auditors query). Conditional pass certifies, with the
// decision rule's statement printed beside it (ILAC-G8 §4.2).
enum class CertificateKind { kConformity, kTestReport };
std::string_view CertificateKindName(CertificateKind k);  // "certificate_of_conformity", "test_report"

enum class CertificateStatus { kValid, kRevoked, kSuperseded };
std::string_view CertificateStatusName(CertificateStatus s);  // "valid", "revoked", "superseded"
Result<CertificateStatus> ParseCertificateStatus(std::string_view text);

// What issuing a sample's certificate would produce, or why it cannot be issued yet.
struct CertificationPlan {
  CertificateKind kind = CertificateKind::kConformity;
  Verdict verdict = Verdict::kPass;
  std::vector<const TestRecord*> reported;  // the current tests, in order (borrowed from the sample)
  std::vector<const TestRecord*> failing;   // Fail or Conditional fail, in order
};

// Every current (not invalidated) test must be approved; otherwise kConflict naming the tests still
// open ("tests 12 (pending), 14 (entered) are not approved yet"). A sample already issued is
// kConflict too (amend its certificate instead). A sample without tests is kConflict.
// `amendment`: the sample is issued already and a replacing certificate is being made.
Result<CertificationPlan> PlanCertificate(const SampleRecord& sample, bool amendment = false);

// Valid → revoked (reason) or superseded (by an amendment); nothing else. kConflict names the
// status and what it allows, like the other state machines.
Status CheckCertificateTransition(std::string_view number, CertificateStatus from, CertificateStatus to);

// Revocations and amendments carry a reason a reader can understand (≥ 10 characters, field "reason").
Status CheckCertificateReason(std::string_view reason);

// A certificate as stored: the signed PDF and credential never change; only the lifecycle does.
struct CertificateRecord {
  int64_t id = 0;
  std::string number;
  std::string sample_number;
  int64_t exporter_id = 0;
  std::string exporter_name;
  std::string product;
  CertificateKind kind = CertificateKind::kConformity;
  Verdict verdict = Verdict::kPass;
  Timestamp issued_at;
  std::string issued_by;  // the signatory's name as printed
  int64_t issued_by_id = 0;
  int64_t signature_id = 0;  // the e-signature row of the act of issuing
  std::string supersedes;    // number of the certificate this one amends, "" when none
  std::string amend_reason;
  std::string superseded_by;  // number of the amendment that replaced it, "" when none
  std::string pdf_sha256;
  CertificateStatus status = CertificateStatus::kValid;
  std::optional<Timestamp> revoked_at;
  std::string revocation_reason;
  int version = 1;
};

// "AGR-C-2026-000001": lab code, "C", year of issue, gapless per-year sequence (the sample numbers'
// shape, so a certificate number can never be mistaken for a sample number).
std::string FormatCertificateNumber(std::string_view lab_code, int year, int64_t sequence);
bool LooksLikeCertificateNumber(std::string_view text);

}  // namespace lims

#endif  // LIMS_CORE_CERTIFICATE_H_
