#include "store/outbox_rows.h"

#include <string>

#include "store/crash_columns.h"

using namespace Poco::Data::Keywords;

namespace podmon::store::outbox_rows {

void insertPending(Poco::Data::Session& session, const SqlBackend& sql, Poco::Int64 crashId,
                   const std::vector<Sink>& sinks, std::chrono::system_clock::time_point at) {
  Poco::Int64 id = crashId;
  for (Sink sink : sinks) {
    std::string sinkName = toString(sink);
    session << "INSERT INTO `podmon_outbox` (`crash_id`, `sink`, `state`, `attempts`, `next_attempt_at`, "
               "`created_at`) VALUES (?, ?, 'pending', 0, ?, ?)",
        use(id), use(sinkName), sql.bindTime(at), sql.bindTime(at), now;
  }
}

void markDone(Poco::Data::Session& session, const SqlBackend& sql, const std::vector<Poco::Int64>& ids,
              std::chrono::system_clock::time_point at) {
  if (ids.empty()) return;
  if (ids.size() == 1) {
    Poco::Int64 id = ids.front();
    session << "UPDATE `podmon_outbox` SET `state` = 'done', `delivered_at` = ? WHERE `id` = ?", sql.bindTime(at),
        use(id), now;
    return;
  }
  session << "UPDATE `podmon_outbox` SET `state` = 'done', `delivered_at` = ? WHERE `id` IN (" + columns::idList(ids) +
                 ")",
      sql.bindTime(at), now;
}

}  // namespace podmon::store::outbox_rows
