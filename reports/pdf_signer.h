// PDF signing: a PAdES baseline B-B (or adbe.pkcs7.detached) signature appended to a PDF as an
// incremental update, as Adobe Reader and pdfsig expect it.
//
// Scope: PDFs with classic cross-reference tables, as libharu writes them (PDF 1.4, one xref table,
// trailer with /Root /Info /Size /ID); earlier incremental updates with classic tables are followed
// through /Prev. Cross-reference streams, object streams and documents that already carry an
// /AcroForm (for example an earlier signature) are refused with Unprocessable.
//
// The update adds: a copy of the catalog with /AcroForm << /Fields [widget] /SigFlags 3 >>, a copy of
// the first page with the widget appended to /Annots, an invisible signature widget (/Rect [0 0 0 0],
// /F 132) named "Signature1", and the /Sig dictionary with /ByteRange and an 8192-byte /Contents that
// holds the DER CMS (SHA-256, signer certificate and chain included, signing-certificate-v2 attribute).
// The bytes before the update are unchanged, so the original document stays byte-identical.
//
// Determinism: everything but the CMS signature value is a pure function of the inputs; the CMS
// signingTime attribute and /M both come from SignatureInfo::signing_time, never from the clock.
// RSA (PKCS#1 v1.5) signatures are then byte-identical across runs; ECDSA signatures are randomized.
// Note: ETSI EN 319 142-1 wants no CMS signingTime in PAdES B-B; OpenSSL's CMS_final always adds one,
// so it is set to the claimed signing time (the same instant as /M).
// Thread-safety: a pure function; concurrent calls may share one const SigningKey.
#ifndef LIMS_REPORTS_PDF_SIGNER_H_
#define LIMS_REPORTS_PDF_SIGNER_H_

#include <string>

#include "lims/core/clock.h"
#include "lims/core/status.h"
#include "reports/signing_key.h"

namespace lims::reports {

enum class SubFilter {
  kEtsiCadesDetached,  // /ETSI.CAdES.detached: PAdES baseline
  kAdbePkcs7Detached,  // /adbe.pkcs7.detached: for readers that predate PAdES
};

struct SignatureInfo {
  std::string signer_name;  // /Name; empty: the certificate's subject CN
  std::string reason;       // /Reason, e.g. "Test certificate AGR-2026-000123 approved"; may be empty
  std::string location;     // /Location; may be empty
  std::string contact;      // /ContactInfo; may be empty
  Timestamp signing_time;   // /M and the CMS signingTime (UTC)
  SubFilter sub_filter = SubFilter::kEtsiCadesDetached;
};

// The bytes reserved for the DER CMS in /Contents (16384 hex digits).
inline constexpr size_t kSignatureReserve = 8192;

// Returns `pdf` followed by the signing update. Text fields are UTF-8 (written as PDF text strings:
// literal when ASCII, UTF-16BE otherwise).
// Errors: InvalidArgument when `pdf` is not a PDF with a readable trailer and cross-reference table,
// a referenced object is missing or malformed, or a text field is not valid UTF-8; Unprocessable
// for the unsupported structures listed above; Internal when OpenSSL fails or the CMS exceeds
// kSignatureReserve (a chain of many large certificates).
Result<std::string> SignPdf(const std::string& pdf, const SigningKey& key, const SignatureInfo& info);

}  // namespace lims::reports

#endif  // LIMS_REPORTS_PDF_SIGNER_H_
