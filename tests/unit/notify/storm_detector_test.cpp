#include "notify/storm_detector.h"

#include <gtest/gtest.h>

namespace podmon::notify {
namespace {

using namespace std::chrono_literals;

TEST(StormDetectorTest, AChannelIsStormyWhileCrashesArriveFasterThanSlackTakesThem) {
  StormDetector detector(5, 10s);
  const auto t0 = std::chrono::steady_clock::time_point(1000s);
  for (int id = 1; id <= 4; ++id) detector.seen("#shop", id, t0);
  EXPECT_FALSE(detector.stormy("#shop", t0));
  detector.seen("#shop", 5, t0 + 1s);
  EXPECT_TRUE(detector.stormy("#shop", t0 + 1s));
  EXPECT_FALSE(detector.stormy("#other", t0 + 1s));  // per channel
  EXPECT_FALSE(detector.stormy("#shop", t0 + 10s));  // four of them are out of the window
  EXPECT_FALSE(detector.stormy("#shop", t0 + 12s));
}

TEST(StormDetectorTest, AnItemComingBackIsCountedOnce) {
  StormDetector detector(3, 10s);
  const auto t0 = std::chrono::steady_clock::time_point(1000s);
  for (int i = 0; i < 5; ++i) detector.seen("#shop", 7, t0 + std::chrono::seconds(i));
  EXPECT_FALSE(detector.stormy("#shop", t0 + 5s));
}

TEST(StormDetectorTest, ThresholdZeroNeverGroups) {
  StormDetector detector(0, 10s);
  const auto t0 = std::chrono::steady_clock::time_point(1000s);
  for (int id = 1; id <= 100; ++id) detector.seen("#shop", id, t0);
  EXPECT_FALSE(detector.stormy("#shop", t0));
}

}  // namespace
}  // namespace podmon::notify
