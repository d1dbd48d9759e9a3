// Electronic signatures of the authorised signatory (ISO/IEC 17025 7.8.2.1 o; 21 CFR 11.50, 11.70,
// 11.200; EU GMP Annex 11 §14): issuing, amending or revoking a certificate asks for the signer's
// password again, and the signature records who signed, when, what it means and which record it
// signs. A wrong password counts as a failed login (the same back-off applies).
// Stateless; thread-safe.
#ifndef LIMS_AUTH_E_SIGNATURE_H_
#define LIMS_AUTH_E_SIGNATURE_H_

#include <string>
#include <string_view>

#include "lims/core/clock.h"
#include "lims/core/status.h"
#include "lims/core/user.h"

namespace lims::auth {

enum class SignatureMeaning { kIssue, kAmend, kRevoke };
std::string_view SignatureMeaningName(SignatureMeaning m);  // "issue", "amend", "revoke"

struct ESignature {
  int64_t id = 0;
  int64_t user_id = 0;
  std::string signer;  // printed name, as on the certificate
  SignatureMeaning meaning = SignatureMeaning::kIssue;
  std::string record;  // what is signed: "certificate AGR-C-2026-000001"
  std::string reason;  // required for amend and revoke
  Timestamp at;
};

// Checks the signer: a signatory, enabled, giving the right password now; amend and revoke need a
// reason. kUnprocessable naming "signer", "password" or "reason" otherwise. Persisting the signature
// together with the record it signs is the caller's transaction (MysqlUserStore::RecordSignature).
Result<ESignature> PrepareSignature(const User& signer, std::string_view password, SignatureMeaning meaning,
                                    std::string record, std::string reason, Timestamp now);

}  // namespace lims::auth

#endif  // LIMS_AUTH_E_SIGNATURE_H_
