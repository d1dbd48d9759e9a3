// The preliminary PDF report over HTTP: a valid PDF (qpdf), readable text (pdftotext), and the same
// bytes every time for the same record.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "tests/e2e/limsd_fixture.h"
#include "tests/support/json_test_util.h"
#include "tests/support/limsd_process.h"
#include "tests/support/test_support.h"

namespace lims::testing {
namespace {

class ReportTest : public LimsdSuite {
 protected:
  ~ReportTest() override {
    std::error_code ec;
    if (!temp_.empty()) std::filesystem::remove_all(temp_, ec);
  }

  // A sample with a failing chromium(VI) result; returns its number.
  std::string SampleWithResult() {
    Poco::JSON::Object::Ptr sample = Register();
    const std::string test_id = FirstTestId(sample);
    EXPECT_FALSE(test_id.empty());
    const HttpReply r = PostResult(test_id, R"({"values": ["2.9", "3.20"], "unit": "mg/kg", "uncertainty": "0.5"})");
    EXPECT_EQ(r.status, 201) << r.body;
    return JsonString(sample, "number");
  }

  std::string SaveToTemp(const std::string& bytes) {
    if (temp_.empty()) temp_ = MakeTempDir("lims-report-");
    const std::string path = temp_ + "/report.pdf";
    WriteFile(path, bytes);
    return path;
  }

  std::string temp_;
};

TEST_F(ReportTest, ReportIsAValidPdfWithTheNumberAndTheValue) {
  const std::string number = SampleWithResult();
  ASSERT_FALSE(number.empty());
  const HttpReply reply = limsd().Get("/api/v1/samples/" + number + "/report.pdf");
  ASSERT_EQ(reply.status, 200) << reply.body;
  EXPECT_EQ(reply.content_type, "application/pdf");
  ASSERT_EQ(reply.body.rfind("%PDF-", 0), 0u);
  const std::string path = SaveToTemp(reply.body);

  std::string text;
  ASSERT_EQ(RunCommand("pdftotext '" + path + "' -", &text), 0) << text;
  EXPECT_NE(text.find(number), std::string::npos) << text;
  EXPECT_NE(text.find("3.20"), std::string::npos) << text;

  std::string check;
  EXPECT_EQ(RunCommand("qpdf --check '" + path + "'", &check), 0) << check;
}

TEST_F(ReportTest, SameRecordGivesIdenticalBytes) {
  const std::string number = SampleWithResult();
  ASSERT_FALSE(number.empty());
  const HttpReply first = limsd().Get("/api/v1/samples/" + number + "/report.pdf");
  const HttpReply second = limsd().Get("/api/v1/samples/" + number + "/report.pdf");
  ASSERT_EQ(first.status, 200);
  ASSERT_EQ(second.status, 200);
  EXPECT_FALSE(first.body.empty());
  EXPECT_TRUE(first.body == second.body) << "the report changed between two fetches of the same record";
}

TEST_F(ReportTest, ReportOfAPendingSampleRenders) {
  Poco::JSON::Object::Ptr sample = Register();
  const std::string number = JsonString(sample, "number");
  ASSERT_FALSE(number.empty());
  const HttpReply reply = limsd().Get("/api/v1/samples/" + number + "/report.pdf");
  ASSERT_EQ(reply.status, 200) << reply.body;
  std::string text;
  ASSERT_EQ(RunCommand("pdftotext '" + SaveToTemp(reply.body) + "' -", &text), 0) << text;
  EXPECT_NE(text.find(number), std::string::npos) << text;
}

TEST_F(ReportTest, UnknownSampleIsNotFound) {
  const HttpReply reply = limsd().Get("/api/v1/samples/AGR-1999-999999/report.pdf");
  EXPECT_EQ(reply.status, 404) << reply.body;
  EXPECT_EQ(reply.content_type, "application/problem+json");
  const HttpReply garbage = limsd().Get("/api/v1/samples/not-a-number/report.pdf");
  EXPECT_EQ(garbage.status, 404) << garbage.body;
}

}  // namespace
}  // namespace lims::testing
