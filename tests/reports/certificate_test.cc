#include "reports/certificate.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "tests/support/test_support.h"

namespace lims::reports {
namespace {

constexpr const char* kUrl = "https://lims.example.org/v/AGR-C-2026-000001?k=7f3a";

CertificateRow Row(std::string requirement, std::string property, std::string values, std::string unit,
                   std::string uncertainty, std::string limit, std::string verdict, std::string statement = "") {
  return CertificateRow{std::move(requirement), std::move(property), "EN 1811",
                        std::move(values),      std::move(unit),     std::move(uncertainty),
                        std::move(limit),       std::move(verdict),  std::move(statement)};
}

CertificateData Conformity() {
  CertificateData d;
  d.kind = CertificateKind::kConformity;
  d.number = "AGR-C-2026-000001";
  d.lab_name = "Pramaan Test Laboratory";
  d.lab_address = "Plot 12, Industrial Estate, Kanpur 208012, India";
  d.lab_accreditation = "Accredited to ISO/IEC 17025:2017, certificate TC-1234";
  d.test_location = "Permanent laboratory, Kanpur";
  d.customer_name = "Łódź Šoe Exports";
  d.customer_address = "14 Leather Market, Agra 282002, India";
  d.customer_iec = "0599001234";
  d.sample_number = "AGR-2026-000123";
  d.sample_description = "Safety boots, leather upper, PU sole";
  d.article = "ART-7";
  d.lot = "L-2026-11";
  d.sizes = "42, 44";
  d.condition = "Sealed bag, intact";
  d.condition_note = "One boot scuffed at the toe";
  d.received_at = "2026-11-23";
  d.testing_from = "2026-11-24";
  d.testing_to = "2026-11-27";
  d.issued_at = "2026-11-28T09:30:00Z";
  d.markings_claimed = "EN ISO 20345:2022 S3 SRC";
  d.decision_rule = "Simple acceptance, w = 0 (ILAC-G8:09/2019 4.2.1)";
  d.overall_verdict = "Conforms";
  d.signatory_name = "Dr. A. Sharma";
  d.signatory_role = "Technical Manager";
  d.verification_url = kUrl;
  d.rows = {
      Row("ISO 20345 5.3.1", "Nickel release", "0.12; 0.15", "µg/cm²/week", "± 0.05", "≤ 0.5 µg/cm²/week", "pass",
          "Both replicates are below the limit."),
      Row("ISO 20345 5.3.2", "Sole bond", "4.6; 4.8", "N/mm", "± 0.3", "≥ 4.0 N/mm", "pass"),
      Row("REACH entry 47", "Chromium(VI)", "< 1.0", "mg/kg", "", "< 3 mg/kg", "conditional_pass"),
  };
  return d;
}

CertificateData TestReport() {
  CertificateData d = Conformity();
  d.kind = CertificateKind::kTestReport;
  d.number = "AGR-R-2026-000002";
  d.overall_verdict = "Does not conform (2 requirements)";
  d.rows.push_back(Row("ISO 20345 6.2.4", "Slip resistance", "0.27", "—", "± 0.02", "≥ 0.31", "fail",
                       "The mean coefficient of friction is below the minimum."));
  d.rows.push_back(Row("REACH entry 27", "Nickel (buckle)", "0.52", "µg/cm²/week", "± 0.05", "≤ 0.5 µg/cm²/week",
                       "conditional_fail", "The value exceeds the limit by less than U."));
  return d;
}

CertificateData Long(int rows) {
  CertificateData d = Conformity();
  d.rows.clear();
  for (int i = 1; i <= rows; ++i) {
    d.rows.push_back(Row("Buyer item " + std::to_string(i), "Tear strength", std::to_string(i) + ".5", "N", "± 2",
                         "≥ 40 N", "pass"));
  }
  return d;
}

std::string Quote(const std::string& path) {
  return "'" + path + "'";
}

class CertificateTest : public ::testing::Test {
 protected:
  void SetUp() override { dir_ = lims::testing::MakeTempDir("certificate_test_"); }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::string Save(const std::string& name, const std::string& pdf) {
    const std::string path = dir_ + "/" + name;
    lims::testing::WriteFile(path, pdf);
    return path;
  }

  std::string Run(const std::string& command) {
    std::string output;
    EXPECT_EQ(lims::testing::RunCommand(command, &output), 0) << command << "\n" << output;
    return output;
  }

  // pdftotext's stderr carries libharu-related CMap warnings, so the text goes through a file.
  std::string Text(const std::string& pdf_path, const std::string& options = "") {
    const std::string txt = pdf_path + ".txt";
    Run("pdftotext -enc UTF-8 " + options + " " + Quote(pdf_path) + " " + Quote(txt));
    return lims::testing::ReadFile(txt);
  }

  int Pages(const std::string& pdf_path) { return std::stoi(Run("qpdf --show-npages " + Quote(pdf_path))); }

  std::string Render(const CertificateData& data, const std::string& name) {
    Result<std::string> pdf = RenderCertificate(data, FontSet::Default());
    EXPECT_TRUE(pdf.ok()) << pdf.status().ToString();
    return pdf.ok() ? Save(name, *pdf) : "";
  }

  std::string dir_;
};

void ExpectContains(const std::string& text, const std::vector<std::string>& expected) {
  for (const std::string& e : expected) EXPECT_NE(text.find(e), std::string::npos) << "missing: " << e << "\n" << text;
}

// The value of "Key:   value" in pdfinfo's output.
std::string InfoField(const std::string& info, const std::string& key) {
  const std::string lines = "\n" + info;
  const size_t at = lines.find("\n" + key + ":");
  if (at == std::string::npos) return "";
  const size_t start = lines.find_first_not_of(' ', at + key.size() + 2);
  return lines.substr(start, lines.find('\n', start) - start);
}

TEST_F(CertificateTest, ConformityHasTheReportContents) {
  const std::string text = Text(Render(Conformity(), "c.pdf"));
  ExpectContains(text, {"Certificate of conformity",
                        "No. AGR-C-2026-000001",
                        "AGR-C-2026-000001 · Page 1 of 1",
                        "Pramaan Test Laboratory",
                        "Łódź Šoe Exports",
                        "0599001234",
                        "Permanent laboratory, Kanpur",
                        "AGR-2026-000123",
                        "Sealed bag, intact. One boot scuffed",
                        "2026-11-24 to 2026-11-27",
                        "2026-11-28T09:30:00Z",
                        "EN ISO 20345:2022 S3 SRC",
                        "Simple acceptance, w = 0",
                        "Conforms",
                        "ISO 20345 5.3.1",
                        "ISO 20345 5.3.2",
                        "REACH entry 47",
                        "µg/cm²/week",
                        "≤ 0.5",
                        "≥ 4.0 N/mm",
                        "± 0.05",
                        "U (k = 2)",
                        "Conditional",
                        "Both replicates are below the limit.",
                        "Statement of conformity",
                        "Dr. A. Sharma",
                        "Technical Manager",
                        "End of certificate",
                        "The results relate only to the items tested.",
                        "Verify this document at:"});
  // The URL wraps under the QR code; joined up, it is all there.
  std::string joined = text;
  joined.erase(std::remove(joined.begin(), joined.end(), '\n'), joined.end());
  EXPECT_NE(joined.find(kUrl), std::string::npos);
  EXPECT_EQ(text.find("Requirements not met"), std::string::npos);
}

TEST_F(CertificateTest, QpdfFindsNoErrors) {
  for (const CertificateData& data : {Conformity(), TestReport(), Long(60)}) {
    Run("qpdf --check " + Quote(Render(data, "check.pdf")));
  }
}

TEST_F(CertificateTest, PdfinfoShowsVersionAndPages) {
  const std::string info = Run("pdfinfo " + Quote(Render(Conformity(), "info.pdf")) + " 2>/dev/null");
  EXPECT_EQ(InfoField(info, "PDF version"), "1.4");
  EXPECT_EQ(InfoField(info, "Pages"), "1");
  EXPECT_EQ(InfoField(info, "Page size"), "595.276 x 841.89 pts (A4)");
  EXPECT_EQ(InfoField(info, "Title"), "Certificate of conformity AGR-C-2026-000001");
  EXPECT_EQ(InfoField(info, "CreationDate"), "Sat Nov 28 09:30:00 2026 UTC");
  EXPECT_EQ(InfoField(info, "Metadata Stream"), "yes");
}

TEST_F(CertificateTest, SameDataGivesIdenticalBytes) {
  Result<std::string> first = RenderCertificate(TestReport(), FontSet::Default());
  Result<std::string> second = RenderCertificate(TestReport(), FontSet::Default());
  ASSERT_OK(first);
  ASSERT_OK(second);
  EXPECT_TRUE(*first == *second);
  // The creation date is the issue date, in the '+00'00'' form PDF/A-1 metadata needs.
  EXPECT_NE(first->find("D:20261128093000+00'00'"), std::string::npos);
  EXPECT_NE(first->find("<xmp:CreateDate>2026-11-28T09:30:00+00:00</xmp:CreateDate>"), std::string::npos);
  EXPECT_NE(first->find("/ID ["), std::string::npos);
}

TEST_F(CertificateTest, DifferentNumbersGetDifferentIds) {
  CertificateData other = TestReport();
  other.number = "AGR-R-2026-000003";
  Result<std::string> a = RenderCertificate(TestReport(), FontSet::Default());
  Result<std::string> b = RenderCertificate(other, FontSet::Default());
  ASSERT_OK(a);
  ASSERT_OK(b);
  const size_t id_a = a->find("/ID [");
  const size_t id_b = b->find("/ID [");
  ASSERT_NE(id_a, std::string::npos);
  ASSERT_NE(id_b, std::string::npos);
  EXPECT_NE(a->substr(id_a, 80), b->substr(id_b, 80));
}

TEST_F(CertificateTest, HasPdfAMetadataAndOutputIntent) {
  Result<std::string> pdf = RenderCertificate(Conformity(), FontSet::Default());
  ASSERT_OK(pdf);
  for (const char* expected : {"/OutputIntents", "/DestOutputProfile", "/GTS_PDFA1", "sRGB IEC61966-2.1", "/N 3",
                               "pdfaid:part='1'", "pdfaid:conformance='B'", "/Type /Metadata", "/Subtype /XML"}) {
    EXPECT_NE(pdf->find(expected), std::string::npos) << "missing: " << expected;
  }
  // libharu's own spellings, which readers do not recognise, must be absent: its helper's key
  // "DestOutputProfile " is written as /DestOutputProfile#20.
  EXPECT_EQ(pdf->find("/DestOutputProfile#20"), std::string::npos);
  const size_t key = pdf->find("/DestOutputProfile ");
  ASSERT_NE(key, std::string::npos);
  EXPECT_TRUE(std::isdigit(static_cast<unsigned char>((*pdf)[key + 19]))) << pdf->substr(key, 30);
  EXPECT_EQ(pdf->find("/SubType"), std::string::npos);
}

TEST_F(CertificateTest, QrCodeDecodesToTheVerificationUrl) {
  const std::string path = Render(Conformity(), "qr.pdf");
  Run("pdftoppm -r 150 -png -f 1 -l 1 -singlefile " + Quote(path) + " " + Quote(dir_ + "/page1"));
  // zbarimg may print D-Bus complaints where no system bus runs, so only its symbol lines count.
  const std::string output = Run("zbarimg -q " + Quote(dir_ + "/page1.png"));
  const size_t symbol = output.find("QR-Code:");
  ASSERT_NE(symbol, std::string::npos) << output;
  EXPECT_EQ(output.substr(symbol), std::string("QR-Code:") + kUrl + "\n");
}

// The renderer picks the QR data mask itself for symbols up to version 6 and leaves larger ones
// to libzint: both kinds must scan.
TEST_F(CertificateTest, QrCodesOfEveryLengthDecode) {
  for (const size_t length : {30, 100, 180}) {
    std::string url = "https://lims.example.org/v/";
    while (url.size() < length) url += static_cast<char>('a' + url.size() % 26);
    url.resize(std::max(length, url.size()));
    CertificateData data = Conformity();
    data.verification_url = url;
    const std::string name = "qr" + std::to_string(length);
    const std::string path = Render(data, name + ".pdf");
    // Only the top right corner of page 1, where the code is.
    Run("pdftoppm -r 200 -png -f 1 -l 1 -x 1150 -y 0 -W 504 -H 600 -singlefile " + Quote(path) + " " +
        Quote(dir_ + "/" + name));
    const std::string output = Run("zbarimg -q " + Quote(dir_ + "/" + name + ".png"));
    const size_t symbol = output.find("QR-Code:");
    ASSERT_NE(symbol, std::string::npos) << url << "\n" << output;
    EXPECT_EQ(output.substr(symbol), "QR-Code:" + url + "\n");
  }
}

// Each face is embedded as a subset with a ToUnicode map; characters that share a glyph (µ and μ,
// Ω and Ω) and characters the font lacks (shown as .notdef) still extract as themselves.
TEST_F(CertificateTest, FontsAreSubsetsAndEveryCharacterExtracts) {
  CertificateData data = Conformity();
  data.customer_name = "µ-μ Ω-Ω Ærø 日本 𝄞";
  const std::string path = Render(data, "chars.pdf");
  const std::string fonts = Run("pdffonts " + Quote(path));
  for (const char* face : {"+DejaVuSans ", "+DejaVuSans-Bold "}) {
    const size_t at = fonts.find(face);
    ASSERT_NE(at, std::string::npos) << fonts;
    const std::string line = fonts.substr(at, fonts.find('\n', at) - at);
    EXPECT_NE(line.find("CID TrueType"), std::string::npos) << line;
    EXPECT_NE(line.find("Identity-H"), std::string::npos) << line;
    EXPECT_NE(line.find("yes yes yes"), std::string::npos) << line;  // embedded, subset, ToUnicode
  }
  ExpectContains(Text(path), {"µ-μ Ω-Ω Ærø 日本 𝄞"});
}

TEST_F(CertificateTest, MissingOrBrokenFontIsAnInternalError) {
  FontSet missing = FontSet::Default();
  missing.bold = dir_ + "/no-such-font.ttf";
  Result<std::string> pdf = RenderCertificate(Conformity(), missing);
  ASSERT_FALSE(pdf.ok());
  EXPECT_EQ(pdf.status().code(), Status::Code::kInternal);
  EXPECT_NE(pdf.status().message().find(missing.bold), std::string::npos) << pdf.status().ToString();

  FontSet broken = FontSet::Default();
  broken.regular = Save("broken.ttf", "this is not a TrueType file");
  pdf = RenderCertificate(Conformity(), broken);
  ASSERT_FALSE(pdf.ok());
  EXPECT_EQ(pdf.status().code(), Status::Code::kInternal);
  EXPECT_NE(pdf.status().message().find("loading font " + broken.regular), std::string::npos)
      << pdf.status().ToString();
}

// Parsed fonts and the compressed ICC profile are shared between threads once loaded; renders on
// several threads at once give the same bytes as one alone.
TEST_F(CertificateTest, ConcurrentRendersGiveIdenticalBytes) {
  Result<std::string> expected = RenderCertificate(Long(30), FontSet::Default());
  ASSERT_OK(expected);
  std::vector<std::string> results(4);
  std::vector<std::thread> threads;
  for (std::string& result : results) {
    threads.emplace_back([&result] {
      for (int i = 0; i < 3; ++i) {
        Result<std::string> pdf = RenderCertificate(Long(30), FontSet::Default());
        result = pdf.ok() ? *pdf : pdf.status().ToString();
      }
    });
  }
  for (std::thread& t : threads) t.join();
  for (const std::string& result : results) EXPECT_TRUE(result == *expected);
}

TEST_F(CertificateTest, SixtyRowsRunOverPagesWithRepeatedHeaders) {
  const std::string path = Render(Long(60), "long.pdf");
  const int pages = Pages(path);
  ASSERT_GT(pages, 1);
  const std::string n = std::to_string(pages);
  ExpectContains(Text(path, "-f 1 -l 1"), {"AGR-C-2026-000001 · Page 1 of " + n});
  ExpectContains(Text(path, "-f 2 -l 2"),
                 {"AGR-C-2026-000001 · Page 2 of " + n, "Requirement", "Property", "Method", "Values", "Unit",
                  "U (k = 2)", "Limit", "Verdict", "The results relate only to the items tested."});
  ExpectContains(Text(path, "-f " + n + " -l " + n), {"Page " + n + " of " + n, "End of certificate"});
  const std::string all = Text(path);
  for (int i = 1; i <= 60; ++i) ExpectContains(all, {"Buyer item " + std::to_string(i) + "\n"});
}

TEST_F(CertificateTest, TestReportListsRequirementsNotMet) {
  const std::string text = Text(Render(TestReport(), "report.pdf"));
  ExpectContains(text,
                 {"Test report", "No. AGR-R-2026-000002", "Does not conform (2 requirements)", "End of test report"});
  const size_t section = text.find("Requirements not met");
  ASSERT_NE(section, std::string::npos) << text;
  const std::string failures = text.substr(section);
  ExpectContains(failures,
                 {"ISO 20345 6.2.4 — Slip resistance", "Result: 0.27 — (U = ± 0.02); limit: ≥ 0.31",
                  "Reason: The mean coefficient of friction is below the minimum.", "REACH entry 27 — Nickel (buckle)",
                  "Result: 0.52 µg/cm²/week (U = ± 0.05)", "limit: ≤ 0.5 µg/cm²/week", "Conditional fail",
                  "Reason: The value exceeds the limit by less than U."});
  // Passing requirements are not listed as failures.
  EXPECT_EQ(failures.find("ISO 20345 5.3.1 —"), std::string::npos);
  EXPECT_EQ(text.find("Statement of conformity"), std::string::npos);
}

TEST_F(CertificateTest, ReplacementNoteNamesTheOriginal) {
  CertificateData data = Conformity();
  data.supersedes_number = "AGR-C-2026-000000";
  data.supersedes_reason = "lot number corrected";
  ExpectContains(Text(Render(data, "amended.pdf")),
                 {"This certificate replaces AGR-C-2026-000000: lot number corrected"});
}

TEST_F(CertificateTest, LogoIsEmbedded) {
  // An RGB PNG without alpha, made from a rendered page.
  const std::string page = Render(Conformity(), "for-logo.pdf");
  Run("pdftoppm -r 12 -png -singlefile " + Quote(page) + " " + Quote(dir_ + "/logo"));
  CertificateData data = Conformity();
  data.logo_png_path = dir_ + "/logo.png";
  Result<std::string> pdf = RenderCertificate(data, FontSet::Default());
  ASSERT_OK(pdf);
  EXPECT_NE(pdf->find("/Subtype /Image"), std::string::npos);
  EXPECT_EQ(pdf->find("/SMask"), std::string::npos);
  Run("qpdf --check " + Quote(Save("logo.pdf", *pdf)));
}

TEST_F(CertificateTest, MissingLogoIsAnInternalError) {
  CertificateData data = Conformity();
  data.logo_png_path = dir_ + "/no-such-logo.png";
  Result<std::string> pdf = RenderCertificate(data, FontSet::Default());
  ASSERT_FALSE(pdf.ok());
  EXPECT_EQ(pdf.status().code(), Status::Code::kInternal);
  EXPECT_NE(pdf.status().message().find("no-such-logo.png"), std::string::npos);
}

TEST_F(CertificateTest, RejectsInvalidData) {
  CertificateData data = Conformity();
  data.number = "AGR&1";
  data.issued_at = "2026-02-30T08:00:00Z";
  data.verification_url.clear();
  data.signatory_name.clear();
  data.rows[1].verdict = "fail";  // not allowed on a certificate of conformity
  data.rows[2].verdict = "pending";
  Result<std::string> pdf = RenderCertificate(data, FontSet::Default());
  ASSERT_FALSE(pdf.ok());
  EXPECT_EQ(pdf.status().code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(lims::testing::Fields(pdf.status()),
            (std::vector<std::string>{"number", "issued_at", "verification_url", "signatory_name", "rows[1].verdict",
                                      "rows[2].verdict"}));
}

TEST_F(CertificateTest, AcceptsOffsetTimestamps) {
  CertificateData data = Conformity();
  data.issued_at = "2026-11-28T15:00:00.5+05:30";
  Result<std::string> pdf = RenderCertificate(data, FontSet::Default());
  ASSERT_OK(pdf);
  EXPECT_NE(pdf->find("D:20261128150000+05'30'"), std::string::npos);
}

}  // namespace
}  // namespace lims::reports
