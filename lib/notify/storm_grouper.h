#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>

#include "notify/alert_decider.h"
#include "notify/alert_decision.h"
#include "notify/storm_summary.h"
#include "store/outbox_item.h"

namespace podmon::notify {

struct StormSettings {
  // A channel is in a storm while this many crashes for it arrived within `window` (Slack takes
  // about one message a second per channel). 0 never groups.
  std::size_t threshold = 10;
  std::chrono::milliseconds window{10000};
  // At most one chat.update of a group's message per this; a crash counted in between is shown
  // by the next update, which its held-back item carries (so it is never owed longer than this).
  std::chrono::milliseconds updateInterval{15000};
  // For this long after a storm, a crash held back for a crash-loop follow-up (from before the
  // storm) sends it when it comes back instead of waiting for half the cooldown.
  std::chrono::milliseconds afterStorm{120000};
};

// The pure half of storm alerts: in a storm (StormDetector) crashes with one fingerprint are
// grouped across namespaces and workloads into one message per failure and channel, updated in
// place as more arrive, instead of one message per crash. A group is an alert episode of its own
// (key storm|cluster|channel|fingerprint) run by the same CooldownPolicy as crash loops, with the
// follow-up interval set to `updateInterval` and the follow-up being an update of the message;
// its state also lists the members (StormSummary). A crash joins an existing group within the
// cooldown whether or not the storm lasts; a new group opens only in a storm. No I/O.
class StormGrouper {
 public:
  StormGrouper(CooldownSettings crashLoop, StormSettings storm);

  static std::string groupKey(const crash::CrashEvent& crash, const std::string& channel,
                              const std::string& fingerprint);

  // The group decision for `item` routed to `channel`: kAlert opens a new group (only wanted in a
  // storm), kFollowUp updates its message, kHold/kFold/kAlreadyHandled as for crash loops (their
  // `next` lists the crash among the members). nullopt when the crash cannot be grouped (no
  // fingerprint, or ALERT_COOLDOWN=0, which alerts every crash). Throws what `lookup` throws.
  std::optional<AlertDecision> decide(const store::OutboxItem& item, const std::string& channel,
                                      const AlertDecider::StateLookup& lookup,
                                      std::chrono::system_clock::time_point now) const;

  // What the group's message shows for a kAlert or kFollowUp decision: the members saved, with
  // this crash when it is counted now.
  StormSummary summaryFor(const AlertDecision& decision, const store::OutboxItem& item) const;

  // The state once the group's message went out (kAlert) or was updated or posted anew
  // (kFollowUp; `moved` when it is a new message at channel/ts).
  AlertState afterMessage(const AlertDecision& decision, const store::OutboxItem& item,
                          std::chrono::system_clock::time_point now, bool moved, const std::string& channel,
                          const std::string& ts) const;

  const StormSettings& settings() const { return storm_; }

 private:
  static bool countsNow(const AlertDecision& decision);

  bool enabled_;
  StormSettings storm_;
  AlertDecider decider_;
};

}  // namespace podmon::notify
