// SlackDeliverer with the real Poco client against SlackTestServer: routing, fallback, 429,
// auth failures, 5xx, slow answers and the incoming webhook. Routes and cooldown state come from
// in-memory fakes here; slack_cooldown_test.cpp runs them on MariaDB.
#include <gtest/gtest.h>

#include "notify/poco_slack_client.h"
#include "notify/slack_deliverer.h"
#include "servers/slack_test_server.h"
#include "unit/notify/notify_fakes.h"

namespace podmon::notify {
namespace {

using namespace std::chrono_literals;
using OutcomeKind = delivery::DeliveryOutcome::Kind;

class SlackDeliveryTest : public ::testing::Test {
 protected:
  void SetUp() override { store_->routes = {{"prod", "shop", "shop-alerts"}}; }

  std::shared_ptr<SlackDeliverer> make(bool webhook = false, std::chrono::milliseconds timeout = 5s) {
    SlackClientOptions clientOptions;
    clientOptions.apiUrl = server_.apiUrl();
    if (webhook) {
      clientOptions.webhookUrl = server_.webhookUrl();
    } else {
      clientOptions.token = server_.token();
    }
    clientOptions.timeout = timeout;
    SlackDelivererOptions options;
    options.sleep = [this](std::chrono::milliseconds d) { clock_->advance(d); };
    return std::make_shared<SlackDeliverer>(options, std::make_shared<PocoSlackClient>(clientOptions), store_, states_,
                                            clock_);
  }

  store::OutboxItem item(std::int64_t id) { return fakes::sampleItem(id, clock_->now()); }

  testing::SlackTestServer server_;
  std::shared_ptr<fakes::ManualClock> clock_ = std::make_shared<fakes::ManualClock>();
  std::shared_ptr<fakes::FakeNotifyRuleSource> store_ = std::make_shared<fakes::FakeNotifyRuleSource>();
  std::shared_ptr<fakes::InMemoryAlertStateStore> states_ = std::make_shared<fakes::InMemoryAlertStateStore>();
};

TEST_F(SlackDeliveryTest, DeliversToTheRoutedChannel) {
  auto deliverer = make();
  const auto outcome = deliverer->deliver({item(1)})[0];
  EXPECT_EQ(outcome.kind, OutcomeKind::kDelivered) << outcome.error;
  const auto messages = server_.messagesIn("shop-alerts");
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_NE(messages[0].text.find("shop/web-7d9f8-abcde"), std::string::npos);
  EXPECT_NE(messages[0].body.find("\"blocks\""), std::string::npos);
  EXPECT_EQ(server_.lastContentType(), "application/json; charset=utf-8");
  EXPECT_EQ(server_.lastAuthorization(), "Bearer " + server_.token());
  EXPECT_EQ(states_->rows.begin()->second.channel, server_.channelId("shop-alerts"));
  EXPECT_EQ(states_->rows.begin()->second.threadTs, messages[0].ts);
}

TEST_F(SlackDeliveryTest, ChannelNotFoundFallsBackToTheDefaultChannel) {
  server_.setChannelError("shop-alerts", "channel_not_found");
  auto deliverer = make();
  EXPECT_EQ(deliverer->deliver({item(1)})[0].kind, OutcomeKind::kDelivered);
  EXPECT_TRUE(server_.messagesIn("shop-alerts").empty());
  const auto fallback = server_.messagesIn("pod-crash-alerts");
  ASSERT_EQ(fallback.size(), 1u);
  EXPECT_NE(fallback[0].body.find("channel_not_found"), std::string::npos);
  EXPECT_EQ(server_.requestCount(), 2);
}

TEST_F(SlackDeliveryTest, Http429GivesRetryWithTheServersDelay) {
  server_.failNextWith429(1, 7);
  auto deliverer = make();
  const auto outcome = deliverer->deliver({item(1)})[0];
  EXPECT_EQ(outcome.kind, OutcomeKind::kRetry);
  EXPECT_EQ(outcome.retryAfter, 7s);
  EXPECT_TRUE(server_.messages().empty());
  clock_->advance(7s);
  EXPECT_EQ(deliverer->deliver({item(1)})[0].kind, OutcomeKind::kDelivered);
  EXPECT_EQ(server_.messages().size(), 1u);
}

TEST_F(SlackDeliveryTest, InvalidAuthStopsFurtherSends) {
  server_.setAuthError("invalid_auth");
  auto deliverer = make();
  const auto first = deliverer->deliver({item(1), item(2)});
  EXPECT_EQ(first[0].kind, OutcomeKind::kRetry);
  EXPECT_EQ(first[1].kind, OutcomeKind::kRetry);
  EXPECT_TRUE(deliverer->authFailing());
  EXPECT_EQ(deliverer->deliver({item(3)})[0].kind, OutcomeKind::kRetry);
  EXPECT_EQ(server_.requestCount(), 1);  // one refused post, then nothing
}

TEST_F(SlackDeliveryTest, WrongTokenIsAnAuthFailure) {
  SlackClientOptions clientOptions;
  clientOptions.apiUrl = server_.apiUrl();
  clientOptions.token = "xoxb-wrong";
  SlackDeliverer deliverer(SlackDelivererOptions{}, std::make_shared<PocoSlackClient>(clientOptions), store_, states_,
                           clock_);
  EXPECT_EQ(deliverer.deliver({item(1)})[0].kind, OutcomeKind::kRetry);
  EXPECT_TRUE(deliverer.authFailing());
}

TEST_F(SlackDeliveryTest, ServerErrorsAndTimeoutsBackOff) {
  server_.failNextWithStatus(1, 503);
  auto deliverer = make(false, 300ms);
  const auto outcome = deliverer->deliver({item(1)})[0];
  EXPECT_EQ(outcome.kind, OutcomeKind::kRetry);
  EXPECT_FALSE(outcome.retryAfter.has_value());
  server_.setResponseDelay(1500ms);
  EXPECT_EQ(deliverer->deliver({item(1)})[0].kind, OutcomeKind::kRetry);
  server_.setResponseDelay(0ms);
}

TEST_F(SlackDeliveryTest, RatelimitedErrorRetriesLater) {
  server_.failNextWithError(1, "ratelimited");
  auto deliverer = make();
  const auto outcome = deliverer->deliver({item(1)})[0];
  EXPECT_EQ(outcome.kind, OutcomeKind::kRetry);
  EXPECT_TRUE(outcome.retryAfter.has_value());
}

TEST_F(SlackDeliveryTest, IncomingWebhook) {
  auto deliverer = make(true);
  EXPECT_EQ(deliverer->deliver({item(1)})[0].kind, OutcomeKind::kDelivered);
  const auto messages = server_.webhookMessages();
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_EQ(messages[0].body.find("\"channel\""), std::string::npos);
  EXPECT_EQ(server_.lastAuthorization(), "");
}

TEST_F(SlackDeliveryTest, WebhookChannelErrorIsDead) {
  server_.failNextWithError(1, "channel_is_archived");
  auto deliverer = make(true);
  const auto outcome = deliverer->deliver({item(1)})[0];
  EXPECT_EQ(outcome.kind, OutcomeKind::kDead);
  EXPECT_NE(outcome.error.find("channel_is_archived"), std::string::npos);
}

}  // namespace
}  // namespace podmon::notify
