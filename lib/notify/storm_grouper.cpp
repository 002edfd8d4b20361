#include "notify/storm_grouper.h"

#include <utility>

namespace podmon::notify {

namespace {

using std::chrono::system_clock;

CooldownSettings groupCooldown(const CooldownSettings& crashLoop, const StormSettings& storm) {
  CooldownSettings group = crashLoop;
  group.followUpInterval = storm.updateInterval;
  return group;
}

std::string workloadOf(const crash::CrashEvent& e) {
  return e.ownerName.empty() ? "Pod/" + e.podName : e.ownerKind + "/" + e.ownerName;
}

}  // namespace

StormGrouper::StormGrouper(CooldownSettings crashLoop, StormSettings storm)
    : enabled_(crashLoop.cooldown > std::chrono::milliseconds::zero()),
      storm_(storm),
      decider_(groupCooldown(crashLoop, storm)) {}

std::string StormGrouper::groupKey(const crash::CrashEvent& crash, const std::string& channel,
                                   const std::string& fingerprint) {
  return "storm|" + crash.clusterName + "|" + channel + "|" + fingerprint;
}

bool StormGrouper::countsNow(const AlertDecision& decision) {
  const bool carrier = decision.state && decision.state->carrierOutboxId == decision.sighting.outboxId;
  return decision.cooldown.action != AlertAction::kAlreadyHandled && !carrier;
}

std::optional<AlertDecision> StormGrouper::decide(const store::OutboxItem& item, const std::string& channel,
                                                  const AlertDecider::StateLookup& lookup,
                                                  system_clock::time_point now) const {
  const std::string& fingerprint = item.crash.record.fingerprint;
  if (!enabled_ || fingerprint.empty()) return std::nullopt;
  AlertDecision decision =
      decider_.decideEpisode(groupKey(item.crash.record.event, channel, fingerprint), item, lookup, now);
  if (decision.save != AlertDecision::Save::kNothing && countsNow(decision)) {
    StormSummary members = StormSummary::decode(decision.next.groupMembers);
    const auto& e = item.crash.record.event;
    members.add(e.namespace_, workloadOf(e));
    decision.next.groupMembers = members.encode();
  }
  return decision;
}

StormSummary StormGrouper::summaryFor(const AlertDecision& decision, const store::OutboxItem& item) const {
  StormSummary members;
  if (decision.cooldown.action != AlertAction::kAlert && decision.state) {
    members = StormSummary::decode(decision.state->groupMembers);
  }
  if (countsNow(decision)) {
    const auto& e = item.crash.record.event;
    members.add(e.namespace_, workloadOf(e));
  }
  return members;
}

AlertState StormGrouper::afterMessage(const AlertDecision& decision, const store::OutboxItem& item,
                                      system_clock::time_point now, bool moved, const std::string& channel,
                                      const std::string& ts) const {
  AlertState next = decision.cooldown.action == AlertAction::kAlert
                        ? decider_.afterAlert(decision, now, channel, ts).front()
                        : decider_.afterFollowUp(decision, now, moved, channel, ts);
  next.groupMembers = summaryFor(decision, item).encode();
  return next;
}

}  // namespace podmon::notify
