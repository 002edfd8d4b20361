#include "spool/journaled_alert_state_store.h"

#include <gtest/gtest.h>

#include "notify/slack_deliverer.h"
#include "unit/notify/notify_fakes.h"
#include "unit/spool/spool_test_dir.h"

namespace podmon::spool {
namespace {

using namespace std::chrono_literals;
using testing::SpoolTestDir;
using OutcomeKind = delivery::DeliveryOutcome::Kind;

class JournaledAlertStateStoreTest : public ::testing::Test {
 protected:
  std::shared_ptr<JournaledAlertStateStore> open() {
    return std::make_shared<JournaledAlertStateStore>(store_, dir_.path("slack-outcomes.journal"));
  }
  static store::AlertState stateOf(const std::string& key, std::int64_t outboxId) {
    store::AlertState s;
    s.key = key;
    s.channel = "C1";
    s.lastOutboxId = outboxId;
    return s;
  }

  SpoolTestDir dir_;
  std::shared_ptr<notify::fakes::InMemoryAlertStateStore> store_ =
      std::make_shared<notify::fakes::InMemoryAlertStateStore>();
};

TEST_F(JournaledAlertStateStoreTest, WithTheStoreUpItPassesThrough) {
  auto journal = open();
  journal->saveHandled(stateOf("a", 1), 1);
  EXPECT_FALSE(journal->pending());
  EXPECT_EQ(store_->handled, (std::vector<std::int64_t>{1}));
  EXPECT_EQ(journal->load("a")->lastOutboxId, 1);
}

TEST_F(JournaledAlertStateStoreTest, AnOutcomeTheStoreCannotTakeSurvivesARestartAndIsReplayedInOrder) {
  store_->failSaves = true;
  {
    auto journal = open();
    journal->saveHandled(stateOf("a", 1), 1);
    journal->save(stateOf("b", 0));
    journal->saveHandled(stateOf("a", 2), 2);
    EXPECT_TRUE(journal->pending());
    EXPECT_EQ(journal->journaledTotal(), 3u);
  }  // killed
  auto journal = open();
  store_->failing = true;  // still down: answered from the journal
  EXPECT_EQ(journal->load("a")->lastOutboxId, 2);
  EXPECT_EQ(journal->load("b")->channel, "C1");
  EXPECT_THROW(journal->load("c"), StoreException);  // not journaled: the store's answer is needed
  store_->failing = false;
  store_->failSaves = false;
  EXPECT_EQ(journal->load("a")->lastOutboxId, 2);  // replayed first, then read from the store
  EXPECT_FALSE(journal->pending());
  EXPECT_EQ(store_->handled, (std::vector<std::int64_t>{1, 2}));
  EXPECT_EQ(store_->rows.at("a").lastOutboxId, 2);
  EXPECT_TRUE(open()->load("a").has_value());  // the journal is empty: nothing replayed twice
  EXPECT_EQ(store_->handled.size(), 2u);
}

// The documented window (docs/reliability.md): MySQL down, the alert posted, podmon killed before
// the state is saved. With the journal the item coming back after the restart is not posted again.
TEST_F(JournaledAlertStateStoreTest, AnAlertPostedBeforeAKillIsNotPostedAgain) {
  auto clock = std::make_shared<notify::fakes::ManualClock>();
  auto rules = std::make_shared<notify::fakes::FakeNotifyRuleSource>();
  auto client = std::make_shared<notify::fakes::FakeSlackClient>(false);
  notify::SlackDelivererOptions options;
  options.cooldown.cooldown = 0ms;
  options.sleep = [clock](std::chrono::milliseconds d) { clock->advance(d); };
  const auto item = notify::fakes::sampleItem(7, clock->now());
  store_->failSaves = true;
  {
    notify::SlackDeliverer deliverer(options, client, rules, open(), clock);
    EXPECT_EQ(deliverer.deliver({item})[0].kind, OutcomeKind::kDelivered);
    EXPECT_EQ(client->bodies.size(), 1u);
  }                        // podmon killed; the outbox item was never marked done
  store_->failing = true;  // MySQL still down at the restart
  {
    notify::SlackDeliverer deliverer(options, client, rules, open(), clock);
    EXPECT_EQ(deliverer.deliver({item})[0].kind, OutcomeKind::kDelivered);
    EXPECT_EQ(client->bodies.size(), 1u);  // not posted again
  }
  store_->failing = false;
  store_->failSaves = false;
  notify::SlackDeliverer deliverer(options, client, rules, open(), clock);
  EXPECT_EQ(deliverer.deliver({item})[0].kind, OutcomeKind::kDelivered);
  EXPECT_EQ(client->bodies.size(), 1u);
  ASSERT_EQ(store_->rows.size(), 1u);
  EXPECT_EQ(store_->rows.begin()->second.lastOutboxId, 7);
}

}  // namespace
}  // namespace podmon::spool
