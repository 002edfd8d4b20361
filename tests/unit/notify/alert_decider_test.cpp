// The pure alert decision: which episode a crash belongs to, what to send, what to save. The
// alert states come from a map, so no store and no Slack are involved.
#include "notify/alert_decider.h"

#include <gtest/gtest.h>

#include <map>

#include "unit/notify/notify_fakes.h"

namespace podmon::notify {
namespace {

using namespace std::chrono_literals;
using Save = AlertDecision::Save;

class AlertDeciderTest : public ::testing::Test {
 protected:
  AlertDecision decide(const store::OutboxItem& item) {
    return decider_.decide(
        item,
        [this](const std::string& key) -> std::optional<AlertState> {
          lookups_.push_back(key);
          auto it = states_.find(key);
          if (it == states_.end()) return std::nullopt;
          return it->second;
        },
        now_);
  }

  store::OutboxItem item(std::int64_t id, const std::string& workload = "web", const std::string& fingerprint = "") {
    auto it = fakes::sampleItem(id, now_);
    it.crash.record.event.ownerName = workload;
    it.crash.record.fingerprint = fingerprint;
    return it;
  }

  // Saves what a sent alert leaves behind, as the deliverer does.
  void alerted(const AlertDecision& decision) {
    for (const auto& state : decider_.afterAlert(decision, now_, "C-shop", "1700000000.000100")) {
      states_[state.key] = state;
    }
  }

  AlertDecider decider_{CooldownSettings{}};
  std::chrono::system_clock::time_point now_ = std::chrono::system_clock::time_point(std::chrono::hours(480000));
  std::map<std::string, AlertState> states_;
  std::vector<std::string> lookups_;
};

TEST_F(AlertDeciderTest, AFirstCrashAlertsAndSavesNothingBeforeTheMessageIsOut) {
  const auto first = item(1);
  const AlertDecision decision = decide(first);
  EXPECT_EQ(decision.cooldown.action, AlertAction::kAlert);
  EXPECT_EQ(decision.key, alertKey(first.crash.record.event));
  EXPECT_FALSE(decision.state.has_value());
  EXPECT_EQ(decision.save, Save::kNothing);
  EXPECT_EQ(decision.sighting.outboxId, 1);
  EXPECT_EQ(decision.sighting.crashAt, now_);
  EXPECT_EQ(decision.sighting.reason, "OOMKilled");
  // Without a fingerprint there is no failure episode to look up.
  EXPECT_EQ(lookups_, std::vector<std::string>{decision.key});

  const auto states = decider_.afterAlert(decision, now_, "C-shop", "1700000000.000100");
  ASSERT_EQ(states.size(), 1u);
  EXPECT_EQ(states[0].key, decision.key);
  EXPECT_EQ(states[0].channel, "C-shop");
  EXPECT_EQ(states[0].threadTs, "1700000000.000100");
  EXPECT_EQ(states[0].lastOutboxId, 1);
}

TEST_F(AlertDeciderTest, TheNextCrashWithinTheCooldownIsHeldAsTheCarrierThenFolded) {
  alerted(decide(item(1)));
  now_ += 10s;
  const AlertDecision held = decide(item(2));
  EXPECT_EQ(held.cooldown.action, AlertAction::kHold);
  EXPECT_EQ(held.save, Save::kPending);
  EXPECT_EQ(held.next.carrierOutboxId, 2);
  EXPECT_EQ(held.next.foldedCount, 1);
  EXPECT_GT(held.cooldown.holdFor, 0ms);
  states_[held.key] = held.next;

  // The carrier coming back before its follow-up is due changes nothing.
  const AlertDecision again = decide(item(2));
  EXPECT_EQ(again.cooldown.action, AlertAction::kHold);
  EXPECT_EQ(again.save, Save::kNothing);

  now_ += 10s;
  const AlertDecision folded = decide(item(3));
  EXPECT_EQ(folded.cooldown.action, AlertAction::kFold);
  EXPECT_EQ(folded.save, Save::kHandled);
  EXPECT_EQ(folded.next.foldedCount, 2);
  EXPECT_EQ(folded.next.carrierOutboxId, 2);
}

TEST_F(AlertDeciderTest, ARedeliveredItemIsAlreadyHandled) {
  alerted(decide(item(1)));
  const AlertDecision decision = decide(item(1));
  EXPECT_EQ(decision.cooldown.action, AlertAction::kAlreadyHandled);
  EXPECT_EQ(decision.save, Save::kNothing);
}

TEST_F(AlertDeciderTest, TheCarrierSendsTheFollowUpIntoTheThreadWithItsCounts) {
  alerted(decide(item(1)));
  now_ += 10s;
  const AlertDecision held = decide(item(2));
  states_[held.key] = held.next;
  now_ += held.cooldown.holdFor;
  auto carrier = item(2);
  carrier.crash.record.event.reason = "Error";  // the summary reports the counted crash, not this copy
  const AlertDecision decision = decide(carrier);
  ASSERT_EQ(decision.cooldown.action, AlertAction::kFollowUp);
  EXPECT_EQ(decision.save, Save::kNothing);
  const FollowUpSummary summary = decider_.followUpSummary(decision, carrier);
  EXPECT_EQ(summary.crashCount, 1);
  EXPECT_EQ(summary.lastReason, "OOMKilled");
  EXPECT_EQ(AlertDecider::followUpChannel(decision, "pod-crash-alerts"), "C-shop");

  const AlertState kept = decider_.afterFollowUp(decision, now_, false, "C-other", "1700000000.000900");
  EXPECT_EQ(kept.channel, "C-shop");
  EXPECT_EQ(kept.threadTs, "1700000000.000100");
  EXPECT_EQ(kept.foldedCount, 0);
  const AlertState moved = decider_.afterFollowUp(decision, now_, true, "C-default", "1700000000.000900");
  EXPECT_EQ(moved.channel, "C-default");
  EXPECT_EQ(moved.threadTs, "1700000000.000900");
}

TEST_F(AlertDeciderTest, AnEpisodeWithoutAChannelFollowsUpInTheDefaultChannel) {
  AlertDecision decision;
  EXPECT_EQ(AlertDecider::followUpChannel(decision, "pod-crash-alerts"), "pod-crash-alerts");
  decision.state = AlertState{};
  EXPECT_EQ(AlertDecider::followUpChannel(decision, "pod-crash-alerts"), "pod-crash-alerts");
}

TEST_F(AlertDeciderTest, AnAlertStartsTheFailuresEpisodeToo) {
  const auto first = item(1, "web", "aaaaaaaaaaaaaaaa");
  const AlertDecision decision = decide(first);
  ASSERT_EQ(decision.cooldown.action, AlertAction::kAlert);
  EXPECT_EQ(decision.failureKey, "fingerprint|prod|shop|aaaaaaaaaaaaaaaa");
  EXPECT_EQ(lookups_.size(), 2u);  // the container's episode, then the failure's
  const auto states = decider_.afterAlert(decision, now_, "C-shop", "1700000000.000100");
  ASSERT_EQ(states.size(), 2u);
  EXPECT_EQ(states[1].key, decision.failureKey);
  EXPECT_EQ(states[1].threadTs, "1700000000.000100");
  EXPECT_EQ(states[1].lastOutboxId, 0);  // items are accounted for per key
}

TEST_F(AlertDeciderTest, AnotherWorkloadWithTheSameFailureFoldsIntoItsEpisode) {
  alerted(decide(item(1, "web", "aaaaaaaaaaaaaaaa")));
  now_ += 10s;
  const AlertDecision decision = decide(item(2, "admin", "aaaaaaaaaaaaaaaa"));
  EXPECT_EQ(decision.cooldown.action, AlertAction::kHold);
  EXPECT_EQ(decision.key, "fingerprint|prod|shop|aaaaaaaaaaaaaaaa");
  EXPECT_EQ(decision.save, Save::kPending);
  EXPECT_EQ(decision.next.key, decision.key);

  // A different failure of that workload is an episode of its own.
  const AlertDecision other = decide(item(3, "admin", "bbbbbbbbbbbbbbbb"));
  EXPECT_EQ(other.cooldown.action, AlertAction::kAlert);
  EXPECT_EQ(other.key, alertKey(item(3, "admin").crash.record.event));
}

TEST_F(AlertDeciderTest, ACrashWithoutADetectionTimeCountsAsNow) {
  auto undated = item(1);
  undated.crash.record.event.detectedAt = {};
  EXPECT_EQ(decide(undated).sighting.crashAt, now_);
}

}  // namespace
}  // namespace podmon::notify
