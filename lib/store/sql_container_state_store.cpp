#include "store/sql_container_state_store.h"

#include <Poco/Data/Session.h>
#include <Poco/Data/Statement.h>

#include <algorithm>
#include <utility>

#include "store/crash_columns.h"
#include "store/state_row.h"
#include "store/utf8_text.h"

using namespace Poco::Data::Keywords;
using Poco::Data::Session;
using Poco::Data::Statement;

namespace podmon::store {

using namespace columns;

namespace {

Poco::Int64 epochSeconds(const Clock& clock) {
  return std::chrono::duration_cast<std::chrono::seconds>(clock.now().time_since_epoch()).count();
}

}  // namespace

SqlContainerStateStore::SqlContainerStateStore(SqlBackend::Ptr backend, Clock::Ptr clock)
    : backend_(std::move(backend)), clock_(std::move(clock)) {}

std::vector<ContainerState> SqlContainerStateStore::loadContainerStates(const std::string& cluster) {
  return backend_->withSession("load container states", [&](Session& session) {
    std::string clusterName = fitText(cluster, kMonitorClusterChars);
    std::vector<std::string> namespaces, pods, containers, uids, containerIds;
    std::vector<int> restarts;
    session << "SELECT `namespace`, `podname`, `containername`, COALESCE(`pod_uid`, ''), "
               "COALESCE(`restartcount`, 0), COALESCE(`container_id`, '') "
               "FROM `k8s_crash_monitor` WHERE `clustername` = ?",
        use(clusterName), into(namespaces), into(pods), into(containers), into(uids), into(restarts),
        into(containerIds), now;
    std::vector<ContainerState> states(namespaces.size());
    for (std::size_t i = 0; i < states.size(); ++i) {
      states[i] = ContainerState{namespaces[i], pods[i], containers[i], uids[i], restarts[i], containerIds[i]};
    }
    return states;
  });
}

void SqlContainerStateStore::saveBaselines(const std::string& cluster, const std::vector<ContainerState>& states) {
  if (states.empty()) return;
  backend_->withSession("save " + std::to_string(states.size()) + " baselines", [&](Session& session) {
    const Poco::Int64 now = epochSeconds(*clock_);
    std::vector<StateRow> rows;
    rows.reserve(std::min(states.size(), kBaselineBatch));
    for (std::size_t first = 0; first < states.size(); first += kBaselineBatch) {
      const std::size_t last = std::min(states.size(), first + kBaselineBatch);
      rows.clear();  // capacity stays: no reallocation, so bindings never see moved values
      for (std::size_t i = first; i < last; ++i) rows.emplace_back(cluster, states[i], now);
      Statement upsert(session);
      upsert << StateRow::upsertSql(*backend_, rows.size());
      for (auto& row : rows) row.bind(upsert);
      upsert.execute();
    }
  });
}

void SqlContainerStateStore::saveBaseline(const std::string& cluster, const ContainerState& state) {
  backend_->withSession(
      "save baseline of " + state.namespace_ + "/" + state.podName + "/" + state.containerName,
      [&](Session& session) { StateRow::upsert(session, *backend_, cluster, state, epochSeconds(*clock_)); });
}

int SqlContainerStateStore::deletePodStates(const std::string& cluster, const std::string& namespace_,
                                            const std::string& podName) {
  return backend_->withSession("delete states of " + namespace_ + "/" + podName, [&](Session& session) {
    std::string clusterName = fitText(cluster, kMonitorClusterChars);
    std::string namespaceName = fitText(namespace_, kMonitorNamespaceChars);
    std::string pod = fitText(podName, kMonitorNameChars);
    Statement del(session);
    del << "DELETE FROM `k8s_crash_monitor` WHERE `clustername` = ? AND `namespace` = ? AND `podname` = ?",
        use(clusterName), use(namespaceName), use(pod);
    return static_cast<int>(del.execute());
  });
}

}  // namespace podmon::store
