#include "notify/alert_decider.h"

#include <utility>

namespace podmon::notify {

using std::chrono::system_clock;

AlertDecider::AlertDecider(CooldownSettings settings) : policy_(settings) {}

AlertDecision AlertDecider::decide(const store::OutboxItem& item, const StateLookup& lookup,
                                   system_clock::time_point now) const {
  const auto& e = item.crash.record.event;
  const CrashSighting sighting = sightingOf(item, now);
  std::string key = alertKey(e);
  std::optional<AlertState> state = lookup(key);
  AlertDecision decision = decideIn(std::move(key), std::move(state), sighting, now);
  decision.failureKey = failureAlertKey(e, item.crash.record.fingerprint);
  // A new episode for the container, but its failure may be in an episode of its own in the
  // namespace (another workload crashing the same way): fold into that one instead.
  if (decision.cooldown.action == AlertAction::kAlert && !decision.failureKey.empty()) {
    AlertDecision failure = decideIn(decision.failureKey, lookup(decision.failureKey), sighting, now);
    if (failure.cooldown.action != AlertAction::kAlert) {
      failure.failureKey = decision.failureKey;
      decision = std::move(failure);
    }
  }
  planSave(decision, now);
  return decision;
}

AlertDecision AlertDecider::decideEpisode(std::string key, const store::OutboxItem& item, const StateLookup& lookup,
                                          system_clock::time_point now) const {
  std::optional<AlertState> state = lookup(key);
  AlertDecision decision = decideIn(std::move(key), std::move(state), sightingOf(item, now), now);
  planSave(decision, now);
  return decision;
}

CrashSighting AlertDecider::sightingOf(const store::OutboxItem& item, system_clock::time_point now) {
  const auto& e = item.crash.record.event;
  CrashSighting sighting;
  sighting.outboxId = item.id;
  sighting.crashAt = e.detectedAt == system_clock::time_point{} ? now : e.detectedAt;
  sighting.reason = e.reason;
  sighting.exitCode = e.exitCode;
  return sighting;
}

AlertDecision AlertDecider::decideIn(std::string key, std::optional<AlertState> state, const CrashSighting& sighting,
                                     system_clock::time_point now) const {
  AlertDecision decision;
  decision.cooldown = policy_.decide(state, sighting, now);
  decision.key = std::move(key);
  decision.state = std::move(state);
  decision.sighting = sighting;
  return decision;
}

void AlertDecider::planSave(AlertDecision& decision, system_clock::time_point now) const {
  const bool carrier = decision.state && decision.state->carrierOutboxId == decision.sighting.outboxId;
  switch (decision.cooldown.action) {
    case AlertAction::kAlreadyHandled:
      decision.save = carrier ? AlertDecision::Save::kHandled : AlertDecision::Save::kNothing;
      break;
    case AlertAction::kFold: decision.save = AlertDecision::Save::kHandled; break;
    case AlertAction::kHold:
      decision.save = carrier ? AlertDecision::Save::kNothing : AlertDecision::Save::kPending;
      break;
    case AlertAction::kAlert:
    case AlertAction::kFollowUp:
      decision.save = AlertDecision::Save::kNothing;  // saved once the message is out
      return;
  }
  if (decision.save != AlertDecision::Save::kNothing) {
    decision.next = policy_.next(decision.state, decision.key, decision.sighting, decision.cooldown, now);
  }
}

std::vector<AlertState> AlertDecider::afterAlert(const AlertDecision& decision, system_clock::time_point now,
                                                 const std::string& channel, const std::string& ts) const {
  std::vector<AlertState> states;
  states.push_back(policy_.next(decision.state, decision.key, decision.sighting, decision.cooldown, now, channel, ts));
  if (!decision.failureKey.empty() && decision.key != decision.failureKey) {
    AlertState failureEpisode = states.front();
    failureEpisode.key = decision.failureKey;
    // Items are accounted for per key: an older item of another workload, delivered late, must
    // still be decided (folded), not taken for a redelivery of this one.
    failureEpisode.lastOutboxId = 0;
    states.push_back(std::move(failureEpisode));
  }
  return states;
}

AlertDecision AlertDecider::followUpNow(const AlertDecision& held) {
  const bool carrier = held.state && held.state->carrierOutboxId == held.sighting.outboxId;
  if (!carrier || held.cooldown.action != AlertAction::kHold || held.state->foldedCount <= 0) return held;
  AlertDecision now = held;
  now.cooldown = CooldownDecision{};
  now.cooldown.action = AlertAction::kFollowUp;
  now.cooldown.crashCount = held.state->foldedCount;
  now.cooldown.since = held.state->foldedSince.value_or(held.sighting.crashAt);
  now.save = AlertDecision::Save::kNothing;
  return now;
}

FollowUpSummary AlertDecider::followUpSummary(const AlertDecision& decision, const store::OutboxItem& item) const {
  const auto& e = item.crash.record.event;
  FollowUpSummary summary;
  summary.crashCount = decision.cooldown.crashCount;
  summary.since = decision.cooldown.since;
  const bool carrier = decision.state && decision.state->carrierOutboxId == item.id;
  summary.lastReason = carrier ? decision.state->lastReason : e.reason;
  summary.lastExitCode = carrier ? decision.state->lastExitCode : e.exitCode;
  return summary;
}

std::string AlertDecider::followUpChannel(const AlertDecision& decision, const std::string& defaultChannel) {
  return !decision.state || decision.state->channel.empty() ? defaultChannel : decision.state->channel;
}

AlertState AlertDecider::afterFollowUp(const AlertDecision& decision, system_clock::time_point now, bool fellBack,
                                       const std::string& channel, const std::string& ts) const {
  AlertState next = policy_.next(decision.state, decision.key, decision.sighting, decision.cooldown, now);
  if (fellBack) {  // the thread's channel is gone: later follow-ups go under this message
    next.channel = channel;
    next.threadTs = ts;
  }
  return next;
}

}  // namespace podmon::notify
