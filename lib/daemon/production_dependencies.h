#pragma once

#include <ostream>

#include "core/settings.h"
#include "daemon/daemon.h"
#include "kube/kube_config.h"

namespace podmon::daemon {

// The daemon's real dependencies: Poco transports to `connection`, the store the settings name
// (MySQL or SQLite), the sinks they turn on (alerts printed on `console` when Slack is not set up)
// and the system clock. `podmon` passes the kubeconfig's connection, `podmon demo` kube-sim's.
DaemonDependencies productionDependencies(const Settings& settings, const kube::KubeConnection& connection,
                                          std::ostream& console);

// CLUSTER_NAME's run-time default: without it, the kubeconfig context's cluster names the records
// (like kubectl's current context, so trying podmon on a cluster is one command); in-cluster, where
// no context names it, the original's default `local-cluster` (Settings::kOriginalClusterName), so
// an upgraded release keeps matching its records, routes and ignores. Logs when used.
void useContextClusterName(Settings& settings, const kube::KubeConnection& connection);

}  // namespace podmon::daemon
