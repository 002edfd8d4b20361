#include "store/state_row.h"

#include "store/utf8_text.h"

using namespace Poco::Data::Keywords;

namespace podmon::store {

using namespace columns;

StateRow::StateRow(const std::string& cluster, const ContainerState& state, Poco::Int64 now)
    : clusterName(fitText(cluster, kMonitorClusterChars)),
      namespaceName(fitText(state.namespace_, kMonitorNamespaceChars)),
      podName(fitText(state.podName, kMonitorNameChars)),
      containerName(fitText(state.containerName, kMonitorNameChars)),
      restartCount(state.restartCount),
      editedAt(now),
      podUid(nullIfEmpty(state.podUid, kUidChars)),
      containerId(nullIfEmpty(state.containerId, kMonitorNameChars)) {}

void StateRow::bind(Poco::Data::Statement& statement) {
  statement, use(clusterName), use(namespaceName), use(podName), use(containerName), use(restartCount), use(editedAt),
      use(podUid), use(containerId);
}

// Same pod: the count never goes back (a late crash must not undo a newer baseline). Another pod
// under the same name (recreated): its count replaces the old one. MySQL applies the assignments
// left to right (each sees the ones before it), SQLite reads the old row in all of them: pod_uid
// is set last, so both compare with the old pod_uid.
std::string StateRow::upsertSql(const SqlBackend& sql, std::size_t rows) {
  std::string statement =
      "INSERT INTO `k8s_crash_monitor` (`clustername`, `namespace`, `podname`, `containername`, "
      "`restartcount`, `retries`, `edited_at`, `pod_uid`, `container_id`) VALUES ";
  for (std::size_t i = 0; i < rows; ++i) {
    statement += i == 0 ? "(?, ?, ?, ?, ?, 0, ?, ?, ?)" : ", (?, ?, ?, ?, ?, 0, ?, ?, ?)";
  }
  const std::string samePod = sql.nullSafeEqual("`pod_uid`", sql.inserted("pod_uid"));
  const std::string newCount = sql.inserted("restartcount");
  const std::string newContainerId = sql.inserted("container_id");
  statement += sql.onDuplicateUpdate({"clustername", "namespace", "podname", "containername"},
                                     "`restartcount` = CASE WHEN " + samePod + " THEN " +
                                         sql.greatest("COALESCE(`restartcount`, 0)", newCount) + " ELSE " + newCount +
                                         " END, "
                                         "`container_id` = CASE WHEN " +
                                         samePod + " THEN COALESCE(" + newContainerId + ", `container_id`) ELSE " +
                                         newContainerId +
                                         " END, "
                                         "`retries` = 0, `edited_at` = " +
                                         sql.inserted("edited_at") + ", `pod_uid` = " + sql.inserted("pod_uid"));
  return statement;
}

void StateRow::upsert(Poco::Data::Session& session, const SqlBackend& sql, const std::string& cluster,
                      const ContainerState& state, Poco::Int64 now) {
  StateRow row(cluster, state, now);
  Poco::Data::Statement statement(session);
  statement << upsertSql(sql, 1);
  row.bind(statement);
  statement.execute();
}

}  // namespace podmon::store
