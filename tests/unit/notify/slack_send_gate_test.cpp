// The send gate alone: pacing, pauses after rate limits and auth failures, the fallback channel.
#include "notify/slack_send_gate.h"

#include <gtest/gtest.h>

#include "unit/notify/notify_fakes.h"

namespace podmon::notify {
namespace {

using namespace std::chrono_literals;
using OutcomeKind = delivery::DeliveryOutcome::Kind;

class SlackSendGateTest : public ::testing::Test {
 protected:
  SlackSendGate& gate() {
    if (!gate_) {
      options_.sleep = [this](std::chrono::milliseconds d) {
        sleeps_.push_back(d);
        clock_->advance(d);
      };
      gate_.emplace(options_, client_, clock_);
    }
    return *gate_;
  }

  SlackSendGate::Sent post(const std::string& channel, std::int64_t id = 1) {
    return gate().post(
        [](const std::string& to, const std::string& note) {
          SlackMessage message;
          message.channel = to;
          message.text = note.empty() ? "crash" : note;
          return message;
        },
        channel, fakes::sampleItem(id, clock_->now()));
  }

  SlackSendGateOptions options_;
  std::shared_ptr<fakes::ManualClock> clock_ = std::make_shared<fakes::ManualClock>();
  std::shared_ptr<fakes::FakeSlackClient> client_ = std::make_shared<fakes::FakeSlackClient>();
  std::optional<SlackSendGate> gate_;
  std::vector<std::chrono::milliseconds> sleeps_;
};

TEST_F(SlackSendGateTest, PostsAndPacesPerChannel) {
  EXPECT_TRUE(post("#a").ok);
  const auto second = post("#a");
  EXPECT_TRUE(second.ok);
  EXPECT_EQ(second.channel, "C-#a");
  EXPECT_FALSE(second.fellBack);
  EXPECT_TRUE(post("#b").ok);  // another channel does not wait
  EXPECT_EQ(sleeps_, std::vector<std::chrono::milliseconds>{1000ms});
}

TEST_F(SlackSendGateTest, ARateLimitPausesEveryPostUntilItIsOver) {
  client_->script.push_back({429, "", 7000ms});
  const auto limited = post("#a");
  EXPECT_FALSE(limited.ok);
  EXPECT_EQ(limited.failure.kind, OutcomeKind::kRetry);
  EXPECT_EQ(limited.failure.cause, "rate_limited");
  EXPECT_EQ(limited.failure.retryAfter, std::optional<std::chrono::milliseconds>(7000ms));
  const auto paused = post("#b");
  EXPECT_EQ(paused.failure.cause, "rate_limit_paused");
  EXPECT_EQ(client_->bodies.size(), 1u);
  clock_->advance(7s);
  EXPECT_TRUE(post("#b").ok);
  EXPECT_EQ(gate().failures(), 1u);
}

TEST_F(SlackSendGateTest, AnAuthFailureStopsSendingAndIsReported) {
  client_->script.push_back({200, R"({"ok":false,"error":"invalid_auth"})", std::nullopt});
  const auto refused = post("#a");
  EXPECT_EQ(refused.failure.cause, "auth");
  EXPECT_TRUE(gate().authFailing());
  EXPECT_EQ(post("#a").failure.cause, "auth_paused");
  clock_->advance(options_.authRetry);
  EXPECT_TRUE(post("#a").ok);
  EXPECT_FALSE(gate().authFailing());
}

TEST_F(SlackSendGateTest, SlackDownHoldsTheRestOfTheBatch) {
  client_->script.push_back({-1, "", std::nullopt});
  EXPECT_EQ(post("#a").failure.cause, "unavailable");
  EXPECT_EQ(post("#b").failure.cause, "unavailable");
  EXPECT_EQ(client_->bodies.size(), 1u);
  gate().startBatch();
  EXPECT_TRUE(post("#b").ok);
}

TEST_F(SlackSendGateTest, AnUnusableChannelFallsBackToTheDefaultOnceWithANote) {
  client_->script.push_back({200, R"({"ok":false,"error":"channel_not_found"})", std::nullopt});
  const auto sent = post("#gone");
  EXPECT_TRUE(sent.ok);
  EXPECT_TRUE(sent.fellBack);
  EXPECT_EQ(sent.channel, "C-pod-crash-alerts");
  ASSERT_EQ(client_->bodies.size(), 2u);
  EXPECT_NE(client_->bodies[1].find("Meant for"), std::string::npos);
  EXPECT_EQ(gate().fallbacks(), 1u);

  client_->script.push_back({200, R"({"ok":false,"error":"channel_not_found"})", std::nullopt});
  const auto dead = post("pod-crash-alerts");  // the default channel itself: nothing to fall back to
  EXPECT_FALSE(dead.ok);
  EXPECT_EQ(dead.failure.kind, OutcomeKind::kDead);
  EXPECT_EQ(dead.failure.cause, "channel");
}

SlackMessage updateOf(const std::string& channel, const std::string& ts) {
  SlackMessage message;
  message.channel = channel;
  message.ts = ts;
  message.text = "now 12 crashes";
  return message;
}

TEST_F(SlackSendGateTest, AnUpdateIsPacedWithThePostsOfItsChannel) {
  EXPECT_TRUE(post("C-#a").ok);
  const auto updated = gate().update(updateOf("C-#a", "1700000000.100001"), fakes::sampleItem(2, clock_->now()));
  EXPECT_TRUE(updated.ok);
  EXPECT_EQ(updated.ts, "1700000000.100001");
  EXPECT_EQ(sleeps_, std::vector<std::chrono::milliseconds>{1000ms});  // one a second, posts and updates alike
  ASSERT_EQ(client_->updates.size(), 1u);
  EXPECT_NE(client_->updates[0].find(R"("ts":"1700000000.100001")"), std::string::npos);
}

TEST_F(SlackSendGateTest, AnUpdateSlackCannotMakeSaysSoWithoutFailing) {
  for (const char* error : {"message_not_found", "cant_update_message", "channel_not_found"}) {
    client_->updateScript.push_back({200, std::string(R"({"ok":false,"error":")") + error + R"("})", std::nullopt});
    const auto refused = gate().update(updateOf("C-#a", "1.2"), fakes::sampleItem(1, clock_->now()));
    EXPECT_FALSE(refused.ok) << error;
    EXPECT_TRUE(refused.cannotUpdate) << error;
  }
  EXPECT_EQ(gate().failures(), 0u);
}

TEST_F(SlackSendGateTest, ARateLimitedUpdatePausesPostsToo) {
  client_->updateScript.push_back({429, R"({"ok":false,"error":"ratelimited"})", 5000ms});
  const auto limited = gate().update(updateOf("C-#a", "1.2"), fakes::sampleItem(1, clock_->now()));
  EXPECT_FALSE(limited.cannotUpdate);
  EXPECT_EQ(limited.failure.cause, "rate_limited");
  EXPECT_EQ(limited.failure.retryAfter, std::optional<std::chrono::milliseconds>(5000ms));
  EXPECT_EQ(post("#b").failure.cause, "rate_limit_paused");
}

}  // namespace
}  // namespace podmon::notify
