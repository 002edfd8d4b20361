#include "notify/cooldown_policy.h"

#include <gtest/gtest.h>

namespace podmon::notify {
namespace {

using namespace std::chrono_literals;
using TimePoint = std::chrono::system_clock::time_point;

const TimePoint kT0 = TimePoint(std::chrono::seconds(1714557600));

CrashSighting crashAt(std::int64_t outboxId, TimePoint at, std::string reason = "Error") {
  return CrashSighting{outboxId, at, std::move(reason), 1};
}

// Runs the policy like the deliverer does (decide, then record the new state), with a simulated
// clock; a held item comes back when its hold ends.
class CooldownRun {
 public:
  explicit CooldownRun(CooldownSettings settings) : policy(settings) {}

  AlertAction crash(std::int64_t id, TimePoint now) { return handle(crashAt(id, now), now); }

  AlertAction handle(const CrashSighting& c, TimePoint now) {
    const auto d = policy.decide(state, c, now);
    if (d.action == AlertAction::kAlert) ++alerts;
    if (d.action == AlertAction::kFollowUp) {
      ++followUps;
      reported += d.crashCount;
    }
    if (d.action == AlertAction::kHold) {
      heldUntil = now + d.holdFor;
      held = c;
    }
    state = policy.next(state, "k", c, d, now, "C1",
                        d.action == AlertAction::kAlert ? "ts" + std::to_string(c.outboxId) : "");
    return d.action;
  }

  // The worker retries the held item at its time.
  void releaseHeld() {
    if (held) {
      auto c = *held;
      held.reset();
      handle(c, heldUntil);
    }
  }

  CooldownPolicy policy;
  std::optional<AlertState> state;
  std::optional<CrashSighting> held;
  TimePoint heldUntil{};
  int alerts = 0;
  int followUps = 0;
  int reported = 0;
};

TEST(CooldownPolicyTest, FirstCrashAlertsAtOnce) {
  CooldownPolicy policy;
  const auto d = policy.decide(std::nullopt, crashAt(1, kT0), kT0);
  EXPECT_EQ(d.action, AlertAction::kAlert);
  const auto s = policy.next(std::nullopt, "k", crashAt(1, kT0), d, kT0, "C1", "111.1");
  EXPECT_EQ(s.channel, "C1");
  EXPECT_EQ(s.threadTs, "111.1");
  EXPECT_EQ(s.firstAlertAt, kT0);
  EXPECT_EQ(s.lastOutboxId, 1);
  EXPECT_EQ(s.foldedCount, 0);
}

TEST(CooldownPolicyTest, CrashLoopOf20In2MinutesGivesOneAlertAndOneFollowUp) {
  CooldownRun run(CooldownSettings{});  // 10 minutes
  for (int i = 0; i < 20; ++i) run.crash(i + 1, kT0 + std::chrono::seconds(6 * i));
  EXPECT_EQ(run.alerts, 1);
  EXPECT_EQ(run.followUps, 0);
  ASSERT_TRUE(run.held.has_value());
  EXPECT_EQ(run.held->outboxId, 2);      // the first folded crash carries the follow-up
  EXPECT_EQ(run.heldUntil, kT0 + 5min);  // cooldown / 2 after the alert
  EXPECT_EQ(run.state->foldedCount, 19);
  run.releaseHeld();
  EXPECT_EQ(run.followUps, 1);
  EXPECT_EQ(run.reported, 19);
  EXPECT_EQ(run.state->foldedCount, 0);
  EXPECT_EQ(run.state->carrierOutboxId, 0);
  EXPECT_EQ(run.state->threadTs, "ts1");  // follow-ups stay in the first alert's thread
}

TEST(CooldownPolicyTest, LongLoopGetsAtMostOneFollowUpPerInterval) {
  CooldownRun run(CooldownSettings{});
  // A crash every 30 s for 30 minutes; held items come back when due.
  for (int i = 0; i < 60; ++i) {
    const auto now = kT0 + std::chrono::seconds(30 * i);
    if (run.held && run.heldUntil <= now) run.releaseHeld();
    run.crash(i + 1, now);
  }
  run.releaseHeld();
  EXPECT_EQ(run.alerts, 1);
  EXPECT_LE(run.followUps, 7);  // 30 min / 5 min + the last
  EXPECT_GE(run.followUps, 5);
  EXPECT_EQ(run.reported, 59);  // every crash reported exactly once
}

TEST(CooldownPolicyTest, QuietPeriodStartsANewEpisode) {
  CooldownRun run(CooldownSettings{});
  run.crash(1, kT0);
  EXPECT_EQ(run.crash(2, kT0 + 10min), AlertAction::kAlert);  // exactly the cooldown since the last crash
  EXPECT_EQ(run.state->threadTs, "ts2");
}

TEST(CooldownPolicyTest, CrashAfterFollowUpIntervalSendsFollowUpItself) {
  CooldownRun run(CooldownSettings{});
  run.crash(1, kT0);
  EXPECT_EQ(run.crash(2, kT0 + 6min), AlertAction::kFollowUp);
  EXPECT_EQ(run.reported, 1);
}

TEST(CooldownPolicyTest, ZeroCooldownAlertsEveryCrash) {
  CooldownRun run(CooldownSettings{0ms});
  for (int i = 0; i < 5; ++i) EXPECT_EQ(run.crash(i + 1, kT0 + std::chrono::seconds(i)), AlertAction::kAlert);
  EXPECT_EQ(run.alerts, 5);
}

TEST(CooldownPolicyTest, RedeliveredNewestItemIsAlreadyHandled) {
  CooldownRun run(CooldownSettings{});
  run.crash(1, kT0);
  run.crash(2, kT0 + 1s);  // held
  run.crash(3, kT0 + 2s);  // folded
  EXPECT_EQ(run.policy.decide(run.state, crashAt(3, kT0 + 2s), kT0 + 3s).action, AlertAction::kAlreadyHandled);
}

// Regression (found by the fault suite, tests/faults/log_faults.sh): an item that failed (Slack
// 503) and was retried after a later crash of the same container had been alerted was taken for a
// redelivery and never alerted. Handled items are marked done with the state, so an older item
// coming back is one that was never counted.
TEST(CooldownPolicyTest, LateItemWithoutCooldownStillAlerts) {
  CooldownRun run(CooldownSettings{0ms});
  EXPECT_EQ(run.crash(2, kT0 + 1s), AlertAction::kAlert);
  EXPECT_EQ(run.handle(crashAt(1, kT0), kT0 + 5s), AlertAction::kAlert);
  EXPECT_EQ(run.alerts, 2);
  EXPECT_EQ(run.state->lastOutboxId, 2);
}

TEST(CooldownPolicyTest, LateItemWithinTheCooldownIsCountedIntoTheFollowUp) {
  CooldownRun run(CooldownSettings{});
  EXPECT_EQ(run.crash(1, kT0), AlertAction::kAlert);
  EXPECT_EQ(run.crash(3, kT0 + 2s), AlertAction::kHold);
  EXPECT_EQ(run.handle(crashAt(2, kT0 + 1s), kT0 + 3s), AlertAction::kFold);
  run.releaseHeld();
  EXPECT_EQ(run.followUps, 1);
  EXPECT_EQ(run.reported, 2);  // crashes 2 and 3
}

TEST(CooldownPolicyTest, HeldItemBackEarlyIsHeldAgainWithoutCountingTwice) {
  CooldownRun run(CooldownSettings{});
  run.crash(1, kT0);
  run.crash(2, kT0 + 1s);
  const auto d = run.policy.decide(run.state, crashAt(2, kT0 + 1s), kT0 + 1min);
  EXPECT_EQ(d.action, AlertAction::kHold);
  EXPECT_EQ(d.holdFor, 4min);
  const auto s = run.policy.next(run.state, "k", crashAt(2, kT0 + 1s), d, kT0 + 1min);
  EXPECT_EQ(s.foldedCount, 1);
}

TEST(CooldownPolicyTest, EndlessLoopGetsAFreshAlertAfterMaxEpisode) {
  CooldownRun run(CooldownSettings{10min, 0ms, 1h});
  run.crash(1, kT0);
  for (int i = 1; i <= 13; ++i) {
    const auto now = kT0 + std::chrono::minutes(5 * i);
    if (run.held) run.releaseHeld();
    run.crash(i + 1, now);
  }
  EXPECT_EQ(run.alerts, 2);
}

}  // namespace
}  // namespace podmon::notify
