#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "notify/alert_decision.h"
#include "notify/alert_state.h"
#include "notify/cooldown_policy.h"
#include "notify/crash_message_builder.h"
#include "store/outbox_item.h"

namespace podmon::notify {

// The pure half of Slack alerting: for one crash and the alert states it belongs to, decides
// whether to alert, send a follow-up, hold the item back or fold it (cooldown), folds a
// container's new episode into its failure's episode when that failure already alerted in the
// namespace (fingerprint folding), and says which states to save once a message went out. No I/O:
// the states come through a look-up function, so it is unit-tested without a store or Slack.
class AlertDecider {
 public:
  // Returns the saved state of an episode key, if any. May throw (the store's exceptions): decide()
  // lets them through.
  using StateLookup = std::function<std::optional<AlertState>(const std::string& key)>;

  explicit AlertDecider(CooldownSettings settings = {});

  // What to do for `item` at `now`. Looks up the container's episode, and the failure's episode
  // only when the container would start a new one. Throws what `lookup` throws.
  AlertDecision decide(const store::OutboxItem& item, const StateLookup& lookup,
                       std::chrono::system_clock::time_point now) const;

  // The decision within the one episode `key` (no failure folding), with what to save when nothing
  // is sent: for episodes keyed otherwise (StormGrouper's groups). Throws what `lookup` throws.
  AlertDecision decideEpisode(std::string key, const store::OutboxItem& item, const StateLookup& lookup,
                              std::chrono::system_clock::time_point now) const;

  // kAlert: the states to save once the alert went out to `channel` as `ts` (Slack's answer): the
  // episode's, and the failure's episode, which starts with this alert too.
  std::vector<AlertState> afterAlert(const AlertDecision& decision, std::chrono::system_clock::time_point now,
                                     const std::string& channel, const std::string& ts) const;

  // A carrier back before its follow-up is due (kHold of the held item) in a storm: the follow-up
  // goes out now, so nothing stays owed while the channel's new crashes are grouped. Any other
  // decision comes back unchanged.
  static AlertDecision followUpNow(const AlertDecision& held);

  // kFollowUp: what the follow-up reports, and the channel of the episode's thread (`defaultChannel`
  // when the episode has none).
  FollowUpSummary followUpSummary(const AlertDecision& decision, const store::OutboxItem& item) const;
  static std::string followUpChannel(const AlertDecision& decision, const std::string& defaultChannel);

  // kFollowUp: the state to save once the follow-up went out. When it had to go to another
  // channel than the thread's (`fellBack`), later follow-ups go under this message (channel, ts).
  AlertState afterFollowUp(const AlertDecision& decision, std::chrono::system_clock::time_point now, bool fellBack,
                           const std::string& channel, const std::string& ts) const;

 private:
  // The decision within one episode (`key`, its saved `state`).
  AlertDecision decideIn(std::string key, std::optional<AlertState> state, const CrashSighting& sighting,
                         std::chrono::system_clock::time_point now) const;
  static CrashSighting sightingOf(const store::OutboxItem& item, std::chrono::system_clock::time_point now);
  // Fills save and next for the actions that send nothing.
  void planSave(AlertDecision& decision, std::chrono::system_clock::time_point now) const;

  CooldownPolicy policy_;
};

}  // namespace podmon::notify
