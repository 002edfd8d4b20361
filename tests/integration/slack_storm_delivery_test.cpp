// SlackDeliverer in a crash storm with the real Poco client against SlackTestServer: one failure
// across namespaces becomes one message updated in place with chat.update; an update Slack refuses
// (message deleted, not ours) becomes a new message; a 429 on an update is waited out; no crash is
// lost. Routes and alert state come from in-memory fakes (the state's store runs on MariaDB and
// SQLite in store_alert_state_test.cpp).
#include <gtest/gtest.h>

#include <map>
#include <regex>

#include "notify/poco_slack_client.h"
#include "notify/slack_deliverer.h"
#include "servers/slack_test_server.h"
#include "unit/notify/notify_fakes.h"

namespace podmon::notify {
namespace {

using namespace std::chrono_literals;
using OutcomeKind = delivery::DeliveryOutcome::Kind;
using std::chrono::system_clock;

class SlackStormDeliveryTest : public ::testing::Test {
 protected:
  std::shared_ptr<SlackDeliverer> make() {
    SlackClientOptions clientOptions;
    clientOptions.apiUrl = server_.apiUrl();
    clientOptions.token = server_.token();
    SlackDelivererOptions options;
    options.defaultChannel = "storm-alerts";
    options.sleep = [this](std::chrono::milliseconds d) { clock_->advance(d); };
    return std::make_shared<SlackDeliverer>(options, std::make_shared<PocoSlackClient>(clientOptions), rules_, states_,
                                            clock_);
  }

  // Crashes of one failure in `namespaces` namespaces, `perNamespace` each, ids from `firstId`.
  std::vector<store::OutboxItem> crashes(int firstId, int namespaces, int perNamespace) {
    std::vector<store::OutboxItem> items;
    // Namespaces take turns (a node failing): each batch of 10 is 10 containers, a storm at once.
    for (int i = 0; i < perNamespace; ++i) {
      for (int n = 0; n < namespaces; ++n) {
        const int id = firstId + static_cast<int>(items.size());
        auto item = fakes::sampleItem(id, clock_->now(), "web-" + std::to_string(id));
        item.crash.record.event.namespace_ = "team-" + std::to_string(n);
        item.crash.record.fingerprint = "0123456789abcdef";
        items.push_back(item);
      }
    }
    return items;
  }

  // The outbox worker: batches of 10 among the items due; refused items come back when asked.
  void drain(SlackDeliverer& deliverer, std::vector<store::OutboxItem> items) {
    std::map<std::int64_t, std::pair<system_clock::time_point, store::OutboxItem>> owed;
    for (auto& item : items) owed[item.id] = {clock_->now(), item};
    for (int rounds = 0; !owed.empty() && rounds < 1000; ++rounds) {
      std::vector<store::OutboxItem> batch;
      auto next = system_clock::time_point::max();
      for (auto& [id, entry] : owed) {
        if (entry.first <= clock_->now() && batch.size() < 10) batch.push_back(entry.second);
        next = std::min(next, entry.first);
      }
      if (batch.empty()) {
        clock_->advance(next - clock_->now());
        continue;
      }
      const auto outcomes = deliverer.deliver(batch);
      for (std::size_t i = 0; i < batch.size(); ++i) {
        ASSERT_NE(outcomes[i].kind, OutcomeKind::kDead) << outcomes[i].error;
        if (outcomes[i].kind == OutcomeKind::kDelivered) {
          owed.erase(batch[i].id);
        } else {
          owed[batch[i].id].first = clock_->now() + outcomes[i].retryAfter.value_or(1s);
        }
      }
    }
    EXPECT_TRUE(owed.empty()) << owed.size() << " items still owed";
  }

  // The crashes the channel's messages account for, as last updated.
  int accounted() const {
    const std::regex group(R"((\d+) crash(?:es)? in \d+ namespaces?)");
    int total = 0;
    for (const auto& m : server_.messages()) {
      std::smatch match;
      if (std::regex_search(m.text, match, group)) {
        total += std::stoi(match[1]);
      } else if (m.text.rfind("Pod crash in ", 0) == 0) {
        total += 1;
      }
    }
    return total;
  }

  testing::SlackTestServer server_;
  std::shared_ptr<fakes::ManualClock> clock_ = std::make_shared<fakes::ManualClock>();
  std::shared_ptr<fakes::FakeNotifyRuleSource> rules_ = std::make_shared<fakes::FakeNotifyRuleSource>();
  std::shared_ptr<fakes::InMemoryAlertStateStore> states_ = std::make_shared<fakes::InMemoryAlertStateStore>();
};

TEST_F(SlackStormDeliveryTest, OneFailureAcrossNamespacesIsOneMessageUpdatedInPlace) {
  auto deliverer = make();
  drain(*deliverer, crashes(1, 10, 6));
  const auto messages = server_.messagesIn("storm-alerts");
  ASSERT_EQ(messages.size(), 1u);
  const auto updates = server_.updates();
  ASSERT_GE(updates.size(), 1u);
  for (const auto& u : updates) {
    EXPECT_EQ(u.ts, messages[0].ts);  // always the same message
    EXPECT_EQ(u.channelId, server_.channelId("storm-alerts"));
  }
  EXPECT_NE(messages[0].text.find("60 crashes in 10 namespaces, 10 workloads"), std::string::npos) << messages[0].text;
  EXPECT_EQ(messages[0].edits, static_cast<int>(updates.size()));
  EXPECT_EQ(accounted(), 60);
  EXPECT_EQ(states_->handled.size(), 60u);
  EXPECT_EQ(deliverer->stats().groupMessages, 1u);
}

TEST_F(SlackStormDeliveryTest, AnUpdateOfADeletedMessageBecomesANewMessageAndLosesNothing) {
  auto deliverer = make();
  drain(*deliverer, crashes(1, 10, 2));
  ASSERT_EQ(server_.messages().size(), 1u);
  server_.deleteMessage(server_.messages()[0].ts);
  clock_->advance(20s);
  drain(*deliverer, crashes(100, 10, 2));
  const auto messages = server_.messagesIn("storm-alerts");
  ASSERT_EQ(messages.size(), 2u);
  // The new message carries the whole group: the 20 crashes of the deleted one and the 20 new.
  EXPECT_NE(messages[1].text.find("40 crashes in 10 namespaces"), std::string::npos) << messages[1].text;
  const auto group = states_->rows.at(
      StormGrouper::groupKey(crashes(1, 1, 1)[0].crash.record.event, "storm-alerts", "0123456789abcdef"));
  EXPECT_EQ(group.threadTs, messages[1].ts);  // later updates go to the new message
}

TEST_F(SlackStormDeliveryTest, AMessageWeMayNotEditIsReplacedToo) {
  auto deliverer = make();
  drain(*deliverer, crashes(1, 10, 2));
  server_.markNotOurs(server_.messages()[0].ts);
  clock_->advance(20s);
  drain(*deliverer, crashes(100, 10, 1));
  ASSERT_EQ(server_.messagesIn("storm-alerts").size(), 2u);
  EXPECT_NE(server_.messages()[1].text.find("30 crashes in 10 namespaces"), std::string::npos);
}

TEST_F(SlackStormDeliveryTest, ARateLimitedUpdateIsWaitedOutAndSentOnce) {
  auto deliverer = make();
  drain(*deliverer, crashes(1, 10, 2));
  const auto updatesBefore = server_.updates().size();
  clock_->advance(20s);
  server_.failNextWith429(1, 3);
  drain(*deliverer, crashes(100, 10, 1));
  EXPECT_EQ(server_.messages().size(), 1u);
  EXPECT_GT(server_.updates().size(), updatesBefore);  // the refused one was sent again, once allowed
  EXPECT_NE(server_.messages()[0].text.find("30 crashes in 10 namespaces"), std::string::npos)
      << server_.messages()[0].text;
  EXPECT_EQ(accounted(), 30);
}

}  // namespace
}  // namespace podmon::notify
