#include "notify/cooldown_policy.h"

#include <algorithm>

namespace podmon::notify {

namespace {

using std::chrono::milliseconds;

}  // namespace

CooldownPolicy::CooldownPolicy(CooldownSettings settings) : settings_(settings) {}

milliseconds CooldownPolicy::followUpInterval() const {
  if (settings_.followUpInterval > milliseconds::zero()) return settings_.followUpInterval;
  return settings_.cooldown / 2;
}

CooldownDecision CooldownPolicy::decide(const std::optional<AlertState>& state, const CrashSighting& crash,
                                        std::chrono::system_clock::time_point now) const {
  CooldownDecision d;
  if (state && crash.outboxId != 0 && crash.outboxId == state->carrierOutboxId) {
    // The held-back item is back: when the follow-up is due, send what was counted (itself included).
    if (state->foldedCount <= 0) {
      d.action = AlertAction::kAlreadyHandled;
      return d;
    }
    const auto due = state->lastMessageAt + followUpInterval();
    if (now < due) {  // back early (the worker retried sooner than asked): hold on
      d.action = AlertAction::kHold;
      d.holdFor = std::chrono::duration_cast<milliseconds>(due - now);
      return d;
    }
    d.action = AlertAction::kFollowUp;
    d.crashCount = state->foldedCount;
    d.since = state->foldedSince.value_or(crash.crashAt);
    return d;
  }
  // Only the newest item accounted for can be recognised as a redelivery: an older item is one
  // that failed and was retried after a later crash of this container was handled (items are
  // marked done in the same transaction as the state, so a handled one is not handed out again).
  if (state && crash.outboxId != 0 && crash.outboxId == state->lastOutboxId) {
    d.action = AlertAction::kAlreadyHandled;
    return d;
  }
  const bool newEpisode = !state || settings_.cooldown <= milliseconds::zero() ||
                          crash.crashAt >= state->lastCrashAt + settings_.cooldown ||
                          now >= state->firstAlertAt + settings_.maxEpisode;
  if (newEpisode) {
    d.action = AlertAction::kAlert;
    d.crashCount = 1;
    d.since = crash.crashAt;
    return d;
  }
  const auto due = state->lastMessageAt + followUpInterval();
  if (now >= due) {
    d.action = AlertAction::kFollowUp;
    d.crashCount = state->foldedCount + 1;
    d.since = state->foldedSince ? std::min(*state->foldedSince, crash.crashAt) : crash.crashAt;
    return d;
  }
  if (state->carrierOutboxId == 0) {
    d.action = AlertAction::kHold;
    d.holdFor = std::chrono::duration_cast<milliseconds>(due - now);
    return d;
  }
  d.action = AlertAction::kFold;
  return d;
}

AlertState CooldownPolicy::next(const std::optional<AlertState>& state, const std::string& key,
                                const CrashSighting& crash, const CooldownDecision& decision,
                                std::chrono::system_clock::time_point now, const std::string& channel,
                                const std::string& threadTs) const {
  AlertState s = state.value_or(AlertState{});
  s.key = key;
  const bool isCarrier = state && crash.outboxId != 0 && crash.outboxId == state->carrierOutboxId;
  const auto countCrash = [&] {
    s.lastCrashAt = std::max(s.lastCrashAt, crash.crashAt);
    s.lastReason = crash.reason;
    s.lastExitCode = crash.exitCode;
    s.lastOutboxId = std::max(s.lastOutboxId, crash.outboxId);
  };
  switch (decision.action) {
    case AlertAction::kAlert:
      s.channel = channel;
      s.threadTs = threadTs;
      s.firstAlertAt = now;
      s.lastMessageAt = now;
      s.lastCrashAt = crash.crashAt;
      s.foldedCount = 0;
      s.foldedSince.reset();
      s.carrierOutboxId = 0;
      s.lastReason = crash.reason;
      s.lastExitCode = crash.exitCode;
      s.lastOutboxId = std::max(s.lastOutboxId, crash.outboxId);
      break;
    case AlertAction::kFollowUp:
      // Sent by a later crash while the carrier is still held back: the carrier stays known, so
      // when it comes back it finds what it was held for reported (or carries what was counted
      // since) instead of being counted as a crash of its own a second time.
      if (!isCarrier) countCrash();
      if (isCarrier) s.carrierOutboxId = 0;
      s.lastMessageAt = now;
      s.foldedCount = 0;
      s.foldedSince.reset();
      break;
    case AlertAction::kHold:
    case AlertAction::kFold:
      if (isCarrier) break;  // counted when it was first held
      countCrash();
      s.foldedCount += 1;
      s.foldedSince = s.foldedSince ? std::min(*s.foldedSince, crash.crashAt) : crash.crashAt;
      if (decision.action == AlertAction::kHold) s.carrierOutboxId = crash.outboxId;
      break;
    case AlertAction::kAlreadyHandled:
      if (isCarrier) s.carrierOutboxId = 0;
      break;
  }
  return s;
}

}  // namespace podmon::notify
