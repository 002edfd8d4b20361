// The Slack deliverer in a crash storm, against a simulated outbox and clock: 300 crashes in 10
// namespaces for one channel, 250 of them one failure (fingerprint), 50 distinct. Counts the
// messages (chat.postMessage and chat.update) Slack would see, when each went out, and checks that
// every crash is in one of them and nothing is left owed.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <regex>

#include "notify/slack_deliverer.h"
#include "unit/notify/notify_fakes.h"

namespace podmon::notify {
namespace {

using namespace std::chrono_literals;
using delivery::DeliveryOutcome;
using OutcomeKind = DeliveryOutcome::Kind;
using std::chrono::system_clock;

constexpr const char* kShared = "5a5a5a5a5a5a5a5a";

// The fake client, with the simulated time of every request.
class TimedSlackClient : public fakes::FakeSlackClient {
 public:
  explicit TimedSlackClient(std::shared_ptr<fakes::ManualClock> clock, bool webhook = false)
      : FakeSlackClient(webhook), clock_(std::move(clock)) {}
  SlackHttpResponse post(const std::string& body) override {
    times.push_back(clock_->now());
    return FakeSlackClient::post(body);
  }
  SlackHttpResponse update(const std::string& body) override {
    times.push_back(clock_->now());
    return FakeSlackClient::update(body);
  }
  std::vector<system_clock::time_point> times;  // posts and updates

 private:
  std::shared_ptr<fakes::ManualClock> clock_;
};

class SlackDelivererStormTest : public ::testing::Test {
 protected:
  std::shared_ptr<SlackDeliverer> make(bool webhook = false) {
    client_ = std::make_shared<TimedSlackClient>(clock_, webhook);
    options_.sleep = [this](std::chrono::milliseconds d) { clock_->advance(d); };
    return std::make_shared<SlackDeliverer>(options_, client_, rules_, states_, clock_);
  }

  // 300 crashes detected within one second: every sixth one a failure of its own.
  std::vector<store::OutboxItem> storm() {
    std::vector<store::OutboxItem> items;
    for (int i = 0; i < 300; ++i) {
      auto item = fakes::sampleItem(i + 1, clock_->now(), "pod-" + std::to_string(i));
      auto& e = item.crash.record.event;
      e.namespace_ = "team-" + std::to_string(i % 10);
      const bool distinct = i % 6 == 5;
      e.ownerName = distinct ? "solo-" + std::to_string(i) : "web-" + std::to_string((i / 10) % 5);
      char fingerprint[17];
      std::snprintf(fingerprint, sizeof fingerprint, "%016x", i + 1);
      item.crash.record.fingerprint = distinct ? fingerprint : kShared;
      items.push_back(item);
    }
    return items;
  }

  // The outbox worker: batches of 10 by id among the items due, each outcome honoured (deferred
  // and retried items come back when asked). Returns when nothing is owed or `limit` passed.
  void drain(SlackDeliverer& deliverer, std::vector<store::OutboxItem> items, std::chrono::seconds limit) {
    std::map<std::int64_t, std::pair<system_clock::time_point, store::OutboxItem>> owed;
    for (auto& item : items) owed[item.id] = {clock_->now(), item};
    const auto end = clock_->now() + limit;
    while (!owed.empty() && clock_->now() < end) {
      std::vector<store::OutboxItem> batch;
      for (auto& [id, entry] : owed) {
        if (entry.first <= clock_->now() && batch.size() < 10) batch.push_back(entry.second);
      }
      if (batch.empty()) {
        auto next = std::min_element(owed.begin(), owed.end(),
                                     [](const auto& a, const auto& b) { return a.second.first < b.second.first; });
        clock_->advance(next->second.first - clock_->now());
        continue;
      }
      const auto outcomes = deliverer.deliver(batch);
      for (std::size_t i = 0; i < batch.size(); ++i) {
        if (outcomes[i].kind == OutcomeKind::kDelivered) {
          owed.erase(batch[i].id);
          doneAt_ = clock_->now();
        } else {
          ASSERT_EQ(outcomes[i].kind, OutcomeKind::kRetry) << outcomes[i].error;
          auto& entry = owed[batch[i].id];
          entry.first = clock_->now() + outcomes[i].retryAfter.value_or(1s);
          ++entry.second.attempts;
        }
      }
      clock_->advance(50ms);  // the worker's own time per batch
    }
    owedAfter_ = owed.size();
  }

  // The crash count the group's newest message shows ("250 crashes in 10 namespaces").
  int groupCrashesShown() const {
    const std::regex count(R"((\d+) crashes in (\d+) namespaces)");
    const std::vector<std::string>* lists[] = {&client_->updates, &client_->bodies};
    int best = 0;
    for (const auto* list : lists) {
      for (const auto& body : *list) {
        std::smatch m;
        if (body.find(kShared) != std::string::npos && std::regex_search(body, m, count)) {
          best = std::max(best, std::stoi(m[1]));
        }
      }
    }
    return best;
  }

  // The crashes all messages account for, each as last updated: a group's count, a follow-up's
  // "N more times", 1 for a plain alert.
  int accountedCrashes() const {
    std::map<std::string, std::string> latest;  // ts -> body
    for (std::size_t i = 0; i < client_->bodies.size(); ++i) {
      latest["1700000000." + std::to_string(100000 + i + 1)] = client_->bodies[i];
    }
    for (const auto& u : client_->updates) latest[fakes::FakeSlackClient::field(u, "ts")] = u;
    const std::regex group(R"((\d+) crash(?:es)? in \d+ namespaces?)");
    const std::regex followUp(R"(crashed (\d+) more times?)");
    int total = 0;
    for (const auto& [ts, body] : latest) {
      std::smatch m;
      if (std::regex_search(body, m, group) || std::regex_search(body, m, followUp)) {
        total += std::stoi(m[1]);
      } else if (body.find("Pod crash in") != std::string::npos) {
        total += 1;
      }
    }
    return total;
  }

  SlackDelivererOptions options_;
  std::shared_ptr<fakes::ManualClock> clock_ = std::make_shared<fakes::ManualClock>();
  std::shared_ptr<fakes::FakeNotifyRuleSource> rules_ = std::make_shared<fakes::FakeNotifyRuleSource>();
  std::shared_ptr<fakes::InMemoryAlertStateStore> states_ = std::make_shared<fakes::InMemoryAlertStateStore>();
  std::shared_ptr<TimedSlackClient> client_;
  system_clock::time_point doneAt_{};
  std::size_t owedAfter_ = 0;
};

TEST_F(SlackDelivererStormTest, ThreeHundredCrashesGiveAtMostSixtyMessagesAndNothingOwed) {
  auto deliverer = make();
  const auto start = clock_->now();
  drain(*deliverer, storm(), 10min);
  EXPECT_EQ(owedAfter_, 0u);
  EXPECT_LE(doneAt_ - start, 2min);  // every crash in a message within 2 minutes
  const auto inFirstMinute = std::count_if(client_->times.begin(), client_->times.end(),
                                           [&](system_clock::time_point t) { return t < start + 1min; });
  EXPECT_LE(inFirstMinute, 60);
  EXPECT_LE(client_->times.size(), 60u);
  // 50 failures of their own alert once each; the shared one is one message, updated.
  const auto stats = deliverer->stats();
  EXPECT_EQ(stats.groupMessages, 51u);
  EXPECT_GE(stats.groupUpdates, 1u);
  EXPECT_EQ(stats.alerts, 0u);
  EXPECT_EQ(groupCrashesShown(), 250);
  EXPECT_EQ(accountedCrashes(), 300);
  const auto group = states_->rows.at(
      StormGrouper::groupKey(fakes::sampleItem(1, start).crash.record.event, "pod-crash-alerts", kShared));
  EXPECT_EQ(StormSummary::decode(group.groupMembers).namespaces().size(), 10u);
  EXPECT_EQ(group.foldedCount, 0);  // nothing counted but not shown
  EXPECT_EQ(states_->handled.size(), 300u);
  std::printf("storm: %zu messages (%zu posts, %zu updates), %ld in the first minute, last item done after %lld s\n",
              client_->times.size(), client_->bodies.size(), client_->updates.size(), static_cast<long>(inFirstMinute),
              static_cast<long long>(std::chrono::duration_cast<std::chrono::seconds>(doneAt_ - start).count()));
}

TEST_F(SlackDelivererStormTest, QuietTimesKeepOneAlertPerCrash) {
  auto deliverer = make();
  // Nine crashes of one failure in nine namespaces, one every 2 s: below the storm threshold.
  for (int i = 0; i < 9; ++i) {
    auto item = fakes::sampleItem(i + 1, clock_->now(), "pod-" + std::to_string(i));
    item.crash.record.event.namespace_ = "team-" + std::to_string(i);
    item.crash.record.fingerprint = kShared;
    EXPECT_EQ(deliverer->deliver({item})[0].kind, OutcomeKind::kDelivered);
    clock_->advance(2s);
  }
  EXPECT_EQ(client_->bodies.size(), 9u);
  EXPECT_TRUE(client_->updates.empty());
  EXPECT_EQ(deliverer->stats().alerts, 9u);
  EXPECT_EQ(deliverer->stats().groupMessages, 0u);
}

TEST_F(SlackDelivererStormTest, AnUpdateSlackRefusesBecomesANewMessageAndLosesNothing) {
  auto deliverer = make();
  auto items = storm();
  items.resize(20);
  client_->updateScript.push_back({200, R"({"ok":false,"error":"message_not_found"})", std::nullopt});
  drain(*deliverer, items, 5min);
  EXPECT_EQ(owedAfter_, 0u);
  ASSERT_EQ(client_->updates.size(), 1u);  // refused
  EXPECT_GE(deliverer->stats().groupMessages, 5u);
  // The shared failure's 17 crashes are all in the message that replaced the one Slack lost.
  EXPECT_EQ(groupCrashesShown(), 17);
  const auto group = states_->rows.at(StormGrouper::groupKey(items[0].crash.record.event, "pod-crash-alerts", kShared));
  EXPECT_NE(group.threadTs, "1700000000.100001");  // later updates go to the new message
}

TEST_F(SlackDelivererStormTest, AnUpdateThatFailsForNowIsRetriedByItsCarrier) {
  auto deliverer = make();
  auto items = storm();
  items.resize(20);
  client_->updateScript.push_back({503, "upstream error", std::nullopt});
  drain(*deliverer, items, 5min);
  EXPECT_EQ(owedAfter_, 0u);
  EXPECT_EQ(client_->updates.size(), 2u);  // failed, then done
  EXPECT_EQ(groupCrashesShown(), 17);
}

TEST_F(SlackDelivererStormTest, AWebhookPostsTheGroupAnewInsteadOfUpdating) {
  auto deliverer = make(true);
  auto items = storm();
  items.resize(20);
  drain(*deliverer, items, 5min);
  EXPECT_EQ(owedAfter_, 0u);
  EXPECT_TRUE(client_->updates.empty());
  EXPECT_EQ(deliverer->stats().groupUpdates, 0u);
  EXPECT_EQ(groupCrashesShown(), 17);
  EXPECT_LE(client_->bodies.size(), 6u);  // 3 failures of their own, the group, its repost
}

// Crashes namespace by namespace, the first ones before the storm is seen: the failure's episode
// in the first namespace holds a crash back for a follow-up; it is sent within the window of the
// storm, not after half the cooldown, and every crash is in an alert, a follow-up or a group.
TEST_F(SlackDelivererStormTest, AHoldFromBeforeTheStormIsReportedSoonNotAfterHalfTheCooldown) {
  auto deliverer = make();
  std::vector<store::OutboxItem> items;
  for (int i = 0; i < 60; ++i) {
    auto item = fakes::sampleItem(i + 1, clock_->now(), "pod-" + std::to_string(i));
    item.crash.record.event.namespace_ = "team-" + std::to_string(i / 20);
    item.crash.record.event.ownerName = "web-" + std::to_string(i % 5);
    item.crash.record.fingerprint = kShared;
    items.push_back(item);
  }
  const auto start = clock_->now();
  EXPECT_EQ(deliverer->deliver({items[0]})[0].kind, OutcomeKind::kDelivered);  // alert
  const auto held = deliverer->deliver({items[1]})[0];  // another workload, the same failure: held
  ASSERT_EQ(held.kind, OutcomeKind::kRetry);
  EXPECT_EQ(held.retryAfter, options_.storm.window);  // two containers: busy, a short hold
  drain(*deliverer, {items.begin() + 2, items.end()}, 10min);
  drain(*deliverer, {items[1]}, 10min);  // the held item, back when asked
  EXPECT_EQ(owedAfter_, 0u);
  EXPECT_LE(doneAt_ - start, 1min);
  EXPECT_EQ(accountedCrashes(), 60);
  // The follow-ups of the episodes from before the storm, and one group for the rest.
  EXPECT_GE(deliverer->stats().followUps, 1u);
  EXPECT_LE(client_->times.size(), 10u);
  EXPECT_EQ(deliverer->stats().groupMessages, 1u);
}

}  // namespace
}  // namespace podmon::notify
