#pragma once

#include <string>

#include "crash/crash_event.h"
#include "store/alert_state.h"

namespace podmon::notify {

// The record lives with its table in store/; the keys and decisions over it are notify's.
using AlertState = store::AlertState;

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
