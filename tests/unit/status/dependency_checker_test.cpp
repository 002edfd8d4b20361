// GET /health like the original (issue 20): the live checks' answers, the required readiness
// parts, staleness, and a body that names nothing.
#include "status/dependency_checker.h"

#include <gtest/gtest.h>

#include <stdexcept>

#include "core/errors.h"
#include "unit/notify/notify_fakes.h"
#include "unit/status/log_capture.h"

namespace podmon::status {
namespace {

using notify::fakes::ManualClock;

TEST(HealthReport, DownUntilSomethingAnswered) {
  HealthState h;
  EXPECT_FALSE(h.health().ok);
  EXPECT_EQ(h.health().json, R"({"status":"down"})");
  h.requireForHealth("mysql");
  EXPECT_FALSE(h.health().ok);  // required but not reported yet
  h.setCheck("mysql", true, "reachable");
  EXPECT_TRUE(h.health().ok);
  EXPECT_EQ(h.health().json, R"({"status":"up"})");
}

TEST(HealthReport, EveryDependencyAndRequiredPartCounts) {
  HealthState h;
  h.requireForHealth("mysql");
  h.requireForHealth("store_progress");
  h.setCheck("mysql", true, "reachable");
  bool progressing = true;
  h.setProbe("store_progress", [&] { return HealthState::ProbeAnswer{progressing, "x"}; });
  h.setDependency("kubernetes", true, "reachable", std::chrono::seconds(60));
  h.setDependency("elasticsearch", true, "reachable", std::chrono::seconds(60));
  EXPECT_TRUE(h.health().ok);
  h.setDependency("elasticsearch", false, "refused", std::chrono::seconds(60));
  EXPECT_FALSE(h.health().ok);
  h.setDependency("elasticsearch", true, "reachable", std::chrono::seconds(60));
  progressing = false;
  EXPECT_FALSE(h.health().ok);
  progressing = true;
  h.setComponent("mysql", ComponentState::kStarting, "not connected yet");
  EXPECT_FALSE(h.health().ok);
  h.setComponent("mysql", ComponentState::kUp, "reachable");
  h.setComponent("synced", ComponentState::kDown, "the initial list failed");  // not required
  EXPECT_TRUE(h.health().ok);
  EXPECT_TRUE(h.readiness().ok == false);  // ...but readiness still sees it
}

TEST(HealthReport, AnAnswerNotRenewedInTimeCountsAsDown) {
  auto clock = std::make_shared<ManualClock>();
  HealthState h(clock);
  h.setDependency("kubernetes", true, "reachable", std::chrono::seconds(60));
  clock->advance(std::chrono::seconds(60));
  EXPECT_TRUE(h.health().ok);
  clock->advance(std::chrono::seconds(1));
  EXPECT_FALSE(h.health().ok);
}

TEST(HealthReport, DependenciesAreNotPartOfReadiness) {
  HealthState h;
  h.setCheck("mysql", true, "reachable");
  h.setDependency("elasticsearch", false, "refused", std::chrono::seconds(60));
  EXPECT_TRUE(h.readiness().ok);  // an Elasticsearch outage never takes podmon out of service
  EXPECT_EQ(h.readiness().json.find("elasticsearch"), std::string::npos);
}

TEST(DependencyChecker, ARoundRecordsEachCheckAndLogsWhyNotTheBody) {
  podmon::testing::LogCapture log;
  HealthState h;
  DependencyChecker checker(h);
  bool esUp = false;
  checker.add("kubernetes", [] {});
  checker.add("elasticsearch", [&] {
    if (!esUp) throw SinkException("Elasticsearch at http://es.internal:9200 did not answer: Connection refused");
  });
  checker.runOnce();
  auto down = h.health();
  EXPECT_FALSE(down.ok);
  EXPECT_EQ(down.json, R"({"status":"down"})");  // no host, no error
  EXPECT_NE(log.text().find("elasticsearch is down: Elasticsearch at http://es.internal:9200 did not answer"),
            std::string::npos)
      << log.text();
  esUp = true;
  checker.runOnce();
  EXPECT_TRUE(h.health().ok);
  EXPECT_NE(log.text().find("elasticsearch is up"), std::string::npos) << log.text();
}

TEST(DependencyChecker, AnyExceptionIsADownAnswer) {
  HealthState h;
  DependencyChecker checker(h);
  checker.add("odd", [] { throw std::runtime_error("boom"); });
  checker.add("odder", [] { throw 42; });
  checker.runOnce();
  EXPECT_FALSE(h.health().ok);
}

TEST(DependencyChecker, TheThreadRunsRoundsUntilStopped) {
  HealthState h;
  DependencyChecker checker(h);
  std::atomic<int> rounds{0};
  checker.add("kubernetes", [&] { ++rounds; });
  checker.start(std::chrono::milliseconds(1), std::chrono::seconds(60));
  for (int i = 0; i < 2000 && rounds < 3; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  checker.stop();
  EXPECT_GE(rounds.load(), 3);
  EXPECT_TRUE(h.health().ok);
}

}  // namespace
}  // namespace podmon::status
