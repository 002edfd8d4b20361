#pragma once

#include <string>

#include "crash/crash_event.h"

namespace podmon::store {

// The identity of one crash: SHA-256 (lower-case hex) of cluster, namespace, pod UID, container
// and restart count. k8s_pod_crash.crash_key is UNIQUE on it, so a crash seen twice (a restarted
// podmon, two replicas, a retried insert) is stored once.
std::string crashKey(const crash::CrashEvent& event);

}  // namespace podmon::store
