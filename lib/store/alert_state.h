#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

namespace podmon::store {

// What podmon remembers about the alerts of one container (podmon_alert_state), so repeated
// crashes fold into threaded follow-ups even across restarts of podmon. An "episode" starts with a
// top-level alert and lasts while the container keeps crashing with gaps shorter than the cooldown.
// A plain record: the decisions over it are notify::CooldownPolicy's.
struct AlertState {
  std::string key;                                        // notify::alertKey()
  std::string channel;                                    // where the episode's first message went (Slack's ID)
  std::string threadTs;                                   // that message's ts ("" with webhooks)
  std::chrono::system_clock::time_point firstAlertAt{};   // when the first message was sent
  std::chrono::system_clock::time_point lastMessageAt{};  // the last message (alert or follow-up)
  std::chrono::system_clock::time_point lastCrashAt{};    // the newest crash counted (crash time)
  int foldedCount = 0;                                    // crashes counted since the last message
  std::optional<std::chrono::system_clock::time_point> foldedSince;  // crash time of the first of those
  std::string lastReason;
  std::optional<int> lastExitCode;
  std::int64_t lastOutboxId = 0;     // newest outbox item accounted for (redelivery is a no-op)
  std::int64_t carrierOutboxId = 0;  // item held back to send the pending follow-up; 0 = none
  // Crash-storm groups only (notify::StormGrouper): who crashed, as notify::StormSummary encodes
  // it; "" on every other row.
  std::string groupMembers;
  bool operator==(const AlertState&) const = default;
};

}  // namespace podmon::store
