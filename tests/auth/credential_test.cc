// Signed conformity credentials: the UNTP/VC JSON, ES256 and EdDSA compact JWS, the JWKS and the
// RFC 7638 thumbprint. Signatures are also checked offline with the openssl command line, so that
// the library does not only agree with itself.
#include "lims/auth/credential.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/support/test_support.h"

namespace lims::auth {
namespace {

using ::lims::testing::MakeTempDir;
using ::lims::testing::RunCommand;
using ::lims::testing::WriteFile;

bool Contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

ConformityCredential SampleCredential() {
  ConformityCredential c;
  c.number = "AGR-C-2026-000001";
  c.issuer = {"Pramaan Testing Laboratory", "https://lab.example", "NABL TC-1234 (ISO/IEC 17025:2017)"};
  c.issued_at = "2026-03-01T10:15:00Z";
  c.status = "valid";
  c.kind = "certification";
  c.verdict = "pass";
  c.exporter = {"Spice \"Best\" Exports Pvt Ltd", "0512345678"};
  c.product = {"Black pepper, whole", "BP-500", "LOT-2026-17", "AGR-2026-000042", {"ASTA 550", "Bag 1/40"}};
  c.destination = "DE";
  c.decision_rule = "simple acceptance (ILAC-G8:09/2019 §4.2.1)";
  c.assessments = {
      {"IS 1798:2019", "5.2", "Lead (Pb)", {"0.42"}, "mg/kg", "≤ 1.0 mg/kg", "pass", "AOAC 2015.01 (ICP-MS)"},
      {"EU 2023/915", "Annex I 3.1", "Aflatoxin B1", {"<0.5", "0.61"}, "µg/kg", "≤ 5 µg/kg", "pass", "EN 14123"},
      {"IS 1798:2019", "4.1", "Extraneous matter", {"ND"}, "% m/m", "≤ 1.0 %", "pass", "ISO 927"},
  };
  c.verification_url = "https://lab.example/verify/AGR-C-2026-000001";
  return c;
}

// The DER ECDSA-Sig-Value of a 64-byte R||S, written here independently of the library's converter.
std::string DerInteger(std::string bytes) {
  while (bytes.size() > 1 && bytes[0] == '\0' && (static_cast<unsigned char>(bytes[1]) & 0x80) == 0) bytes.erase(0, 1);
  if (static_cast<unsigned char>(bytes[0]) & 0x80) bytes.insert(bytes.begin(), '\0');
  return std::string{'\x02', static_cast<char>(bytes.size())} + bytes;
}
std::string RawSignatureToDer(const std::string& raw) {
  const std::string body = DerInteger(raw.substr(0, 32)) + DerInteger(raw.substr(32, 32));
  return std::string{'\x30', static_cast<char>(body.size())} + body;
}

std::vector<std::string> SplitDots(const std::string& jws) {
  std::vector<std::string> parts(1);
  for (char c : jws) {
    if (c == '.') {
      parts.emplace_back();
    } else {
      parts.back().push_back(c);
    }
  }
  return parts;
}

// The JWK without its "kid" member, as a key set might publish it.
std::string WithoutKid(std::string jwk) {
  const size_t at = jwk.find("\"kid\":\"");
  jwk.erase(at, jwk.find('"', at + 7) + 2 - at);
  return jwk;
}

// Replaces one character of the payload part by another valid base64url character.
std::string TamperPayload(const std::string& jws) {
  std::string t = jws;
  const size_t at = t.find('.') + 5;
  t[at] = t[at] == 'A' ? 'B' : 'A';
  return t;
}

class CredentialTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new std::string(MakeTempDir("lims_credential_"));
    std::string out;
    ASSERT_EQ(RunCommand("openssl ecparam -name prime256v1 -genkey -noout -out " + Path("key.pem"), &out), 0) << out;
    ASSERT_EQ(RunCommand("openssl genpkey -algorithm ed25519 -out " + Path("ed.pem"), &out), 0) << out;
  }
  static void TearDownTestSuite() {
    std::string out;
    RunCommand("rm -rf " + *dir_, &out);
    delete dir_;
    dir_ = nullptr;
  }
  static std::string Path(const std::string& name) { return *dir_ + "/" + name; }
  // Runs a shell command in the temp dir; returns its exit code.
  static int Shell(const std::string& command, std::string* out) {
    return RunCommand("cd " + *dir_ + " && " + command, out);
  }

  static CredentialSigner Es256() {
    auto signer = CredentialSigner::FromPemFile(Path("key.pem"));
    EXPECT_TRUE(signer.ok()) << signer.status().ToString();
    return std::move(signer).value();
  }
  static CredentialSigner EdDsa() {
    auto signer = CredentialSigner::FromPemFile(Path("ed.pem"));
    EXPECT_TRUE(signer.ok()) << signer.status().ToString();
    return std::move(signer).value();
  }

  static std::string* dir_;
};
std::string* CredentialTest::dir_ = nullptr;

// ----- The credential JSON -----

TEST(CredentialJsonTest, CarriesTheVcAndUntpContextsAndTypes) {
  const std::string json = CredentialJson(SampleCredential());
  EXPECT_EQ(json.rfind("{\"@context\":[\"https://www.w3.org/ns/credentials/v2\","
                       "\"https://test.uncefact.org/vocabulary/untp/dcc/0.5.0/\"],\"credentialSubject\":{",
                       0),
            0u)
      << json;
  EXPECT_TRUE(Contains(json, "\"type\":[\"VerifiableCredential\",\"DigitalConformityCredential\"]")) << json;
  EXPECT_TRUE(Contains(json, "\"id\":\"https://lab.example/verify/AGR-C-2026-000001\"")) << json;
  EXPECT_TRUE(Contains(json, "\"validFrom\":\"2026-03-01T10:15:00Z\"")) << json;
  EXPECT_TRUE(Contains(json,
                       "\"issuer\":{\"id\":\"https://lab.example\",\"name\":\"Pramaan Testing Laboratory\","
                       "\"type\":[\"CredentialIssuer\"]}"))
      << json;
  EXPECT_TRUE(Contains(json, "\"type\":[\"ConformityAttestation\"]")) << json;
  EXPECT_TRUE(Contains(json, "\"id\":\"urn:pramaan:certificate:AGR-C-2026-000001\"")) << json;
  EXPECT_TRUE(Contains(json, "\"assessmentLevel\":\"Accredited\"")) << json;
  EXPECT_TRUE(Contains(json, "\"name\":\"NABL TC-1234 (ISO/IEC 17025:2017)\"")) << json;
  EXPECT_TRUE(Contains(json, "\"registeredId\":\"0512345678\"")) << json;
  EXPECT_TRUE(Contains(json, "\"name\":\"Spice \\\"Best\\\" Exports Pvt Ltd\"")) << json;
  EXPECT_TRUE(Contains(json, "\"batchNumber\":\"LOT-2026-17\"")) << json;
  EXPECT_TRUE(Contains(json, "\"markings\":[\"ASTA 550\",\"Bag 1/40\"]")) << json;
  EXPECT_TRUE(Contains(json, "\"destinationCountry\":\"DE\"")) << json;
  EXPECT_TRUE(Contains(json, "\"decisionRule\":\"simple acceptance (ILAC-G8:09/2019 §4.2.1)\"")) << json;
  EXPECT_TRUE(Contains(json, "\"status\":\"valid\"")) << json;
  EXPECT_FALSE(Contains(json, "supersedes")) << json;
}

TEST(CredentialJsonTest, ListsEveryAssessmentWithItsValuesLimitVerdictAndMethod) {
  const ConformityCredential c = SampleCredential();
  const std::string json = CredentialJson(c);
  for (const CredentialAssessment& a : c.assessments) {
    EXPECT_TRUE(Contains(json, "\"referenceStandard\":{\"name\":\"" + a.standard + "\"")) << a.property;
    EXPECT_TRUE(Contains(json, "\"clause\":\"" + a.clause + "\"")) << a.property;
    EXPECT_TRUE(Contains(json, "\"metricName\":\"" + a.property + "\"")) << a.property;
    EXPECT_TRUE(Contains(json, "\"thresholdValue\":\"" + a.limit + "\"")) << a.property;
    EXPECT_TRUE(Contains(json, "\"testMethod\":\"" + a.method + "\"")) << a.property;
    EXPECT_TRUE(Contains(json, "\"unit\":\"" + a.unit + "\"")) << a.property;
  }
  // Numbers stay numbers; "<0.5" and "ND" stay text.
  EXPECT_TRUE(Contains(json, "\"unit\":\"mg/kg\",\"value\":0.42}")) << json;
  EXPECT_TRUE(Contains(json, "\"unit\":\"µg/kg\",\"value\":\"<0.5\"}")) << json;
  EXPECT_TRUE(Contains(json, "\"unit\":\"µg/kg\",\"value\":0.61}")) << json;
  EXPECT_TRUE(Contains(json, "\"value\":\"ND\"}")) << json;
  size_t assessments = 0;
  for (size_t at = json.find("\"ConformityAssessment\""); at != std::string::npos;
       at = json.find("\"ConformityAssessment\"", at + 1)) {
    ++assessments;
  }
  EXPECT_EQ(assessments, 3u);
  EXPECT_TRUE(Contains(json, "\"conformance\":true")) << json;
}

TEST(CredentialJsonTest, IsDeterministic) {
  const ConformityCredential a = SampleCredential();
  const ConformityCredential b = SampleCredential();
  EXPECT_EQ(CredentialJson(a), CredentialJson(b));
  EXPECT_EQ(CredentialJson(a), CredentialJson(a));
  ConformityCredential changed = SampleCredential();
  changed.assessments[0].values[0] = "0.43";
  EXPECT_NE(CredentialJson(changed), CredentialJson(a));
}

TEST(CredentialJsonTest, FailingAmendmentWithoutUrlNamesWhatItSupersedes) {
  ConformityCredential c = SampleCredential();
  c.number = "AGR-C-2026-000002";
  c.verdict = "fail";
  c.assessments[0].verdict = "fail";
  c.supersedes = "AGR-C-2026-000001";
  c.verification_url.clear();
  c.issuer.accreditation.clear();
  const std::string json = CredentialJson(c);
  EXPECT_TRUE(Contains(json, "\"supersedes\":\"urn:pramaan:certificate:AGR-C-2026-000001\"")) << json;
  EXPECT_TRUE(Contains(json, "\"conformance\":false")) << json;
  EXPECT_TRUE(Contains(json, "\"assessmentLevel\":\"Unspecified\"")) << json;
  EXPECT_FALSE(Contains(json, "conformityCertificate")) << json;
  EXPECT_FALSE(Contains(json, "authorisation")) << json;
  EXPECT_TRUE(Contains(json, "\"id\":\"urn:pramaan:certificate:AGR-C-2026-000002\",\"issuer\"")) << json;
}

TEST(CredentialJsonTest, IsValidJsonForAnIndependentParser) {
  std::string out;
  if (RunCommand("command -v python3", &out) != 0) GTEST_SKIP() << "python3 not installed";
  const std::string dir = MakeTempDir("lims_credential_json_");
  WriteFile(dir + "/vc.json", CredentialJson(SampleCredential()));
  out.clear();
  EXPECT_EQ(RunCommand("python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); "
                       "print(len(d[\"credentialSubject\"][\"assessment\"]), d[\"issuer\"][\"name\"])' " +
                           dir + "/vc.json",
                       &out),
            0)
      << out;
  EXPECT_EQ(out, "3 Pramaan Testing Laboratory\n");
  RunCommand("rm -rf " + dir, &out);
}

// ----- Base64url and thumbprints -----

TEST(Base64UrlTest, RoundTripsAndIsStrict) {
  const std::vector<std::string> samples = {"",     "f",     "fo",     "foo",
                                            "foob", "fooba", "foobar", std::string("\xff\xfe\x00\x01", 4)};
  for (const std::string& s : samples) {
    auto decoded = Base64UrlDecode(Base64UrlEncode(s));
    ASSERT_TRUE(decoded.has_value()) << s;
    EXPECT_EQ(*decoded, s);
  }
  EXPECT_EQ(Base64UrlEncode("\xfb\xff"), "-_8");
  EXPECT_FALSE(Base64UrlDecode("Zm9v=").has_value());  // padding
  EXPECT_FALSE(Base64UrlDecode("Zm+v").has_value());   // base64, not base64url
  EXPECT_FALSE(Base64UrlDecode("Zm9vY").has_value());  // impossible length
  EXPECT_FALSE(Base64UrlDecode("Zh").has_value());     // non-zero unused bits
}

TEST(JwkThumbprintTest, MatchesRfc7638Example) {
  // RFC 7638 §3.1: the RSA key of RFC 7517 Appendix A.1, with members that the thumbprint ignores.
  const std::string jwk =
      "{\"kty\": \"RSA\", \"n\": "
      "\"0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_"
      "BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_"
      "FDW2QvzqY368QQMicAtaSqzs8K"
      "JZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_"
      "xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw\", \"e\": \"AQAB\", \"alg\": \"RS256\", \"kid\": \"2011-04-29\"}";
  auto thumbprint = JwkThumbprint(jwk);
  ASSERT_OK(thumbprint);
  EXPECT_EQ(*thumbprint, "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs");
}

TEST(JwkThumbprintTest, MatchesRfc8037Ed25519Example) {
  // RFC 8037 Appendix A.3.
  auto thumbprint =
      JwkThumbprint("{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"x\":\"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo\"}");
  ASSERT_OK(thumbprint);
  EXPECT_EQ(*thumbprint, "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k");
}

TEST(JwkThumbprintTest, NamesTheMissingMember) {
  auto missing = JwkThumbprint("{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"AA\"}");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(lims::testing::Fields(missing.status()), std::vector<std::string>{"y"});
  EXPECT_FALSE(JwkThumbprint("{\"kty\":\"oct\",\"k\":\"AA\"}").ok());
  EXPECT_FALSE(JwkThumbprint("not json").ok());
  EXPECT_FALSE(JwkThumbprint("{\"kty\":\"EC\",\"kty\":\"RSA\"}").ok());  // duplicate member
}

// ----- Keys, JWK and JWKS -----

TEST_F(CredentialTest, KeyIdIsTheThumbprintComputedByTheOpensslCommandLine) {
  const CredentialSigner signer = Es256();
  // The SubjectPublicKeyInfo of a P-256 key ends with the 64 bytes X||Y of the uncompressed point.
  std::string out;
  ASSERT_EQ(
      Shell("openssl ec -in key.pem -pubout -outform DER 2>/dev/null | tail -c 64 > xy.bin && "
            "head -c 32 xy.bin > x.bin && tail -c 32 xy.bin > y.bin && "
            "b64u() { openssl base64 -A -in \"$1\" | tr '+/' '-_' | tr -d '='; } && "
            "printf '{\"crv\":\"P-256\",\"kty\":\"EC\",\"x\":\"%s\",\"y\":\"%s\"}' \"$(b64u x.bin)\" "
            "\"$(b64u y.bin)\" > thumb.json && openssl dgst -sha256 -binary thumb.json > thumb.bin && b64u thumb.bin",
            &out),
      0)
      << out;
  EXPECT_EQ(signer.KeyId(), out);
  EXPECT_EQ(signer.KeyId().size(), 43u);
  EXPECT_EQ(signer.algorithm(), CredentialSigner::Algorithm::kES256);
}

TEST_F(CredentialTest, PublicJwkAndJwksNameTheKeyByItsThumbprint) {
  const CredentialSigner es = Es256();
  const CredentialSigner ed = EdDsa();
  EXPECT_EQ(
      es.PublicJwk().rfind("{\"alg\":\"ES256\",\"crv\":\"P-256\",\"kid\":\"" + es.KeyId() + "\",\"kty\":\"EC\",", 0),
      0u)
      << es.PublicJwk();
  EXPECT_TRUE(Contains(es.PublicJwk(), "\"use\":\"sig\"")) << es.PublicJwk();
  EXPECT_FALSE(Contains(es.PublicJwk(), "\"d\"")) << "the private scalar must never be published";
  EXPECT_EQ(
      ed.PublicJwk().rfind("{\"alg\":\"EdDSA\",\"crv\":\"Ed25519\",\"kid\":\"" + ed.KeyId() + "\",\"kty\":\"OKP\",", 0),
      0u)
      << ed.PublicJwk();
  auto es_thumb = JwkThumbprint(es.PublicJwk());
  auto ed_thumb = JwkThumbprint(ed.PublicJwk());
  ASSERT_OK(es_thumb);
  ASSERT_OK(ed_thumb);
  EXPECT_EQ(*es_thumb, es.KeyId());
  EXPECT_EQ(*ed_thumb, ed.KeyId());

  const std::string jwks = CredentialSigner::Jwks({es.PublicJwk(), ed.PublicJwk()});
  EXPECT_EQ(jwks, "{\"keys\":[" + es.PublicJwk() + "," + ed.PublicJwk() + "]}");
  EXPECT_TRUE(Contains(jwks, "\"kid\":\"" + es.KeyId() + "\"")) << jwks;
  EXPECT_EQ(CredentialSigner::Jwks({}), "{\"keys\":[]}");
}

TEST_F(CredentialTest, RefusesUnreadableAndOtherKeys) {
  auto missing = CredentialSigner::FromPemFile(Path("no-such-key.pem"));
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), Status::Code::kNotFound);
  auto garbage = CredentialSigner::FromPem("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");
  ASSERT_FALSE(garbage.ok());
  EXPECT_EQ(garbage.status().code(), Status::Code::kInvalidArgument);
  std::string out;
  ASSERT_EQ(Shell("openssl ecparam -name secp384r1 -genkey -noout -out p384.pem", &out), 0) << out;
  auto p384 = CredentialSigner::FromPemFile(Path("p384.pem"));
  ASSERT_FALSE(p384.ok());
  EXPECT_TRUE(Contains(p384.status().message(), "P-256")) << p384.status().ToString();
}

TEST_F(CredentialTest, ReadsPkcs8AsWellAsTraditionalEcKeys) {
  std::string out;
  ASSERT_EQ(Shell("openssl pkcs8 -topk8 -nocrypt -in key.pem -out key8.pem", &out), 0) << out;
  auto pkcs8 = CredentialSigner::FromPemFile(Path("key8.pem"));
  ASSERT_OK(pkcs8);
  EXPECT_EQ(pkcs8->KeyId(), Es256().KeyId());
}

// ----- ES256 -----

TEST_F(CredentialTest, Es256SignsAndVerifies) {
  const CredentialSigner signer = Es256();
  const std::string payload = CredentialJson(SampleCredential());
  auto jws = signer.SignCompact(payload);
  ASSERT_OK(jws);
  const std::vector<std::string> parts = SplitDots(*jws);
  ASSERT_EQ(parts.size(), 3u);
  EXPECT_EQ(Base64UrlDecode(parts[0]).value_or(""),
            "{\"alg\":\"ES256\",\"kid\":\"" + signer.KeyId() + "\",\"typ\":\"vc+jwt\"}");
  EXPECT_EQ(Base64UrlDecode(parts[1]).value_or(""), payload);
  EXPECT_EQ(Base64UrlDecode(parts[2]).value_or("").size(), 64u) << "ES256 signatures are R||S, not DER";

  auto verified = VerifyCompact(*jws, signer.PublicJwk());
  ASSERT_OK(verified);
  EXPECT_EQ(*verified, payload);
  // A JWK without kid verifies as well.
  EXPECT_EQ(WithoutKid(signer.PublicJwk()).find("kid"), std::string::npos);
  EXPECT_OK(VerifyCompact(*jws, WithoutKid(signer.PublicJwk())));
}

TEST_F(CredentialTest, Es256VerifiesOfflineWithTheOpensslCommandLine) {
  const CredentialSigner signer = Es256();
  auto jws = signer.SignCompact(CredentialJson(SampleCredential()));
  ASSERT_OK(jws);
  const std::vector<std::string> parts = SplitDots(*jws);
  WriteFile(Path("input.txt"), parts[0] + "." + parts[1]);
  WriteFile(Path("sig.der"), RawSignatureToDer(Base64UrlDecode(parts[2]).value_or("")));
  std::string out;
  ASSERT_EQ(Shell("openssl ec -in key.pem -pubout -out pub.pem", &out), 0) << out;
  out.clear();
  EXPECT_EQ(Shell("openssl dgst -sha256 -verify pub.pem -signature sig.der input.txt", &out), 0) << out;
  EXPECT_EQ(out, "Verified OK\n");

  // One changed character of the payload: openssl and VerifyCompact both refuse it.
  const std::string tampered = TamperPayload(*jws);
  const std::vector<std::string> tparts = SplitDots(tampered);
  WriteFile(Path("tampered.txt"), tparts[0] + "." + tparts[1]);
  out.clear();
  EXPECT_NE(Shell("openssl dgst -sha256 -verify pub.pem -signature sig.der tampered.txt", &out), 0) << out;
  EXPECT_TRUE(Contains(out, "Verification failure")) << out;
  auto refused = VerifyCompact(tampered, signer.PublicJwk());
  ASSERT_FALSE(refused.ok());
  EXPECT_TRUE(Contains(refused.status().message(), "does not verify")) << refused.status().ToString();
}

TEST_F(CredentialTest, OpensslSignatureVerifiesWithVerifyCompact) {
  // The other direction: a signature made by the openssl command line, converted to R||S.
  const CredentialSigner signer = Es256();
  const std::string header =
      Base64UrlEncode("{\"alg\":\"ES256\",\"kid\":\"" + signer.KeyId() + "\",\"typ\":\"vc+jwt\"}");
  const std::string payload = Base64UrlEncode("{\"hello\":\"world\"}");
  WriteFile(Path("cli-input.txt"), header + "." + payload);
  std::string out;
  ASSERT_EQ(Shell("openssl dgst -sha256 -sign key.pem -out cli-sig.der cli-input.txt && "
                  "openssl asn1parse -inform DER -in cli-sig.der",
                  &out),
            0)
      << out;
  // asn1parse prints "INTEGER :<hex>" for r and s.
  std::vector<std::string> ints;
  for (size_t at = out.find("INTEGER"); at != std::string::npos; at = out.find("INTEGER", at + 1)) {
    const size_t colon = out.find(':', at);
    ints.push_back(out.substr(colon + 1, out.find('\n', colon) - colon - 1));
  }
  ASSERT_EQ(ints.size(), 2u) << out;
  std::string raw;
  for (std::string hex : ints) {
    hex.insert(0, 64 - hex.size(), '0');
    for (size_t i = 0; i < 64; i += 2) raw.push_back(static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16)));
  }
  auto verified = VerifyCompact(header + "." + payload + "." + Base64UrlEncode(raw), signer.PublicJwk());
  ASSERT_OK(verified);
  EXPECT_EQ(*verified, "{\"hello\":\"world\"}");
}

TEST_F(CredentialTest, SignaturesAreFreshButAllVerify) {
  const CredentialSigner signer = Es256();
  auto a = signer.SignCompact("{}");
  auto b = signer.SignCompact("{}");
  ASSERT_OK(a);
  ASSERT_OK(b);
  EXPECT_NE(*a, *b) << "ECDSA uses a fresh nonce";
  EXPECT_OK(VerifyCompact(*a, signer.PublicJwk()));
  EXPECT_OK(VerifyCompact(*b, signer.PublicJwk()));
}

TEST_F(CredentialTest, VerifyRefusesTamperingAndAlgorithmTricks) {
  const CredentialSigner signer = Es256();
  const CredentialSigner ed = EdDsa();
  auto jws = signer.SignCompact(CredentialJson(SampleCredential()));
  ASSERT_OK(jws);
  const std::vector<std::string> p = SplitDots(*jws);
  const std::string& jwk = signer.PublicJwk();
  auto reason = [&](const std::string& token, const std::string& key) {
    auto r = VerifyCompact(token, key);
    EXPECT_FALSE(r.ok()) << token;
    EXPECT_EQ(r.status().code(), Status::Code::kInvalidArgument);
    return r.status().message();
  };
  std::string sig = Base64UrlDecode(p[2]).value_or("");
  sig[10] = static_cast<char>(sig[10] ^ 1);
  EXPECT_TRUE(Contains(reason(p[0] + "." + p[1] + "." + Base64UrlEncode(sig), jwk), "does not verify"));
  EXPECT_TRUE(Contains(reason(p[0] + "." + p[1] + "." + Base64UrlEncode(sig.substr(0, 63)), jwk), "does not verify"));
  EXPECT_TRUE(Contains(reason(p[0] + "." + p[1], jwk), "compact JWS"));
  EXPECT_TRUE(Contains(reason(*jws + ".x", jwk), "compact JWS"));
  EXPECT_TRUE(Contains(reason(p[0] + "." + p[1] + "." + p[2] + "=", jwk), "base64url"));
  EXPECT_TRUE(Contains(reason(*jws, WithoutKid(ed.PublicJwk())), "needs an EC P-256 key"));
  const std::string none = Base64UrlEncode("{\"alg\":\"none\"}");
  EXPECT_TRUE(Contains(reason(none + "." + p[1] + ".", jwk), "\"none\" is not accepted"));
  const std::string hs = Base64UrlEncode("{\"alg\":\"HS256\"}");
  EXPECT_TRUE(Contains(reason(hs + "." + p[1] + "." + p[2], jwk), "not accepted"));
  const std::string eddsa = Base64UrlEncode("{\"alg\":\"EdDSA\"}");
  EXPECT_TRUE(Contains(reason(eddsa + "." + p[1] + "." + p[2], jwk), "needs an OKP Ed25519 key"));
  const std::string crit = Base64UrlEncode("{\"alg\":\"ES256\",\"crit\":[\"exp\"],\"exp\":1}");
  EXPECT_TRUE(Contains(reason(crit + "." + p[1] + "." + p[2], jwk), "crit"));
  const std::string dup = Base64UrlEncode("{\"alg\":\"ES256\",\"alg\":\"none\"}");
  EXPECT_TRUE(Contains(reason(dup + "." + p[1] + "." + p[2], jwk), "repeats a name"));
  const std::string other_kid = Base64UrlEncode("{\"alg\":\"ES256\",\"kid\":\"other\"}");
  EXPECT_TRUE(Contains(reason(other_kid + "." + p[1] + "." + p[2], jwk), "kid other"));
  // A point off the curve.
  const std::string off_curve = "{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"" + Base64UrlEncode(std::string(32, '\1')) +
                                "\",\"y\":\"" + Base64UrlEncode(std::string(32, '\2')) + "\"}";
  EXPECT_TRUE(Contains(reason(*jws, off_curve), "not a point on P-256"));
  // Another P-256 key.
  std::string out;
  ASSERT_EQ(Shell("openssl ecparam -name prime256v1 -genkey -noout -out other.pem", &out), 0) << out;
  auto other = CredentialSigner::FromPemFile(Path("other.pem"));
  ASSERT_OK(other);
  EXPECT_TRUE(Contains(reason(*jws, other->PublicJwk()), "kid"));  // header kid names the real key
  const std::string other_without_kid =
      "{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":" + other->PublicJwk().substr(other->PublicJwk().find("\"x\":") + 4);
  EXPECT_TRUE(Contains(reason(*jws, other_without_kid), "does not verify"));
}

// ----- EdDSA -----

TEST_F(CredentialTest, EdDsaSignsAndVerifiesAlsoWithTheOpensslCommandLine) {
  const CredentialSigner signer = EdDsa();
  EXPECT_EQ(signer.AlgorithmName(), "EdDSA");
  const std::string payload = CredentialJson(SampleCredential());
  auto jws = signer.SignCompact(payload);
  ASSERT_OK(jws);
  auto verified = VerifyCompact(*jws, signer.PublicJwk());
  ASSERT_OK(verified);
  EXPECT_EQ(*verified, payload);
  EXPECT_FALSE(VerifyCompact(TamperPayload(*jws), signer.PublicJwk()).ok());

  const std::vector<std::string> parts = SplitDots(*jws);
  WriteFile(Path("ed-input.txt"), parts[0] + "." + parts[1]);
  WriteFile(Path("ed-sig.bin"), Base64UrlDecode(parts[2]).value_or(""));
  std::string out;
  ASSERT_EQ(Shell("openssl pkey -in ed.pem -pubout -out ed-pub.pem", &out), 0) << out;
  out.clear();
  EXPECT_EQ(Shell("openssl pkeyutl -verify -pubin -inkey ed-pub.pem -rawin -in ed-input.txt -sigfile ed-sig.bin", &out),
            0)
      << out;
  EXPECT_TRUE(Contains(out, "Signature Verified Successfully")) << out;
}

}  // namespace
}  // namespace lims::auth
