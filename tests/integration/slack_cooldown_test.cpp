// Crash-loop folding with the cooldown state in the store (podmon_alert_state) and routes read from
// k8s_pod_crash_notify, against SlackTestServer; on both store backends (MariaDB and SQLite).
#include <gtest/gtest.h>

#include "notify/poco_slack_client.h"
#include "notify/slack_deliverer.h"
#include "servers/slack_test_server.h"
#include "store/sql_alert_state_store.h"
#include "store/store_factory.h"
#include "store_backend_fixture.h"
#include "unit/notify/notify_fakes.h"

namespace podmon::notify {
namespace {

using namespace std::chrono_literals;
using OutcomeKind = delivery::DeliveryOutcome::Kind;

class SlackCooldownTest : public testing::StoreBackendTest {
 protected:
  void SetUp() override {
    StoreBackendTest::SetUp();
    if (IsSkipped()) return;
    const auto opened = openTestStore({}, clock_);
    store_ = opened.notifyRules;
    opened.migrate();
    states_ = store::makeAlertStateStore(opened, clock_);
    admin_ = store::makeAdminStore(opened, clock_);
  }

  int pruneBefore(std::chrono::system_clock::time_point before) {
    return dynamic_cast<store::SqlAlertStateStore&>(*states_).pruneBefore(before);
  }

  // A fresh deliverer, as after a restart of podmon.
  std::shared_ptr<SlackDeliverer> make() {
    SlackClientOptions clientOptions;
    clientOptions.apiUrl = server_.apiUrl();
    clientOptions.token = server_.token();
    SlackDelivererOptions options;
    options.sleep = [this](std::chrono::milliseconds d) { clock_->advance(d); };
    return std::make_shared<SlackDeliverer>(options, std::make_shared<PocoSlackClient>(clientOptions), store_, states_,
                                            clock_);
  }

  testing::SlackTestServer server_;
  std::shared_ptr<fakes::ManualClock> clock_ = std::make_shared<fakes::ManualClock>();
  store::NotifyRuleSource::Ptr store_;
  store::AdminStore::Ptr admin_;  // writes the routes, as podmonctl does
  store::AlertStateStore::Ptr states_;
};

TEST_P(SlackCooldownTest, StateRoundTrips) {
  AlertState state;
  state.key = "prod|shop|Deployment/web|app";
  state.channel = "C000001";
  state.threadTs = "1700000000.000001";
  state.firstAlertAt = clock_->now();
  state.lastMessageAt = clock_->now() + 1s;
  state.lastCrashAt = clock_->now() + 2s;
  state.foldedCount = 3;
  state.foldedSince = clock_->now() + 500ms;
  state.lastReason = "Error \xF0\x9F\x94\xA5";
  state.lastExitCode = 1;
  state.lastOutboxId = 42;
  state.carrierOutboxId = 40;
  EXPECT_EQ(states_->load(state.key), std::nullopt);
  states_->save(state);
  EXPECT_EQ(states_->load(state.key), state);
  state.foldedSince.reset();
  state.lastExitCode.reset();
  state.foldedCount = 0;
  states_->save(state);
  EXPECT_EQ(states_->load(state.key), state);
  EXPECT_EQ(queryInt("SELECT COUNT(*) FROM podmon_alert_state"), 1);
  clock_->advance(1h);
  EXPECT_EQ(pruneBefore(clock_->now()), 1);
}

TEST_P(SlackCooldownTest, SaveHandledMarksTheOutboxItemDoneInTheSameTransaction) {
  exec(std::string("INSERT INTO podmon_outbox (crash_id, sink, state, next_attempt_at, created_at) VALUES ") +
       (sqlite() ? "(7, 'slack', 'pending', '2024-05-01 10:00:00.000000', '2024-05-01 10:00:00.000000'), "
                   "(8, 'slack', 'pending', '2024-05-01 10:00:00.000000', '2024-05-01 10:00:00.000000')"
                 : "(7, 'slack', 'pending', NOW(6), NOW(6)), (8, 'slack', 'pending', NOW(6), NOW(6))"));
  const std::int64_t first = queryInt("SELECT id FROM podmon_outbox WHERE crash_id = 7");
  AlertState state;
  state.key = "prod|shop|Deployment/web|app";
  state.firstAlertAt = state.lastMessageAt = state.lastCrashAt = clock_->now();
  state.lastOutboxId = first;
  states_->saveHandled(state, first);
  EXPECT_EQ(states_->load(state.key), state);
  EXPECT_EQ(queryText("SELECT state FROM podmon_outbox WHERE crash_id = 7"), "done");
  EXPECT_EQ(queryText("SELECT state FROM podmon_outbox WHERE crash_id = 8"), "pending");
  EXPECT_EQ(queryInt("SELECT delivered_at IS NOT NULL FROM podmon_outbox WHERE crash_id = 7"), 1);
}

TEST_P(SlackCooldownTest, CrashLoopFoldsIntoAThreadedFollowUpAcrossARestart) {
  admin_->setRoute({"prod", "shop", "shop-alerts"}, "test");
  auto deliverer = make();
  std::optional<store::OutboxItem> held;
  std::chrono::system_clock::time_point due{};
  for (int i = 0; i < 20; ++i) {
    if (i == 10) deliverer = make();  // podmon restarts in the middle of the loop
    auto it = fakes::sampleItem(i + 1, clock_->now(), "web-7d9f8-" + std::to_string(i));
    const auto outcome = deliverer->deliver({it})[0];
    if (outcome.kind == OutcomeKind::kRetry) {
      ASSERT_FALSE(held.has_value()) << outcome.error;
      held = it;
      due = clock_->now() + *outcome.retryAfter;
    } else {
      EXPECT_EQ(outcome.kind, OutcomeKind::kDelivered) << outcome.error;
    }
    clock_->advance(6s);
  }
  ASSERT_TRUE(held.has_value());
  EXPECT_EQ(server_.messages().size(), 1u);
  clock_->advance(due - clock_->now());
  EXPECT_EQ(deliverer->deliver({*held})[0].kind, OutcomeKind::kDelivered);

  const auto messages = server_.messagesIn("shop-alerts");
  ASSERT_EQ(messages.size(), 2u);
  EXPECT_EQ(messages[0].threadTs, "");
  EXPECT_EQ(messages[1].threadTs, messages[0].ts);  // under the first alert
  EXPECT_NE(messages[1].text.find("19 more times"), std::string::npos) << messages[1].text;
  EXPECT_EQ(queryInt("SELECT folded_count FROM podmon_alert_state"), 0);
}

TEST_P(SlackCooldownTest, RouteChangesApplyWithoutRestart) {
  admin_->setRoute({"prod", "shop", "old-channel"}, "test");
  auto deliverer = make();
  deliverer->deliver({fakes::sampleItem(1, clock_->now())});
  admin_->setRoute({"prod", "shop", "new-channel"}, "test");
  clock_->advance(31min);  // past the cooldown and the 30 s rule refresh
  deliverer->deliver({fakes::sampleItem(2, clock_->now())});
  EXPECT_EQ(server_.messagesIn("old-channel").size(), 1u);
  EXPECT_EQ(server_.messagesIn("new-channel").size(), 1u);
}

TEST_P(SlackCooldownTest, IgnoredCrashesAreNotSent) {
  admin_->addIgnore({"prod", "shop", "*"}, "test");
  auto deliverer = make();
  EXPECT_EQ(deliverer->deliver({fakes::sampleItem(1, clock_->now())})[0].kind, OutcomeKind::kDelivered);
  EXPECT_TRUE(server_.messages().empty());
}

INSTANTIATE_STORE_BACKEND_TESTS(SlackCooldownTest);

}  // namespace
}  // namespace podmon::notify
