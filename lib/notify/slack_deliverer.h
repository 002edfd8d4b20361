#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "delivery/outbox_deliverer.h"
#include "notify/alert_decider.h"
#include "notify/cooldown_policy.h"
#include "notify/crash_message_builder.h"
#include "notify/notify_rules_cache.h"
#include "notify/slack_client.h"
#include "notify/slack_send_gate.h"
#include "notify/storm_detector.h"
#include "notify/storm_grouper.h"
#include "store/alert_state_store.h"
#include "store/notify_rule_source.h"

namespace podmon {
struct SlackSettings;
}

namespace podmon::notify {

struct SlackDelivererOptions {
  // SLACK_NOTIFY. When false every Slack outbox item is marked delivered without sending: the crash
  // is stored and indexed anyway, and turning alerts on later does not flood a channel with old
  // crashes.
  bool enabled = true;
  std::string defaultChannel = "pod-crash-alerts";    // SLACK_CHANNEL
  std::string kibanaUrl;                              // KIBANA_URL; "" = no link
  std::string dashboardUrl;                           // ELASTICSEARCH_DASHBOARD; the link when kibanaUrl is ""
  bool includeLogs = true;                            // SLACK_INCLUDE_LOGS
  CooldownSettings cooldown;                          // ALERT_COOLDOWN
  StormSettings storm;                                // when and how crash storms are grouped
  std::chrono::milliseconds rulesRefresh{30000};      // routes and ignores are re-read this often
  std::chrono::milliseconds channelInterval{1000};    // at most one post per channel per this
  std::chrono::milliseconds rateLimitDefault{30000};  // a rate limit without Retry-After waits this
  std::chrono::milliseconds authRetry{600000};        // after an auth failure: wait, then try once
  int maxUnknownAttempts = 5;                         // unknown Slack errors are retried this often
  std::size_t batchSize = 10;
  // How the deliverer waits for the channel pacing; empty = std::this_thread::sleep_for. Tests
  // advance their simulated clock here.
  std::function<void(std::chrono::milliseconds)> sleep;

  static SlackDelivererOptions fromSettings(const SlackSettings& settings);
};

// Sends crash alerts to Slack from the outbox: routes each crash to its channel, drops ignored
// ones, asks the AlertDecider what to send (crash loops fold into threaded follow-ups, state in
// AlertStateStore so it survives restarts) and posts through the SlackSendGate (pacing, pauses on
// rate limits and auth failures, default-channel fallback). When crashes for one channel pile up
// beyond what Slack takes (StormDetector), crashes with one fingerprint are grouped across
// namespaces into one message per failure, updated in place (StormGrouper; chat.update, or a new
// message where Slack cannot update it). Items that need no message (ignored, folded, already
// sent, alerts off) are reported delivered. A thin wiring of those parts.
class SlackDeliverer : public delivery::OutboxDeliverer {
 public:
  struct Stats {
    std::uint64_t alerts = 0;         // top-level alerts sent
    std::uint64_t followUps = 0;      // follow-ups sent
    std::uint64_t folded = 0;         // crashes folded into a follow-up
    std::uint64_t ignored = 0;        // matched an ignore rule
    std::uint64_t skipped = 0;        // alerts off (SLACK_NOTIFY=false) or already handled
    std::uint64_t fallbacks = 0;      // routed channel unusable, default channel used
    std::uint64_t failures = 0;       // posts that failed (any reason)
    std::uint64_t groupMessages = 0;  // crash-storm group messages posted (new groups, reposts)
    std::uint64_t groupUpdates = 0;   // crash-storm group messages updated in place
  };

  // Throws ConfigException when alerts are on and there is no client.
  SlackDeliverer(SlackDelivererOptions options, SlackClient::Ptr client, store::NotifyRuleSource::Ptr store,
                 store::AlertStateStore::Ptr alertStates, Clock::Ptr clock = SystemClock::instance());

  store::Sink sink() const override { return store::Sink::kSlack; }
  std::size_t batchSize() const override { return options_.batchSize; }
  std::vector<delivery::DeliveryOutcome> deliver(const std::vector<store::OutboxItem>& items) override;
  // Reads the routes and ignore rules (throws SinkException when they cannot be read yet).
  void prepare() override;

  Stats stats() const;
  // True while Slack refuses the credentials (for /readyz).
  bool authFailing() const { return gate_.authFailing(); }

 private:
  delivery::DeliveryOutcome deliverOne(const store::OutboxItem& item, const NotifyRules& rules);
  // Saves the state of a decision that sends nothing; returns the item's outcome.
  // A hold lasts at most `maxHold` (the carrier comes back then and is decided again).
  delivery::DeliveryOutcome carryOut(const AlertDecision& decision, const store::OutboxItem& item,
                                     std::chrono::milliseconds maxHold = std::chrono::milliseconds::max());
  delivery::DeliveryOutcome sendAlert(const AlertDecision& decision, const store::OutboxItem& item,
                                      const NotifyRules& rules);
  delivery::DeliveryOutcome sendFollowUp(const AlertDecision& decision, const store::OutboxItem& item);
  // Tells the storm detector about a batch before any of it is decided.
  void noteDemand(const std::vector<store::OutboxItem>& items, const NotifyRules& rules);
  std::string channelFor(const store::OutboxItem& item, const NotifyRules& rules) const;
  // The crash-storm group's decision, when the crash goes to a group rather than its own episode.
  std::optional<AlertDecision> groupDecision(const AlertDecision& own, const store::OutboxItem& item,
                                             const std::string& channel);
  delivery::DeliveryOutcome deliverGrouped(const AlertDecision& group, const store::OutboxItem& item,
                                           const std::string& channel);
  // Posts the group's message (a new group, or `moved`: anew where the old one cannot be updated).
  delivery::DeliveryOutcome postGroup(const AlertDecision& group, const store::OutboxItem& item,
                                      const std::string& channel, bool moved);
  delivery::DeliveryOutcome updateGroup(const AlertDecision& group, const store::OutboxItem& item,
                                        const std::string& channel);
  // Saves the state after a message went out; when MySQL cannot take it, keeps it for flushUnsaved.
  void saveAfterSend(const AlertState& state, std::int64_t outboxId);
  // Saves the states of sent messages that could not be saved yet, oldest first. Until it
  // succeeds nothing else is decided (the state in MySQL would be stale) and the item stays
  // pending, so a sent alert is neither forgotten nor sent again while podmon runs.
  bool flushUnsaved();

  SlackDelivererOptions options_;
  SlackClient::Ptr client_;
  store::AlertStateStore::Ptr alertStates_;
  Clock::Ptr clock_;
  NotifyRulesCache rules_;
  AlertDecider decider_;
  CrashMessageBuilder builder_;
  SlackSendGate gate_;
  StormGrouper grouper_;
  StormDetector detector_;
  struct UnsavedState {
    AlertState state;
    std::int64_t outboxId = 0;
  };
  std::vector<UnsavedState> unsaved_;  // deliver() runs on the worker thread only

  std::atomic<std::uint64_t> alerts_{0};
  std::atomic<std::uint64_t> followUps_{0};
  std::atomic<std::uint64_t> folded_{0};
  std::atomic<std::uint64_t> ignored_{0};
  std::atomic<std::uint64_t> skipped_{0};
  std::atomic<std::uint64_t> groupMessages_{0};
  std::atomic<std::uint64_t> groupUpdates_{0};
};

}  // namespace podmon::notify
