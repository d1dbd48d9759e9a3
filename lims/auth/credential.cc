#include "lims/auth/credential.h"

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ecdsa.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/params.h>
#include <openssl/pem.h>

#include <array>
#include <cctype>
#include <cstdint>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <utility>

#include "lims/core/audit.h"

namespace lims::auth {
namespace {

constexpr size_t kP256CoordinateBytes = 32;
constexpr size_t kEd25519KeyBytes = 32;
constexpr std::string_view kP256GroupName = "prime256v1";

// ---------------------------------------------------------------------------------------------
// Canonical JSON pieces. AuditJson sorts the keys of each object; arrays keep their order.

std::string Quoted(std::string_view text) {
  return "\"" + JsonEscape(text) + "\"";
}

std::string ArrayOf(const std::vector<std::string>& raw_items) {
  std::string json = "[";
  for (size_t i = 0; i < raw_items.size(); ++i) {
    if (i > 0) json += ',';
    json += raw_items[i];
  }
  return json + "]";
}

std::string Types(std::initializer_list<std::string_view> types) {
  std::vector<std::string> items;
  for (std::string_view t : types) items.push_back(Quoted(t));
  return ArrayOf(items);
}

// RFC 8259 number grammar: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
bool IsJsonNumber(std::string_view s) {
  size_t i = 0;
  auto digits = [&] {
    const size_t start = i;
    while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i;
    return i > start;
  };
  if (i < s.size() && s[i] == '-') ++i;
  if (i < s.size() && s[i] == '0') {
    ++i;
  } else if (!digits()) {
    return false;
  }
  if (i < s.size() && s[i] == '.') {
    ++i;
    if (!digits()) return false;
  }
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    if (!digits()) return false;
  }
  return i == s.size();
}

std::string CertificateUrn(std::string_view number) {
  return "urn:pramaan:certificate:" + std::string(number);
}

// "pass" and "fail" map onto UNTP's boolean conformance; other statements only keep their text.
void SetConformance(AuditJson& json, std::string_view verdict) {
  std::string lower;
  for (char c : verdict) lower.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  if (lower == "pass") json.SetRaw("conformance", "true");
  if (lower == "fail") json.SetRaw("conformance", "false");
}

std::string IssuerJson(const CredentialIssuer& issuer) {
  AuditJson json;
  json.SetRaw("type", Types({"CredentialIssuer"})).Set("name", issuer.name);
  if (!issuer.url.empty()) json.Set("id", issuer.url);
  return json.str();
}

std::string PartyJson(const CredentialExporter& exporter) {
  AuditJson json;
  json.SetRaw("type", Types({"Party"})).Set("name", exporter.name);
  if (!exporter.iec.empty()) {
    AuditJson scheme;
    scheme.SetRaw("type", Types({"IdentifierScheme"}))
        .Set("id", "https://www.dgft.gov.in/")
        .Set("name", "Importer-Exporter Code (DGFT)");
    json.Set("registeredId", exporter.iec).SetRaw("idScheme", scheme.str());
  }
  return json.str();
}

std::string ProductJson(const CredentialProduct& product) {
  AuditJson json;
  json.SetRaw("type", Types({"Product"}))
      .Set("name", product.description)
      .Set("articleNumber", product.article)
      .Set("batchNumber", product.lot)
      .Set("sampleNumber", product.sample_number)
      .Set("markings", product.markings);
  return json.str();
}

std::string MeasureJson(const std::string& value, const std::string& unit) {
  AuditJson measure;
  measure.SetRaw("type", Types({"Measure"})).Set("unit", unit);
  measure.SetRaw("value", IsJsonNumber(value) ? value : Quoted(value));
  return measure.str();
}

std::string DeclaredValuesJson(const CredentialAssessment& a) {
  std::vector<std::string> metrics;
  for (const std::string& value : a.values) {
    AuditJson metric;
    metric.SetRaw("type", Types({"Metric"}))
        .Set("metricName", a.property)
        .SetRaw("metricValue", MeasureJson(value, a.unit));
    metrics.push_back(metric.str());
  }
  return ArrayOf(metrics);
}

std::string CriterionJson(const CredentialAssessment& a) {
  AuditJson criterion;
  criterion.SetRaw("type", Types({"Criterion"}))
      .Set("name", a.standard + " cl. " + a.clause + ": " + a.property)
      .Set("clause", a.clause)
      .Set("thresholdValue", a.limit);
  return ArrayOf({criterion.str()});
}

std::string AssessmentJson(const CredentialAssessment& a, const std::string& product_json) {
  AuditJson standard;
  standard.SetRaw("type", Types({"Standard"})).Set("name", a.standard);
  AuditJson json;
  json.SetRaw("type", Types({"ConformityAssessment"}))
      .SetRaw("referenceStandard", standard.str())
      .SetRaw("assessmentCriteria", CriterionJson(a))
      .SetRaw("declaredValue", DeclaredValuesJson(a))
      .SetRaw("assessedProduct", ArrayOf({product_json}))
      .Set("testMethod", a.method)
      .Set("verdict", a.verdict);
  SetConformance(json, a.verdict);
  return json.str();
}

void SetAttestationParties(AuditJson& json, const ConformityCredential& c) {
  json.SetRaw("issuedToParty", PartyJson(c.exporter));
  json.Set("assessorLevel", "3rdParty");
  json.Set("assessmentLevel", c.issuer.accreditation.empty() ? "Unspecified" : "Accredited");
  if (!c.issuer.accreditation.empty()) {
    AuditJson endorsement;
    endorsement.SetRaw("type", Types({"Endorsement"})).Set("name", c.issuer.accreditation);
    json.SetRaw("authorisation", ArrayOf({endorsement.str()}));
  }
}

void SetAttestationLinks(AuditJson& json, const ConformityCredential& c) {
  if (!c.verification_url.empty()) {
    AuditJson link;
    link.SetRaw("type", Types({"Link"}))
        .Set("linkURL", c.verification_url)
        .Set("linkName", "Certificate " + c.number)
        .Set("linkType", "https://test.uncefact.org/vocabulary/linkTypes/dcc");
    json.SetRaw("conformityCertificate", link.str());
  }
  if (c.supersedes) json.Set("supersedes", CertificateUrn(*c.supersedes));
}

std::string AttestationJson(const ConformityCredential& c) {
  const std::string product = ProductJson(c.product);
  std::vector<std::string> assessments;
  for (const CredentialAssessment& a : c.assessments) assessments.push_back(AssessmentJson(a, product));
  AuditJson json;
  json.SetRaw("type", Types({"ConformityAttestation"}))
      .Set("id", CertificateUrn(c.number))
      .Set("name", "Certificate " + c.number)
      .Set("certificateNumber", c.number)
      .Set("attestationType", c.kind)
      .Set("status", c.status)
      .Set("verdict", c.verdict)
      .Set("destinationCountry", c.destination)
      .Set("decisionRule", c.decision_rule)
      .SetRaw("product", product)
      .SetRaw("assessment", ArrayOf(assessments));
  SetConformance(json, c.verdict);
  SetAttestationParties(json, c);
  SetAttestationLinks(json, c);
  return json.str();
}

// ---------------------------------------------------------------------------------------------
// A reader for the flat JSON objects of JWS headers and JWKs: string members are returned, other
// values are skipped; duplicate keys are refused (RFC 7515 §4: a JWS with duplicate header names
// must be rejected, and they are the classic way to make two parsers disagree).

class FlatJsonReader {
 public:
  explicit FlatJsonReader(std::string_view text) : s_(text) {}

  // nullopt when the text is not one JSON object.
  std::optional<std::map<std::string, std::string>> ReadObject(std::set<std::string>* keys) {
    std::map<std::string, std::string> strings;
    if (!Consume('{')) return std::nullopt;
    if (Consume('}')) return AtEnd() ? std::optional(strings) : std::nullopt;
    do {
      std::string key;
      if (!ReadString(&key) || !Consume(':') || !keys->insert(key).second) return std::nullopt;
      SkipSpace();
      if (Peek() == '"') {
        if (!ReadString(&strings[key])) return std::nullopt;
      } else if (!SkipValue()) {
        return std::nullopt;
      }
    } while (Consume(','));
    if (!Consume('}') || !AtEnd()) return std::nullopt;
    return strings;
  }

 private:
  char Peek() const { return pos_ < s_.size() ? s_[pos_] : '\0'; }
  void SkipSpace() {
    while (pos_ < s_.size() && (s_[pos_] == ' ' || s_[pos_] == '\t' || s_[pos_] == '\n' || s_[pos_] == '\r')) ++pos_;
  }
  bool Consume(char c) {
    SkipSpace();
    if (Peek() != c) return false;
    ++pos_;
    return true;
  }
  bool AtEnd() {
    SkipSpace();
    return pos_ == s_.size();
  }

  bool ReadString(std::string* out) {
    if (!Consume('"')) return false;
    while (pos_ < s_.size()) {
      const char c = s_[pos_++];
      if (c == '"') return true;
      if (static_cast<unsigned char>(c) < 0x20) return false;
      if (c != '\\') {
        out->push_back(c);
      } else if (!ReadEscape(out)) {
        return false;
      }
    }
    return false;
  }

  bool ReadEscape(std::string* out) {
    if (pos_ >= s_.size()) return false;
    const char c = s_[pos_++];
    static constexpr std::string_view kFrom = "\"\\/bfnrt";
    static constexpr std::string_view kTo = "\"\\/\b\f\n\r\t";
    if (const size_t k = kFrom.find(c); k != std::string_view::npos) {
      out->push_back(kTo[k]);
      return true;
    }
    return c == 'u' && ReadUnicodeEscape(out);
  }

  // \uXXXX of the Basic Multilingual Plane as UTF-8; surrogates are not needed in headers or JWKs.
  bool ReadUnicodeEscape(std::string* out) {
    if (pos_ + 4 > s_.size()) return false;
    unsigned code = 0;
    for (int i = 0; i < 4; ++i) {
      const char h = s_[pos_++];
      if (!std::isxdigit(static_cast<unsigned char>(h))) return false;
      code = code * 16 +
             static_cast<unsigned>(std::isdigit(static_cast<unsigned char>(h)) ? h - '0' : (h | 0x20) - 'a' + 10);
    }
    if (code >= 0xD800 && code <= 0xDFFF) return false;
    if (code < 0x80) {
      out->push_back(static_cast<char>(code));
    } else if (code < 0x800) {
      out->push_back(static_cast<char>(0xC0 | (code >> 6)));
      out->push_back(static_cast<char>(0x80 | (code & 0x3F)));
    } else {
      out->push_back(static_cast<char>(0xE0 | (code >> 12)));
      out->push_back(static_cast<char>(0x80 | ((code >> 6) & 0x3F)));
      out->push_back(static_cast<char>(0x80 | (code & 0x3F)));
    }
    return true;
  }

  // Numbers, literals, arrays and objects: skipped up to the end of the value, strings included.
  bool SkipValue() {
    int depth = 0;
    const size_t start = pos_;
    while (pos_ < s_.size()) {
      const char c = s_[pos_];
      if (c == '"') {
        std::string ignored;
        if (!ReadString(&ignored)) return false;
        continue;
      }
      if (depth == 0 && (c == ',' || c == '}')) return pos_ > start;
      if (c == '{' || c == '[') ++depth;
      if ((c == '}' || c == ']') && --depth < 0) return false;
      ++pos_;
    }
    return false;
  }

  std::string_view s_;
  size_t pos_ = 0;
};

struct FlatObject {
  std::map<std::string, std::string> strings;
  std::set<std::string> keys;
  const std::string* Get(const std::string& key) const {
    auto it = strings.find(key);
    return it == strings.end() ? nullptr : &it->second;
  }
};

std::optional<FlatObject> ParseFlatObject(std::string_view text) {
  FlatObject object;
  auto strings = FlatJsonReader(text).ReadObject(&object.keys);
  if (!strings) return std::nullopt;
  object.strings = std::move(*strings);
  return object;
}

// ---------------------------------------------------------------------------------------------
// OpenSSL helpers. Every failure path clears OpenSSL's error queue so that a stale error never
// surfaces in an unrelated later call.

template <typename T, void (*Free)(T*)>
struct OsslFree {
  void operator()(T* p) const { Free(p); }
};
using BnPtr = std::unique_ptr<BIGNUM, OsslFree<BIGNUM, BN_free>>;
using MdCtxPtr = std::unique_ptr<EVP_MD_CTX, OsslFree<EVP_MD_CTX, EVP_MD_CTX_free>>;
using PkeyCtxPtr = std::unique_ptr<EVP_PKEY_CTX, OsslFree<EVP_PKEY_CTX, EVP_PKEY_CTX_free>>;
using EcdsaSigPtr = std::unique_ptr<ECDSA_SIG, OsslFree<ECDSA_SIG, ECDSA_SIG_free>>;
using BioPtr = std::unique_ptr<BIO, OsslFree<BIO, BIO_free_all>>;
using PkeyPtr = std::unique_ptr<EVP_PKEY, OsslFree<EVP_PKEY, EVP_PKEY_free>>;

Status OpenSslError(std::string what) {
  const unsigned long code = ERR_get_error();
  ERR_clear_error();
  if (code != 0) {
    std::array<char, 256> buf{};
    ERR_error_string_n(code, buf.data(), buf.size());
    what += ": ";
    what += buf.data();
  }
  return Status::Internal(std::move(what));
}

Status Rejected(std::string why) {
  ERR_clear_error();
  return Status::InvalidArgument("credential signature rejected: " + std::move(why));
}

const unsigned char* Bytes(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

std::string Sha256(std::string_view data) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> md{};
  unsigned int len = 0;
  EVP_Digest(data.data(), data.size(), md.data(), &len, EVP_sha256(), nullptr);
  return std::string(reinterpret_cast<const char*>(md.data()), len);
}

std::optional<std::string> BigNumPadded(const BIGNUM* bn, size_t width) {
  std::string out(width, '\0');
  if (BN_bn2binpad(bn, reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(width)) < 0) return std::nullopt;
  return out;
}

// The affine coordinates of an EC public key, each as 32 big-endian bytes.
std::optional<std::pair<std::string, std::string>> EcPublicCoordinates(const EVP_PKEY* key) {
  BIGNUM* x = nullptr;
  BIGNUM* y = nullptr;
  const bool got = EVP_PKEY_get_bn_param(key, OSSL_PKEY_PARAM_EC_PUB_X, &x) == 1 &&
                   EVP_PKEY_get_bn_param(key, OSSL_PKEY_PARAM_EC_PUB_Y, &y) == 1;
  BnPtr owned_x(x), owned_y(y);
  if (!got) return std::nullopt;
  auto bx = BigNumPadded(x, kP256CoordinateBytes);
  auto by = BigNumPadded(y, kP256CoordinateBytes);
  if (!bx || !by) return std::nullopt;
  return std::pair(std::move(*bx), std::move(*by));
}

bool IsP256(const EVP_PKEY* key) {
  std::array<char, 64> group{};
  size_t len = 0;
  if (!EVP_PKEY_is_a(key, "EC")) return false;
  if (EVP_PKEY_get_utf8_string_param(key, OSSL_PKEY_PARAM_GROUP_NAME, group.data(), group.size(), &len) != 1) {
    return false;
  }
  return std::string_view(group.data(), len) == kP256GroupName;
}

// The members RFC 7638 requires, in canonical order: the thumbprint input, and the base of the JWK.
AuditJson RequiredMembers(const EVP_PKEY* key, CredentialSigner::Algorithm alg, bool* ok) {
  AuditJson jwk;
  *ok = false;
  if (alg == CredentialSigner::Algorithm::kES256) {
    auto xy = EcPublicCoordinates(key);
    if (!xy) return jwk;
    jwk.Set("crv", "P-256").Set("kty", "EC").Set("x", Base64UrlEncode(xy->first)).Set("y", Base64UrlEncode(xy->second));
  } else {
    std::string raw(kEd25519KeyBytes, '\0');
    size_t len = raw.size();
    if (EVP_PKEY_get_raw_public_key(key, reinterpret_cast<unsigned char*>(raw.data()), &len) != 1) return jwk;
    raw.resize(len);
    jwk.Set("crv", "Ed25519").Set("kty", "OKP").Set("x", Base64UrlEncode(raw));
  }
  *ok = true;
  return jwk;
}

// ECDSA-Sig-Value (DER) → R||S, each padded to 32 bytes (RFC 7518 §3.4).
std::optional<std::string> DerToRawEcdsa(std::string_view der) {
  const unsigned char* p = Bytes(der);
  EcdsaSigPtr sig(d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(der.size())));
  if (!sig) return std::nullopt;
  auto r = BigNumPadded(ECDSA_SIG_get0_r(sig.get()), kP256CoordinateBytes);
  auto s = BigNumPadded(ECDSA_SIG_get0_s(sig.get()), kP256CoordinateBytes);
  if (!r || !s) return std::nullopt;
  return *r + *s;
}

// R||S → ECDSA-Sig-Value (DER), the form OpenSSL verifies.
std::optional<std::string> RawToDerEcdsa(std::string_view raw) {
  if (raw.size() != 2 * kP256CoordinateBytes) return std::nullopt;
  EcdsaSigPtr sig(ECDSA_SIG_new());
  BnPtr r(BN_bin2bn(Bytes(raw), kP256CoordinateBytes, nullptr));
  BnPtr s(BN_bin2bn(Bytes(raw) + kP256CoordinateBytes, kP256CoordinateBytes, nullptr));
  if (!sig || !r || !s || ECDSA_SIG_set0(sig.get(), r.get(), s.get()) != 1) return std::nullopt;
  static_cast<void>(r.release());  // now owned by sig
  static_cast<void>(s.release());
  const int len = i2d_ECDSA_SIG(sig.get(), nullptr);
  if (len <= 0) return std::nullopt;
  std::string der(static_cast<size_t>(len), '\0');
  auto* out = reinterpret_cast<unsigned char*>(der.data());
  if (i2d_ECDSA_SIG(sig.get(), &out) != len) return std::nullopt;
  return der;
}

// The public key a JWK describes, for the algorithm the header names. Refusing a key of another type
// is what stops algorithm-switching attacks.
Result<PkeyPtr> KeyFromJwk(const FlatObject& jwk, std::string_view alg) {
  const std::string* kty = jwk.Get("kty");
  const std::string* crv = jwk.Get("crv");
  const std::string* x = jwk.Get("x");
  if (kty == nullptr || crv == nullptr || x == nullptr) return Rejected("the JWK lacks kty, crv or x");
  auto raw_x = Base64UrlDecode(*x);
  if (!raw_x) return Rejected("the JWK's x is not base64url");
  if (alg == "EdDSA") {
    if (*kty != "OKP" || *crv != "Ed25519")
      return Rejected("alg EdDSA needs an OKP Ed25519 key, the JWK is " + *kty + " " + *crv);
    if (raw_x->size() != kEd25519KeyBytes) return Rejected("the JWK's x is not 32 bytes");
    PkeyPtr key(EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nullptr, Bytes(*raw_x), raw_x->size()));
    if (!key) return Rejected("the JWK is not a valid Ed25519 key");
    return key;
  }
  if (*kty != "EC" || *crv != "P-256")
    return Rejected("alg ES256 needs an EC P-256 key, the JWK is " + *kty + " " + *crv);
  const std::string* y = jwk.Get("y");
  auto raw_y = y == nullptr ? std::nullopt : Base64UrlDecode(*y);
  if (!raw_y) return Rejected("the JWK's y is missing or not base64url");
  if (raw_x->size() != kP256CoordinateBytes || raw_y->size() != kP256CoordinateBytes) {
    return Rejected("the JWK's x and y must be 32 bytes each");
  }
  std::string point = "\x04" + *raw_x + *raw_y;  // SEC 1 uncompressed point
  std::string group(kP256GroupName);
  std::array<OSSL_PARAM, 3> params = {
      OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME, group.data(), 0),
      OSSL_PARAM_construct_octet_string(OSSL_PKEY_PARAM_PUB_KEY, point.data(), point.size()),
      OSSL_PARAM_construct_end()};
  PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, "EC", nullptr));
  EVP_PKEY* raw_key = nullptr;
  // fromdata decodes the point, which checks that it lies on the curve.
  if (!ctx || EVP_PKEY_fromdata_init(ctx.get()) != 1 ||
      EVP_PKEY_fromdata(ctx.get(), &raw_key, EVP_PKEY_PUBLIC_KEY, params.data()) != 1) {
    return Rejected("the JWK's x and y are not a point on P-256");
  }
  return PkeyPtr(raw_key);
}

bool VerifySignature(EVP_PKEY* key, std::string_view alg, std::string_view signing_input, std::string_view sig) {
  std::string der;
  if (alg == "ES256") {
    auto converted = RawToDerEcdsa(sig);
    if (!converted) return false;
    der = std::move(*converted);
    sig = der;
  }
  MdCtxPtr ctx(EVP_MD_CTX_new());
  const EVP_MD* md = alg == "ES256" ? EVP_sha256() : nullptr;
  return ctx && EVP_DigestVerifyInit(ctx.get(), nullptr, md, nullptr, key) == 1 &&
         EVP_DigestVerify(ctx.get(), Bytes(sig), sig.size(), Bytes(signing_input), signing_input.size()) == 1;
}

struct CompactParts {
  std::string_view header, payload, signature;
};

std::optional<CompactParts> SplitCompact(std::string_view jws) {
  const size_t first = jws.find('.');
  if (first == std::string_view::npos) return std::nullopt;
  const size_t second = jws.find('.', first + 1);
  if (second == std::string_view::npos || jws.find('.', second + 1) != std::string_view::npos) return std::nullopt;
  return CompactParts{jws.substr(0, first), jws.substr(first + 1, second - first - 1), jws.substr(second + 1)};
}

// The header's alg, after checking what else it says.
Result<std::string> CheckHeader(std::string_view encoded_header, const FlatObject& jwk) {
  auto header_json = Base64UrlDecode(encoded_header);
  if (!header_json) return Rejected("the header is not base64url");
  auto header = ParseFlatObject(*header_json);
  if (!header) return Rejected("the header is not a JSON object (or repeats a name)");
  const std::string* alg = header->Get("alg");
  if (alg == nullptr) return Rejected("the header has no alg");
  if (*alg != "ES256" && *alg != "EdDSA") return Rejected("alg \"" + *alg + "\" is not accepted");
  if (header->keys.count("crit") > 0) return Rejected("the header has critical extensions (crit)");
  const std::string* kid = header->Get("kid");
  const std::string* jwk_kid = jwk.Get("kid");
  if (kid != nullptr && jwk_kid != nullptr && *kid != *jwk_kid) {
    return Rejected("the header's kid " + *kid + " is not the key's kid " + *jwk_kid);
  }
  return *alg;
}

}  // namespace

// ---------------------------------------------------------------------------------------------

std::string CredentialJson(const ConformityCredential& c) {
  AuditJson vc;
  vc.SetRaw("@context", Types({kVcContextV2, kUntpDccContext}))
      .SetRaw("type", Types({"VerifiableCredential", "DigitalConformityCredential"}))
      .Set("id", c.verification_url.empty() ? CertificateUrn(c.number) : c.verification_url)
      .Set("name", "Certificate of conformity " + c.number)
      .SetRaw("issuer", IssuerJson(c.issuer))
      .Set("validFrom", c.issued_at)
      .SetRaw("credentialSubject", AttestationJson(c));
  return vc.str();
}

Result<std::string> JwkThumbprint(const std::string& jwk_json) {
  auto jwk = ParseFlatObject(jwk_json);
  if (!jwk) return Status::InvalidArgument("the JWK is not a JSON object");
  const std::string* kty = jwk->Get("kty");
  if (kty == nullptr) return Status::InvalidArgument("the JWK has no kty", {{"kty", "required"}});
  std::vector<std::string> members;
  if (*kty == "EC") members = {"crv", "kty", "x", "y"};
  if (*kty == "OKP") members = {"crv", "kty", "x"};
  if (*kty == "RSA") members = {"e", "kty", "n"};
  if (members.empty()) return Status::InvalidArgument("unsupported JWK kty " + *kty, {{"kty", "unsupported"}});
  AuditJson required;
  for (const std::string& m : members) {
    const std::string* value = jwk->Get(m);
    if (value == nullptr) return Status::InvalidArgument("the JWK has no " + m, {{m, "required"}});
    required.Set(m, *value);
  }
  return Base64UrlEncode(Sha256(required.str()));
}

// ---------------------------------------------------------------------------------------------

void CredentialSigner::KeyDeleter::operator()(EVP_PKEY* key) const {
  EVP_PKEY_free(key);
}

CredentialSigner::CredentialSigner(KeyPtr key, Algorithm algorithm, std::string jwk, std::string kid)
    : key_(std::move(key)), algorithm_(algorithm), jwk_(std::move(jwk)), kid_(std::move(kid)) {}
CredentialSigner::CredentialSigner(CredentialSigner&&) noexcept = default;
CredentialSigner& CredentialSigner::operator=(CredentialSigner&&) noexcept = default;
CredentialSigner::~CredentialSigner() = default;

Result<CredentialSigner> CredentialSigner::FromPemFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::NotFound("cannot read the credential signing key " + path);
  std::ostringstream pem;
  pem << in.rdbuf();
  return FromPem(pem.str());
}

Result<CredentialSigner> CredentialSigner::FromPem(std::string_view pem) {
  BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  if (!bio) return OpenSslError("BIO_new_mem_buf");
  PkeyPtr parsed(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
  if (!parsed) {
    ERR_clear_error();
    return Status::InvalidArgument("the credential signing key is not a PEM private key");
  }
  Algorithm alg = Algorithm::kES256;
  if (EVP_PKEY_is_a(parsed.get(), "ED25519")) {
    alg = Algorithm::kEdDSA;
  } else if (!IsP256(parsed.get())) {
    return Status::InvalidArgument("the credential signing key must be EC P-256 (ES256) or Ed25519 (EdDSA)");
  }
  bool ok = false;
  AuditJson jwk = RequiredMembers(parsed.get(), alg, &ok);
  if (!ok) return OpenSslError("cannot read the public part of the credential signing key");
  std::string kid = Base64UrlEncode(Sha256(jwk.str()));
  jwk.Set("alg", alg == Algorithm::kES256 ? "ES256" : "EdDSA").Set("kid", kid).Set("use", "sig");
  return CredentialSigner(KeyPtr(parsed.release()), alg, jwk.str(), std::move(kid));
}

std::string_view CredentialSigner::AlgorithmName() const {
  return algorithm_ == Algorithm::kES256 ? "ES256" : "EdDSA";
}

Result<std::string> CredentialSigner::SignCompact(const std::string& payload_json) const {
  AuditJson header;
  header.Set("alg", AlgorithmName()).Set("kid", kid_).Set("typ", "vc+jwt");
  const std::string signing_input = Base64UrlEncode(header.str()) + "." + Base64UrlEncode(payload_json);
  MdCtxPtr ctx(EVP_MD_CTX_new());
  const EVP_MD* md = algorithm_ == Algorithm::kES256 ? EVP_sha256() : nullptr;
  size_t len = 0;
  if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, md, nullptr, key_.get()) != 1 ||
      EVP_DigestSign(ctx.get(), nullptr, &len, Bytes(signing_input), signing_input.size()) != 1) {
    return OpenSslError("cannot start signing the credential");
  }
  std::string sig(len, '\0');
  if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(sig.data()), &len, Bytes(signing_input),
                     signing_input.size()) != 1) {
    return OpenSslError("cannot sign the credential");
  }
  sig.resize(len);
  if (algorithm_ == Algorithm::kES256) {
    auto raw = DerToRawEcdsa(sig);
    if (!raw) return OpenSslError("cannot convert the ECDSA signature to R||S");
    sig = std::move(*raw);
  }
  return signing_input + "." + Base64UrlEncode(sig);
}

std::string CredentialSigner::Jwks(const std::vector<std::string>& jwks) {
  return "{\"keys\":" + ArrayOf(jwks) + "}";
}

Result<std::string> VerifyCompact(const std::string& jws, const std::string& jwk_json) {
  auto parts = SplitCompact(jws);
  if (!parts) return Rejected("not a compact JWS (three base64url parts separated by dots)");
  auto jwk = ParseFlatObject(jwk_json);
  if (!jwk) return Rejected("the JWK is not a JSON object");
  Result<std::string> alg = CheckHeader(parts->header, *jwk);
  if (!alg.ok()) return alg.status();
  auto payload = Base64UrlDecode(parts->payload);
  auto signature = Base64UrlDecode(parts->signature);
  if (!payload || !signature) return Rejected("the payload or signature is not base64url");
  Result<PkeyPtr> key = KeyFromJwk(*jwk, *alg);
  if (!key.ok()) return key.status();
  const std::string_view signing_input(jws.data(), parts->header.size() + 1 + parts->payload.size());
  if (!VerifySignature(key->get(), *alg, signing_input, *signature)) {
    Result<std::string> kid = JwkThumbprint(jwk_json);
    return Rejected("the signature does not verify with key " + (kid.ok() ? *kid : std::string("(no thumbprint)")));
  }
  return std::move(*payload);
}

}  // namespace lims::auth
