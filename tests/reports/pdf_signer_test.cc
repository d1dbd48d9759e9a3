#include "reports/pdf_signer.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <tuple>
#include <utility>

#include "reports/sample_report.h"
#include "reports/signing_key.h"
#include "tests/reports/report_fixtures.h"
#include "tests/support/test_support.h"

namespace lims::reports {
namespace {

using lims::testing::ReadFile;
using lims::testing::RunCommand;
using lims::testing::WriteFile;

SampleReportData SmallReport() {
  SampleReportData data = fixtures::SmallReportHeader();
  data.rows = {ReportResultRow{"REACH Annex XVII entry 47", "Chromium(VI) content", "EN ISO 17075-2", "2.9; 3.1",
                               "mg/kg", "< 3 mg/kg", "fail", ""}};
  return data;
}

SignatureInfo Info(SubFilter sub_filter = SubFilter::kEtsiCadesDetached) {
  SignatureInfo info;
  info.signer_name = "Dr. A. Sharma";
  info.reason = "Test certificate AGR-2026-000123 approved";
  info.location = "Kanpur, India";
  info.contact = "lab@example.org";
  info.signing_time = *ParseRfc3339("2026-11-24T08:00:00Z");
  info.sub_filter = sub_filter;
  return info;
}

const char* KeyDirName(KeyType type) {
  return type == KeyType::kRsa2048 ? "rsa" : "p256";
}

class PdfSignerTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new std::string(lims::testing::MakeTempDir("pdf_signer_test"));
    for (const KeyType type : {KeyType::kRsa2048, KeyType::kEcdsaP256}) {
      const Status created = CreateDemoLabKeys(KeyDir(type), type);
      ASSERT_TRUE(created.ok()) << created.ToString();
    }
    Result<std::string> pdf = RenderSampleReport(SmallReport(), FontSet::Default());
    ASSERT_TRUE(pdf.ok()) << pdf.status().ToString();
    pdf_ = new std::string(std::move(pdf).value());
  }
  static void TearDownTestSuite() {
    std::filesystem::remove_all(*dir_);
    delete dir_;
    delete pdf_;
  }

  static std::string KeyDir(KeyType type) { return *dir_ + "/" + KeyDirName(type); }
  static SigningKey Key(KeyType type, bool with_chain = false) {
    const std::string d = KeyDir(type);
    Result<SigningKey> key =
        SigningKey::LoadPem(d + "/signing-key.pem", d + "/signing-cert.pem", with_chain ? d + "/ca.pem" : "");
    EXPECT_TRUE(key.ok()) << key.status().ToString();
    return std::move(key).value();
  }
  // pdfsig always exits 0: the verdict is in its text.
  static std::string Pdfsig(const std::string& pdf, const std::string& extra = "") {
    const std::string path = *dir_ + "/check.pdf";
    WriteFile(path, pdf);
    std::string out;
    RunCommand("pdfsig " + extra + " " + path + " 2>&1", &out);
    return out;
  }
  static std::string Signed(KeyType type, SubFilter sub_filter = SubFilter::kEtsiCadesDetached) {
    Result<std::string> out = SignPdf(*pdf_, Key(type), Info(sub_filter));
    EXPECT_TRUE(out.ok()) << out.status().ToString();
    return out.ok() ? *out : "";
  }

  static std::string* dir_;
  static std::string* pdf_;
};
std::string* PdfSignerTest::dir_ = nullptr;
std::string* PdfSignerTest::pdf_ = nullptr;

bool Contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

// ---- Valid signatures for every key type and SubFilter ----

class PdfSignerMatrixTest : public PdfSignerTest,
                            public ::testing::WithParamInterface<std::tuple<KeyType, SubFilter>> {};

TEST_P(PdfSignerMatrixTest, PdfsigReportsValidSignatureOverWholeDocument) {
  const auto [type, sub_filter] = GetParam();
  const std::string signed_pdf = Signed(type, sub_filter);
  ASSERT_FALSE(signed_pdf.empty());
  const std::string report = Pdfsig(signed_pdf);
  EXPECT_TRUE(Contains(report, "Signature is Valid.")) << report;
  EXPECT_TRUE(Contains(report, "Total document signed")) << report;
  EXPECT_TRUE(
      Contains(report, sub_filter == SubFilter::kEtsiCadesDetached ? "ETSI.CAdES.detached" : "adbe.pkcs7.detached"))
      << report;
  EXPECT_TRUE(Contains(report, "Pramaan demo lab signing")) << report;
}

TEST_P(PdfSignerMatrixTest, QpdfCheckPasses) {
  const auto [type, sub_filter] = GetParam();
  const std::string path = *dir_ + "/qpdf.pdf";
  WriteFile(path, Signed(type, sub_filter));
  std::string out;
  EXPECT_EQ(RunCommand("qpdf --check " + path, &out), 0) << out;
  EXPECT_TRUE(Contains(out, "No syntax or stream encoding errors found")) << out;
}

INSTANTIATE_TEST_SUITE_P(KeysAndSubFilters, PdfSignerMatrixTest,
                         ::testing::Combine(::testing::Values(KeyType::kRsa2048, KeyType::kEcdsaP256),
                                            ::testing::Values(SubFilter::kEtsiCadesDetached,
                                                              SubFilter::kAdbePkcs7Detached)),
                         [](const auto& param_info) {
                           return std::string(KeyDirName(std::get<0>(param_info.param))) +
                                  (std::get<1>(param_info.param) == SubFilter::kEtsiCadesDetached ? "Cades" : "Pkcs7");
                         });

// ---- Structure of the update ----

TEST_F(PdfSignerTest, KeepsOriginalBytesAsPrefix) {
  const std::string signed_pdf = Signed(KeyType::kEcdsaP256);
  ASSERT_GT(signed_pdf.size(), pdf_->size());
  EXPECT_EQ(signed_pdf.compare(0, pdf_->size(), *pdf_), 0);
  EXPECT_TRUE(Contains(signed_pdf, "/SigFlags 3"));
  EXPECT_TRUE(Contains(signed_pdf, "/Rect [0 0 0 0] /F 132"));
  EXPECT_TRUE(Contains(signed_pdf, "/M (D:20261124080000+00'00')"));
  EXPECT_TRUE(Contains(signed_pdf, "/Prev "));
  EXPECT_EQ(signed_pdf.substr(signed_pdf.size() - 6), "%%EOF\n");
}

TEST_F(PdfSignerTest, KeepsTheTrailerId) {
  // libharu writes /ID when asked for one; it sits after the xref table, so no offset moves.
  const std::string id = "/ID [<00112233445566778899AABBCCDDEEFF> <00112233445566778899AABBCCDDEEFF>]";
  std::string pdf = *pdf_;
  const size_t trailer = pdf.rfind("trailer");
  ASSERT_NE(trailer, std::string::npos);
  pdf.insert(pdf.find("<<", trailer) + 2, "\n" + id);
  Result<std::string> out = SignPdf(pdf, Key(KeyType::kEcdsaP256), Info());
  ASSERT_OK(out);
  const std::string update = out->substr(pdf.size());
  EXPECT_TRUE(Contains(update, id)) << update.substr(update.rfind("trailer"));
  EXPECT_TRUE(Contains(Pdfsig(*out), "Signature is Valid."));
}

TEST_F(PdfSignerTest, ByteRangeIsPaddedInsideItsBrackets) {
  const std::string signed_pdf = Signed(KeyType::kEcdsaP256);
  const size_t at = signed_pdf.find("/ByteRange [0 ");
  ASSERT_NE(at, std::string::npos);
  const size_t close = signed_pdf.find(']', at);
  EXPECT_EQ(signed_pdf.substr(close + 1, 12), " /Contents <");
  unsigned long long a = 0, b = 0, c = 0;
  ASSERT_EQ(std::sscanf(signed_pdf.c_str() + at, "/ByteRange [0 %llu %llu %llu", &a, &b, &c), 3);
  EXPECT_EQ(signed_pdf[a], '<');
  EXPECT_EQ(signed_pdf[b - 1], '>');
  EXPECT_EQ(b - a, 2 * kSignatureReserve + 2);
  EXPECT_EQ(b + c, signed_pdf.size());
}

TEST_F(PdfSignerTest, RsaSignatureIsDeterministicForTheSameSigningTime) {
  EXPECT_EQ(Signed(KeyType::kRsa2048), Signed(KeyType::kRsa2048));
}

TEST_F(PdfSignerTest, SigningTimeComesFromInfoNotTheClock) {
  const std::string report = Pdfsig(Signed(KeyType::kRsa2048));
  EXPECT_TRUE(Contains(report, "Nov 24 2026")) << report;
}

TEST_F(PdfSignerTest, NonAsciiTextFieldsAreWrittenAsUtf16) {
  SignatureInfo info = Info();
  info.signer_name = "Dr. Łukasz Müller";
  Result<std::string> out = SignPdf(*pdf_, Key(KeyType::kEcdsaP256), info);
  ASSERT_OK(out);
  EXPECT_TRUE(Contains(*out, "/Name <FEFF"));
  EXPECT_TRUE(Contains(Pdfsig(*out), "Signature is Valid."));
}

TEST_F(PdfSignerTest, InvalidUtf8IsRejected) {
  SignatureInfo info = Info();
  info.reason = "bad \xC3";
  Result<std::string> out = SignPdf(*pdf_, Key(KeyType::kEcdsaP256), info);
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), Status::Code::kInvalidArgument);
}

TEST_F(PdfSignerTest, ChainCertificatesAreEmbeddedAndStillVerify) {
  Result<std::string> out = SignPdf(*pdf_, Key(KeyType::kRsa2048, /*with_chain=*/true), Info());
  ASSERT_OK(out);
  EXPECT_TRUE(Contains(Pdfsig(*out), "Signature is Valid."));
}

// ---- Tampering ----

TEST_F(PdfSignerTest, FlippedByteInsideSignedRangeIsDigestMismatch) {
  std::string signed_pdf = Signed(KeyType::kRsa2048);
  const size_t at = signed_pdf.find("(Test certificate AGR");
  ASSERT_NE(at, std::string::npos);
  signed_pdf[at + 1] = 'B';
  const std::string report = Pdfsig(signed_pdf);
  EXPECT_TRUE(Contains(report, "Digest Mismatch.")) << report;
  EXPECT_FALSE(Contains(report, "Signature is Valid.")) << report;
}

TEST_F(PdfSignerTest, FlippedByteInOriginalContentIsDigestMismatch) {
  std::string signed_pdf = Signed(KeyType::kEcdsaP256);
  signed_pdf[pdf_->size() / 2] = static_cast<char>(signed_pdf[pdf_->size() / 2] ^ 0x01);
  const std::string report = Pdfsig(signed_pdf);
  EXPECT_FALSE(Contains(report, "Signature is Valid.")) << report;
}

TEST_F(PdfSignerTest, BytesAppendedAfterEofAreNotTotalDocumentSigned) {
  const std::string report = Pdfsig(Signed(KeyType::kRsa2048) + "% appended\n");
  EXPECT_TRUE(Contains(report, "Not total document signed")) << report;
}

// ---- Malformed input ----

TEST_F(PdfSignerTest, GarbageIsAnErrorNotACrash) {
  const SigningKey key = Key(KeyType::kEcdsaP256);
  for (const std::string& input :
       {std::string(), std::string("hello"), std::string("%PDF-1.4\n"), std::string("%PDF-1.4\nstartxref\n"),
        std::string("%PDF-1.4\nstartxref\n5\n%%EOF"), std::string("%PDF-1.4\nxref\n0 99999999\ntrailer\nstartxref\n9"),
        std::string("%PDF-1.4\nxref\n0 1\n0000000000 65535 f\r\ntrailer\n<< /Root 1 0 R /Size 1 >>\nstartxref\n9\n"),
        std::string("%PDF-1.4\n1 0 obj\n<< /Type /XRef >>\nstartxref\n9\n%%EOF")}) {
    Result<std::string> out = SignPdf(input, key, Info());
    EXPECT_FALSE(out.ok()) << "input: " << input;
  }
}

TEST_F(PdfSignerTest, EveryTruncationIsAnErrorOrStillParses) {
  const SigningKey key = Key(KeyType::kEcdsaP256);
  // Cutting the tail loses startxref; cutting the head loses the header: both are refused.
  for (const size_t keep : {size_t{10}, pdf_->size() / 3, pdf_->size() - 200, pdf_->size() - 20}) {
    EXPECT_FALSE(SignPdf(pdf_->substr(0, keep), key, Info()).ok()) << keep;
  }
  EXPECT_FALSE(SignPdf(pdf_->substr(100), key, Info()).ok());
}

TEST_F(PdfSignerTest, MovedObjectsAreRefused) {
  // Deleting bytes in the middle shifts every later object away from its xref offset.
  std::string broken = *pdf_;
  broken.erase(broken.size() / 2, 7);
  EXPECT_FALSE(SignPdf(broken, Key(KeyType::kEcdsaP256), Info()).ok());
}

TEST_F(PdfSignerTest, SigningTwiceIsUnprocessable) {
  Result<std::string> out = SignPdf(Signed(KeyType::kEcdsaP256), Key(KeyType::kEcdsaP256), Info());
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), Status::Code::kUnprocessable);
}

// ---- Keys ----

TEST_F(PdfSignerTest, DemoKeyFileIsPrivate) {
  struct stat st = {};
  ASSERT_EQ(::stat((KeyDir(KeyType::kRsa2048) + "/signing-key.pem").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
}

TEST_F(PdfSignerTest, CreateDemoLabKeysIsIdempotent) {
  const std::string cert_before = ReadFile(KeyDir(KeyType::kRsa2048) + "/signing-cert.pem");
  ASSERT_OK(CreateDemoLabKeys(KeyDir(KeyType::kRsa2048), KeyType::kRsa2048));
  EXPECT_EQ(ReadFile(KeyDir(KeyType::kRsa2048) + "/signing-cert.pem"), cert_before);
}

TEST_F(PdfSignerTest, IncompleteKeySetIsConflict) {
  const std::string d = *dir_ + "/partial";
  std::filesystem::create_directories(d);
  WriteFile(d + "/ca.pem", "x");
  EXPECT_EQ(CreateDemoLabKeys(d, KeyType::kEcdsaP256).code(), Status::Code::kConflict);
}

TEST_F(PdfSignerTest, DemoCertificatesFormAChain) {
  const std::string d = KeyDir(KeyType::kEcdsaP256);
  std::string out;
  EXPECT_EQ(RunCommand("openssl verify -CAfile " + d + "/ca.pem " + d + "/signing-cert.pem", &out), 0) << out;
  RunCommand("openssl x509 -noout -text -in " + d + "/signing-cert.pem", &out);
  EXPECT_TRUE(Contains(out, "Digital Signature, Non Repudiation")) << out;
  EXPECT_TRUE(Contains(out, "CN = Pramaan demo lab signing, O = Pramaan demo lab")) << out;
  RunCommand("openssl x509 -noout -text -in " + d + "/ca.pem", &out);
  EXPECT_TRUE(Contains(out, "CA:TRUE")) << out;
}

TEST_F(PdfSignerTest, LoadPemExposesSubjectAndPublicKey) {
  const SigningKey key = Key(KeyType::kRsa2048);
  EXPECT_EQ(key.SubjectCommonName(), "Pramaan demo lab signing");
  std::string out;
  RunCommand("openssl pkey -pubout -in " + KeyDir(KeyType::kRsa2048) + "/signing-key.pem", &out);
  EXPECT_EQ(key.PublicKeyPem(), out);
  EXPECT_TRUE(Contains(key.CertificatePem(), "BEGIN CERTIFICATE"));
}

TEST_F(PdfSignerTest, LoadPemRefusesMismatchedKeyAndMissingFiles) {
  const std::string rsa = KeyDir(KeyType::kRsa2048);
  const std::string ec = KeyDir(KeyType::kEcdsaP256);
  Result<SigningKey> mismatched = SigningKey::LoadPem(rsa + "/signing-key.pem", ec + "/signing-cert.pem");
  ASSERT_FALSE(mismatched.ok());
  EXPECT_TRUE(Contains(mismatched.status().message(), "does not match")) << mismatched.status().ToString();
  Result<SigningKey> missing = SigningKey::LoadPem(rsa + "/nope.pem", rsa + "/signing-cert.pem");
  ASSERT_FALSE(missing.ok());
  EXPECT_TRUE(Contains(missing.status().message(), "nope.pem"));
  Result<SigningKey> not_a_key = SigningKey::LoadPem(rsa + "/ca.pem", rsa + "/signing-cert.pem");
  EXPECT_FALSE(not_a_key.ok());
}

TEST_F(PdfSignerTest, LoadPkcs12RoundTripAndWrongPassword) {
  const std::string d = KeyDir(KeyType::kEcdsaP256);
  const std::string p12 = *dir_ + "/lab.p12";
  std::string out;
  ASSERT_EQ(RunCommand("openssl pkcs12 -export -inkey " + d + "/signing-key.pem -in " + d + "/signing-cert.pem" +
                           " -certfile " + d + "/ca.pem -passout pass:s3cret -out " + p12,
                       &out),
            0)
      << out;
  Result<SigningKey> key = SigningKey::LoadPkcs12(p12, "s3cret");
  ASSERT_OK(key);
  EXPECT_EQ(key->SubjectCommonName(), "Pramaan demo lab signing");
  Result<std::string> signed_pdf = SignPdf(*pdf_, *key, Info());
  ASSERT_OK(signed_pdf);
  EXPECT_TRUE(Contains(Pdfsig(*signed_pdf), "Signature is Valid."));

  Result<SigningKey> wrong = SigningKey::LoadPkcs12(p12, "guess");
  ASSERT_FALSE(wrong.ok());
  EXPECT_TRUE(Contains(wrong.status().message(), "wrong password")) << wrong.status().ToString();
  EXPECT_FALSE(Contains(wrong.status().message(), "guess"));
}

TEST_F(PdfSignerTest, KeyIsMovable) {
  SigningKey a = Key(KeyType::kEcdsaP256);
  SigningKey b = std::move(a);
  EXPECT_EQ(b.SubjectCommonName(), "Pramaan demo lab signing");
}

// ---- Trust (needs libnss3-tools' certutil) ----

TEST_F(PdfSignerTest, DemoCaImportedIntoNssIsTrusted) {
  std::string out;
  if (RunCommand("command -v certutil", &out) != 0) GTEST_SKIP() << "certutil (libnss3-tools) is not installed";
  const std::string nss = *dir_ + "/nss";
  std::filesystem::create_directories(nss);
  ASSERT_EQ(RunCommand("certutil -N -d sql:" + nss + " --empty-password", &out), 0) << out;
  ASSERT_EQ(
      RunCommand("certutil -A -d sql:" + nss + " -n demo-ca -t CT,C,C -i " + KeyDir(KeyType::kRsa2048) + "/ca.pem",
                 &out),
      0)
      << out;
  const std::string report = Pdfsig(Signed(KeyType::kRsa2048), "-nssdir sql:" + nss);
  EXPECT_TRUE(Contains(report, "Certificate is Trusted.")) << report;
}

}  // namespace
}  // namespace lims::reports
