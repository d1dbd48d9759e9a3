// SigningKey: the lab's signing identity (private key, certificate and issuing chain) for signed PDF
// certificates, loaded from PEM files or a PKCS#12 bundle; and CreateDemoLabKeys, which makes a demo CA
// and a signing certificate for development and tests.
//
// Ownership: a SigningKey owns its OpenSSL objects and frees them on destruction; it is move-only. The
// raw accessors (pkey(), cert(), chain()) borrow: the pointers stay valid while the SigningKey lives
// and must not be freed by the caller.
// Thread-safety: a const SigningKey may be used by several threads at once (OpenSSL 3 key and
// certificate objects are safe for concurrent read-only use, which is all that signing does).
// Failure modes: every error is a Status whose message names the file and the step plus the OpenSSL
// error text; messages never carry key material or passwords.
#ifndef LIMS_REPORTS_SIGNING_KEY_H_
#define LIMS_REPORTS_SIGNING_KEY_H_

#include <openssl/types.h>

#include <memory>
#include <string>

#include "lims/core/status.h"

struct stack_st_X509;  // STACK_OF(X509), without pulling in <openssl/x509.h>

namespace lims::reports {

class SigningKey {
 public:
  // PEM private key (unencrypted; an encrypted key is refused rather than prompting on a terminal),
  // PEM certificate, and optionally a PEM file with the issuing chain (one or more certificates).
  // InvalidArgument when a file cannot be read or parsed, or the key does not match the certificate.
  static Result<SigningKey> LoadPem(const std::string& key_path, const std::string& cert_path,
                                    const std::string& chain_path = "");
  // A PKCS#12 bundle as `openssl pkcs12 -export` writes it (OpenSSL 3 defaults: AES-256 + PBKDF2).
  // InvalidArgument "wrong password" when the MAC does not verify; bundles that use legacy
  // algorithms (RC2, 3DES) need OpenSSL's legacy provider, which is not loaded, and fail to parse.
  static Result<SigningKey> LoadPkcs12(const std::string& path, const std::string& password);

  SigningKey(SigningKey&&) noexcept = default;
  SigningKey& operator=(SigningKey&&) noexcept = default;
  SigningKey(const SigningKey&) = delete;
  SigningKey& operator=(const SigningKey&) = delete;
  ~SigningKey() = default;

  std::string SubjectCommonName() const;  // UTF-8; empty when the subject has no CN
  std::string PublicKeyPem() const;       // SubjectPublicKeyInfo, "-----BEGIN PUBLIC KEY-----"
  std::string CertificatePem() const;

  // Borrowed OpenSSL handles for the signer (see the contract above).
  EVP_PKEY* pkey() const { return pkey_.get(); }
  X509* cert() const { return cert_.get(); }
  stack_st_X509* chain() const { return chain_.get(); }  // never null; may be empty

 private:
  struct PkeyFree {
    void operator()(EVP_PKEY* p) const;
  };
  struct X509Free {
    void operator()(X509* p) const;
  };
  struct ChainFree {
    void operator()(stack_st_X509* p) const;
  };

  SigningKey() = default;
  static Result<SigningKey> Assemble(EVP_PKEY* pkey, X509* cert, stack_st_X509* chain);

  std::unique_ptr<EVP_PKEY, PkeyFree> pkey_;
  std::unique_ptr<X509, X509Free> cert_;
  std::unique_ptr<stack_st_X509, ChainFree> chain_;
};

enum class KeyType { kRsa2048, kEcdsaP256 };

// Creates under `dir` (made with mode 0700 if absent) a demo lab CA ("CN=Pramaan demo lab CA",
// self-signed, CA:TRUE) and a signing certificate it issued ("CN=Pramaan demo lab signing, O=Pramaan
// demo lab", keyUsage digitalSignature + nonRepudiation), both valid for 5 years from now, as the files
// ca.pem, signing-cert.pem and signing-key.pem (PKCS#8, unencrypted, mode 0600: created with that mode
// so it is never readable by others, even briefly). The CA's private key is discarded.
// Idempotent: when all three files exist they are kept and Ok is returned. Conflict when only some of
// them exist (the set is incomplete and the CA key is gone: remove the directory). Internal on an
// OpenSSL or file-system failure (the message names the file and the errno or OpenSSL text).
Status CreateDemoLabKeys(const std::string& dir, KeyType type);

}  // namespace lims::reports

#endif  // LIMS_REPORTS_SIGNING_KEY_H_
