#include "core/rate_limited_log.h"

#include <gtest/gtest.h>

namespace podmon {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

const auto kStart = std::chrono::steady_clock::time_point{} + seconds(1000);

TEST(RateLimitedLog, FirstOccurrenceIsLoggedWithoutACount) {
  RateLimitedLog log;
  auto line = log.record(kStart);
  ASSERT_TRUE(line.has_value());
  EXPECT_EQ(*line, "");
}

TEST(RateLimitedLog, AStormWritesOneLinePerWindowWithTheCount) {
  RateLimitedLog log(seconds(10));
  int lines = 0;
  std::vector<std::string> suffixes;
  // 1,200 failures a second for 30 s.
  for (int i = 0; i < 36000; ++i) {
    auto line = log.record(kStart + milliseconds(i * 30000LL / 36000));
    if (!line) continue;
    ++lines;
    suffixes.push_back(*line);
  }
  EXPECT_EQ(lines, 3);
  ASSERT_EQ(suffixes.size(), 3u);
  EXPECT_EQ(suffixes[0], "");
  EXPECT_EQ(suffixes[1], " (12000 times in the last 10s)");
  EXPECT_EQ(suffixes[2], " (12000 times in the last 10s)");
  EXPECT_EQ(log.suppressed(), 11999u);
}

TEST(RateLimitedLog, CountsWhatWasLeftOutAndSaysHowLongAgoTheLastLineWas) {
  RateLimitedLog log(seconds(10));
  ASSERT_TRUE(log.record(kStart));
  EXPECT_FALSE(log.record(kStart + seconds(1)));
  EXPECT_FALSE(log.record(kStart + milliseconds(9999)));
  EXPECT_EQ(log.suppressed(), 2u);
  auto line = log.record(kStart + seconds(25));
  ASSERT_TRUE(line.has_value());
  EXPECT_EQ(*line, " (3 times in the last 25s)");
  EXPECT_EQ(log.suppressed(), 0u);
}

TEST(RateLimitedLog, ALoneFailureAfterAQuietPeriodHasNoCount) {
  RateLimitedLog log(seconds(10));
  ASSERT_TRUE(log.record(kStart));
  auto line = log.record(kStart + seconds(60));
  ASSERT_TRUE(line.has_value());
  EXPECT_EQ(*line, "");
}

TEST(RateLimitedLog, TheWindowIsMeasuredFromTheLastLine) {
  RateLimitedLog log(seconds(10));
  ASSERT_TRUE(log.record(kStart));
  EXPECT_TRUE(log.record(kStart + seconds(10)));
  EXPECT_FALSE(log.record(kStart + seconds(19)));
  EXPECT_TRUE(log.record(kStart + seconds(20)));
}

}  // namespace
}  // namespace podmon
