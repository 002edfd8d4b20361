#include "store/prune_cutoffs.h"

#include <gtest/gtest.h>

#include "store/prune_counts.h"

namespace podmon::store {
namespace {

using namespace std::chrono_literals;

const PruneCutoffs::TimePoint kNow{std::chrono::seconds(1714557600)};

TEST(PruneCutoffsTest, EachPeriodGivesItsCutoffAndZeroKeepsForEver) {
  const auto c = PruneCutoffs::at({90 * 24h, 7 * 24h, 10min}, kNow);
  EXPECT_EQ(c.crashesBefore, kNow - 90 * 24h);
  EXPECT_EQ(c.doneOutboxBefore, kNow - 7 * 24h);
  EXPECT_EQ(c.alertStatesBefore, kNow - PruneCutoffs::kMinAlertStateAge);
  const auto keep = PruneCutoffs::at({0ms, 0ms, 0ms}, kNow);
  EXPECT_FALSE(keep.crashesBefore);
  EXPECT_FALSE(keep.doneOutboxBefore);
  EXPECT_EQ(keep.alertStatesBefore, kNow - 24h);
}

TEST(PruneCutoffsTest, AlertStateOutlivesALongCooldown) {
  EXPECT_EQ(PruneCutoffs::at({0ms, 0ms, 36h}, kNow).alertStatesBefore, kNow - 36h);
}

TEST(PruneCutoffsTest, OlderThanAppliesOneAgeToCrashesAndDoneOutboxRows) {
  const auto c = PruneCutoffs::olderThan(30 * 24h, 10min, kNow);
  EXPECT_EQ(c.crashesBefore, kNow - 30 * 24h);
  EXPECT_EQ(c.doneOutboxBefore, kNow - 30 * 24h);
  EXPECT_EQ(c.alertStatesBefore, kNow - 24h);
}

TEST(PruneCountsTest, AddsUpAndDescribesEveryTableOutboxRowsTogether) {
  PruneCounts a;
  a.crashes = 2;
  a.crashOutbox = 4;
  a.labels = 2;
  PruneCounts b;
  b.crashes = 1;
  b.doneOutbox = 5;
  b.fingerprintPods = 1;
  b.fingerprints = 1;
  b.alertStates = 3;
  a += b;
  EXPECT_EQ(a.total(), 19);
  EXPECT_EQ(a.describe(),
            "k8s_pod_crash 3, podmon_outbox 9, podmon_crash_labels 2, podmon_fingerprint_pods 1, "
            "podmon_fingerprints 1, podmon_alert_state 3");
}

}  // namespace
}  // namespace podmon::store
