// Argon2id hashing: round trips, salts, tampering and the parameters carried by the encoding.
#include <gtest/gtest.h>

#include <string>

#include "lims/auth/password.h"
#include "tests/support/test_support.h"

namespace lims::auth {
namespace {

const Argon2Params kFast = Argon2Params::ForTests();

std::string Hash(const std::string& password, const Argon2Params& p = kFast) {
  Result<std::string> h = HashPassword(password, p);
  EXPECT_OK(h);
  return h.ok() ? *h : std::string();
}

TEST(HashPasswordTest, RoundTrips) {
  const std::string encoded = Hash("correct horse battery staple");
  EXPECT_TRUE(VerifyPassword("correct horse battery staple", encoded));
}

TEST(HashPasswordTest, RoundTripsTheEmptyAndNonAsciiPasswords) {
  EXPECT_TRUE(VerifyPassword("", Hash("")));
  EXPECT_TRUE(VerifyPassword("पासवर्ड-ääö-密码", Hash("पासवर्ड-ääö-密码")));
}

TEST(HashPasswordTest, RefusesTheWrongPassword) {
  const std::string encoded = Hash("correct horse battery staple");
  EXPECT_FALSE(VerifyPassword("correct horse battery stapla", encoded));
  EXPECT_FALSE(VerifyPassword("Correct horse battery staple", encoded));
  EXPECT_FALSE(VerifyPassword("", encoded));
}

TEST(HashPasswordTest, ProducesArgon2idWithItsParameters) {
  const std::string encoded = Hash("correct horse battery staple", Argon2Params{2, 2048, 1});
  EXPECT_EQ(encoded.rfind("$argon2id$v=19$m=2048,t=2,p=1$", 0), 0u) << encoded;
  // 16-byte salt and 32-byte tag, unpadded base64: 22 and 43 characters.
  const size_t tag_at = encoded.rfind('$');
  const size_t salt_at = encoded.rfind('$', tag_at - 1);
  EXPECT_EQ(tag_at - salt_at - 1, 22u) << encoded;
  EXPECT_EQ(encoded.size() - tag_at - 1, 43u) << encoded;
}

TEST(HashPasswordTest, SaltsEveryHash) {
  const std::string a = Hash("correct horse battery staple");
  const std::string b = Hash("correct horse battery staple");
  EXPECT_NE(a, b);
  EXPECT_TRUE(VerifyPassword("correct horse battery staple", a));
  EXPECT_TRUE(VerifyPassword("correct horse battery staple", b));
}

TEST(HashPasswordTest, RefusesParametersArgonCannotUse) {
  EXPECT_EQ(HashPassword("x", Argon2Params{0, 1024, 1}).status().code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(HashPassword("x", Argon2Params{1, 4, 1}).status().code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(HashPassword("x", Argon2Params{1, 1024, 0}).status().code(), Status::Code::kInvalidArgument);
}

TEST(VerifyPasswordTest, RefusesATamperedTag) {
  std::string encoded = Hash("correct horse battery staple");
  char& last = encoded[encoded.size() - 2];  // not the final character, whose low bits are padding
  last = last == 'A' ? 'B' : 'A';
  EXPECT_FALSE(VerifyPassword("correct horse battery staple", encoded));
}

TEST(VerifyPasswordTest, RefusesTamperedParameters) {
  const std::string encoded = Hash("correct horse battery staple");
  std::string weaker = encoded;
  weaker.replace(weaker.find("m=1024"), 6, "m=1023");
  EXPECT_FALSE(VerifyPassword("correct horse battery staple", weaker));
  std::string other_variant = encoded;
  other_variant.replace(0, 9, "$argon2i$");
  EXPECT_FALSE(VerifyPassword("correct horse battery staple", other_variant));
}

TEST(VerifyPasswordTest, RefusesMalformedEncodings) {
  const std::string encoded = Hash("correct horse battery staple");
  for (const std::string& bad :
       {std::string(), std::string("$"), std::string("plaintext"), encoded.substr(0, encoded.size() / 2),
        encoded.substr(0, encoded.rfind('$')), encoded + "$", encoded + std::string(1, '\0') + "junk",
        std::string("$argon2id$v=19$m=4294967295,t=4294967295,p=1$c2FsdHNhbHRzYWx0$AAAA"),
        std::string("$argon2id$v=19$m=,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")}) {
    EXPECT_FALSE(VerifyPassword("correct horse battery staple", bad)) << bad;
  }
}

TEST(VerifyPasswordTest, RefusesATrailingNulRatherThanTruncating) {
  const std::string encoded = Hash("correct horse battery staple");
  EXPECT_FALSE(VerifyPassword("correct horse battery staple", encoded + std::string(1, '\0')));
}

TEST(NeedsRehashTest, FalseForTheSameParameters) {
  EXPECT_FALSE(NeedsRehash(Hash("pw", kFast), kFast));
}

TEST(NeedsRehashTest, TrueWhenMemoryOrPassesAreLower) {
  const std::string encoded = Hash("pw", Argon2Params{2, 2048, 1});
  EXPECT_TRUE(NeedsRehash(encoded, Argon2Params{2, 4096, 1}));
  EXPECT_TRUE(NeedsRehash(encoded, Argon2Params{3, 2048, 1}));
  EXPECT_TRUE(NeedsRehash(encoded, Argon2Params()));
}

TEST(NeedsRehashTest, FalseWhenStrongerOrOnlyParallelismDiffers) {
  const std::string encoded = Hash("pw", Argon2Params{2, 2048, 1});
  EXPECT_FALSE(NeedsRehash(encoded, Argon2Params{1, 1024, 1}));
  EXPECT_FALSE(NeedsRehash(encoded, Argon2Params{2, 2048, 4}));
}

TEST(NeedsRehashTest, TrueForForeignOrMalformedEncodings) {
  EXPECT_TRUE(NeedsRehash("", kFast));
  EXPECT_TRUE(NeedsRehash("not a hash", kFast));
  EXPECT_TRUE(NeedsRehash("$argon2i$v=19$m=65536,t=3,p=1$c2FsdHNhbHRzYWx0$AAAA", kFast));
  EXPECT_TRUE(NeedsRehash("$argon2id$m=65536,t=3,p=1$c2FsdHNhbHRzYWx0$AAAA", kFast));  // pre-1.3
  EXPECT_TRUE(NeedsRehash("$argon2id$v=16$m=65536,t=3,p=1$c2FsdHNhbHRzYWx0$AAAA", kFast));
}

}  // namespace
}  // namespace lims::auth
