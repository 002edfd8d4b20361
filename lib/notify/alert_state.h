#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "crash/crash_event.h"

namespace podmon::notify {

// What podmon remembers about the alerts of one container (podmon_alert_state), so repeated
// crashes fold into threaded follow-ups even across restarts of podmon. An "episode" starts with a
// top-level alert and lasts while the container keeps crashing with gaps shorter than the cooldown.
struct AlertState {
  std::string key;                                 // alertKey()
  std::string channel;                             // where the episode's first message went (Slack's ID)
  std::string threadTs;                            // that message's ts ("" with webhooks)
  std::chrono::system_clock::time_point firstAlertAt{};   // when the first message was sent
  std::chrono::system_clock::time_point lastMessageAt{};  // the last message (alert or follow-up)
  std::chrono::system_clock::time_point lastCrashAt{};    // the newest crash counted (crash time)
  int foldedCount = 0;                             // crashes counted since the last message
  std::optional<std::chrono::system_clock::time_point> foldedSince;  // crash time of the first of those
  std::string lastReason;
  std::optional<int> lastExitCode;
  std::int64_t lastOutboxId = 0;     // newest outbox item accounted for (redelivery is a no-op)
  std::int64_t carrierOutboxId = 0;  // item held back to send the pending follow-up; 0 = none
  bool operator==(const AlertState&) const = default;
};

// Which crashes count as "the same container" for folding: cluster, namespace, the owning
// workload (kind and name, e.g. Deployment/web) and the container name. Owner-based because a
// Deployment's crash-looping pods are replaced under new names; a bare pod falls back to its name.
std::string alertKey(const crash::CrashEvent& crash);

// Which crashes count as "the same failure" for folding: cluster, namespace and the crash
// fingerprint. A crash that would start a new episode of its container is folded into the episode
// of its failure when that failure alerted in the namespace within the cooldown (e.g. one bad
// config crashing three Deployments that share an image). "" when the crash has no fingerprint.
std::string failureAlertKey(const crash::CrashEvent& crash, const std::string& fingerprint);

}  // namespace podmon::notify
