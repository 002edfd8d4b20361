#include "core/backoff.h"

#include <gtest/gtest.h>

namespace podmon {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

TEST(Backoff, DoublesFromInitialUpToCapWithoutJitter) {
  Backoff b({milliseconds(800), milliseconds(30000), 2.0, 0.0, seconds(120)}, 1);
  auto t = std::chrono::steady_clock::time_point{} + seconds(1000);
  std::vector<long long> got;
  for (int i = 0; i < 8; ++i) got.push_back(b.nextDelay(t + seconds(i)).count());
  EXPECT_EQ(got, (std::vector<long long>{800, 1600, 3200, 6400, 12800, 25600, 30000, 30000}));
}

TEST(Backoff, JitterStaysWithinOneToTwoTimesTheBase) {
  Backoff b({}, 42);
  auto t = std::chrono::steady_clock::time_point{} + seconds(1000);
  for (int i = 0; i < 50; ++i) {
    auto d = b.nextDelay(t + seconds(i));
    EXPECT_GE(d, b.current());
    EXPECT_LT(d, b.current() * 2);
  }
  EXPECT_EQ(b.current(), milliseconds(30000));
}

TEST(Backoff, ResetsAfterAHealthyPeriod) {
  Backoff b({milliseconds(800), milliseconds(30000), 2.0, 0.0, seconds(120)}, 1);
  auto t = std::chrono::steady_clock::time_point{} + seconds(1000);
  b.nextDelay(t);
  b.nextDelay(t + seconds(1));
  EXPECT_EQ(b.nextDelay(t + seconds(2)).count(), 3200);
  EXPECT_EQ(b.nextDelay(t + seconds(2) + seconds(121)).count(), 800);
  b.reset();
  EXPECT_EQ(b.current().count(), 0);
}

}  // namespace
}  // namespace podmon
