#include "reports/sample_report.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "tests/reports/report_fixtures.h"
#include "tests/support/test_support.h"

namespace lims::reports {
namespace {

ReportResultRow Row(std::string requirement, std::string property, std::string method, std::string values,
                    std::string unit, std::string limit, std::string verdict, std::string explanation = "") {
  return ReportResultRow{std::move(requirement), std::move(property), std::move(method),  std::move(values),
                         std::move(unit),        std::move(limit),    std::move(verdict), std::move(explanation)};
}

SampleReportData SampleData() {
  SampleReportData data = fixtures::FullReportHeader();
  data.rows = {
      Row("REACH Annex XVII entry 47", "Chromium(VI) content", "EN ISO 17075-2", "2.9; 3.1", "mg/kg", "< 3 mg/kg",
          "fail", "The mean of the replicates exceeds the limit."),
      Row("REACH Annex XVII entry 27", "Nickel release", "EN 1811", "0.12; 0.15", "µg/cm²/week", "≤ 0.5 µg/cm²/week",
          "pass"),
      Row("Buyer specification", "Sole bond strength", "EN ISO 17708", "4.6; 4.8", "N/mm", "≥ 4.0 N/mm", "pass"),
      Row("REACH Annex XVII entry 50", "PAH content", "AfPS GS 2019:01 PAK", "", "mg/kg", "≤ 1 mg/kg", "pending"),
  };
  return data;
}

SampleReportData LongData(int rows) {
  SampleReportData data = SampleData();
  data.rows.clear();
  for (int i = 1; i <= rows; ++i) {
    data.rows.push_back(Row("Buyer specification item " + std::to_string(i), "Tear strength", "EN ISO 3377-1",
                            std::to_string(i) + ".5; " + std::to_string(i) + ".7", "N", "≥ 40 N",
                            i % 3 == 0 ? "fail" : "pass"));
  }
  return data;
}

// The xMax attribute of every <word> in `pdftotext -bbox` output: each word's right edge in points.
// (Scanned by hand: std::regex trips GCC 12's -Wmaybe-uninitialized under the sanitizers.)
std::vector<double> WordRightEdges(const std::string& html) {
  constexpr std::string_view kAttribute = "xMax=\"";
  std::vector<double> edges;
  for (size_t pos = html.find(kAttribute); pos != std::string::npos; pos = html.find(kAttribute, pos + 1)) {
    edges.push_back(std::stod(html.substr(pos + kAttribute.size(), 32)));
  }
  return edges;
}

std::string Quote(const std::string& path) {
  return "'" + path + "'";
}

class SampleReportTest : public ::testing::Test {
 protected:
  void SetUp() override { dir_ = lims::testing::MakeTempDir("sample_report_test_"); }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::string Save(const std::string& name, const std::string& pdf) {
    const std::string path = dir_ + "/" + name;
    lims::testing::WriteFile(path, pdf);
    return path;
  }

  // Text of the PDF as pdftotext extracts it; `options` selects pages or output style. Written to
  // a file because pdftotext prints libharu-related warnings on stderr.
  std::string Text(const std::string& pdf_path, const std::string& options = "") {
    const std::string txt = pdf_path + ".txt";
    std::string output;
    const int rc = lims::testing::RunCommand(
        "pdftotext -enc UTF-8 " + options + " " + Quote(pdf_path) + " " + Quote(txt), &output);
    EXPECT_EQ(rc, 0) << output;
    return lims::testing::ReadFile(txt);
  }

  std::string dir_;
};

TEST_F(SampleReportTest, TextHasSymbolsNamesAndValues) {
  Result<std::string> pdf = RenderSampleReport(SampleData(), FontSet::Default());
  ASSERT_OK(pdf);
  const std::string text = Text(Save("report.pdf", *pdf));
  for (const char* expected : {"Preliminary test report — not a certificate", "AGR-2026-000123", "page 1 of 1",
                               "The results relate only to the items tested.", "Łódź Šoe Exports", "µg/cm²", "≤ 0.5",
                               "≥ 4.0 N/mm", "2.9; 3.1", "0.12; 0.15", "4.6; 4.8", "Chromium(VI) content",
                               "The mean of the replicates exceeds the limit.", "in testing", "Pending"}) {
    EXPECT_NE(text.find(expected), std::string::npos) << "missing: " << expected << "\n" << text;
  }
}

TEST_F(SampleReportTest, QpdfFindsNoErrors) {
  Result<std::string> pdf = RenderSampleReport(SampleData(), FontSet::Default());
  ASSERT_OK(pdf);
  std::string output;
  EXPECT_EQ(lims::testing::RunCommand("qpdf --check " + Quote(Save("report.pdf", *pdf)), &output), 0) << output;
}

TEST_F(SampleReportTest, SameDataGivesIdenticalBytes) {
  Result<std::string> first = RenderSampleReport(SampleData(), FontSet::Default());
  Result<std::string> second = RenderSampleReport(SampleData(), FontSet::Default());
  ASSERT_OK(first);
  ASSERT_OK(second);
  EXPECT_TRUE(*first == *second);
  EXPECT_EQ(first->find("/ID"), std::string::npos);
  EXPECT_NE(first->find("D:20261124080000Z"), std::string::npos);
}

TEST_F(SampleReportTest, NoGeneratedAtMeansNoCreationDate) {
  SampleReportData data = SampleData();
  data.generated_at.clear();
  Result<std::string> pdf = RenderSampleReport(data, FontSet::Default());
  ASSERT_OK(pdf);
  EXPECT_EQ(pdf->find("/CreationDate"), std::string::npos);
}

// Each render owns its document, so renders on several threads at once match a lone render.
TEST_F(SampleReportTest, ConcurrentRendersAgree) {
  const SampleReportData data = LongData(30);
  Result<std::string> expected = RenderSampleReport(data, FontSet::Default());
  ASSERT_OK(expected);
  std::vector<std::string> outputs(4);
  std::vector<std::thread> threads;
  for (std::string& out : outputs) {
    threads.emplace_back([&data, &out] {
      for (int i = 0; i < 5; ++i) {
        Result<std::string> pdf = RenderSampleReport(data, FontSet::Default());
        out = pdf.ok() ? *pdf : pdf.status().ToString();
      }
    });
  }
  for (std::thread& t : threads) t.join();
  for (const std::string& out : outputs) EXPECT_TRUE(out == *expected);
}

TEST_F(SampleReportTest, LongTableRepeatsHeaderOnNextPage) {
  Result<std::string> pdf = RenderSampleReport(LongData(60), FontSet::Default());
  ASSERT_OK(pdf);
  const std::string path = Save("long.pdf", *pdf);
  std::string pages;
  ASSERT_EQ(lims::testing::RunCommand("qpdf --show-npages " + Quote(path), &pages), 0);
  EXPECT_GT(std::stoi(pages), 1);
  const std::string page2 = Text(path, "-f 2 -l 2");
  for (const char* expected : {"Requirement", "Property", "Method", "Values", "Unit", "Limit", "Verdict",
                               "AGR-2026-000123 · page 2 of", "The results relate only to the items tested."}) {
    EXPECT_NE(page2.find(expected), std::string::npos) << "missing: " << expected << "\n" << page2;
  }
  EXPECT_NE(Text(path).find("60.5; 60.7"), std::string::npos);
}

// Long words and sentences are wrapped inside the page rather than running off its right edge.
TEST_F(SampleReportTest, LongTextStaysInsideTheMargins) {
  SampleReportData data = SampleData();
  data.rows[0].requirement = std::string(80, 'W');
  data.rows[0].method = "A method whose name goes on and on well beyond the width of any column";
  data.rows[0].explanation = std::string(300, 'x') + " and a long explanation " + std::string(40, 'y');
  Result<std::string> pdf = RenderSampleReport(data, FontSet::Default());
  ASSERT_OK(pdf);
  const std::string html = Text(Save("wrap.pdf", *pdf), "-bbox");
  const std::vector<double> right_edges = WordRightEdges(html);
  EXPECT_GT(right_edges.size(), 50u);
  for (double x : right_edges) EXPECT_LE(x, 595.276 - 42 + 0.5);
  EXPECT_NE(html.find("WWWW"), std::string::npos);
}

TEST_F(SampleReportTest, EmptyTableSaysSo) {
  SampleReportData data = SampleData();
  data.rows.clear();
  Result<std::string> pdf = RenderSampleReport(data, FontSet::Default());
  ASSERT_OK(pdf);
  EXPECT_NE(Text(Save("empty.pdf", *pdf)).find("No results have been entered yet."), std::string::npos);
}

TEST_F(SampleReportTest, MissingFontIsAnErrorNotACrash) {
  FontSet fonts = FontSet::Default();
  fonts.bold = dir_ + "/no-such-font.ttf";
  Result<std::string> pdf = RenderSampleReport(SampleData(), fonts);
  ASSERT_FALSE(pdf.ok());
  EXPECT_EQ(pdf.status().code(), Status::Code::kInternal);
  EXPECT_NE(pdf.status().message().find(fonts.bold), std::string::npos) << pdf.status().ToString();
}

TEST_F(SampleReportTest, UnreadableFontReportsTheFailingStep) {
  FontSet fonts = FontSet::Default();
  fonts.regular = Save("broken.ttf", "this is not a TrueType file");
  Result<std::string> pdf = RenderSampleReport(SampleData(), fonts);
  ASSERT_FALSE(pdf.ok());
  EXPECT_EQ(pdf.status().code(), Status::Code::kInternal);
  EXPECT_NE(pdf.status().message().find("loading font " + fonts.regular), std::string::npos) << pdf.status().ToString();
}

TEST_F(SampleReportTest, RejectsBadVerdictAndTimestamp) {
  SampleReportData data = SampleData();
  data.rows[1].verdict = "ok";
  data.generated_at = "2026-02-30T08:00:00Z";
  Result<std::string> pdf = RenderSampleReport(data, FontSet::Default());
  ASSERT_FALSE(pdf.ok());
  EXPECT_EQ(pdf.status().code(), Status::Code::kInvalidArgument);
  std::vector<std::string> fields;
  for (const FieldError& e : pdf.status().field_errors()) fields.push_back(e.field);
  EXPECT_EQ(fields, (std::vector<std::string>{"generated_at", "rows[1].verdict"}));
}

TEST_F(SampleReportTest, AcceptsTimestampWithFractionAndOffset) {
  SampleReportData data = SampleData();
  data.generated_at = "2026-11-24T13:30:00.250+05:30";
  Result<std::string> pdf = RenderSampleReport(data, FontSet::Default());
  ASSERT_OK(pdf);
  EXPECT_NE(pdf->find("D:20261124133000+05'30'"), std::string::npos);
}

}  // namespace
}  // namespace lims::reports
