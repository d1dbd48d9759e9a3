#include "lims/core/certificate.h"

#include <cctype>
#include <cstdio>

namespace lims {

std::string_view CertificateKindName(CertificateKind k) {
  return k == CertificateKind::kConformity ? "certificate_of_conformity" : "test_report";
}

std::string_view CertificateStatusName(CertificateStatus s) {
  switch (s) {
    case CertificateStatus::kValid:
      return "valid";
    case CertificateStatus::kRevoked:
      return "revoked";
    case CertificateStatus::kSuperseded:
      return "superseded";
  }
  return "valid";
}

Result<CertificateStatus> ParseCertificateStatus(std::string_view text) {
  for (CertificateStatus s : {CertificateStatus::kValid, CertificateStatus::kRevoked, CertificateStatus::kSuperseded}) {
    if (CertificateStatusName(s) == text) return s;
  }
  return Status::InvalidArgument("unknown certificate status \"" + std::string(text) +
                                 "\"; expected valid, revoked or superseded");
}

Result<CertificationPlan> PlanCertificate(const SampleRecord& sample, bool amendment) {
  if (sample.status == SampleStatus::kIssued && !amendment) {
    return Status::Conflict("sample " + sample.number + " is already issued; amend its certificate instead");
  }
  CertificationPlan plan;
  std::string open;
  for (const TestRecord& t : sample.tests) {
    if (t.status == TestStatus::kInvalidated) continue;  // history: its repeat is reported instead
    if (t.status != TestStatus::kApproved || !t.result) {
      open += (open.empty() ? "" : ", ") + std::to_string(t.id) + " (" + std::string(TestStatusName(t.status)) + ")";
      continue;
    }
    plan.reported.push_back(&t);
    plan.verdict = std::max(plan.verdict, t.result->verdict);
    if (IsRejection(t.result->verdict)) plan.failing.push_back(&t);
  }
  if (!open.empty()) {
    return Status::Conflict("sample " + sample.number + " cannot be certified yet: tests " + open +
                            " are not approved");
  }
  if (plan.reported.empty()) return Status::Conflict("sample " + sample.number + " has no tests to report");
  plan.kind = plan.failing.empty() ? CertificateKind::kConformity : CertificateKind::kTestReport;
  return plan;
}

Status CheckCertificateTransition(std::string_view number, CertificateStatus from, CertificateStatus to) {
  if (from == CertificateStatus::kValid && to != CertificateStatus::kValid) return Status::Ok();
  const std::string allowed = from == CertificateStatus::kValid ? "revoked, superseded" : "nothing (final)";
  return Status::Conflict("certificate " + std::string(number) + " is " + std::string(CertificateStatusName(from)) +
                          "; it can go to: " + allowed);
}

Status CheckCertificateReason(std::string_view reason) {
  size_t visible = 0;
  for (char c : reason) visible += std::isspace(static_cast<unsigned char>(c)) ? 0 : 1;
  if (visible >= 10) return Status::Ok();
  return Status::Unprocessable("a revocation or amendment needs its reason",
                               {{"reason", "say why, in at least 10 characters"}});
}

std::string FormatCertificateNumber(std::string_view lab_code, int year, int64_t sequence) {
  char tail[40];
  std::snprintf(tail, sizeof tail, "-C-%04d-%06lld", year, static_cast<long long>(sequence));
  return std::string(lab_code) + tail;
}

bool LooksLikeCertificateNumber(std::string_view text) {
  // LAB (2-8 upper-case letters) "-C-" YYYY "-" at least 6 digits.
  const size_t first = text.find('-');
  if (first == std::string_view::npos || first < 2 || first > 8) return false;
  for (size_t i = 0; i < first; ++i) {
    if (!std::isupper(static_cast<unsigned char>(text[i]))) return false;
  }
  const std::string_view rest = text.substr(first);
  if (rest.size() < 3 + 4 + 1 + 6 || rest.substr(0, 3) != "-C-" || rest[7] != '-') return false;
  for (size_t i = 3; i < rest.size(); ++i) {
    if (i == 7) continue;
    if (!std::isdigit(static_cast<unsigned char>(rest[i]))) return false;
  }
  return true;
}

}  // namespace lims
