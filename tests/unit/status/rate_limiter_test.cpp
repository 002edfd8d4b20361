#include "status/rate_limiter.h"

#include <gtest/gtest.h>

#include "unit/notify/notify_fakes.h"

namespace podmon::status {
namespace {

using notify::fakes::ManualClock;

TEST(RateLimiter, BurstUpToTheHourlyLimitThenRetryAfter) {
  auto clock = std::make_shared<ManualClock>();
  RateLimiter limiter(3600, clock);  // one a second
  for (int i = 0; i < 3600; ++i) ASSERT_TRUE(limiter.take("10.0.0.1").allowed) << i;
  auto refused = limiter.take("10.0.0.1");
  EXPECT_FALSE(refused.allowed);
  EXPECT_EQ(refused.retryAfter, std::chrono::seconds(1));
  EXPECT_TRUE(limiter.take("10.0.0.2").allowed);  // per client
  clock->advance(std::chrono::seconds(1));
  EXPECT_TRUE(limiter.take("10.0.0.1").allowed);
  EXPECT_FALSE(limiter.take("10.0.0.1").allowed);
}

TEST(RateLimiter, RetryAfterMatchesTheRefillRate) {
  auto clock = std::make_shared<ManualClock>();
  RateLimiter limiter(2, clock);  // one per 30 minutes
  EXPECT_TRUE(limiter.take("c").allowed);
  EXPECT_TRUE(limiter.take("c").allowed);
  auto refused = limiter.take("c");
  EXPECT_FALSE(refused.allowed);
  EXPECT_EQ(refused.retryAfter, std::chrono::seconds(1800));
  clock->advance(std::chrono::seconds(1799));
  EXPECT_FALSE(limiter.take("c").allowed);
  clock->advance(std::chrono::seconds(2));
  EXPECT_TRUE(limiter.take("c").allowed);
}

TEST(RateLimiter, ForgetsIdleClients) {
  auto clock = std::make_shared<ManualClock>();
  RateLimiter limiter(10, clock);
  limiter.take("a");
  limiter.take("b");
  EXPECT_EQ(limiter.clients(), 2u);
  clock->advance(std::chrono::hours(2));
  limiter.take("c");
  EXPECT_EQ(limiter.clients(), 1u);
}

TEST(RateLimiter, AFloodOfAddressesCannotGrowTheBucketsBeyondTheCap) {
  auto clock = std::make_shared<ManualClock>();
  RateLimiter limiter(2, clock, 100);
  for (int i = 0; i < 10000; ++i) limiter.take("10.1." + std::to_string(i / 256) + "." + std::to_string(i % 256));
  EXPECT_EQ(limiter.clients(), 100u);
}

TEST(RateLimiter, EvictsTheLeastRecentlyUsedBucket) {
  auto clock = std::make_shared<ManualClock>();
  RateLimiter limiter(1, clock, 3);
  EXPECT_TRUE(limiter.take("a").allowed);
  EXPECT_TRUE(limiter.take("b").allowed);
  EXPECT_TRUE(limiter.take("c").allowed);
  EXPECT_FALSE(limiter.take("a").allowed);  // a is the most recently used now
  EXPECT_TRUE(limiter.take("d").allowed);   // evicts b
  EXPECT_EQ(limiter.clients(), 3u);
  EXPECT_FALSE(limiter.take("a").allowed);  // a's spent bucket was kept
  EXPECT_TRUE(limiter.take("b").allowed);   // b starts again (evicting c)
  EXPECT_TRUE(limiter.take("c").allowed);
}

}  // namespace
}  // namespace podmon::status
