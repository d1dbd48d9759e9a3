#include "lims/store/certificate_store.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "lims/auth/e_signature.h"
#include "lims/core/sample_service.h"
#include "lims/core/sha256.h"
#include "lims/store/connection_pool.h"
#include "lims/store/migrator.h"
#include "lims/store/mysql_sample_store.h"
#include "lims/store/mysql_user_store.h"
#include "lims/store/unit_of_work.h"
#include "tests/support/test_database.h"
#include "tests/support/test_support.h"

namespace lims::store {
namespace {

using ::lims::testing::At;

using ::lims::testing::SourcePath;
using ::lims::testing::TestDatabase;

// A migrated database with the lab, an exporter, a registered sample and a signatory.
class CertificateStoreTest : public ::testing::Test {
 protected:
  CertificateStoreTest() : pool_(db_.config()), clock_(At("2026-11-25T09:00:00Z")) {}

  void SetUp() override {
    Result<ConnectionPool::Lease> lease = pool_.Acquire();
    ASSERT_OK(lease);
    lease_.emplace(std::move(lease).value());
    Result<std::vector<MigrationFile>> files = ReadMigrations(SourcePath("schema"));
    ASSERT_OK(files);
    ASSERT_OK(Migrate(c(), *files));
    MysqlSampleStore samples(c());
    ASSERT_OK(samples.EnsureLab(Lab{"AGR", "Footwear Testing Laboratory, Agra", "Agra", "TC-0000"}));
    Organization org;
    org.name = "Sikandra Footwear Exports";
    org.iec = "0512345678";
    org.district = "Agra";
    Result<int64_t> exporter = samples.EnsureOrganization(org);
    ASSERT_OK(exporter);
    exporter_ = *exporter;
    NewSample intake;
    intake.exporter_id = exporter_;
    intake.product = "Men's safety boot";
    intake.quantity = 2;
    intake.quantity_unit = "pairs";
    intake.destination = "DE";
    intake.requirements = {"REACH-XVII-47-CRVI-LEATHER"};
    SampleService service(samples, clock_, "AGR");
    Result<SampleRecord> sample = service.Register(intake);
    ASSERT_OK(sample);
    sample_id_ = sample->id;
    MysqlUserStore users(c());
    Result<User> signer = users.CreateUser(NewUser{"sig", "Dr Asha Verma", {Role::kSignatory}, std::nullopt, "x"});
    ASSERT_OK(signer);
    signer_ = *signer;
  }

  sql::Connection& c() { return lease_->connection(); }

  CertificateRecord Draft() const {
    CertificateRecord r;
    r.exporter_id = exporter_;
    r.kind = CertificateKind::kConformity;
    r.verdict = Verdict::kPass;
    r.issued_at = clock_.Now();
    r.issued_by_id = signer_.id;
    return r;
  }

  // Issues with a document that names its number, signed (e-signature row) in the same transaction.
  Result<CertificateRecord> IssueOne(CertificateRecord draft, const std::string& body = "") {
    CertificateStore store(c());
    return store.Issue("AGR", sample_id_, std::move(draft), [&](const std::string& number) -> Result<IssuedDocument> {
      MysqlUserStore users(c());
      auth::ESignature sig;
      sig.user_id = signer_.id;
      sig.signer = signer_.name;
      sig.meaning = auth::SignatureMeaning::kIssue;
      sig.record = "certificate " + number;
      sig.at = clock_.Now();
      Result<auth::ESignature> recorded = users.RecordSignature(sig);
      if (!recorded.ok()) return recorded.status();
      return IssuedDocument{"%PDF-1.4 " + number + body, "jws." + number, recorded->id};
    });
  }

  TestDatabase db_;
  ConnectionPool pool_;
  FakeClock clock_;
  std::optional<ConnectionPool::Lease> lease_;
  int64_t exporter_ = 0;
  int64_t sample_id_ = 0;
  User signer_;
};

TEST_F(CertificateStoreTest, IssueNumbersGaplesslyAndStoresTheBytesOnce) {
  Result<CertificateRecord> first = IssueOne(Draft());
  ASSERT_OK(first);
  EXPECT_EQ(first->number, "AGR-C-2026-000001");
  EXPECT_EQ(first->pdf_sha256, Sha256Hex("%PDF-1.4 AGR-C-2026-000001"));
  CertificateStore store(c());
  Result<std::string> pdf = store.Pdf(first->number);
  ASSERT_OK(pdf);
  EXPECT_EQ(*pdf, "%PDF-1.4 AGR-C-2026-000001");
  Result<std::string> credential = store.Credential(first->number);
  ASSERT_OK(credential);
  EXPECT_EQ(*credential, "jws.AGR-C-2026-000001");
  Result<CertificateRecord> read = store.Find(first->number);
  ASSERT_OK(read);
  EXPECT_EQ(read->status, CertificateStatus::kValid);
  EXPECT_EQ(read->issued_by, "Dr Asha Verma");
  EXPECT_EQ(read->exporter_name, "Sikandra Footwear Exports");
  EXPECT_EQ(db_.QueryValue("SELECT status FROM samples WHERE id = " + std::to_string(sample_id_)), "issued");
  EXPECT_EQ(db_.QueryValue("SELECT issued_at FROM samples WHERE id = " + std::to_string(sample_id_)),
            "2026-11-25 09:00:00");
}

TEST_F(CertificateStoreTest, AFailedRenderingKeepsNothingAndGivesTheNumberBack) {
  {
    UnitOfWork work(c(), Actor{}, clock_.Now());
    CertificateStore store(c());
    Result<CertificateRecord> failed = store.Issue(
        "AGR", sample_id_, Draft(),
        [](const std::string&) -> Result<IssuedDocument> { return Status::Internal("the renderer failed"); });
    ASSERT_FALSE(failed.ok());
    EXPECT_EQ(failed.status().message(), "the renderer failed");
  }  // rolled back
  EXPECT_EQ(db_.QueryValue("SELECT COUNT(*) FROM certificates"), "0");
  Result<CertificateRecord> next = IssueOne(Draft());
  ASSERT_OK(next);
  EXPECT_EQ(next->number, "AGR-C-2026-000001");
}

TEST_F(CertificateStoreTest, AnAmendmentSupersedesAndTheOldOneNamesIt) {
  Result<CertificateRecord> first = IssueOne(Draft());
  ASSERT_OK(first);
  CertificateRecord amendment = Draft();
  amendment.supersedes = first->number;
  amendment.amend_reason = "the lot number was printed wrong";
  Result<CertificateRecord> second = IssueOne(amendment, " amended");
  ASSERT_OK(second);
  EXPECT_EQ(second->number, "AGR-C-2026-000002");
  CertificateStore store(c());
  Result<CertificateRecord> old = store.Find(first->number);
  ASSERT_OK(old);
  EXPECT_EQ(old->status, CertificateStatus::kSuperseded);
  EXPECT_EQ(old->superseded_by, second->number);
  Result<CertificateRecord> now = store.Find(second->number);
  ASSERT_OK(now);
  EXPECT_EQ(now->supersedes, first->number);
  Result<std::optional<CertificateRecord>> current = store.CurrentForSample(sample_id_);
  ASSERT_OK(current);
  ASSERT_TRUE(current->has_value());
  EXPECT_EQ((*current)->number, second->number);
  // The superseded one cannot be superseded again.
  CertificateRecord again = Draft();
  again.supersedes = first->number;
  EXPECT_EQ(IssueOne(again, " again").status().code(), Status::Code::kConflict);
}

TEST_F(CertificateStoreTest, RevokeIsConditionalOnTheVersionRead) {
  Result<CertificateRecord> first = IssueOne(Draft());
  ASSERT_OK(first);
  CertificateStore store(c());
  Result<CertificateRecord> read = store.Find(first->number);
  ASSERT_OK(read);
  ASSERT_OK(store.Revoke(*read, signer_.id, clock_.Now(), "results were transcribed wrong"));
  EXPECT_EQ(store.Revoke(*read, signer_.id, clock_.Now(), "twice").code(), Status::Code::kConflict);
  Result<CertificateRecord> revoked = store.Find(first->number);
  ASSERT_OK(revoked);
  EXPECT_EQ(revoked->status, CertificateStatus::kRevoked);
  EXPECT_EQ(revoked->revocation_reason, "results were transcribed wrong");
  ASSERT_TRUE(revoked->revoked_at.has_value());
}

TEST_F(CertificateStoreTest, FindsByDigestAndListsByExporterAndPeriod) {
  Result<CertificateRecord> first = IssueOne(Draft());
  ASSERT_OK(first);
  CertificateStore store(c());
  Result<CertificateRecord> by_digest = store.FindBySha256(first->pdf_sha256);
  ASSERT_OK(by_digest);
  EXPECT_EQ(by_digest->number, first->number);
  EXPECT_EQ(store.FindBySha256(Sha256Hex("not ours")).status().code(), Status::Code::kNotFound);
  CertificateQuery q;
  q.exporter_id = exporter_;
  q.from = At("2026-11-01T00:00:00Z");
  q.to = At("2026-12-01T00:00:00Z");
  Result<std::vector<CertificateRecord>> listed = store.List(q);
  ASSERT_OK(listed);
  ASSERT_EQ(listed->size(), 1u);
  q.exporter_id = exporter_ + 1000;
  listed = store.List(q);
  ASSERT_OK(listed);
  EXPECT_TRUE(listed->empty());
}

}  // namespace
}  // namespace lims::store
