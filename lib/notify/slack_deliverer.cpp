#include "notify/slack_deliverer.h"

#include <spdlog/spdlog.h>

#include <thread>
#include <utility>

#include "core/errors.h"
#include "core/settings.h"

namespace podmon::notify {

namespace {

using delivery::DeliveryOutcome;
using std::chrono::milliseconds;

SlackSendGateOptions gateOptions(const SlackDelivererOptions& options) {
  SlackSendGateOptions gate;
  gate.defaultChannel = options.defaultChannel;
  gate.channelInterval = options.channelInterval;
  gate.rateLimitDefault = options.rateLimitDefault;
  gate.authRetry = options.authRetry;
  gate.maxUnknownAttempts = options.maxUnknownAttempts;
  gate.sleep = options.sleep;
  if (!gate.sleep) gate.sleep = [](milliseconds d) { std::this_thread::sleep_for(d); };
  return gate;
}

}  // namespace

SlackDelivererOptions SlackDelivererOptions::fromSettings(const SlackSettings& settings) {
  SlackDelivererOptions options;
  options.enabled = settings.notify;
  options.defaultChannel = settings.channel;
  options.kibanaUrl = settings.kibanaUrl;
  options.dashboardUrl = settings.dashboardUrl;
  options.includeLogs = settings.includeLogs;
  options.cooldown.cooldown = settings.alertCooldown;
  if (options.enabled && options.defaultChannel.empty()) {
    throw ConfigException("SLACK_CHANNEL must not be empty while SLACK_NOTIFY is true (it is the default channel)");
  }
  return options;
}

SlackDeliverer::SlackDeliverer(SlackDelivererOptions options, SlackClient::Ptr client,
                               store::NotifyRuleSource::Ptr store, store::AlertStateStore::Ptr alertStates,
                               Clock::Ptr clock)
    : options_(std::move(options)),
      client_(std::move(client)),
      alertStates_(std::move(alertStates)),
      clock_(std::move(clock)),
      rules_(std::move(store), clock_, options_.rulesRefresh),
      decider_(options_.cooldown),
      builder_(CrashMessageOptions{options_.kibanaUrl, options_.dashboardUrl, options_.includeLogs}),
      gate_(gateOptions(options_), client_, clock_),
      grouper_(options_.cooldown, options_.storm),
      detector_(options_.storm.threshold, options_.storm.window) {
  if (options_.enabled && (!client_ || !alertStates_)) {
    throw ConfigException("Slack alerts are on (SLACK_NOTIFY) but no Slack client or alert state store was given");
  }
}

void SlackDeliverer::prepare() {
  if (options_.enabled) rules_.current();
}

SlackDeliverer::Stats SlackDeliverer::stats() const {
  return Stats{alerts_.load(),    followUps_.load(), folded_.load(),        ignored_.load(),     skipped_.load(),
               gate_.fallbacks(), gate_.failures(),  groupMessages_.load(), groupUpdates_.load()};
}

std::vector<DeliveryOutcome> SlackDeliverer::deliver(const std::vector<store::OutboxItem>& items) {
  std::vector<DeliveryOutcome> outcomes;
  outcomes.reserve(items.size());
  if (!options_.enabled) {
    skipped_ += items.size();
    outcomes.assign(items.size(), DeliveryOutcome::delivered());
    return outcomes;
  }
  std::shared_ptr<const NotifyRules> rules;
  try {
    rules = rules_.current();
  } catch (const Poco::Exception& e) {
    outcomes.assign(items.size(), DeliveryOutcome::retry("routes", e.message()));
    return outcomes;
  }
  gate_.startBatch();
  noteDemand(items, *rules);
  for (const auto& item : items) {
    try {
      outcomes.push_back(deliverOne(item, *rules));
    } catch (const Poco::Exception& e) {
      spdlog::warn("slack: crash {} (outbox {}) not delivered: {}", item.crash.id, item.id, e.displayText());
      outcomes.push_back(DeliveryOutcome::retry("error", e.displayText()));
    } catch (const std::exception& e) {
      spdlog::warn("slack: crash {} (outbox {}) not delivered: {}", item.crash.id, item.id, e.what());
      outcomes.push_back(DeliveryOutcome::retry("error", e.what()));
    }
  }
  return outcomes;
}

DeliveryOutcome SlackDeliverer::deliverOne(const store::OutboxItem& item, const NotifyRules& rules) {
  const auto& e = item.crash.record.event;
  if (rules.isIgnored(e.clusterName, e.namespace_, e.containerName)) {
    spdlog::debug("slack: crash {} of {}/{} {} matches an ignore rule", item.crash.id, e.namespace_, e.podName,
                  e.containerName);
    ++ignored_;
    return DeliveryOutcome::delivered();
  }
  if (!flushUnsaved()) {
    return DeliveryOutcome::retry("state_store",
                                  "the cooldown state of an alert already sent is not saved yet (MySQL unavailable)");
  }
  // The look-ups throw when the store cannot be read: the item is retried.
  const AlertDecision decision = decider_.decide(
      item, [this](const std::string& key) { return alertStates_->load(key); }, clock_->now());
  const std::string channel = channelFor(item, rules);
  if (auto group = groupDecision(decision, item, channel)) return deliverGrouped(*group, item, channel);
  const auto steadyNow = clock_->steadyNow();
  // In or just after a storm a held-back follow-up goes out now; while the channel is busy a hold
  // is short, so the carrier is back (and sends its follow-up) soon if a storm follows.
  if (decision.cooldown.action == AlertAction::kHold &&
      detector_.stormyWithin(channel, steadyNow, options_.storm.afterStorm)) {
    const AlertDecision early = AlertDecider::followUpNow(decision);
    if (early.cooldown.action == AlertAction::kFollowUp) return sendFollowUp(early, item);
  }
  const bool busy =
      detector_.busy(channel, steadyNow) || detector_.stormyWithin(channel, steadyNow, options_.storm.afterStorm);
  const milliseconds maxHold = busy ? options_.storm.window : milliseconds::max();
  switch (decision.cooldown.action) {
    case AlertAction::kAlert: return sendAlert(decision, item, rules);
    case AlertAction::kFollowUp: return sendFollowUp(decision, item);
    case AlertAction::kAlreadyHandled:
    case AlertAction::kFold:
    case AlertAction::kHold: return carryOut(decision, item, maxHold);
  }
  return DeliveryOutcome::retry("error", "unreachable");
}

DeliveryOutcome SlackDeliverer::carryOut(const AlertDecision& decision, const store::OutboxItem& item,
                                         milliseconds maxHold) {
  if (decision.save == AlertDecision::Save::kHandled) alertStates_->saveHandled(decision.next, item.id);
  if (decision.save == AlertDecision::Save::kPending) alertStates_->save(decision.next);
  switch (decision.cooldown.action) {
    case AlertAction::kAlreadyHandled: ++skipped_; return DeliveryOutcome::delivered();
    case AlertAction::kHold:
      if (decision.save != AlertDecision::Save::kNothing) ++folded_;
      return DeliveryOutcome::deferredFor("held", "held back to report the crash loop in one follow-up",
                                          std::min(decision.cooldown.holdFor, maxHold));
    default: ++folded_; return DeliveryOutcome::delivered();
  }
}

DeliveryOutcome SlackDeliverer::sendAlert(const AlertDecision& decision, const store::OutboxItem& item,
                                          const NotifyRules& rules) {
  const auto& e = item.crash.record.event;
  const std::string channel = rules.channelFor(e.clusterName, e.namespace_).value_or(options_.defaultChannel);
  const SlackSendGate::Sent sent =
      gate_.post([&](const std::string& to, const std::string& note) { return builder_.alert(item.crash, to, note); },
                 channel, item);
  if (!sent.ok) return sent.failure;
  ++alerts_;
  // Marking the item done twice (the failure's episode starts with this alert too) is harmless.
  for (const AlertState& state : decider_.afterAlert(decision, clock_->now(), sent.channel, sent.ts)) {
    saveAfterSend(state, item.id);
  }
  return DeliveryOutcome::delivered();
}

DeliveryOutcome SlackDeliverer::sendFollowUp(const AlertDecision& decision, const store::OutboxItem& item) {
  const FollowUpSummary summary = decider_.followUpSummary(decision, item);
  const std::string channel = AlertDecider::followUpChannel(decision, options_.defaultChannel);
  const std::string threadTs = decision.state ? decision.state->threadTs : "";
  const SlackSendGate::Sent sent = gate_.post(
      [&](const std::string& to, const std::string& note) {
        return builder_.followUp(item.crash, summary, to, to == channel ? threadTs : "", note);
      },
      channel, item);
  if (!sent.ok) return sent.failure;
  ++followUps_;
  saveAfterSend(decider_.afterFollowUp(decision, clock_->now(), sent.fellBack, sent.channel, sent.ts), item.id);
  return DeliveryOutcome::delivered();
}

void SlackDeliverer::noteDemand(const std::vector<store::OutboxItem>& items, const NotifyRules& rules) {
  const auto now = clock_->steadyNow();
  for (const auto& item : items) {
    const auto& e = item.crash.record.event;
    if (!rules.isIgnored(e.clusterName, e.namespace_, e.containerName)) {
      detector_.seen(channelFor(item, rules), alertKey(e), now);
    }
  }
}

std::string SlackDeliverer::channelFor(const store::OutboxItem& item, const NotifyRules& rules) const {
  const auto& e = item.crash.record.event;
  return rules.channelFor(e.clusterName, e.namespace_).value_or(options_.defaultChannel);
}

std::optional<AlertDecision> SlackDeliverer::groupDecision(const AlertDecision& own, const store::OutboxItem& item,
                                                           const std::string& channel) {
  // Only a crash that would alert, or join its failure's episode in the namespace, may join a
  // group. A container's own crash loop stays in its thread; a redelivery, or the held-back item
  // of an episode from before the storm, is handled as always.
  const bool carrier = own.state && own.state->carrierOutboxId == item.id;
  const bool wantsAlert = own.cooldown.action == AlertAction::kAlert || own.key == own.failureKey;
  if (!wantsAlert || own.cooldown.action == AlertAction::kAlreadyHandled || carrier) return std::nullopt;
  auto group = grouper_.decide(
      item, channel, [this](const std::string& key) { return alertStates_->load(key); }, clock_->now());
  if (!group) return std::nullopt;
  // A crash joins a group that is under way; a new group opens only in a storm.
  if (group->cooldown.action == AlertAction::kAlert && !detector_.stormy(channel, clock_->steadyNow())) {
    return std::nullopt;
  }
  return group;
}

DeliveryOutcome SlackDeliverer::deliverGrouped(const AlertDecision& group, const store::OutboxItem& item,
                                               const std::string& channel) {
  switch (group.cooldown.action) {
    case AlertAction::kAlert: return postGroup(group, item, channel, false);
    case AlertAction::kFollowUp: return updateGroup(group, item, channel);
    default: return carryOut(group, item);
  }
}

DeliveryOutcome SlackDeliverer::postGroup(const AlertDecision& group, const store::OutboxItem& item,
                                          const std::string& channel, bool moved) {
  const StormSummary summary = grouper_.summaryFor(group, item);
  // A group of one reads like any alert (most failures of a storm stay alone); it turns into the
  // storm summary when its first update comes.
  const SlackSendGate::Sent sent = gate_.post(
      [&](const std::string& to, const std::string& note) {
        return summary.crashes() == 1 ? builder_.alert(item.crash, to, note)
                                      : builder_.storm(item.crash, summary, to, note);
      },
      channel, item);
  if (!sent.ok) return sent.failure;
  ++groupMessages_;
  saveAfterSend(grouper_.afterMessage(group, item, clock_->now(), moved, sent.channel, sent.ts), item.id);
  return DeliveryOutcome::delivered();
}

DeliveryOutcome SlackDeliverer::updateGroup(const AlertDecision& group, const store::OutboxItem& item,
                                            const std::string& channel) {
  // A webhook cannot update a message: the group's state is posted anew, at most once per interval.
  if (client_->usesWebhook() || !group.state || group.state->threadTs.empty()) {
    return postGroup(group, item, channel, true);
  }
  SlackMessage message = builder_.storm(item.crash, grouper_.summaryFor(group, item), group.state->channel);
  message.ts = group.state->threadTs;
  const SlackSendGate::Sent sent = gate_.update(message, item);
  if (sent.cannotUpdate) return postGroup(group, item, channel, true);
  if (!sent.ok) return sent.failure;
  ++groupUpdates_;
  saveAfterSend(grouper_.afterMessage(group, item, clock_->now(), false, sent.channel, sent.ts), item.id);
  return DeliveryOutcome::delivered();
}

void SlackDeliverer::saveAfterSend(const AlertState& state, std::int64_t outboxId) {
  unsaved_.push_back({state, outboxId});
  if (!flushUnsaved()) {
    // The message is out; retrying the item now would send it twice. The state is kept and saved
    // (with the item marked done) before anything else is delivered.
    spdlog::error(
        "slack: alert sent but its cooldown state could not be saved yet; holding further alerts until "
        "MySQL takes it");
  }
}

bool SlackDeliverer::flushUnsaved() {
  while (!unsaved_.empty()) {
    try {
      alertStates_->saveHandled(unsaved_.front().state, unsaved_.front().outboxId);
    } catch (const Poco::Exception& e) {
      spdlog::debug("slack: saving the cooldown state of a sent alert failed: {}", e.displayText());
      return false;
    }
    unsaved_.erase(unsaved_.begin());
  }
  return true;
}

}  // namespace podmon::notify
