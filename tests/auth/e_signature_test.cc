#include "lims/auth/e_signature.h"

#include <gtest/gtest.h>

#include "lims/auth/password.h"
#include "tests/support/test_support.h"

namespace lims::auth {
namespace {

using ::lims::testing::Fields;

class ESignatureTest : public ::testing::Test {
 protected:
  void SetUp() override {
    signer_.id = 7;
    signer_.username = "meera";
    signer_.name = "Meera Sharma";
    signer_.roles = {Role::kReviewer, Role::kSignatory};
    Result<std::string> hash = HashPassword("correct horse battery", Argon2Params::ForTests());
    ASSERT_TRUE(hash.ok());
    signer_.password_hash = *hash;
  }

  User signer_;
  const Timestamp now_ = Timestamp(std::chrono::seconds(1795000000));
};

TEST_F(ESignatureTest, SignatoryWithTheRightPasswordSigns) {
  Result<ESignature> s =
      PrepareSignature(signer_, "correct horse battery", SignatureMeaning::kIssue, "certificate AGR-C-1", "", now_);
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_EQ(s->user_id, 7);
  EXPECT_EQ(s->signer, "Meera Sharma");
  EXPECT_EQ(SignatureMeaningName(s->meaning), "issue");
  EXPECT_EQ(s->record, "certificate AGR-C-1");
  EXPECT_EQ(s->at, now_);
}

TEST_F(ESignatureTest, WrongPasswordNamesPassword) {
  Result<ESignature> s = PrepareSignature(signer_, "wrong", SignatureMeaning::kIssue, "certificate AGR-C-1", "", now_);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(Fields(s.status()), std::vector<std::string>{"password"});
}

TEST_F(ESignatureTest, AmendAndRevokeNeedAReason) {
  for (SignatureMeaning m : {SignatureMeaning::kAmend, SignatureMeaning::kRevoke}) {
    Result<ESignature> s = PrepareSignature(signer_, "correct horse battery", m, "certificate AGR-C-1", "", now_);
    ASSERT_FALSE(s.ok());
    EXPECT_EQ(Fields(s.status()), std::vector<std::string>{"reason"});
  }
  EXPECT_TRUE(PrepareSignature(signer_, "correct horse battery", SignatureMeaning::kRevoke, "certificate AGR-C-1",
                               "wrong lot number", now_)
                  .ok());
}

TEST_F(ESignatureTest, OnlyAnEnabledSignatoryCanSign) {
  User reviewer = signer_;
  reviewer.roles = {Role::kReviewer};
  EXPECT_EQ(
      Fields(PrepareSignature(reviewer, "correct horse battery", SignatureMeaning::kIssue, "x", "", now_).status()),
      std::vector<std::string>{"signer"});
  User disabled = signer_;
  disabled.disabled = true;
  EXPECT_FALSE(PrepareSignature(disabled, "correct horse battery", SignatureMeaning::kIssue, "x", "", now_).ok());
}

}  // namespace
}  // namespace lims::auth
