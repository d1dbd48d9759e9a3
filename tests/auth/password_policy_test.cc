// The rules for a new password, the shipped common-password list and generated passwords.
#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "lims/auth/password.h"
#include "tests/support/test_support.h"

namespace lims::auth {
namespace {

using ::lims::testing::Fields;
using ::lims::testing::MakeTempDir;
using ::lims::testing::WriteFile;

const CommonPasswords& Common() {
  static const CommonPasswords kCommon = CommonPasswords::FromList({"password1234", "qwertyuiop12", "Jaihind12345"});
  return kCommon;
}

// The reason given for refusing `password` for user "asha"; empty when it is accepted.
std::string Refusal(const std::string& password, const std::string& username = "asha") {
  const Status s = CheckNewPassword(password, username, Common());
  if (s.ok()) return "";
  EXPECT_EQ(s.code(), Status::Code::kUnprocessable) << s.ToString();
  EXPECT_EQ(Fields(s), std::vector<std::string>{"password"}) << s.ToString();
  return s.field_errors().empty() ? "?" : s.field_errors()[0].reason;
}

bool Mentions(const std::string& reason, const std::string& word) {
  return reason.find(word) != std::string::npos;
}

TEST(CheckNewPasswordTest, AcceptsAGoodPassword) {
  EXPECT_OK(CheckNewPassword("tulsi-chai-at-4pm", "asha", Common()));
  EXPECT_OK(CheckNewPassword("abcdefghijkm", "asha", CommonPasswords()));  // exactly 12
}

TEST(CheckNewPasswordTest, RefusesFewerThanTwelveCharacters) {
  EXPECT_TRUE(Mentions(Refusal("abcdefghijk"), "at least 12")) << Refusal("abcdefghijk");
  EXPECT_TRUE(Mentions(Refusal(""), "at least 12"));
}

TEST(CheckNewPasswordTest, RefusesMoreThan256Characters) {
  EXPECT_EQ(Refusal(std::string(128, 'a') + std::string(128, 'b')), "");
  EXPECT_TRUE(Mentions(Refusal(std::string(128, 'a') + std::string(129, 'b')), "at most 256"));
}

TEST(CheckNewPasswordTest, CountsCodePointsNotBytes) {
  // Twelve two-byte characters (24 bytes) are long enough; the refusal is for the repetition only.
  EXPECT_TRUE(Mentions(Refusal("ääääääääääää"), "repeated")) << Refusal("ääääääääääää");
  EXPECT_EQ(Refusal("äöüäöüäöüäöü"), "");
  EXPECT_EQ(Refusal("परीक्षणपासवर्ड"), "");  // 14 code points, 42 bytes
  // Eleven of them (22 bytes) are too short.
  EXPECT_TRUE(Mentions(Refusal("äöüäöüäöüäö"), "at least 12"));
  // 256 three-byte characters pass, 257 do not.
  std::string long_devanagari;
  for (int i = 0; i < 128; ++i) long_devanagari += "कख";
  EXPECT_EQ(Refusal(long_devanagari), "");
  EXPECT_TRUE(Mentions(Refusal(long_devanagari + "ग"), "at most 256"));
}

TEST(CheckNewPasswordTest, RefusesInvalidUtf8) {
  EXPECT_TRUE(Mentions(Refusal("abcdefghijk\xff"), "UTF-8"));
  EXPECT_TRUE(Mentions(Refusal("abcdefghijklm\xc3"), "UTF-8"));       // truncated sequence
  EXPECT_TRUE(Mentions(Refusal("abcdefghijk\x80\x80l"), "UTF-8"));    // stray continuation bytes
  EXPECT_TRUE(Mentions(Refusal("abcdefghijk\xc0\xafxyz"), "UTF-8"));  // overlong '/'
}

TEST(CheckNewPasswordTest, RefusesOneRepeatedCharacter) {
  EXPECT_TRUE(Mentions(Refusal("aaaaaaaaaaaaaaaa"), "repeated"));
  EXPECT_TRUE(Mentions(Refusal("777777777777"), "repeated"));
  EXPECT_EQ(Refusal("aaaaaaaaaaab"), "");
}

TEST(CheckNewPasswordTest, RefusesCommonPasswordsInAnyCase) {
  EXPECT_TRUE(Mentions(Refusal("password1234"), "common"));
  EXPECT_TRUE(Mentions(Refusal("PassWord1234"), "common"));
  EXPECT_TRUE(Mentions(Refusal("jaihind12345"), "common"));  // listed in mixed case
  EXPECT_EQ(Refusal("password12345"), "");
}

TEST(CheckNewPasswordTest, RefusesTheUsernameInAnyCase) {
  EXPECT_TRUE(Mentions(Refusal("ravi.kumar.lab", "ravi.kumar.lab"), "username"));
  EXPECT_TRUE(Mentions(Refusal("RAVI.KUMAR.LAB", "ravi.kumar.lab"), "username"));
  EXPECT_TRUE(Mentions(Refusal("my-ravi.kumar-2026", "ravi.kumar"), "username"));
  EXPECT_TRUE(Mentions(Refusal("xx-Ravi.Kumar-xx", "ravi.kumar"), "username"));
  EXPECT_EQ(Refusal("kumar-ravi-lab-2026", "ravi.kumar"), "");
  EXPECT_OK(CheckNewPassword("any-good-password", "", Common()));
}

TEST(CommonPasswordsTest, ShippedListLoads) {
  Result<CommonPasswords> list = CommonPasswords::Load(DefaultCommonPasswordsPath());
  ASSERT_OK(list);
  EXPECT_GE(list->size(), 300u);
  for (const char* p : {"password1234", "PASSWORD1234", "123456", "qwerty", "iloveyou", "admin123", "welcome1",
                        "india123", "jaihind", "agra1234", "qwertyuiop12", "123456789012"}) {
    EXPECT_TRUE(list->Contains(p)) << p;
  }
  EXPECT_FALSE(list->Contains("tulsi-chai-at-4pm"));
  EXPECT_FALSE(list->Contains("# Pramaan"));  // comment lines are not entries
  EXPECT_FALSE(list->Contains(""));
}

TEST(CommonPasswordsTest, ShippedListRefusesLongCommonPasswords) {
  Result<CommonPasswords> list = CommonPasswords::Load(DefaultCommonPasswordsPath());
  ASSERT_OK(list);
  for (const char* p : {"password1234", "qwertyuiop12", "123456789012", "Welcome@1234"}) {
    const Status s = CheckNewPassword(p, "asha", *list);
    EXPECT_EQ(s.code(), Status::Code::kUnprocessable) << p;
  }
}

TEST(CommonPasswordsTest, LoadSkipsCommentsBlanksAndWhitespace) {
  const std::string path = MakeTempDir("auth_test") + "/list.txt";
  WriteFile(path, "# header\n\nAlpha\r\n  beta  \n#gamma\n");
  Result<CommonPasswords> list = CommonPasswords::Load(path);
  ASSERT_OK(list);
  EXPECT_EQ(list->size(), 2u);
  EXPECT_TRUE(list->Contains("alpha"));
  EXPECT_TRUE(list->Contains("BETA"));
  EXPECT_FALSE(list->Contains("#gamma"));
  EXPECT_FALSE(list->Contains("gamma"));
}

TEST(CommonPasswordsTest, LoadRefusesAMissingOrEmptyFile) {
  EXPECT_EQ(CommonPasswords::Load("/nonexistent/common.txt").status().code(), Status::Code::kNotFound);
  const std::string path = MakeTempDir("auth_test") + "/empty.txt";
  WriteFile(path, "# only a comment\n\n");
  EXPECT_EQ(CommonPasswords::Load(path).status().code(), Status::Code::kInvalidArgument);
}

TEST(GeneratePasswordTest, HasTwentyUnambiguousCharacters) {
  const std::string kAllowed = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
  std::set<char> seen;
  for (int i = 0; i < 200; ++i) {
    const std::string p = GeneratePassword();
    ASSERT_EQ(p.size(), 20u) << p;
    for (char c : p) {
      EXPECT_NE(kAllowed.find(c), std::string::npos) << "'" << c << "' in " << p;
      seen.insert(c);
    }
  }
  // 4000 draws from 57 characters: every one of them shows up (a miss has odds below 1e-20).
  EXPECT_EQ(seen.size(), kAllowed.size());
}

TEST(GeneratePasswordTest, PassesTheRulesAndDiffers) {
  Result<CommonPasswords> list = CommonPasswords::Load(DefaultCommonPasswordsPath());
  ASSERT_OK(list);
  std::set<std::string> drawn;
  for (int i = 0; i < 20; ++i) {
    const std::string p = GeneratePassword();
    EXPECT_OK(CheckNewPassword(p, "admin", *list));
    drawn.insert(p);
  }
  EXPECT_EQ(drawn.size(), 20u);
}

}  // namespace
}  // namespace lims::auth
