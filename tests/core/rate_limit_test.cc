#include "lims/core/rate_limit.h"

#include <gtest/gtest.h>

namespace lims {
namespace {

Timestamp T(int seconds) {
  return Timestamp(std::chrono::seconds(1'800'000'000 + seconds));
}

TEST(RateLimiter, AllowsUpToTheLimitInAWindowThenSaysWhenToRetry) {
  RateLimiter limiter(3, std::chrono::seconds(60));
  EXPECT_TRUE(limiter.Allow("a", T(0)));
  EXPECT_TRUE(limiter.Allow("a", T(10)));
  EXPECT_TRUE(limiter.Allow("a", T(20)));
  std::chrono::seconds retry{0};
  EXPECT_FALSE(limiter.Allow("a", T(30), &retry));
  EXPECT_EQ(retry, std::chrono::seconds(30));  // the request at 0 leaves the window at 60
  EXPECT_TRUE(limiter.Allow("b", T(30)));      // another client is counted apart
  EXPECT_TRUE(limiter.Allow("a", T(60)));      // the window slid
  EXPECT_FALSE(limiter.Allow("a", T(61)));
}

TEST(RateLimiter, RefusedRequestsAreNotCounted) {
  RateLimiter limiter(1, std::chrono::seconds(10));
  EXPECT_TRUE(limiter.Allow("a", T(0)));
  for (int i = 1; i < 10; ++i) EXPECT_FALSE(limiter.Allow("a", T(i)));
  EXPECT_TRUE(limiter.Allow("a", T(10)));
}

TEST(RateLimiter, ManyClientsDoNotGrowWithoutBound) {
  RateLimiter limiter(1, std::chrono::seconds(10), 100);
  for (int i = 0; i < 1000; ++i) EXPECT_TRUE(limiter.Allow("c" + std::to_string(i), T(i * 11)));
  EXPECT_FALSE(limiter.Allow("c999", T(999 * 11 + 1)));  // the live one is still counted
}

}  // namespace
}  // namespace lims
