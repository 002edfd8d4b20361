#pragma once

#include <chrono>
#include <optional>

namespace podmon::store {

// How long each kind of row is kept (the retention settings), 0 meaning for ever.
struct RetentionPeriods {
  std::chrono::milliseconds crashes{0};        // CRASH_RETENTION
  std::chrono::milliseconds doneOutbox{0};     // OUTBOX_RETENTION
  std::chrono::milliseconds alertCooldown{0};  // ALERT_COOLDOWN: alert state is kept at least this long
};

// The times before which rows go, for one prune. nullopt keeps that kind of row.
struct PruneCutoffs {
  using TimePoint = std::chrono::system_clock::time_point;
  std::optional<TimePoint> crashesBefore;      // crash `date`
  std::optional<TimePoint> doneOutboxBefore;   // outbox `delivered_at` of done rows
  std::optional<TimePoint> alertStatesBefore;  // alert state `updated_at` and `last_crash_at`

  // Alert state is kept for at least this long whatever the cooldown: the longest episode
  // (CooldownSettings::maxEpisode) and an item delivered late after a sink outage still find the
  // state of their container, so nothing is alerted twice.
  static constexpr std::chrono::hours kMinAlertStateAge{24};

  // The cutoffs of a prune at `now` (pure). Crashes and done outbox rows older than their period
  // go when it is not 0; alert state older than max(cooldown, kMinAlertStateAge) always goes.
  static PruneCutoffs at(const RetentionPeriods& periods, TimePoint now);
  // A manual prune (podmonctl prune --older-than): crashes and done outbox rows older than `age`,
  // alert state by the same rule as the daemon's.
  static PruneCutoffs olderThan(std::chrono::milliseconds age, std::chrono::milliseconds alertCooldown, TimePoint now);
};

}  // namespace podmon::store
