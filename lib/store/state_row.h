#pragma once

#include <Poco/Data/Session.h>
#include <Poco/Data/Statement.h>
#include <Poco/Types.h>

#include <cstddef>
#include <string>

#include "store/container_state.h"
#include "store/crash_columns.h"
#include "store/sql_backend.h"

namespace podmon::store {

// One k8s_crash_monitor row's bound values (bindings refer to them until the statement ran). The
// state upsert is written here once: SqlContainerStateStore saves baselines with it and
// SqlCrashRepository saves a crash's state with it, in the crash's transaction.
struct StateRow {
  std::string clusterName;
  std::string namespaceName;
  std::string podName;
  std::string containerName;
  int restartCount = 0;
  Poco::Int64 editedAt = 0;
  columns::NString podUid;
  columns::NString containerId;

  StateRow(const std::string& cluster, const ContainerState& state, Poco::Int64 now);
  void bind(Poco::Data::Statement& statement);

  // The k8s_crash_monitor upsert for `rows` rows (bind each row in order).
  static std::string upsertSql(const SqlBackend& sql, std::size_t rows);
  // Upserts one row, edited at `now` (seconds since the epoch).
  static void upsert(Poco::Data::Session& session, const SqlBackend& sql, const std::string& cluster,
                     const ContainerState& state, Poco::Int64 now);
};

}  // namespace podmon::store
