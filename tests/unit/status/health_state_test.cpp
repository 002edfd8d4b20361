#include "status/health_state.h"

#include <gtest/gtest.h>

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include "unit/notify/notify_fakes.h"
#include "unit/status/log_capture.h"

namespace podmon::status {
namespace {

using notify::fakes::ManualClock;
using Poco::JSON::Object;

Object::Ptr parse(const std::string& json) { return Poco::JSON::Parser().parse(json).extract<Object::Ptr>(); }

TEST(HealthState, LivenessFollowsLoops) {
  auto clock = std::make_shared<ManualClock>();
  HealthState h(clock);
  EXPECT_TRUE(h.liveness().ok);
  h.beat("main", std::chrono::seconds(30));
  clock->advance(std::chrono::seconds(29));
  EXPECT_TRUE(h.liveness().ok);
  EXPECT_EQ(parse(h.liveness().json)->getObject("components")->getValue<std::string>("main"), "running");
  clock->advance(std::chrono::seconds(2));
  auto stalled = h.liveness();
  EXPECT_FALSE(stalled.ok);
  EXPECT_EQ(parse(stalled.json)->getObject("components")->getValue<std::string>("main"), "stalled");
  h.forget("main");
  EXPECT_TRUE(h.liveness().ok);
}

TEST(HealthState, ReadinessIsNamedComponentsWithStates) {
  HealthState h;
  h.setCheck("mysql", true, "reachable");
  h.setComponent("synced", ComponentState::kStarting, "initial pod list not done");
  h.setComponent("lease", ComponentState::kStandby, "standby, can take over");
  auto r = h.readiness();
  EXPECT_FALSE(r.ok);
  auto body = parse(r.json);
  EXPECT_EQ(body->getValue<std::string>("status"), "failing");
  auto components = body->getObject("components");
  EXPECT_EQ(components->getValue<std::string>("mysql"), "up");
  EXPECT_EQ(components->getValue<std::string>("synced"), "starting");
  EXPECT_EQ(components->getValue<std::string>("lease"), "standby");
  h.setCheck("synced", true, "");
  EXPECT_TRUE(h.readiness().ok);  // standby counts as ready
  h.setCheck("mysql", false, "unreachable");
  EXPECT_FALSE(h.readiness().ok);
}

// Issue 19: the probes are open to anyone; what the driver says (user, host, port, database)
// goes to the log only.
TEST(HealthState, DetailsGoToTheLogNeverToTheBody) {
  const std::string detail =
      "unreachable: Access denied for user 'podmon'@'10.1.2.3' to database 'crashes' (mysql.prod:3306)";
  podmon::testing::LogCapture log;
  HealthState h;
  h.setCheck("mysql", false, detail);
  h.beat("main", std::chrono::seconds(60));
  for (const auto& report : {h.readiness(), h.liveness()}) {
    for (const char* leak : {"podmon", "10.1.2.3", "crashes", "3306", "Access denied", "mysql.prod"})
      EXPECT_EQ(report.json.find(leak), std::string::npos) << leak << " in " << report.json;
  }
  EXPECT_EQ(h.readiness().json, R"({"components":{"mysql":"down"},"status":"failing"})");
  EXPECT_NE(log.text().find(detail), std::string::npos) << log.text();
}

TEST(HealthState, LogsAChangeOnceNotEveryPoll) {
  podmon::testing::LogCapture log;
  HealthState h;
  for (int i = 0; i < 5; ++i) h.setCheck("mysql", false, "unreachable: refused");
  h.setCheck("mysql", true, "reachable");
  auto text = log.text();
  std::size_t count = 0;
  for (auto at = text.find("refused"); at != std::string::npos; at = text.find("refused", at + 1)) ++count;
  EXPECT_EQ(count, 1U);
  EXPECT_NE(text.find("mysql is up: reachable"), std::string::npos) << text;
}

}  // namespace
}  // namespace podmon::status
