#include "lims/auth/e_signature.h"

#include "lims/auth/password.h"

namespace lims::auth {

std::string_view SignatureMeaningName(SignatureMeaning m) {
  switch (m) {
    case SignatureMeaning::kIssue:
      return "issue";
    case SignatureMeaning::kAmend:
      return "amend";
    case SignatureMeaning::kRevoke:
      return "revoke";
  }
  return "issue";
}

Result<ESignature> PrepareSignature(const User& signer, std::string_view password, SignatureMeaning meaning,
                                    std::string record, std::string reason, Timestamp now) {
  if (!signer.Has(Role::kSignatory) || signer.disabled) {
    return Status::Unprocessable("only an enabled authorised signatory can sign", {{"signer", "not a signatory"}});
  }
  if (meaning != SignatureMeaning::kIssue && reason.empty()) {
    return Status::Unprocessable("a reason is required", {{"reason", "say why the record is amended or revoked"}});
  }
  if (!VerifyPassword(password, signer.password_hash)) {
    return Status::Unprocessable("the signature was not confirmed", {{"password", "does not match"}});
  }
  return ESignature{0, signer.id, signer.name, meaning, std::move(record), std::move(reason), now};
}

}  // namespace lims::auth
