#include "index/index_naming.h"

#include <gtest/gtest.h>

namespace podmon::index {
namespace {

using std::chrono::system_clock;

system_clock::time_point at(long long epochMs) { return system_clock::time_point(std::chrono::milliseconds(epochMs)); }

TEST(IndexNamingTest, DailyIndexIsTheUtcDate) {
  EXPECT_EQ(dailyIndexName("k8s-crash-monitor-", at(1714557930000)), "k8s-crash-monitor-2024.05.01");
  EXPECT_EQ(dailyIndexName("p-", at(1714607999999)), "p-2024.05.01");  // 23:59:59.999Z
  EXPECT_EQ(dailyIndexName("p-", at(1714608000000)), "p-2024.05.02");  // midnight UTC
}

TEST(IndexNamingTest, CrashTimeIsFinishedAtInUtc) {
  crash::CrashEvent event;
  event.finishedAt = "2024-05-01T23:30:00-02:00";  // 2024-05-02T01:30:00Z
  event.detectedAt = at(1714557930000);
  EXPECT_EQ(dailyIndexName("p-", crashTime(event, at(0))), "p-2024.05.02");
}

TEST(IndexNamingTest, CrashTimeFallsBackToDetectionThenToTheGivenTime) {
  crash::CrashEvent event;
  event.finishedAt = "";
  event.detectedAt = at(1714557930000);
  EXPECT_EQ(crashTime(event, at(5)), at(1714557930000));
  event.finishedAt = "garbage";
  EXPECT_EQ(crashTime(event, at(5)), at(1714557930000));
  event.detectedAt = {};
  EXPECT_EQ(crashTime(event, at(5)), at(5));
}

TEST(IndexNamingTest, PrefixRules) {
  EXPECT_EQ(indexPrefixProblem("k8s-crash-monitor-"), "");
  EXPECT_EQ(indexPrefixProblem("crashes."), "");
  EXPECT_NE(indexPrefixProblem(""), "");
  EXPECT_NE(indexPrefixProblem("K8s-"), "");
  EXPECT_NE(indexPrefixProblem("_crashes"), "");
  EXPECT_NE(indexPrefixProblem("-crashes"), "");
  EXPECT_NE(indexPrefixProblem("a b"), "");
  EXPECT_NE(indexPrefixProblem("a*"), "");
  EXPECT_NE(indexPrefixProblem("a/b"), "");
  EXPECT_NE(indexPrefixProblem(std::string(201, 'a')), "");
}

}  // namespace
}  // namespace podmon::index
