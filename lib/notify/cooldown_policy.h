#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "notify/alert_state.h"

namespace podmon::notify {

// One crash as the cooldown logic sees it.
struct CrashSighting {
  std::int64_t outboxId = 0;
  std::chrono::system_clock::time_point crashAt{};  // detection time of the crash
  std::string reason;
  std::optional<int> exitCode;
};

struct CooldownSettings {
  // Crashes of the same container closer than this to the previous one fold into follow-ups.
  // 0 alerts every crash.
  std::chrono::milliseconds cooldown{std::chrono::minutes(10)};
  // At most one follow-up per this interval; 0 = cooldown / 2.
  std::chrono::milliseconds followUpInterval{0};
  // A container that never stops crashing gets a fresh top-level alert (new thread) this often.
  std::chrono::milliseconds maxEpisode{std::chrono::hours(24)};
};

enum class AlertAction {
  kAlert,           // send a top-level alert and start a new episode
  kFollowUp,        // send one follow-up (in the thread) reporting the folded crashes
  kHold,            // count the crash and keep this item back until a follow-up is due (the carrier)
  kFold,            // count the crash into the pending follow-up; the item is done
  kAlreadyHandled,  // this item was accounted for before (redelivery): nothing to do
};

struct CooldownDecision {
  AlertAction action = AlertAction::kAlert;
  int crashCount = 0;                             // kFollowUp: how many crashes the follow-up reports
  std::chrono::system_clock::time_point since{};  // kFollowUp: crash time of the first of them
  std::chrono::milliseconds holdFor{0};           // kHold: when the follow-up is due, from now
};

// Crash-loop folding, pure so its windows are tested with a simulated clock. The first crash of a
// container alerts at once; further crashes within the cooldown are counted, and at most one
// follow-up per follow-up interval reports them ("crashed 6 more times since ..."). So that a
// counted crash is never lost when no further crash comes along, the first item counted after a
// message is held back (kHold, retried when the follow-up is due) and carries the follow-up; the
// others are done at once (kFold). 20 restarts in 2 minutes with the 10-minute default thus give
// one alert and one follow-up.
class CooldownPolicy {
 public:
  explicit CooldownPolicy(CooldownSettings settings = {});

  CooldownDecision decide(const std::optional<AlertState>& state, const CrashSighting& crash,
                          std::chrono::system_clock::time_point now) const;

  // The state after `decision` was carried out at `now`. For kAlert, channel and threadTs are the
  // sent message's; for kFollowUp the thread stays the episode's.
  AlertState next(const std::optional<AlertState>& state, const std::string& key, const CrashSighting& crash,
                  const CooldownDecision& decision, std::chrono::system_clock::time_point now,
                  const std::string& channel = "", const std::string& threadTs = "") const;

  std::chrono::milliseconds followUpInterval() const;
  const CooldownSettings& settings() const { return settings_; }

 private:
  CooldownSettings settings_;
};

}  // namespace podmon::notify
