#include "notify/storm_detector.h"

#include <gtest/gtest.h>

namespace podmon::notify {
namespace {

using namespace std::chrono_literals;

TEST(StormDetectorTest, AChannelIsStormyWhileManyContainersCrashWithinTheWindow) {
  StormDetector detector(5, 10s);
  const auto t0 = std::chrono::steady_clock::time_point(1000s);
  detector.seen("#shop", "c1", t0);
  EXPECT_FALSE(detector.busy("#shop", t0));
  for (int c = 2; c <= 4; ++c) detector.seen("#shop", "c" + std::to_string(c), t0);
  EXPECT_TRUE(detector.busy("#shop", t0));
  EXPECT_FALSE(detector.stormy("#shop", t0));
  detector.seen("#shop", "c5", t0 + 1s);
  EXPECT_TRUE(detector.stormy("#shop", t0 + 1s));
  EXPECT_FALSE(detector.stormy("#other", t0 + 1s));  // per channel
  EXPECT_FALSE(detector.stormy("#shop", t0 + 10s));  // four of them are out of the window
  EXPECT_FALSE(detector.busy("#shop", t0 + 12s));
  EXPECT_TRUE(detector.stormyWithin("#shop", t0 + 12s, 2min));  // a storm was seen at t0 + 1 s
  EXPECT_FALSE(detector.stormyWithin("#shop", t0 + 12s, 10s));
  EXPECT_FALSE(detector.stormyWithin("#other", t0 + 12s, 2min));
}

TEST(StormDetectorTest, OneCrashLoopingContainerIsNoStorm) {
  StormDetector detector(3, 10s);
  const auto t0 = std::chrono::steady_clock::time_point(1000s);
  for (int i = 0; i < 50; ++i) detector.seen("#shop", "loop", t0 + std::chrono::milliseconds(100 * i));
  EXPECT_FALSE(detector.busy("#shop", t0 + 5s));
  EXPECT_FALSE(detector.stormy("#shop", t0 + 5s));
}

TEST(StormDetectorTest, ThresholdZeroNeverGroups) {
  StormDetector detector(0, 10s);
  const auto t0 = std::chrono::steady_clock::time_point(1000s);
  for (int c = 1; c <= 100; ++c) detector.seen("#shop", "c" + std::to_string(c), t0);
  EXPECT_FALSE(detector.stormy("#shop", t0));
  EXPECT_FALSE(detector.busy("#shop", t0));
}

}  // namespace
}  // namespace podmon::notify
