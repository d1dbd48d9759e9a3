// The auditors' rejection-history report (issue 8): what poppler extracts, page breaks with repeated
// headings, determinism, qpdf's structural check, a signature that pdfsig accepts, text that stays
// inside the page, and that the charts really draw (page 1 rendered with pdftoppm and its pixels
// read back, each chart having a colour of its own).
#include "reports/rejection_report.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <regex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "lims/core/clock.h"
#include "reports/pdf_signer.h"
#include "reports/signing_key.h"
#include "tests/support/test_support.h"

namespace lims::reports {
namespace {

using lims::testing::Fields;
using lims::testing::MakeTempDir;
using lims::testing::ReadFile;
using lims::testing::RunCommand;
using lims::testing::WriteFile;

constexpr const char* kNumber = "AGR-RH-20261126T101500Z";

// "2025-10" plus `i` months.
std::string MonthAfterSeptember2025(size_t i) {
  char month[48];
  std::snprintf(month, sizeof month, "%04zu-%02zu", 2025 + (i + 9) / 12, (i + 9) % 12 + 1);
  return month;
}

// `months` months from 2025-10 with 100 samples each, of which `rejected_step` × (i % 4) rejected.
RejectionReportData Example(size_t months, int64_t rejected_step) {
  RejectionReportData d;
  d.number = kNumber;
  d.lab_name = "Agra Footwear Testing Laboratory";
  d.lab_address = "Sikandra, Agra 282007, Uttar Pradesh, India";
  d.lab_accreditation = "NABL TC-0000 (ISO/IEC 17025:2017)";
  d.district = "Agra";
  d.period_from = "2025-10-01";
  d.period_to = "2026-11-30";
  d.generated_at = "2026-11-26T10:15:00Z";
  d.generated_by = "Asha Verma (auditor)";
  for (size_t i = 0; i < months; ++i) {
    const int64_t rejected = rejected_step * static_cast<int64_t>(i % 4);
    d.months.push_back({MonthAfterSeptember2025(i), 100, rejected});
    d.tested += 100;
    d.rejected += rejected;
  }
  d.turnaround_median_h = 96.0;
  d.turnaround_p90_h = 180.5;
  if (rejected_step > 0) {
    d.top_requirements = {{"EN20345-2022-CRVI", "EN ISO 20345:2022", "5.8.2", "Chromium(VI) in leather", 41},
                          {"EN20345-2022-BOND", "EN ISO 20345:2022", "5.3.1", "Sole bond strength", 17},
                          {"REACH-XVII-61-DMFU", "REACH Annex XVII", "entry 61", "Dimethylfumarate", 3}};
    d.exporters = {{"Sikandra Footwear Exports Pvt Ltd", 220, 31}, {"Taj Leather Works", 80, 5}};
    d.repeat_offenders = {{"Sikandra Footwear Exports Pvt Ltd", "EN20345-2022-CRVI", 9},
                          {"Taj Leather Works", "EN20345-2022-BOND", 2}};
  }
  return d;
}

RejectionReportData Empty() {
  RejectionReportData d = Example(0, 0);
  d.turnaround_median_h.reset();
  d.turnaround_p90_h.reset();
  return d;
}

bool Has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

size_t Occurrences(const std::string& text, const std::string& part) {
  size_t n = 0;
  for (size_t at = text.find(part); at != std::string::npos; at = text.find(part, at + part.size())) ++n;
  return n;
}

// Pixels of page 1 at 50 dpi in each chart's colour: the rate bars are red, the failure bars blue;
// nothing else on the page has either colour (text and rules are grey, tiles light grey).
struct BarPixels {
  int rate = 0;
  int failures = 0;
};

// Reads a binary PPM ("P6 <width> <height> 255" then RGB bytes) as pdftoppm writes it.
BarPixels CountBarPixels(const std::string& ppm) {
  size_t pos = 0;
  for (int field = 0; field < 4; ++field) {
    while (pos < ppm.size() && std::isspace(static_cast<unsigned char>(ppm[pos]))) ++pos;
    while (pos < ppm.size() && !std::isspace(static_cast<unsigned char>(ppm[pos]))) ++pos;
  }
  ++pos;  // the single whitespace after maxval
  BarPixels pixels;
  for (size_t i = pos; i + 2 < ppm.size(); i += 3) {
    const int r = static_cast<unsigned char>(ppm[i]);
    const int g = static_cast<unsigned char>(ppm[i + 1]);
    const int b = static_cast<unsigned char>(ppm[i + 2]);
    if (r > 150 && g < 90 && b < 90) ++pixels.rate;
    if (r < 90 && g > 60 && g < 140 && b > 140) ++pixels.failures;
  }
  return pixels;
}

class RejectionReportTest : public ::testing::Test {
 protected:
  void SetUp() override { dir_ = MakeTempDir("rejection_report_test_"); }
  void TearDown() override {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }

  std::string Render(const RejectionReportData& d) {
    Result<std::string> pdf = RenderRejectionReport(d, FontSet::Default());
    EXPECT_TRUE(pdf.ok()) << pdf.status().ToString();
    return pdf.ok() ? *pdf : std::string();
  }

  std::string Save(const std::string& pdf, const std::string& name = "r.pdf") {
    std::string path = dir_ + "/" + name;
    WriteFile(path, pdf);
    return path;
  }

  std::string Run(const std::string& command) {
    std::string output;
    EXPECT_EQ(RunCommand(command, &output), 0) << command << "\n" << output;
    return output;
  }

  // pdftotext's stderr may carry warnings, so the text goes through a file.
  std::string Text(const std::string& pdf, const std::string& options = "") {
    const std::string path = Save(pdf);
    Run("pdftotext -enc UTF-8 " + options + " '" + path + "' '" + path + ".txt'");
    return ReadFile(path + ".txt");
  }

  std::string PageText(const std::string& pdf, int page) {
    return Text(pdf, "-f " + std::to_string(page) + " -l " + std::to_string(page));
  }

  // The month chart's labels: page 1's text between the chart's heading and the next one.
  std::string MonthChartText(const std::string& pdf) {
    const std::string page = PageText(pdf, 1);
    const size_t start = page.find("Rejection rate by month");
    const size_t end = page.find("Top failing requirements");
    EXPECT_NE(start, std::string::npos) << page;
    EXPECT_NE(end, std::string::npos) << page;
    if (start == std::string::npos || end == std::string::npos || end < start) return "";
    return page.substr(start, end - start);
  }

  int Pages(const std::string& pdf) { return std::stoi(Run("qpdf --show-npages '" + Save(pdf) + "'")); }

  BarPixels Page1Bars(const std::string& pdf) {
    const std::string path = Save(pdf);
    Run("pdftoppm -r 50 -f 1 -l 1 -singlefile '" + path + "' '" + dir_ + "/page1'");
    return CountBarPixels(ReadFile(dir_ + "/page1.ppm"));
  }

  std::string dir_;
};

TEST_F(RejectionReportTest, PrintsDistrictPeriodFiguresAndEveryRow) {
  const RejectionReportData d = Example(14, 3);
  const std::string text = Text(Render(d));
  for (const char* part :
       {"Agra Footwear Testing Laboratory", "Rejection history", "District: Agra", "2025-10-01 to 2026-11-30", kNumber,
        "1,400", "96.0 h", "180.5 h", "Rejection rate by month", "EN20345-2022-CRVI", "EN20345-2022-BOND",
        "REACH-XVII-61-DMFU", "Chromium(VI) in leather", "EN ISO 20345:2022 5.8.2", "Sikandra Footwear Exports Pvt Ltd",
        "Taj Leather Works", "Repeat offenders", "Generated by Asha Verma (auditor) at 2026-11-26T10:15:00Z.",
        "End of document"}) {
    EXPECT_TRUE(Has(text, part)) << "missing: " << part << "\n" << text;
  }
  for (const RejectionReportMonth& m : d.months) EXPECT_TRUE(Has(text, m.month)) << m.month;
  // Overall rate: 3 × (0 + 1 + 2 + 3 + 0 + 1 + 2 + 3 + 0 + 1 + 2 + 3 + 0 + 1) = 57 of 1400 = 4.1 %.
  EXPECT_TRUE(Has(text, "4.1 %")) << text;
  // A month's rate: 9 of 100.
  EXPECT_TRUE(Has(text, "9.0 %")) << text;
}

TEST_F(RejectionReportTest, AllDistrictsWhenNoneIsGiven) {
  RejectionReportData d = Example(3, 1);
  d.district.clear();
  EXPECT_TRUE(Has(Text(Render(d)), "All districts"));
}

TEST_F(RejectionReportTest, EveryPageHasTheRunningHeaderAndFooter) {
  const std::string pdf = Render(Example(14, 3));
  const int pages = Pages(pdf);
  ASSERT_GE(pages, 1);
  for (int p = 1; p <= pages; ++p) {
    const std::string text = PageText(pdf, p);
    EXPECT_TRUE(Has(text, std::string(kNumber) + " · Page " + std::to_string(p) + " of " + std::to_string(pages)))
        << "page " << p << "\n"
        << text;
    EXPECT_TRUE(Has(text, "Rejection rate = samples rejected ÷ samples tested")) << "page " << p << "\n" << text;
  }
  EXPECT_TRUE(Has(PageText(pdf, pages), "End of document"));
}

TEST_F(RejectionReportTest, SameDataGivesSameBytes) {
  const std::string first = Render(Example(14, 3));
  EXPECT_EQ(first, Render(Example(14, 3)));
  RejectionReportData later = Example(14, 3);
  later.generated_at = "2026-11-26T10:16:00Z";
  EXPECT_NE(first, Render(later));
}

TEST_F(RejectionReportTest, ConcurrentRendersGiveTheSameBytes) {
  const std::string expected = Render(Example(14, 3));
  std::vector<std::string> outputs(4);
  std::vector<std::thread> threads;
  threads.reserve(outputs.size());
  for (std::string& out : outputs) {
    threads.emplace_back([&out] {
      Result<std::string> pdf = RenderRejectionReport(Example(14, 3), FontSet::Default());
      if (pdf.ok()) out = *pdf;
    });
  }
  for (std::thread& t : threads) t.join();
  for (const std::string& out : outputs) EXPECT_EQ(out, expected);
}

TEST_F(RejectionReportTest, QpdfCheckPasses) {
  for (const RejectionReportData& d : {Example(14, 3), Example(60, 2), Empty()}) {
    std::string out;
    EXPECT_EQ(RunCommand("qpdf --check '" + Save(Render(d)) + "'", &out), 0) << out;
  }
}

TEST_F(RejectionReportTest, IsPdfA1bWithAnOutputIntent) {
  const std::string pdf = Render(Example(14, 3));
  EXPECT_TRUE(Has(pdf, "pdfaid:part")) << "no PDF/A identification in the XMP packet";
  EXPECT_TRUE(Has(pdf, "/OutputIntents"));
  EXPECT_TRUE(Has(pdf, "/ID ["));
  const std::string info = Run("pdfinfo '" + Save(pdf) + "'");
  EXPECT_TRUE(Has(info, "Rejection history AGR-RH-20261126T101500Z")) << info;
  EXPECT_TRUE(std::regex_search(info, std::regex("CreationDate:.*2026"))) << info;
}

TEST_F(RejectionReportTest, SignedWithTheLabKeyPdfsigReportsAValidSignature) {
  const std::string keys = dir_ + "/keys";
  ASSERT_OK(CreateDemoLabKeys(keys, KeyType::kRsa2048));
  Result<SigningKey> key = SigningKey::LoadPem(keys + "/signing-key.pem", keys + "/signing-cert.pem", "");
  ASSERT_OK(key);
  SignatureInfo info;
  info.reason = std::string("Rejection history ") + kNumber;
  info.signing_time = *ParseRfc3339("2026-11-26T10:15:00Z");
  const std::string pdf = Render(Example(14, 3));
  Result<std::string> signed_pdf = SignPdf(pdf, *key, info);
  ASSERT_OK(signed_pdf);
  const std::string path = Save(*signed_pdf, "signed.pdf");
  std::string report;
  RunCommand("pdfsig '" + path + "' 2>&1", &report);  // pdfsig exits 0 either way: the verdict is in its text
  EXPECT_TRUE(Has(report, "Signature is Valid.")) << report;
  EXPECT_TRUE(Has(report, "Total document signed")) << report;
  std::string check;
  EXPECT_EQ(RunCommand("qpdf --check '" + path + "'", &check), 0) << check;
}

TEST_F(RejectionReportTest, ManyRepeatOffendersBreakAcrossPagesWithRepeatedHeadings) {
  RejectionReportData d = Example(14, 3);
  d.repeat_offenders.clear();
  for (int i = 0; i < 150; ++i) {
    d.repeat_offenders.push_back({"Offender exporter " + std::to_string(i), "REACH-XVII-61-DMFU", 150 - i});
  }
  const std::string pdf = Render(d);
  const int pages = Pages(pdf);
  ASSERT_GE(pages, 3);
  const std::string text = Text(pdf);
  EXPECT_TRUE(Has(text, "Page 1 of " + std::to_string(pages))) << text;
  for (int i = 0; i < 150; ++i) EXPECT_TRUE(Has(text, "Offender exporter " + std::to_string(i) + "\n")) << i;
  int continued_pages = 0;
  for (int p = 2; p <= pages; ++p) {
    const std::string page = PageText(pdf, p);
    const size_t first_row = page.find("Offender exporter ");
    if (first_row == std::string::npos) continue;
    // Every page with offender rows starts them under the section title and the column headings.
    const size_t title = page.find("Repeat offenders (the same requirement failed more than once)");
    const size_t heading = page.find("Rejections");
    EXPECT_LT(title, first_row) << "page " << p << "\n" << page;
    EXPECT_LT(heading, first_row) << "page " << p << "\n" << page;
    if (Has(page, "(continued)")) ++continued_pages;
  }
  EXPECT_GE(continued_pages, 1);
}

TEST_F(RejectionReportTest, NoSamplesIssuedSaysSoInsteadOfCharts) {
  const std::string pdf = Render(Empty());
  const std::string text = Text(pdf);
  EXPECT_TRUE(Has(text, "No samples were issued in this period.")) << text;
  EXPECT_TRUE(Has(text, "End of document")) << text;
  EXPECT_TRUE(Has(text, std::string(kNumber) + " · Page 1 of 1")) << text;
  EXPECT_FALSE(Has(text, "Rejection rate by month")) << text;
  EXPECT_EQ(Occurrences("\n" + text, "\n—\n"), 3u) << text;  // lines of their own: the rate, both turnarounds
  const BarPixels bars = Page1Bars(pdf);
  EXPECT_EQ(bars.rate, 0);
  EXPECT_EQ(bars.failures, 0);
}

TEST_F(RejectionReportTest, SixtyMonthsFitWithThinnedLabels) {
  const RejectionReportData d = Example(60, 2);
  const std::string pdf = Render(d);
  const std::string text = Text(pdf);
  for (const RejectionReportMonth& m : d.months) EXPECT_TRUE(Has(text, m.month)) << m.month;
  // 60 bars leave no room for 60 names: every other month is named, so the chart on page 1 shows
  // January but not February; each January carries its year.
  const std::string chart = MonthChartText(pdf);
  EXPECT_TRUE(Has(chart, "Jan")) << chart;
  EXPECT_FALSE(Has(chart, "Feb")) << chart;
  for (const char* year : {"2025", "2026", "2027", "2028", "2029", "2030"}) EXPECT_TRUE(Has(chart, year)) << year;
  EXPECT_GT(Page1Bars(pdf).rate, 100);
}

TEST_F(RejectionReportTest, FewMonthsNameEveryMonth) {
  const std::string chart = MonthChartText(Render(Example(14, 3)));
  for (const char* month : {"Oct", "Nov", "Dec", "Jan", "Feb", "Mar", "Sep"}) EXPECT_TRUE(Has(chart, month)) << month;
  EXPECT_TRUE(Has(chart, "2025")) << chart;  // under the first month
  EXPECT_TRUE(Has(chart, "2026")) << chart;  // under January
}

TEST_F(RejectionReportTest, ChartsDrawBarsForRatesAndFailures) {
  const BarPixels bars = Page1Bars(Render(Example(14, 3)));
  EXPECT_GT(bars.rate, 200);
  EXPECT_GT(bars.failures, 200);
}

TEST_F(RejectionReportTest, HigherRatesDrawLongerBars) {
  // One month at 10 %, one at 40 %, one at 20 %: the axis tops at 40 %, so the bars' areas are
  // in the ratio 1 : 4 : 2 and the total grows with the second bar alone.
  RejectionReportData d = Example(0, 0);
  d.months = {{"2026-01", 100, 10}, {"2026-02", 100, 40}, {"2026-03", 100, 20}};
  d.tested = 300;
  d.rejected = 70;
  const int total = Page1Bars(Render(d)).rate;
  d.months[1].rejected = 20;  // now 10 %, 20 %, 20 %: the axis tops at 20 %, bars 1 : 2 : 2
  const int lower = Page1Bars(Render(d)).rate;
  EXPECT_GT(total, 0);
  EXPECT_GT(lower, 0);
  // 7 bar units of a 40 % axis against 5 units of a 20 % axis: 7/4 vs 5/2 of the plot height.
  EXPECT_NEAR(static_cast<double>(total) / lower, (7.0 / 4) / (5.0 / 2), 0.15);
}

TEST_F(RejectionReportTest, ZeroRatesDrawNoBars) {
  const BarPixels bars = Page1Bars(Render(Example(14, 0)));
  EXPECT_EQ(bars.rate, 0);
  EXPECT_EQ(bars.failures, 0);
}

TEST_F(RejectionReportTest, AMonthWithNothingTestedHasNoBarAndNoRate) {
  RejectionReportData d = Example(0, 0);
  d.months = {{"2026-01", 0, 0}, {"2026-02", 0, 3}};  // the second is inconsistent data: still no rate
  d.tested = 5;
  d.rejected = 3;
  const std::string pdf = Render(d);
  EXPECT_EQ(Page1Bars(pdf).rate, 0);
  const std::string text = Text(pdf);
  EXPECT_TRUE(Has(text, "Months with no samples tested have no bar.")) << text;
  EXPECT_FALSE(Has(text, "nan")) << text;
  EXPECT_FALSE(Has(text, "inf")) << text;
  d.months.push_back({"2026-03", 5, 3});
  EXPECT_GT(Page1Bars(Render(d)).rate, 0);
}

TEST_F(RejectionReportTest, LongNamesStayInsideThePage) {
  RejectionReportData d = Example(14, 3);
  const std::string long_name(40, 'W');
  d.lab_name = "Agra Footwear Testing Laboratory " + long_name + " " + long_name + " " + long_name;
  d.district = "District " + long_name + long_name;
  d.top_requirements[0].property = "Chromium(VI) " + long_name + " " + long_name;
  d.exporters[0].exporter = "Sikandra " + long_name + long_name + " Footwear " + long_name + " Exports " + long_name;
  d.repeat_offenders[0].exporter = d.exporters[0].exporter;
  const std::string bbox = Text(Render(d), "-bbox");
  const std::regex word("<word xMin=\"([0-9.]+)\" yMin=\"[0-9.]+\" xMax=\"([0-9.]+)\"");
  int words = 0;
  for (auto it = std::sregex_iterator(bbox.begin(), bbox.end(), word); it != std::sregex_iterator(); ++it) {
    ++words;
    const double x_min = std::stod((*it)[1]), x_max = std::stod((*it)[2]);
    EXPECT_GE(x_min, 42.0 - 0.5) << it->str();
    EXPECT_LE(x_max, 595.276 - 42.0 + 0.5) << it->str();
  }
  EXPECT_GT(words, 100);
  EXPECT_TRUE(Has(bbox, "…")) << "nothing was cut";
}

TEST_F(RejectionReportTest, MonthsInAnotherFormatArePrintedAsGiven) {
  RejectionReportData d = Example(0, 0);
  d.months = {{"Q1 2026", 100, 5}, {"Q2 2026", 100, 7}};
  d.tested = 200;
  d.rejected = 12;
  const std::string chart = MonthChartText(Render(d));
  EXPECT_TRUE(Has(chart, "Q1 2026")) << chart;
  EXPECT_TRUE(Has(chart, "Q2 2026")) << chart;
}

TEST_F(RejectionReportTest, RefusesMissingNumberDateAndPeriod) {
  RejectionReportData d = Example(2, 1);
  d.number.clear();
  d.generated_at = "yesterday";
  d.period_from.clear();
  d.period_to.clear();
  Result<std::string> pdf = RenderRejectionReport(d, FontSet::Default());
  ASSERT_FALSE(pdf.ok());
  EXPECT_EQ(pdf.status().code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(Fields(pdf.status()), (std::vector<std::string>{"number", "generated_at", "period_from", "period_to"}));
}

TEST_F(RejectionReportTest, RefusesANumberThatNeedsEscaping) {
  RejectionReportData d = Example(2, 1);
  d.number = "AGR <RH> & 1";
  Result<std::string> pdf = RenderRejectionReport(d, FontSet::Default());
  ASSERT_FALSE(pdf.ok());
  EXPECT_EQ(Fields(pdf.status()), (std::vector<std::string>{"number"}));
}

TEST_F(RejectionReportTest, AMissingFontIsInternal) {
  FontSet fonts = FontSet::Default();
  fonts.bold = dir_ + "/no-such-font.ttf";
  Result<std::string> pdf = RenderRejectionReport(Example(2, 1), fonts);
  ASSERT_FALSE(pdf.ok());
  EXPECT_EQ(pdf.status().code(), Status::Code::kInternal);
  EXPECT_TRUE(Has(pdf.status().message(), "no-such-font.ttf")) << pdf.status().ToString();
}

}  // namespace
}  // namespace lims::reports
