// The pure crash-storm grouping: which group a crash joins, when the group's message is updated,
// what it lists. States come from a map.
#include "notify/storm_grouper.h"

#include <gtest/gtest.h>

#include <map>

#include "unit/notify/notify_fakes.h"

namespace podmon::notify {
namespace {

using namespace std::chrono_literals;
using Save = AlertDecision::Save;

class StormGrouperTest : public ::testing::Test {
 protected:
  std::optional<AlertDecision> decide(const store::OutboxItem& item, const std::string& channel = "#shop") {
    return grouper_.decide(
        item, channel,
        [this](const std::string& key) -> std::optional<AlertState> {
          auto it = states_.find(key);
          if (it == states_.end()) return std::nullopt;
          return it->second;
        },
        now_);
  }

  store::OutboxItem item(std::int64_t id, const std::string& ns, const std::string& workload,
                         const std::string& fingerprint = "aaaaaaaaaaaaaaaa") {
    auto it = fakes::sampleItem(id, now_);
    it.crash.record.event.namespace_ = ns;
    it.crash.record.event.ownerName = workload;
    it.crash.record.fingerprint = fingerprint;
    return it;
  }

  // Carries a decision out as the deliverer does: saves what it leaves behind.
  void carryOut(const AlertDecision& d, const store::OutboxItem& it) {
    switch (d.cooldown.action) {
      case AlertAction::kAlert:
      case AlertAction::kFollowUp:
        states_[d.key] = grouper_.afterMessage(d, it, now_, false, "C-shop", "1700000000.000100");
        break;
      default:
        if (d.save != Save::kNothing) states_[d.key] = d.next;
    }
  }

  StormGrouper grouper_{CooldownSettings{}, StormSettings{}};
  std::chrono::system_clock::time_point now_ = std::chrono::system_clock::time_point(std::chrono::hours(480000));
  std::map<std::string, AlertState> states_;
};

TEST_F(StormGrouperTest, OneFailureAcrossNamespacesIsOneGroupUpdatedAtMostOncePerInterval) {
  const auto first = item(1, "ns-a", "web");
  const auto open = decide(first);
  ASSERT_TRUE(open);
  EXPECT_EQ(open->cooldown.action, AlertAction::kAlert);
  EXPECT_EQ(open->key, StormGrouper::groupKey(first.crash.record.event, "#shop", "aaaaaaaaaaaaaaaa"));
  EXPECT_EQ(grouper_.summaryFor(*open, first).crashes(), 1);
  carryOut(*open, first);
  EXPECT_EQ(StormSummary::decode(states_.at(open->key).groupMembers).crashes(), 1);

  now_ += 1s;
  const auto second = item(2, "ns-b", "api");  // another namespace and workload: the same group
  const auto held = decide(second);
  EXPECT_EQ(held->key, open->key);
  EXPECT_EQ(held->cooldown.action, AlertAction::kHold);  // carries the next update
  EXPECT_EQ(held->cooldown.holdFor, 14s);
  carryOut(*held, second);
  for (int id = 3; id <= 10; ++id) {
    const auto more = item(id, "ns-" + std::to_string(id), "web");
    const auto folded = decide(more);
    EXPECT_EQ(folded->cooldown.action, AlertAction::kFold);
    EXPECT_EQ(folded->save, Save::kHandled);
    carryOut(*folded, more);
  }
  const StormSummary counted = StormSummary::decode(states_.at(open->key).groupMembers);
  EXPECT_EQ(counted.crashes(), 10);
  EXPECT_EQ(counted.namespaces().size(), 10u);

  now_ += 14s;  // the carrier comes back when the update is due
  const auto update = decide(second);
  EXPECT_EQ(update->cooldown.action, AlertAction::kFollowUp);
  const StormSummary shown = grouper_.summaryFor(*update, second);
  EXPECT_EQ(shown.crashes(), 10);  // the carrier was counted when held, not again
  carryOut(*update, second);
  EXPECT_EQ(states_.at(open->key).carrierOutboxId, 0);
  EXPECT_EQ(states_.at(open->key).foldedCount, 0);
  EXPECT_EQ(states_.at(open->key).threadTs, "1700000000.000100");  // the same message, updated
}

TEST_F(StormGrouperTest, ACarrierOvertakenByALaterUpdateIsNotCountedTwice) {
  const auto first = item(1, "ns-a", "web");
  carryOut(*decide(first), first);
  now_ += 1s;
  const auto carrier = item(2, "ns-b", "web");
  carryOut(*decide(carrier), carrier);  // held until the update is due
  now_ += 15s;
  const auto later = item(3, "ns-c", "web");  // due now: it sends the update itself
  const auto update = decide(later);
  ASSERT_EQ(update->cooldown.action, AlertAction::kFollowUp);
  EXPECT_EQ(grouper_.summaryFor(*update, later).crashes(), 3);
  carryOut(*update, later);
  const auto back = decide(carrier);  // the carrier, back late: already shown
  EXPECT_EQ(back->cooldown.action, AlertAction::kAlreadyHandled);
  EXPECT_EQ(back->save, Save::kHandled);
  carryOut(*back, carrier);
  EXPECT_EQ(StormSummary::decode(states_.at(update->key).groupMembers).crashes(), 3);
  EXPECT_EQ(states_.at(update->key).carrierOutboxId, 0);
}

TEST_F(StormGrouperTest, GroupsAreKeyedByChannelAndFingerprint) {
  const auto a = item(1, "ns-a", "web", "aaaaaaaaaaaaaaaa");
  carryOut(*decide(a), a);
  EXPECT_EQ(decide(item(2, "ns-a", "web", "bbbbbbbbbbbbbbbb"))->cooldown.action, AlertAction::kAlert);
  EXPECT_EQ(decide(item(3, "ns-a", "web"), "#other")->cooldown.action, AlertAction::kAlert);
  EXPECT_EQ(decide(item(4, "ns-z", "web"))->cooldown.action, AlertAction::kHold);
}

TEST_F(StormGrouperTest, UngroupableWithoutFingerprintOrWithoutCooldown) {
  EXPECT_FALSE(decide(item(1, "ns-a", "web", "")));
  StormGrouper everyCrash{CooldownSettings{0ms}, StormSettings{}};
  EXPECT_FALSE(everyCrash.decide(
      item(2, "ns-a", "web"), "#shop", [](const std::string&) { return std::nullopt; }, now_));
}

TEST_F(StormGrouperTest, ACrashAfterTheIntervalUpdatesAtOnceAndCountsItself) {
  const auto first = item(1, "ns-a", "web");
  carryOut(*decide(first), first);
  now_ += 20s;
  const auto late = item(2, "ns-b", "web");
  const auto update = decide(late);
  EXPECT_EQ(update->cooldown.action, AlertAction::kFollowUp);
  EXPECT_EQ(grouper_.summaryFor(*update, late).crashes(), 2);
  const AlertState moved = grouper_.afterMessage(*update, late, now_, true, "C-default", "1700000000.000200");
  EXPECT_EQ(moved.threadTs, "1700000000.000200");  // posted anew: later updates go to the new message
  EXPECT_EQ(moved.channel, "C-default");
  EXPECT_EQ(StormSummary::decode(moved.groupMembers).crashes(), 2);
}

TEST_F(StormGrouperTest, AfterTheCooldownANewGroupStarts) {
  const auto first = item(1, "ns-a", "web");
  carryOut(*decide(first), first);
  now_ += 11min;
  const auto later = item(2, "ns-a", "web");
  const auto open = decide(later);
  EXPECT_EQ(open->cooldown.action, AlertAction::kAlert);
  EXPECT_EQ(grouper_.summaryFor(*open, later).crashes(), 1);  // not the old group's members
}

}  // namespace
}  // namespace podmon::notify
