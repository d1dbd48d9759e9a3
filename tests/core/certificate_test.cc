#include "lims/core/certificate.h"

#include <gtest/gtest.h>

#include "lims/core/sample_service.h"
#include "tests/support/test_support.h"

namespace lims {
namespace {

TestRecord MakeTest(int64_t id, TestStatus status, std::optional<Verdict> verdict) {
  TestRecord t;
  t.id = id;
  t.status = status;
  if (verdict) {
    ResultRecord r;
    r.test_id = id;
    r.verdict = *verdict;
    t.result = r;
  }
  return t;
}

SampleRecord MakeSample(std::vector<TestRecord> tests) {
  SampleRecord s;
  s.number = "AGR-2026-000007";
  s.status = SampleStatus::kReady;
  s.tests = std::move(tests);
  return s;
}

TEST(PlanCertificate, AllPassIsACertificateOfConformity) {
  const SampleRecord s = MakeSample({MakeTest(1, TestStatus::kApproved, Verdict::kPass),
                                     MakeTest(2, TestStatus::kApproved, Verdict::kConditionalPass)});
  Result<CertificationPlan> plan = PlanCertificate(s);
  ASSERT_OK(plan);
  EXPECT_EQ(plan->kind, CertificateKind::kConformity);
  EXPECT_EQ(plan->verdict, Verdict::kConditionalPass);
  EXPECT_EQ(plan->reported.size(), 2u);
  EXPECT_TRUE(plan->failing.empty());
}

TEST(PlanCertificate, AnyFailOrConditionalFailIsATestReportNamingThem) {
  const SampleRecord s = MakeSample({MakeTest(1, TestStatus::kApproved, Verdict::kPass),
                                     MakeTest(2, TestStatus::kApproved, Verdict::kConditionalFail),
                                     MakeTest(3, TestStatus::kApproved, Verdict::kFail)});
  Result<CertificationPlan> plan = PlanCertificate(s);
  ASSERT_OK(plan);
  EXPECT_EQ(plan->kind, CertificateKind::kTestReport);
  EXPECT_EQ(plan->verdict, Verdict::kFail);
  ASSERT_EQ(plan->failing.size(), 2u);
  EXPECT_EQ(plan->failing[0]->id, 2);
  EXPECT_EQ(plan->failing[1]->id, 3);
}

TEST(PlanCertificate, OpenTestsAreNamedWithTheirStates) {
  const SampleRecord s =
      MakeSample({MakeTest(12, TestStatus::kPending, std::nullopt), MakeTest(13, TestStatus::kApproved, Verdict::kPass),
                  MakeTest(14, TestStatus::kEntered, Verdict::kPass)});
  Result<CertificationPlan> plan = PlanCertificate(s);
  ASSERT_FALSE(plan.ok());
  EXPECT_EQ(plan.status().code(), Status::Code::kConflict);
  EXPECT_NE(plan.status().message().find("12 (pending), 14 (entered)"), std::string::npos) << plan.status().message();
}

TEST(PlanCertificate, InvalidatedTestsAreLeftOutAndNeverReported) {
  const SampleRecord s = MakeSample(
      {MakeTest(1, TestStatus::kInvalidated, Verdict::kFail), MakeTest(2, TestStatus::kApproved, Verdict::kPass)});
  Result<CertificationPlan> plan = PlanCertificate(s);
  ASSERT_OK(plan);
  EXPECT_EQ(plan->kind, CertificateKind::kConformity);
  ASSERT_EQ(plan->reported.size(), 1u);
  EXPECT_EQ(plan->reported[0]->id, 2);
}

TEST(PlanCertificate, AnIssuedSampleOrOneWithoutTestsIsAConflict) {
  SampleRecord issued = MakeSample({MakeTest(1, TestStatus::kApproved, Verdict::kPass)});
  issued.status = SampleStatus::kIssued;
  EXPECT_EQ(PlanCertificate(issued).status().code(), Status::Code::kConflict);
  EXPECT_EQ(PlanCertificate(MakeSample({})).status().code(), Status::Code::kConflict);
}

TEST(CertificateTransition, OnlyValidMovesAndOnlyOnce) {
  EXPECT_TRUE(CheckCertificateTransition("X", CertificateStatus::kValid, CertificateStatus::kRevoked).ok());
  EXPECT_TRUE(CheckCertificateTransition("X", CertificateStatus::kValid, CertificateStatus::kSuperseded).ok());
  const Status again =
      CheckCertificateTransition("AGR-C-2026-000001", CertificateStatus::kRevoked, CertificateStatus::kSuperseded);
  EXPECT_EQ(again.code(), Status::Code::kConflict);
  EXPECT_NE(again.message().find("is revoked; it can go to: nothing (final)"), std::string::npos);
  EXPECT_EQ(CheckCertificateTransition("X", CertificateStatus::kValid, CertificateStatus::kValid).code(),
            Status::Code::kConflict);
}

TEST(CertificateReason, NeedsTenVisibleCharacters) {
  EXPECT_EQ(CheckCertificateReason("   typo    ").code(), Status::Code::kUnprocessable);
  EXPECT_TRUE(CheckCertificateReason("wrong lot number printed").ok());
}

TEST(CertificateNumber, FormatsAndRecognises) {
  EXPECT_EQ(FormatCertificateNumber("AGR", 2026, 1), "AGR-C-2026-000001");
  EXPECT_EQ(FormatCertificateNumber("AGR", 2027, 1234567), "AGR-C-2027-1234567");
  EXPECT_TRUE(LooksLikeCertificateNumber("AGR-C-2026-000001"));
  EXPECT_FALSE(LooksLikeCertificateNumber("AGR-2026-000001"));  // a sample number
  EXPECT_FALSE(LooksLikeCertificateNumber("agr-C-2026-000001"));
  EXPECT_FALSE(LooksLikeCertificateNumber("AGR-C-2026-00001"));
  EXPECT_FALSE(LooksLikeCertificateNumber("AGR-C-20X6-000001"));
  EXPECT_FALSE(LooksLikeCertificateNumber(""));
}

TEST(CertificateStatusNames, RoundTrip) {
  for (CertificateStatus s : {CertificateStatus::kValid, CertificateStatus::kRevoked, CertificateStatus::kSuperseded}) {
    Result<CertificateStatus> parsed = ParseCertificateStatus(CertificateStatusName(s));
    ASSERT_OK(parsed);
    EXPECT_EQ(*parsed, s);
  }
  EXPECT_EQ(ParseCertificateStatus("void").status().code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(CertificateKindName(CertificateKind::kTestReport), "test_report");
}

}  // namespace
}  // namespace lims

namespace lims {
namespace {

TEST(ClaimedMarkings, JoinsEachStandardsMarkingAndExtraSymbols) {
  TestPlanRequest plan;
  plan.markings = {{"EN ISO 20345:2022", "S3", {"SR", "HRO"}}, {"EN ISO 20347:2022", "O2", {}}};
  EXPECT_EQ(ClaimedMarkings(plan), "EN ISO 20345:2022 S3 SR HRO; EN ISO 20347:2022 O2");
  EXPECT_EQ(ClaimedMarkings(TestPlanRequest{}), "");
}

}  // namespace
}  // namespace lims
