// The machine-readable certificate: each certificate of conformity is also issued as a signed JSON
// credential, modelled on the UN Transparency Protocol's Digital Conformity Credential (UNTP DCC 0.5.0,
// a W3C Verifiable Credential 2.0): the issuer is the laboratory, the credentialSubject is the
// conformity attestation for the product and lot, with one assessment per requirement.
//
// The credential is signed as a compact JWS (RFC 7515, "vc+jwt") with the laboratory's key: ES256
// (ECDSA on P-256 with SHA-256, the signature as the 64-byte R||S of RFC 7518 §3.4) or EdDSA (Ed25519,
// RFC 8037). The public keys are published as a JWK Set (RFC 7517) with kid = the RFC 7638 thumbprint,
// so anyone can verify a credential offline with any JOSE library or the openssl command line.
//
// Failure modes: keys that cannot be read or are of another type, and JWS that are malformed, use
// another algorithm or do not verify, are Status values naming why (never exceptions).
// ConformityCredential is a value type. CredentialSigner owns its OpenSSL key, is move-only, and is
// thread-safe for concurrent const use (signing allocates its own OpenSSL context per call).
#ifndef LIMS_AUTH_CREDENTIAL_H_
#define LIMS_AUTH_CREDENTIAL_H_

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "lims/auth/base64url.h"
#include "lims/core/status.h"

typedef struct evp_pkey_st EVP_PKEY;  // NOLINT(modernize-use-using): OpenSSL's own forward declaration

namespace lims::auth {

// The contexts and types every credential carries.
inline constexpr std::string_view kVcContextV2 = "https://www.w3.org/ns/credentials/v2";
inline constexpr std::string_view kUntpDccContext = "https://test.uncefact.org/vocabulary/untp/dcc/0.5.0/";

struct CredentialIssuer {
  std::string name;           // "Pramaan Testing Laboratory"
  std::string url;            // the issuer's id: "https://lab.example"
  std::string accreditation;  // "NABL TC-1234 (ISO/IEC 17025:2017)"; "" = none stated
};

struct CredentialExporter {
  std::string name;
  std::string iec;  // Importer-Exporter Code (DGFT); "" = not stated
};

struct CredentialProduct {
  std::string description;
  std::string article;        // article or product code
  std::string lot;            // lot or batch number
  std::string sample_number;  // the laboratory's sample number
  std::vector<std::string> markings;
};

// One requirement and what was found against it.
struct CredentialAssessment {
  std::string standard;             // "IS 1234:2020"
  std::string clause;               // "5.2"
  std::string property;             // "Lead (Pb)"
  std::vector<std::string> values;  // reported values as written ("0.42", "<0.01", "ND")
  std::string unit;                 // "mg/kg"
  std::string limit;                // "≤ 1.0 mg/kg"
  std::string verdict;              // "pass", "fail", or another reported statement
  std::string method;               // "IS 1234:2020 Annex B (ICP-OES)"
};

struct ConformityCredential {
  std::string number;  // certificate number: "AGR-C-2026-000001"
  CredentialIssuer issuer;
  std::string issued_at;  // RFC 3339: "2026-03-01T10:15:00Z"
  std::string status;     // "valid", "amended", "revoked" at the time of signing
  std::string kind;       // "certification", "testing", "inspection", ...
  std::string verdict;    // overall: "pass" or "fail" (or another statement)
  CredentialExporter exporter;
  CredentialProduct product;
  std::string destination;    // country of destination
  std::string decision_rule;  // ISO/IEC 17025 7.8.6: "simple acceptance (ILAC-G8 §4.2.1)"
  std::vector<CredentialAssessment> assessments;
  std::optional<std::string> supersedes;  // the number of the certificate this one amends
  std::string verification_url;           // where a reader checks the certificate; "" = none
};

// The credential as W3C VC 2.0 JSON with the UNTP DCC context. Canonical: keys sorted, no white space,
// the same credential always gives the same bytes. "id" is the verification URL, else
// "urn:pramaan:certificate:<number>". Values that are JSON numbers are written as numbers, others
// ("<0.01", "ND") as strings.
std::string CredentialJson(const ConformityCredential& credential);

// The RFC 7638 JWK thumbprint (SHA-256, base64url) of a public JWK of type EC, OKP or RSA, computed
// from its required members only. kInvalidArgument naming the missing member otherwise.
Result<std::string> JwkThumbprint(const std::string& jwk_json);

// The laboratory's signing key.
class CredentialSigner {
 public:
  enum class Algorithm { kES256, kEdDSA };

  // Reads a PEM private key ("EC PRIVATE KEY" as written by `openssl ecparam -genkey`, or PKCS#8):
  // P-256 signs ES256, Ed25519 signs EdDSA. kInvalidArgument for other keys, kNotFound if unreadable.
  static Result<CredentialSigner> FromPemFile(const std::string& path);
  static Result<CredentialSigner> FromPem(std::string_view pem);

  CredentialSigner(CredentialSigner&&) noexcept;
  CredentialSigner& operator=(CredentialSigner&&) noexcept;
  CredentialSigner(const CredentialSigner&) = delete;
  CredentialSigner& operator=(const CredentialSigner&) = delete;
  ~CredentialSigner();

  Algorithm algorithm() const { return algorithm_; }
  std::string_view AlgorithmName() const;  // "ES256" or "EdDSA"
  // The RFC 7638 thumbprint of PublicJwk(), base64url: the "kid" of the header and of the JWKS entry.
  const std::string& KeyId() const { return kid_; }
  // The public key as a JWK with alg, kid and use "sig" (canonical JSON).
  const std::string& PublicJwk() const { return jwk_; }

  // "b64url(header).b64url(payload).b64url(signature)" with header {"alg","kid","typ":"vc+jwt"}.
  // kInternal if OpenSSL fails.
  Result<std::string> SignCompact(const std::string& payload_json) const;

  // {"keys":[jwk,...]}: the document served at /.well-known/jwks.json.
  static std::string Jwks(const std::vector<std::string>& jwks);

 private:
  struct KeyDeleter {
    void operator()(EVP_PKEY* key) const;
  };
  using KeyPtr = std::unique_ptr<EVP_PKEY, KeyDeleter>;
  CredentialSigner(KeyPtr key, Algorithm algorithm, std::string jwk, std::string kid);

  KeyPtr key_;
  Algorithm algorithm_ = Algorithm::kES256;
  std::string jwk_;
  std::string kid_;
};

// Verifies a compact JWS against one public JWK (EC P-256 for ES256, OKP Ed25519 for EdDSA) and
// returns the decoded payload. kInvalidArgument naming why when the JWS or JWK is malformed, the
// algorithm does not match the key (no "none", no algorithm switching), a "crit" header is present,
// the header's kid differs from the JWK's, or the signature does not verify.
Result<std::string> VerifyCompact(const std::string& jws, const std::string& jwk_json);

}  // namespace lims::auth

#endif  // LIMS_AUTH_CREDENTIAL_H_
