#pragma once

#include <string>
#include <string_view>

#include "kube/pod_snapshot.h"

namespace podmon::crash {

// What the original tool (kubernetes-pod-monitor) stored as `termination_state`, so saved searches
// and dashboards built on it keep working: when there was no terminated state.
inline constexpr std::string_view kTerminationNotAvailable = "Not Available";

// The original's `termination_state` of a crash: the Kubernetes Go object's String() of the
// terminated state (k8s.io/api core/v1 ContainerStateTerminated, generated), byte for byte, e.g.
// (one line) "&ContainerStateTerminated{ExitCode:1,Signal:0,Reason:Error,Message:,StartedAt:"
// "2022-03-11 11:35:53 +0000 UTC,FinishedAt:2022-03-11 11:35:53 +0000 UTC,ContainerID:docker://...,}".
// Numbers print 0 when absent; text fields print as they are (newlines, braces and commas
// included, as Go's %v does: escaping is the output's business, JSON or SQL); times print in Go's
// time.Time String() form in UTC (the original ran with the container's zone, UTC), with the
// fraction only when there is one, and Go's zero time when absent or unreadable. Not a terminated
// state: kTerminationNotAvailable. Pure.
std::string terminationStateText(const kube::ContainerState& state);

// An RFC 3339 time as Go's time.Time String() prints it in UTC: "2022-03-11 11:35:53 +0000 UTC",
// "2022-03-11 11:35:53.25 +0000 UTC"; Go's zero time "0001-01-01 00:00:00 +0000 UTC" for "",
// unreadable text and years outside 1678-2261 (beyond the clock; Kubernetes sends such a time only
// as the zero time itself).
std::string goTimeText(const std::string& rfc3339);

}  // namespace podmon::crash
