#include "daemon/production_dependencies.h"

#include <spdlog/spdlog.h>

#include <utility>

#include "kube/poco_kube_transport.h"
#include "pipeline/sink_setup.h"
#include "store/store_factory.h"

namespace podmon::daemon {

DaemonDependencies productionDependencies(const Settings& settings, const kube::KubeConnection& connection,
                                          std::ostream& console) {
  DaemonDependencies deps;
  deps.kubeTransport = [connection] { return std::make_shared<kube::PocoKubeTransport>(connection); };
  deps.kubeDescription = connection.server + " (" + connection.origin + ")";
  deps.transport.kubeInsecureSkipTlsVerify = connection.insecureSkipTlsVerify;
  deps.openStore = [settings](std::vector<store::Sink> outboxSinks) {
    return store::openStore(settings, std::move(outboxSinks));
  };
  deps.buildSinks = [settings, &console](const pipeline::ActiveSinks& active, const store::OpenedStore& opened) {
    return pipeline::buildSinks(active, settings, opened, console);
  };
  deps.console = &console;
  deps.clock = SystemClock::instance();
  return deps;
}

void useContextClusterName(Settings& settings, const kube::KubeConnection& connection) {
  if (!settings.clusterName.empty()) return;
  if (connection.clusterName.empty()) {  // in-cluster: no kubeconfig context names the cluster
    settings.clusterName = Settings::kOriginalClusterName;
    spdlog::warn(
        "CLUSTER_NAME not set: using {}, the original kubernetes-pod-monitor's default (set CLUSTER_NAME "
        "to name this cluster in records and alerts)",
        settings.clusterName);
    return;
  }
  settings.clusterName = connection.clusterName;
  spdlog::info("CLUSTER_NAME not set: using the cluster of kubeconfig context {}: {}", connection.contextName,
               settings.clusterName);
}

}  // namespace podmon::daemon
