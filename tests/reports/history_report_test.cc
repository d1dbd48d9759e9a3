// The rejection-history report: content that poppler extracts, page breaks, determinism, and that
// the charts really draw bars (page 1 rendered with pdftoppm and its pixels read back).
#include "reports/history_report.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "tests/support/test_support.h"

namespace lims::reports {
namespace {

using lims::testing::MakeTempDir;
using lims::testing::ReadFile;
using lims::testing::RunCommand;
using lims::testing::WriteFile;

HistoryReportData Example(size_t months, int64_t rejected_per_month) {
  HistoryReportData d;
  d.number = "AGR-RH-20261126T101500Z";
  d.lab_name = "Agra Footwear Testing Laboratory";
  d.lab_address = "Sikandra, Agra 282007, Uttar Pradesh, India";
  d.lab_accreditation = "NABL TC-0000 (ISO/IEC 17025:2017)";
  d.district = "Agra";
  d.period_from = "2025-10-01";
  d.period_to = "2026-11-30";
  d.generated_at = "2026-11-26T10:15:00Z";
  d.generated_by = "asha (auditor)";
  for (size_t i = 0; i < months; ++i) {
    char month[48];
    std::snprintf(month, sizeof month, "%04zu-%02zu", 2025 + (i + 9) / 12, (i + 9) % 12 + 1);
    d.months.push_back({month, 100, rejected_per_month * static_cast<int64_t>(i % 4)});
    d.tested += 100;
    d.rejected += rejected_per_month * static_cast<int64_t>(i % 4);
  }
  d.turnaround_median_h = 96.0;
  d.turnaround_p90_h = 180.5;
  if (rejected_per_month > 0) {
    d.top_requirements = {{"EN20345-2022-CRVI", "EN ISO 20345:2022", "5.8.2", "Chromium(VI) in leather", 41},
                          {"EN20345-2022-BOND", "EN ISO 20345:2022", "5.3.1", "Sole bond strength", 17}};
    d.exporters = {{"Sikandra Footwear Exports Pvt Ltd", 220, 31}, {"Taj Leather Works", 80, 5}};
    d.repeat_offenders = {{"Sikandra Footwear Exports Pvt Ltd", "EN20345-2022-CRVI", 9}};
  }
  return d;
}

class HistoryReportTest : public ::testing::Test {
 protected:
  void SetUp() override { dir_ = MakeTempDir("history_report_test_"); }
  void TearDown() override {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }

  std::string Render(const HistoryReportData& d) {
    Result<std::string> pdf = RenderHistoryReport(d, FontSet::Default());
    EXPECT_TRUE(pdf.ok()) << pdf.status().message();
    return pdf.ok() ? *pdf : std::string();
  }

  std::string Run(const std::string& command) {
    std::string output;
    EXPECT_EQ(RunCommand(command, &output), 0) << command << "\n" << output;
    return output;
  }

  std::string Text(const std::string& pdf) {
    WriteFile(dir_ + "/r.pdf", pdf);
    Run("qpdf --check '" + dir_ + "/r.pdf'");
    return Run("pdftotext -layout '" + dir_ + "/r.pdf' -");
  }

  // Pixels of the bar colour (red well above green and blue) on page 1 rendered at 50 dpi.
  int RedPixels(const std::string& pdf) {
    WriteFile(dir_ + "/r.pdf", pdf);
    Run("pdftoppm -r 50 -f 1 -l 1 '" + dir_ + "/r.pdf' '" + dir_ + "/p'");
    std::string ppm;
    for (const auto& entry : std::filesystem::directory_iterator(dir_)) {
      if (entry.path().extension() == ".ppm") ppm = ReadFile(entry.path());
    }
    // P6 <width> <height> 255 followed by RGB bytes.
    size_t pos = 0;
    int fields = 0;
    while (fields < 4 && pos < ppm.size()) {
      while (pos < ppm.size() && std::isspace(static_cast<unsigned char>(ppm[pos]))) ++pos;
      while (pos < ppm.size() && !std::isspace(static_cast<unsigned char>(ppm[pos]))) ++pos;
      ++fields;
    }
    ++pos;
    int red = 0;
    for (size_t i = pos; i + 2 < ppm.size(); i += 3) {
      const auto r = static_cast<unsigned char>(ppm[i]), g = static_cast<unsigned char>(ppm[i + 1]),
                 b = static_cast<unsigned char>(ppm[i + 2]);
      if (r > 150 && g < 90 && b < 90) ++red;
    }
    return red;
  }

  std::string dir_;
};

bool Has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST_F(HistoryReportTest, PrintsTheDistrictPeriodMonthsRequirementsAndExporters) {
  const std::string text = Text(Render(Example(14, 3)));
  EXPECT_TRUE(Has(text, "Rejection history — Agra")) << text;
  EXPECT_TRUE(Has(text, "Period 2025-10-01 to 2026-11-30")) << text;
  for (const char* month : {"2025-10", "2025-12", "2026-01", "2026-11"}) EXPECT_TRUE(Has(text, month)) << month;
  EXPECT_TRUE(Has(text, "EN20345-2022-CRVI")) << text;
  EXPECT_TRUE(Has(text, "Sole bond strength")) << text;
  EXPECT_TRUE(Has(text, "Taj Leather Works")) << text;
  EXPECT_TRUE(Has(text, "Repeat offenders")) << text;
  EXPECT_TRUE(Has(text, "1400")) << text;  // samples issued
  EXPECT_TRUE(Has(text, "96.0 h")) << text;
  EXPECT_TRUE(Has(text, "End of document")) << text;
  EXPECT_TRUE(Has(text, "page 1 of")) << text;
}

TEST_F(HistoryReportTest, TheSameFiguresGiveTheSameBytes) {
  EXPECT_EQ(Render(Example(14, 3)), Render(Example(14, 3)));
  EXPECT_NE(Render(Example(14, 3)), Render(Example(14, 4)));
}

TEST_F(HistoryReportTest, TheChartsDrawBarsOnlyForRejections) {
  EXPECT_GT(RedPixels(Render(Example(14, 3))), 200);
  // Nothing rejected: the axes are grey, no bar is drawn.
  EXPECT_EQ(RedPixels(Render(Example(14, 0))), 0);
}

TEST_F(HistoryReportTest, SixtyMonthsAndManyOffendersBreakAcrossPages) {
  HistoryReportData d = Example(60, 2);
  for (int i = 0; i < 150; ++i)
    d.repeat_offenders.push_back({"Exporter " + std::to_string(i), "REACH-XVII-61-DMFU", 2});
  const std::string text = Text(Render(d));
  EXPECT_TRUE(Has(text, "Exporter 149")) << text;
  EXPECT_TRUE(Has(text, "(continued)")) << text;
  EXPECT_FALSE(Has(text, "page 1 of 1 ")) << text;
  EXPECT_TRUE(Has(text, "2030-08")) << text;  // the 60th month
}

TEST_F(HistoryReportTest, AnEmptyPeriodSaysSo) {
  HistoryReportData d = Example(0, 0);
  const std::string text = Text(Render(d));
  EXPECT_TRUE(Has(text, "No samples were issued in this period.")) << text;
  EXPECT_TRUE(Has(text, "End of document")) << text;
}

TEST_F(HistoryReportTest, RefusesAReportWithoutNumberOrDate) {
  HistoryReportData d = Example(2, 1);
  d.number.clear();
  d.generated_at = "yesterday";
  Result<std::string> pdf = RenderHistoryReport(d, FontSet::Default());
  ASSERT_FALSE(pdf.ok());
  EXPECT_EQ(pdf.status().code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(lims::testing::Fields(pdf.status()), (std::vector<std::string>{"number", "generated_at"}));
}

}  // namespace
}  // namespace lims::reports
