#include "reports/sample_label.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "tests/support/test_support.h"

namespace lims::reports {
namespace {

constexpr const char* kCode = "AGR-2026-000123";
constexpr const char* kUrl = "http://localhost:8080/s/AGR-2026-000123";

LabelData SampleLabel() {
  LabelData d;
  d.code = kCode;
  d.title = kCode;
  d.exporter_short = "Sikandra Footwear";
  d.received_date = "2026-11-26";
  d.qr_url = kUrl;
  return d;
}

LabelData PortionLabel() {
  LabelData d = SampleLabel();
  d.code = "AGR-2026-000123-P2";
  d.title = d.code;
  d.qr_url = "http://localhost:8080/s/AGR-2026-000123-P2";
  return d;
}

std::string Quote(const std::string& path) {
  return "'" + path + "'";
}

// What zbarimg read, one "TYPE:data" line per symbol in sorted order (zbarimg's own order varies),
// with anything else it printed dropped.
std::vector<std::string> SymbolLines(const std::string& output) {
  std::vector<std::string> lines;
  std::istringstream in(output);
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("CODE-128:", 0) == 0 || line.rfind("QR-Code:", 0) == 0) lines.push_back(line);
  }
  std::sort(lines.begin(), lines.end());
  return lines;
}

// The data of every ^FD...^FS field, as sent (still escaped).
std::vector<std::string> FieldData(const std::string& zpl) {
  std::vector<std::string> fields;
  for (size_t start = zpl.find("^FD"); start != std::string::npos; start = zpl.find("^FD", start)) {
    start += 3;
    const size_t end = zpl.find("^FS", start);
    if (end == std::string::npos) break;
    fields.push_back(zpl.substr(start, end - start));
    start = end;
  }
  return fields;
}

// What a printer makes of field data under ^FH_: every _XX becomes the byte 0xXX.
std::string Unescape(std::string_view data) {
  std::string out;
  for (size_t i = 0; i < data.size(); ++i) {
    if (data[i] == '_' && i + 2 < data.size()) {
      out += static_cast<char>(std::stoi(std::string(data.substr(i + 1, 2)), nullptr, 16));
      i += 2;
    } else {
      out += data[i];
    }
  }
  return out;
}

class SampleLabelTest : public ::testing::Test {
 protected:
  void SetUp() override { dir_ = lims::testing::MakeTempDir("sample_label_test_"); }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::string RenderToFile(const LabelData& d, const std::string& name) {
    Result<std::string> pdf = RenderLabelPdf(d, FontSet::Default());
    EXPECT_TRUE(pdf.ok()) << pdf.status().ToString();
    const std::string path = dir_ + "/" + name;
    lims::testing::WriteFile(path, pdf.ok() ? *pdf : "");
    return path;
  }

  std::string Run(const std::string& command) {
    std::string output;
    EXPECT_EQ(lims::testing::RunCommand(command, &output), 0) << command << "\n" << output;
    return output;
  }

  // Written to a file because pdftotext prints libharu-related warnings on stderr.
  std::string Text(const std::string& pdf_path) {
    const std::string txt = pdf_path + ".txt";
    Run("pdftotext -enc UTF-8 " + Quote(pdf_path) + " " + Quote(txt));
    return lims::testing::ReadFile(txt);
  }

  // Rasterises the label at 600 dpi, as a scanner would see a print, and reads every barcode on it.
  std::vector<std::string> Scan(const std::string& pdf_path) {
    const std::string png_base = pdf_path + "-600dpi";
    Run("pdftoppm -r 600 -gray -png -singlefile " + Quote(pdf_path) + " " + Quote(png_base));
    std::string output;
    const int rc = lims::testing::RunCommand("zbarimg -q " + Quote(png_base + ".png"), &output);
    EXPECT_EQ(rc, 0) << "zbarimg found no barcode\n" << output;
    return SymbolLines(output);
  }

  std::string dir_;
};

TEST_F(SampleLabelTest, QpdfFindsNoErrors) {
  const std::string path = RenderToFile(SampleLabel(), "label.pdf");
  Run("qpdf --check " + Quote(path));
}

TEST_F(SampleLabelTest, OnePageOf50By25Millimetres) {
  const std::string info = Run("pdfinfo " + Quote(RenderToFile(SampleLabel(), "label.pdf")));
  EXPECT_NE(info.find("Pages:           1\n"), std::string::npos) << info;
  const size_t at = info.find("Page size:");
  ASSERT_NE(at, std::string::npos) << info;
  double width = 0;
  double height = 0;
  std::string times, unit;
  std::istringstream(info.substr(at + 10)) >> width >> times >> height >> unit;
  EXPECT_NEAR(width, 141.73, 0.1) << info;
  EXPECT_NEAR(height, 70.87, 0.1) << info;
  EXPECT_EQ(unit, "pts");
}

TEST_F(SampleLabelTest, PrintsTitleExporterAndDate) {
  const std::string text = Text(RenderToFile(SampleLabel(), "label.pdf"));
  for (const char* expected : {kCode, "Sikandra Footwear", "Received 2026-11-26"}) {
    EXPECT_NE(text.find(expected), std::string::npos) << "missing: " << expected << "\n" << text;
  }
}

TEST_F(SampleLabelTest, BarcodesScanBackToCodeAndUrl) {
  const std::vector<std::string> symbols = Scan(RenderToFile(SampleLabel(), "label.pdf"));
  EXPECT_EQ(symbols, (std::vector<std::string>{std::string("CODE-128:") + kCode, std::string("QR-Code:") + kUrl}));
}

// A portion code is the longest the lab prints, so its bars are the narrowest.
TEST_F(SampleLabelTest, PortionBarcodesScanBack) {
  const LabelData d = PortionLabel();
  const std::vector<std::string> symbols = Scan(RenderToFile(d, "portion.pdf"));
  EXPECT_EQ(symbols, (std::vector<std::string>{"CODE-128:" + d.code, "QR-Code:" + d.qr_url}));
  EXPECT_NE(Text(dir_ + "/portion.pdf").find(d.code), std::string::npos);
}

TEST_F(SampleLabelTest, WithoutUrlTheQrCodeCarriesTheCode) {
  LabelData d = SampleLabel();
  d.qr_url.clear();
  d.title.clear();
  const std::string path = RenderToFile(d, "no-url.pdf");
  EXPECT_EQ(Scan(path), (std::vector<std::string>{std::string("CODE-128:") + kCode, std::string("QR-Code:") + kCode}));
  EXPECT_NE(Text(path).find(kCode), std::string::npos);  // the title falls back to the code
}

TEST_F(SampleLabelTest, SameDataGivesIdenticalBytes) {
  Result<std::string> first = RenderLabelPdf(SampleLabel(), FontSet::Default());
  Result<std::string> second = RenderLabelPdf(SampleLabel(), FontSet::Default());
  ASSERT_OK(first);
  ASSERT_OK(second);
  EXPECT_TRUE(*first == *second);
  EXPECT_EQ(first->find("/ID"), std::string::npos);
  EXPECT_EQ(first->find("/CreationDate"), std::string::npos);
  Result<std::string> other = RenderLabelPdf(PortionLabel(), FontSet::Default());
  ASSERT_OK(other);
  EXPECT_FALSE(*first == *other);
}

TEST_F(SampleLabelTest, LongExporterIsCutAndBarcodesStillScan) {
  LabelData d = SampleLabel();
  d.exporter_short = "Łódź Šoe & Leather Goods Exports International Private Limited of Sikandra Agra Uttar Pradesh";
  const std::string path = RenderToFile(d, "long.pdf");
  const std::string text = Text(path);
  EXPECT_NE(text.find("Łódź Šoe"), std::string::npos) << text;
  EXPECT_NE(text.find("…"), std::string::npos) << text;
  EXPECT_EQ(text.find("Pradesh"), std::string::npos) << text;
  Run("qpdf --check " + Quote(path));
  EXPECT_EQ(Scan(path), (std::vector<std::string>{std::string("CODE-128:") + kCode, std::string("QR-Code:") + kUrl}));
}

TEST_F(SampleLabelTest, LongTitleShrinksThenIsCut) {
  LabelData d = SampleLabel();
  d.title = "AGR-2026-000123 with a title far too long to print across a fifty millimetre label";
  const std::string text = Text(RenderToFile(d, "title.pdf"));
  EXPECT_NE(text.find("AGR-2026-000123 with"), std::string::npos) << text;
  EXPECT_NE(text.find("…"), std::string::npos) << text;
  EXPECT_EQ(text.find("millimetre label"), std::string::npos) << text;
}

TEST_F(SampleLabelTest, EmptyCodeIsInvalid) {
  LabelData d = SampleLabel();
  d.code.clear();
  Result<std::string> pdf = RenderLabelPdf(d, FontSet::Default());
  ASSERT_FALSE(pdf.ok());
  EXPECT_EQ(pdf.status().code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(lims::testing::Fields(pdf.status()), (std::vector<std::string>{"code"}));
}

// Code 128 holds ISO 8859-1 only; libzint's refusal reaches the caller with its reason.
TEST_F(SampleLabelTest, CodeBeyondLatin1IsReportedWithZintsMessage) {
  LabelData d = SampleLabel();
  d.code = "AGR-2026-€";
  Result<std::string> pdf = RenderLabelPdf(d, FontSet::Default());
  ASSERT_FALSE(pdf.ok());
  EXPECT_EQ(pdf.status().code(), Status::Code::kInternal);
  EXPECT_NE(pdf.status().message().find("Code 128"), std::string::npos) << pdf.status().ToString();
  EXPECT_NE(pdf.status().message().find("8859-1"), std::string::npos) << pdf.status().ToString();
}

TEST_F(SampleLabelTest, CodeTooLongForTheLabelIsAnError) {
  LabelData d = SampleLabel();
  d.code = "AGR-2026-000123-P2-" + std::string(40, 'X');
  Result<std::string> pdf = RenderLabelPdf(d, FontSet::Default());
  ASSERT_FALSE(pdf.ok());
  EXPECT_EQ(pdf.status().code(), Status::Code::kInternal);
  EXPECT_NE(pdf.status().message().find("too long"), std::string::npos) << pdf.status().ToString();
}

TEST_F(SampleLabelTest, MissingFontIsAnErrorNotACrash) {
  FontSet fonts = FontSet::Default();
  fonts.regular = dir_ + "/no-such-font.ttf";
  Result<std::string> pdf = RenderLabelPdf(SampleLabel(), fonts);
  ASSERT_FALSE(pdf.ok());
  EXPECT_EQ(pdf.status().code(), Status::Code::kInternal);
  EXPECT_NE(pdf.status().message().find(fonts.regular), std::string::npos) << pdf.status().ToString();
}

TEST(SampleLabelZplTest, HasEveryPartOfTheLabel) {
  const std::string zpl = RenderLabelZpl(SampleLabel());
  EXPECT_EQ(zpl.rfind("^XA", 0), 0u) << zpl;
  ASSERT_GE(zpl.size(), 4u);
  EXPECT_EQ(zpl.substr(zpl.find_last_not_of('\n') - 2, 3), "^XZ") << zpl;
  for (const char* expected : {"^CI28", "^PW400", "^LL200", "^A0N,", "^BCN,", "^BQN,2,3", "^FH_"}) {
    EXPECT_NE(zpl.find(expected), std::string::npos) << "missing: " << expected << "\n" << zpl;
  }
  const std::vector<std::string> fields = FieldData(zpl);
  EXPECT_EQ(fields, (std::vector<std::string>{kCode, "Sikandra Footwear", "Received 2026-11-26", kCode,
                                              std::string("QA,") + kUrl}))
      << zpl;
}

// Bars are 2 dots wide when the code is short enough to fit beside the QR code, else 1; a QR code too
// big for the band at magnification 3 drops to 2.
TEST(SampleLabelZplTest, SizesFollowTheData) {
  EXPECT_NE(RenderLabelZpl(SampleLabel()).find("^BY1,"), std::string::npos);
  LabelData d = SampleLabel();
  d.code = "S-1";
  EXPECT_NE(RenderLabelZpl(d).find("^BY2,"), std::string::npos);
  d.qr_url = "https://lims.example.org/s/" + std::string(80, 'A');
  const std::string zpl = RenderLabelZpl(d);
  EXPECT_NE(zpl.find("^BQN,2,2"), std::string::npos) << zpl;
}

TEST(SampleLabelZplTest, SameDataGivesIdenticalText) {
  EXPECT_EQ(RenderLabelZpl(SampleLabel()), RenderLabelZpl(SampleLabel()));
}

TEST(SampleLabelZplTest, CaretTildeAndUnderscoreAreEscaped) {
  LabelData d = SampleLabel();
  d.code = "AGR^XZ~JR_Łódź";
  d.title = d.code;
  d.exporter_short = "^XA~DG evil_co";
  d.qr_url.clear();
  const std::string zpl = RenderLabelZpl(d);
  const std::vector<std::string> fields = FieldData(zpl);
  ASSERT_EQ(fields.size(), 5u) << zpl;
  for (const std::string& field : fields) {
    EXPECT_EQ(field.find('^'), std::string::npos) << field;
    EXPECT_EQ(field.find('~'), std::string::npos) << field;
  }
  EXPECT_EQ(fields[0], "AGR_5EXZ_7EJR_5FŁódź");  // UTF-8 passes as is under ^CI28
  EXPECT_EQ(Unescape(fields[0]), d.code);
  EXPECT_EQ(Unescape(fields[1]), d.exporter_short);
  EXPECT_EQ(Unescape(fields[3]), d.code);
  EXPECT_EQ(Unescape(fields[4]), "QA," + d.code);
  // The only commands are the label's own: one start, one end.
  EXPECT_EQ(zpl.find("^XA", 1), std::string::npos) << zpl;
  EXPECT_EQ(zpl.find("^XZ"), zpl.rfind("^XZ")) << zpl;
}

TEST(SampleLabelZplTest, LongExporterIsCut) {
  LabelData d = SampleLabel();
  d.exporter_short = "Łódź Šoe & Leather Goods Exports International Private Limited of Sikandra Agra Uttar Pradesh";
  const std::vector<std::string> fields = FieldData(RenderLabelZpl(d));
  ASSERT_EQ(fields.size(), 5u);
  EXPECT_EQ(fields[1].rfind("Łódź Šoe", 0), 0u) << fields[1];
  EXPECT_LT(fields[1].size(), d.exporter_short.size());
  EXPECT_EQ(fields[1].substr(fields[1].size() - 3), "...");
}

}  // namespace
}  // namespace lims::reports
