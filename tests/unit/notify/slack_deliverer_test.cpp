#include "notify/slack_deliverer.h"

#include <gtest/gtest.h>

#include "unit/notify/notify_fakes.h"

namespace podmon::notify {
namespace {

using namespace std::chrono_literals;
using delivery::DeliveryOutcome;
using OutcomeKind = DeliveryOutcome::Kind;

class SlackDelivererTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_->routes = {{"prod", "shop", "#shop"}};
    store_->ignores = {{"prod", "kube-system", "*"}};
  }

  std::shared_ptr<SlackDeliverer> make(bool webhook = false) {
    client_ = std::make_shared<fakes::FakeSlackClient>(webhook);
    options_.sleep = [this](std::chrono::milliseconds d) {
      sleeps_.push_back(d);
      clock_->advance(d);
    };
    return std::make_shared<SlackDeliverer>(options_, client_, store_, states_, clock_);
  }

  store::OutboxItem item(std::int64_t id, std::chrono::seconds after = 0s) {
    return fakes::sampleItem(id, clock_->now() + after);
  }

  SlackDelivererOptions options_;
  std::shared_ptr<fakes::ManualClock> clock_ = std::make_shared<fakes::ManualClock>();
  std::shared_ptr<fakes::FakeNotifyRuleSource> store_ = std::make_shared<fakes::FakeNotifyRuleSource>();
  std::shared_ptr<fakes::InMemoryAlertStateStore> states_ = std::make_shared<fakes::InMemoryAlertStateStore>();
  std::shared_ptr<fakes::FakeSlackClient> client_;
  std::vector<std::chrono::milliseconds> sleeps_;
};

TEST_F(SlackDelivererTest, RoutedDefaultAndIgnored) {
  auto deliverer = make();
  auto routed = item(1);
  auto other = item(2);
  other.crash.record.event.namespace_ = "billing";
  auto ignored = item(3);
  ignored.crash.record.event.namespace_ = "kube-system";
  const auto outcomes = deliverer->deliver({routed, other, ignored});
  ASSERT_EQ(outcomes.size(), 3u);
  for (const auto& o : outcomes) EXPECT_EQ(o.kind, OutcomeKind::kDelivered) << o.error;
  ASSERT_EQ(client_->bodies.size(), 2u);
  EXPECT_EQ(fakes::FakeSlackClient::channelOf(client_->bodies[0]), "#shop");
  EXPECT_EQ(fakes::FakeSlackClient::channelOf(client_->bodies[1]), "pod-crash-alerts");
  EXPECT_EQ(deliverer->stats().alerts, 2u);
  EXPECT_EQ(deliverer->stats().ignored, 1u);
  EXPECT_EQ(states_->rows.at(alertKey(routed.crash.record.event)).channel, "C-#shop");  // Slack's channel ID is kept
}

TEST_F(SlackDelivererTest, DisabledMarksEverythingDeliveredWithoutSending) {
  options_.enabled = false;
  SlackDeliverer deliverer(options_, nullptr, store_, nullptr, clock_);
  const auto outcomes = deliverer.deliver({item(1), item(2)});
  EXPECT_EQ(outcomes[0].kind, OutcomeKind::kDelivered);
  EXPECT_EQ(outcomes[1].kind, OutcomeKind::kDelivered);
  EXPECT_EQ(store_->reads, 0);
  EXPECT_EQ(deliverer.stats().skipped, 2u);
}

TEST_F(SlackDelivererTest, PacesPostsToOneChannel) {
  options_.cooldown.cooldown = 0ms;
  auto deliverer = make();
  deliverer->deliver({item(1), item(2), item(3)});
  EXPECT_EQ(client_->bodies.size(), 3u);
  ASSERT_EQ(sleeps_.size(), 2u);
  EXPECT_EQ(sleeps_[0], 1000ms);
}

TEST_F(SlackDelivererTest, RateLimitWaitsRetryAfterAndHoldsTheRest) {
  options_.cooldown.cooldown = 0ms;
  auto deliverer = make();
  client_->script.push_back({429, R"({"ok":false,"error":"ratelimited"})", 30s});
  const auto outcomes = deliverer->deliver({item(1), item(2)});
  EXPECT_EQ(outcomes[0].kind, OutcomeKind::kRetry);
  EXPECT_EQ(outcomes[0].retryAfter, 30s);
  EXPECT_EQ(outcomes[0].cause, "rate_limited");  // Slack's 429: counted by the metrics
  EXPECT_EQ(outcomes[1].kind, OutcomeKind::kRetry);
  EXPECT_EQ(outcomes[1].retryAfter, 30s);
  EXPECT_EQ(outcomes[1].cause, "rate_limit_paused");  // not sent at all: no second 429
  EXPECT_EQ(client_->bodies.size(), 1u);
  clock_->advance(30s);
  EXPECT_EQ(deliverer->deliver({item(1)})[0].kind, OutcomeKind::kDelivered);
}

TEST_F(SlackDelivererTest, RatelimitedWithoutRetryAfterUsesTheDefault) {
  auto deliverer = make();
  client_->script.push_back({200, R"({"ok":false,"error":"ratelimited"})", std::nullopt});
  const auto outcome = deliverer->deliver({item(1)})[0];
  EXPECT_EQ(outcome.kind, OutcomeKind::kRetry);
  EXPECT_EQ(outcome.retryAfter, options_.rateLimitDefault);
}

TEST_F(SlackDelivererTest, AuthFailureStopsSendingAndKeepsItemsPending) {
  auto deliverer = make();
  client_->script.push_back({200, R"({"ok":false,"error":"invalid_auth"})", std::nullopt});
  const auto outcomes = deliverer->deliver({item(1), item(2)});
  EXPECT_EQ(outcomes[0].kind, OutcomeKind::kRetry);
  EXPECT_EQ(outcomes[0].retryAfter, options_.authRetry);
  EXPECT_EQ(outcomes[1].kind, OutcomeKind::kRetry);
  EXPECT_TRUE(deliverer->authFailing());
  clock_->advance(5min);
  deliverer->deliver({item(1)});
  EXPECT_EQ(client_->bodies.size(), 1u);  // nothing more was sent
  clock_->advance(5min);                  // authRetry passed: one try, which works now
  EXPECT_EQ(deliverer->deliver({item(1)})[0].kind, OutcomeKind::kDelivered);
  EXPECT_FALSE(deliverer->authFailing());
}

TEST_F(SlackDelivererTest, ChannelNotFoundFallsBackOnceToTheDefaultChannel) {
  auto deliverer = make();
  client_->script.push_back({200, R"({"ok":false,"error":"not_in_channel"})", std::nullopt});
  const auto outcome = deliverer->deliver({item(1)})[0];
  EXPECT_EQ(outcome.kind, OutcomeKind::kDelivered);
  ASSERT_EQ(client_->bodies.size(), 2u);
  EXPECT_EQ(fakes::FakeSlackClient::channelOf(client_->bodies[1]), "pod-crash-alerts");
  EXPECT_NE(client_->bodies[1].find("not_in_channel"), std::string::npos);  // the message says why
  EXPECT_EQ(deliverer->stats().fallbacks, 1u);
}

TEST_F(SlackDelivererTest, DefaultChannelMissingIsDead) {
  auto deliverer = make();
  auto other = item(1);
  other.crash.record.event.namespace_ = "billing";
  client_->script.push_back({200, R"({"ok":false,"error":"channel_not_found"})", std::nullopt});
  const auto outcome = deliverer->deliver({other})[0];
  EXPECT_EQ(outcome.kind, OutcomeKind::kDead);
  EXPECT_NE(outcome.error.find("channel_not_found"), std::string::npos);
  EXPECT_EQ(client_->bodies.size(), 1u);
}

TEST_F(SlackDelivererTest, ServerErrorBacksOffAndSkipsTheRestOfTheBatch) {
  options_.cooldown.cooldown = 0ms;
  auto deliverer = make();
  client_->script.push_back({503, "down", std::nullopt});
  const auto outcomes = deliverer->deliver({item(1), item(2)});
  EXPECT_EQ(outcomes[0].kind, OutcomeKind::kRetry);
  EXPECT_EQ(outcomes[0].cause, "unavailable");
  EXPECT_FALSE(outcomes[0].retryAfter.has_value());
  EXPECT_EQ(outcomes[1].kind, OutcomeKind::kRetry);
  EXPECT_EQ(client_->bodies.size(), 1u);
  EXPECT_EQ(deliverer->deliver({item(2)})[0].kind, OutcomeKind::kDelivered);  // next batch tries again
}

// Regression (found by the fault suite, tests/faults/log_faults.sh): crash 1's alert failed with
// a 503, crash 2 of the same container was alerted, then crash 1's retry was skipped as "already
// handled". Every item is now marked handled with its state, and a late one is still alerted.
TEST_F(SlackDelivererTest, RetriedAlertAfterALaterCrashOfTheSameContainerIsStillSent) {
  options_.cooldown.cooldown = 0ms;
  auto deliverer = make();
  client_->script.push_back({503, "down", std::nullopt});
  EXPECT_EQ(deliverer->deliver({item(1)})[0].kind, OutcomeKind::kRetry);
  EXPECT_EQ(deliverer->deliver({item(2, 1s)})[0].kind, OutcomeKind::kDelivered);
  EXPECT_EQ(deliverer->deliver({item(1)})[0].kind, OutcomeKind::kDelivered);
  ASSERT_EQ(client_->bodies.size(), 3u);  // the failed post, crash 2, crash 1
  EXPECT_EQ(states_->handled, (std::vector<std::int64_t>{2, 1}));
}

TEST_F(SlackDelivererTest, AlertedAndFoldedItemsAreMarkedHandledWithTheirState) {
  auto deliverer = make();
  EXPECT_EQ(deliverer->deliver({item(1)})[0].kind, OutcomeKind::kDelivered);      // alert
  EXPECT_EQ(deliverer->deliver({item(2, 1s)})[0].kind, OutcomeKind::kRetry);      // held: stays pending
  EXPECT_EQ(deliverer->deliver({item(3, 2s)})[0].kind, OutcomeKind::kDelivered);  // folded
  EXPECT_EQ(states_->handled, (std::vector<std::int64_t>{1, 3}));
  // The newest handled item redelivered sends nothing.
  EXPECT_EQ(deliverer->deliver({item(3, 2s)})[0].kind, OutcomeKind::kDelivered);
  EXPECT_EQ(client_->bodies.size(), 1u);
}

TEST_F(SlackDelivererTest, NoAnswerIsRetried) {
  auto deliverer = make();
  client_->script.push_back({-1, "", std::nullopt});
  EXPECT_EQ(deliverer->deliver({item(1)})[0].kind, OutcomeKind::kRetry);
}

TEST_F(SlackDelivererTest, UnknownErrorIsRetriedAFewTimesThenDead) {
  auto deliverer = make();
  client_->script.push_back({200, R"({"ok":false,"error":"brand_new"})", std::nullopt});
  client_->script.push_back({200, R"({"ok":false,"error":"brand_new"})", std::nullopt});
  auto first = item(1);
  EXPECT_EQ(deliverer->deliver({first})[0].kind, OutcomeKind::kRetry);
  first.attempts = options_.maxUnknownAttempts;
  EXPECT_EQ(deliverer->deliver({first})[0].kind, OutcomeKind::kDead);
}

TEST_F(SlackDelivererTest, StoreFailuresNeverMeanNoRouteOrNoState) {
  store_->failing = true;
  auto deliverer = make();
  EXPECT_EQ(deliverer->deliver({item(1)})[0].kind, OutcomeKind::kRetry);  // rules never loaded
  store_->failing = false;
  states_->failing = true;
  EXPECT_EQ(deliverer->deliver({item(1)})[0].kind, OutcomeKind::kRetry);  // cooldown state unreadable
  EXPECT_TRUE(client_->bodies.empty());
}

// Regression (found by the fault suite, tests/faults/mysql_faults.sh): MySQL died right after an
// alert was posted, so its state was not saved and the item, never marked, came back later and
// was alerted (folded) a second time. The state is now kept and saved before anything else.
TEST_F(SlackDelivererTest, AlertWhoseStateCannotBeSavedIsNeitherForgottenNorSentAgain) {
  options_.cooldown.cooldown = 0ms;
  auto deliverer = make();
  states_->failSaves = true;
  EXPECT_EQ(deliverer->deliver({item(1)})[0].kind, OutcomeKind::kDelivered);  // posted; the worker's mark fails too
  EXPECT_EQ(client_->bodies.size(), 1u);
  EXPECT_EQ(deliverer->deliver({item(2, 1s)})[0].kind, OutcomeKind::kRetry);  // nothing decided on a stale state
  EXPECT_EQ(client_->bodies.size(), 1u);
  states_->failSaves = false;
  EXPECT_EQ(deliverer->deliver({item(1)})[0].kind, OutcomeKind::kDelivered);  // back after its lease: not sent again
  EXPECT_EQ(client_->bodies.size(), 1u);
  EXPECT_EQ(deliverer->deliver({item(2, 1s)})[0].kind, OutcomeKind::kDelivered);
  EXPECT_EQ(client_->bodies.size(), 2u);
  EXPECT_EQ(states_->handled, (std::vector<std::int64_t>{1, 2}));
}

TEST_F(SlackDelivererTest, CrashLoopFoldsIntoOneThreadedFollowUp) {
  auto deliverer = make();
  std::vector<DeliveryOutcome> outcomes;
  std::optional<store::OutboxItem> held;
  std::chrono::system_clock::time_point due{};
  // 20 restarts in 2 minutes, each delivered as it comes; pods change names (Deployment).
  for (int i = 0; i < 20; ++i) {
    auto it = fakes::sampleItem(i + 1, clock_->now(), "web-7d9f8-" + std::to_string(i));
    const auto o = deliverer->deliver({it})[0];
    if (o.kind == OutcomeKind::kRetry) {
      ASSERT_FALSE(held.has_value());
      held = it;
      due = clock_->now() + *o.retryAfter;
    } else {
      EXPECT_EQ(o.kind, OutcomeKind::kDelivered);
    }
    clock_->advance(6s);
  }
  EXPECT_EQ(client_->bodies.size(), 1u);
  ASSERT_TRUE(held.has_value());
  EXPECT_EQ(due, fakes::ManualClock().now() + 5min);  // cooldown / 2 after the first alert
  clock_->advance(due - clock_->now());               // the worker brings the held item back when asked
  held->attempts = 2;
  EXPECT_EQ(deliverer->deliver({*held})[0].kind, OutcomeKind::kDelivered);
  ASSERT_EQ(client_->bodies.size(), 2u);
  const std::string& followUp = client_->bodies[1];
  EXPECT_NE(followUp.find("\"thread_ts\":\"1700000000.100001\""), std::string::npos) << followUp;
  EXPECT_NE(followUp.find("19 more times"), std::string::npos);
  EXPECT_EQ(deliverer->stats().alerts, 1u);
  EXPECT_EQ(deliverer->stats().followUps, 1u);
  // The follow-up marked the held item done with the state (one transaction in MySQL), so no
  // lease running out can hand it out again.
  ASSERT_FALSE(states_->handled.empty());
  EXPECT_EQ(states_->handled.back(), held->id);
}

// One failure (fingerprint) crashing two workloads of a namespace within the cooldown: one alert,
// the other workload's crash folds into its thread.
TEST_F(SlackDelivererTest, SameFailureInAnotherWorkloadFoldsIntoTheFailuresEpisode) {
  options_.cooldown.followUpInterval = 1min;
  auto deliverer = make();
  auto inWorkload = [&](std::int64_t id, const std::string& workload, const std::string& fingerprint) {
    auto it = item(id);
    it.crash.record.event.ownerName = workload;
    it.crash.record.event.podName = workload + "-7d9f8-abcde";
    it.crash.record.fingerprint = fingerprint;
    return it;
  };
  EXPECT_EQ(deliverer->deliver({inWorkload(1, "web", "aaaaaaaaaaaaaaaa")})[0].kind, OutcomeKind::kDelivered);
  ASSERT_EQ(client_->bodies.size(), 1u);
  EXPECT_TRUE(states_->rows.count("fingerprint|prod|shop|aaaaaaaaaaaaaaaa"));

  clock_->advance(10s);
  auto other = inWorkload(2, "admin", "aaaaaaaaaaaaaaaa");
  const auto held = deliverer->deliver({other})[0];
  ASSERT_EQ(held.kind, OutcomeKind::kRetry) << "held to carry the follow-up";
  EXPECT_EQ(client_->bodies.size(), 1u);
  EXPECT_EQ(deliverer->stats().folded, 1u);

  // Another failure of that workload is its own alert; so is the same failure in another namespace.
  EXPECT_EQ(deliverer->deliver({inWorkload(3, "billing", "bbbbbbbbbbbbbbbb")})[0].kind, OutcomeKind::kDelivered);
  auto elsewhere = inWorkload(4, "search", "aaaaaaaaaaaaaaaa");
  elsewhere.crash.record.event.namespace_ = "search";
  EXPECT_EQ(deliverer->deliver({elsewhere})[0].kind, OutcomeKind::kDelivered);
  EXPECT_EQ(client_->bodies.size(), 3u);
  EXPECT_EQ(deliverer->stats().alerts, 3u);

  clock_->advance(1min);
  EXPECT_EQ(deliverer->deliver({other})[0].kind, OutcomeKind::kDelivered);
  ASSERT_EQ(client_->bodies.size(), 4u);
  const std::string& followUp = client_->bodies[3];
  EXPECT_NE(followUp.find("\"thread_ts\":\"1700000000.100001\""), std::string::npos) << followUp;  // web's thread
  EXPECT_NE(followUp.find("Deployment/admin"), std::string::npos) << followUp;
  EXPECT_NE(followUp.find("1 more time"), std::string::npos) << followUp;
  EXPECT_EQ(deliverer->stats().followUps, 1u);
}

TEST_F(SlackDelivererTest, WithoutAFingerprintOrAfterTheCooldownEachWorkloadAlerts) {
  auto deliverer = make();
  auto a = item(1);
  auto b = item(2);
  b.crash.record.event.ownerName = "admin";  // no fingerprints: nothing groups them
  deliverer->deliver({a, b});
  EXPECT_EQ(client_->bodies.size(), 2u);

  auto c = item(3);
  c.crash.record.event.ownerName = "api";
  c.crash.record.fingerprint = "cccccccccccccccc";
  deliverer->deliver({c});
  clock_->advance(options_.cooldown.cooldown + 1s);
  auto d = item(4);
  d.crash.record.event.ownerName = "jobs";
  d.crash.record.fingerprint = "cccccccccccccccc";
  EXPECT_EQ(deliverer->deliver({d})[0].kind, OutcomeKind::kDelivered);
  EXPECT_EQ(client_->bodies.size(), 4u);
  EXPECT_EQ(deliverer->stats().alerts, 4u);
}

TEST_F(SlackDelivererTest, WebhookFollowUpsAreTopLevel) {
  options_.cooldown.followUpInterval = 1min;
  auto deliverer = make(true);
  deliverer->deliver({item(1)});
  clock_->advance(2min);
  deliverer->deliver({item(2)});
  ASSERT_EQ(client_->bodies.size(), 2u);
  EXPECT_EQ(client_->bodies[1].find("thread_ts"), std::string::npos);
  EXPECT_EQ(client_->bodies[1].find("\"channel\""), std::string::npos);
  EXPECT_NE(client_->bodies[1].find("prod shop/"), std::string::npos);  // says where, without a thread
}

}  // namespace
}  // namespace podmon::notify
