// Bearer tokens: shape, uniqueness, stored hash and constant-time comparison.
#include "lims/auth/token.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "lims/core/sha256.h"

namespace lims::auth {
namespace {

TEST(NewTokenTest, IsFortyThreeBase64UrlCharacters) {
  for (int i = 0; i < 100; ++i) {
    const std::string t = NewToken();
    EXPECT_EQ(t.size(), 43u) << t;
    EXPECT_EQ(t.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
              std::string::npos)
        << t;
    EXPECT_TRUE(LooksLikeToken(t)) << t;
  }
}

TEST(NewTokenTest, IsUniqueOverAThousandDraws) {
  std::set<std::string> tokens;
  for (int i = 0; i < 1000; ++i) tokens.insert(NewToken());
  EXPECT_EQ(tokens.size(), 1000u);
}

TEST(NewTokenTest, EncodesAllBitsOfTheLastByte) {
  // 256 bits fill 42 characters and 4 bits of the 43rd, so its 2 low bits are always zero: the last
  // character is one of 16. Seeing several of them shows the final bits are not dropped.
  std::set<char> last;
  for (int i = 0; i < 200; ++i) last.insert(NewToken().back());
  EXPECT_GT(last.size(), 8u);
  for (char c : last) EXPECT_NE(std::string("AEIMQUYcgkosw048").find(c), std::string::npos) << c;
}

TEST(HashTokenTest, IsStableSha256Hex) {
  const std::string t = NewToken();
  const std::string h = HashToken(t);
  EXPECT_EQ(h.size(), 64u);
  EXPECT_EQ(h.find_first_not_of("0123456789abcdef"), std::string::npos) << h;
  EXPECT_EQ(HashToken(t), h);
  EXPECT_EQ(h, Sha256Hex(t));
  EXPECT_NE(HashToken(NewToken()), h);
  EXPECT_EQ(HashToken("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(ConstantTimeEqualsTest, ComparesContentAndLength) {
  EXPECT_TRUE(ConstantTimeEquals("csrf-token-value", "csrf-token-value"));
  EXPECT_FALSE(ConstantTimeEquals("csrf-token-value", "csrf-token-valuf"));
  EXPECT_FALSE(ConstantTimeEquals("Xsrf-token-value", "csrf-token-value"));
  EXPECT_FALSE(ConstantTimeEquals("csrf-token-value", "csrf-token-value2"));
  EXPECT_FALSE(ConstantTimeEquals("csrf", ""));
  EXPECT_FALSE(ConstantTimeEquals("", "csrf"));
  EXPECT_TRUE(ConstantTimeEquals("", ""));
  EXPECT_TRUE(ConstantTimeEquals(std::string_view(), std::string_view()));
  EXPECT_FALSE(ConstantTimeEquals(std::string("a\0b", 3), std::string("a\0c", 3)));
}

TEST(LooksLikeTokenTest, AcceptsOnlyTheTokenShape) {
  const std::string t = NewToken();
  EXPECT_TRUE(LooksLikeToken(t));
  EXPECT_TRUE(LooksLikeToken(std::string(43, 'a')));
  EXPECT_TRUE(LooksLikeToken(std::string(21, '-') + std::string(22, '_')));
  EXPECT_FALSE(LooksLikeToken(""));
  EXPECT_FALSE(LooksLikeToken(t.substr(0, 42)));
  EXPECT_FALSE(LooksLikeToken(t + "A"));
  EXPECT_FALSE(LooksLikeToken(t.substr(0, 42) + "="));
  EXPECT_FALSE(LooksLikeToken(t.substr(0, 42) + "+"));
  EXPECT_FALSE(LooksLikeToken(t.substr(0, 42) + "/"));
  EXPECT_FALSE(LooksLikeToken(t.substr(0, 42) + " "));
  EXPECT_FALSE(LooksLikeToken(t.substr(0, 42) + std::string(1, '\0')));
  EXPECT_FALSE(LooksLikeToken(HashToken(t)));
}

}  // namespace
}  // namespace lims::auth
