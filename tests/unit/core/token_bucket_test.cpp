#include "core/token_bucket.h"

#include <gtest/gtest.h>

#include <stdexcept>

namespace podmon {
namespace {

using std::chrono::milliseconds;
using std::chrono::nanoseconds;
const std::chrono::steady_clock::time_point t0{std::chrono::seconds(1000)};

TEST(TokenBucket, TheBurstGoesAtOnceThenOneRequestPerInterval) {
  TokenBucket bucket(5, 10, t0);
  for (int i = 0; i < 10; ++i) EXPECT_EQ(bucket.reserve(t0), nanoseconds::zero()) << "request " << i;
  // The 11th waits 1/5 s, the 12th (queued behind it) 2/5 s.
  EXPECT_EQ(bucket.reserve(t0), milliseconds(200));
  EXPECT_EQ(bucket.reserve(t0), milliseconds(400));
  EXPECT_DOUBLE_EQ(bucket.tokens(t0), -2.0);
}

TEST(TokenBucket, RefillsAtQpsUpToTheBurstOnly) {
  TokenBucket bucket(5, 10, t0);
  for (int i = 0; i < 10; ++i) bucket.reserve(t0);
  EXPECT_DOUBLE_EQ(bucket.tokens(t0 + milliseconds(600)), 3.0);
  // An hour idle refills the burst, never more.
  EXPECT_DOUBLE_EQ(bucket.tokens(t0 + std::chrono::hours(1)), 10.0);
  for (int i = 0; i < 10; ++i) EXPECT_EQ(bucket.reserve(t0 + std::chrono::hours(1)), nanoseconds::zero());
  EXPECT_GT(bucket.reserve(t0 + std::chrono::hours(1)), nanoseconds::zero());
}

TEST(TokenBucket, ASustainedStormIsPacedAtQps) {
  TokenBucket bucket(5, 10, t0);
  // 100 requests arriving at once: the last may go after (100 - 10) / 5 s = 18 s.
  nanoseconds last{};
  for (int i = 0; i < 100; ++i) last = bucket.reserve(t0);
  EXPECT_EQ(last, std::chrono::seconds(18));
}

TEST(TokenBucket, ATokenWaitedForIsNotGivenTwice) {
  TokenBucket bucket(1, 1, t0);
  EXPECT_EQ(bucket.reserve(t0), nanoseconds::zero());
  EXPECT_EQ(bucket.reserve(t0), std::chrono::seconds(1));
  // Half a second later the next one still queues behind the reserved one.
  EXPECT_EQ(bucket.reserve(t0 + milliseconds(500)), milliseconds(1500));
  // A time from before the last call gives no refill (and no negative one).
  EXPECT_EQ(bucket.reserve(t0), milliseconds(2500));
}

TEST(TokenBucket, RejectsANonPositiveRateOrBurst) {
  EXPECT_THROW(TokenBucket(0, 10, t0), std::invalid_argument);
  EXPECT_THROW(TokenBucket(-1, 10, t0), std::invalid_argument);
  EXPECT_THROW(TokenBucket(5, 0, t0), std::invalid_argument);
}

}  // namespace
}  // namespace podmon
