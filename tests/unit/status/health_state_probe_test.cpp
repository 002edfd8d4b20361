// Readiness probes are asked at each /readyz, so a stalled store shows at once.
#include <gtest/gtest.h>

#include "fakes/manual_clock.h"
#include "status/health_state.h"
#include "store/store_progress.h"

namespace podmon::status {
namespace {

TEST(HealthStateProbeTest, AProbeIsAskedAtEachReadinessAndServesItsStateOnly) {
  auto clock = std::make_shared<testing::ManualClock>();
  auto progress = std::make_shared<store::StoreProgress>(clock, std::chrono::seconds(15));
  HealthState health(clock);
  health.setProbe("store_progress", [progress]() -> HealthState::ProbeAnswer {
    return {!progress->stalled(), progress->stalled() ? "stalled" : "fine"};
  });
  EXPECT_TRUE(health.readiness().ok);
  progress->begin();
  clock->advance(std::chrono::seconds(16));
  const auto report = health.readiness();
  EXPECT_FALSE(report.ok);
  EXPECT_NE(report.json.find("\"store_progress\":\"down\""), std::string::npos) << report.json;
  EXPECT_EQ(report.json.find("stalled"), std::string::npos) << report.json;  // the detail goes to the log only
  EXPECT_TRUE(health.liveness().ok);                                         // the store's stall never fails liveness
  progress->end(true);
  EXPECT_TRUE(health.readiness().ok);
}

}  // namespace
}  // namespace podmon::status
