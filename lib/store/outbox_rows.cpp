#include "store/outbox_rows.h"

#include <Poco/Data/Statement.h>

#include <string>

#include "store/crash_columns.h"

using namespace Poco::Data::Keywords;

namespace podmon::store::outbox_rows {

void insertPending(Poco::Data::Session& session, const SqlBackend& sql, Poco::Int64 crashId,
                   const std::vector<Sink>& sinks, std::chrono::system_clock::time_point at) {
  if (sinks.empty()) return;
  // One multi-row INSERT for all sinks (a statement per sink cost a prepare and an execute each).
  // The sink names are podmon's own constants, written into the text.
  std::string rows;
  for (Sink sink : sinks) {
    rows += std::string(rows.empty() ? "" : ", ") + "(?, '" + toString(sink) + "', 'pending', 0, ?, ?)";
  }
  Poco::Int64 id = crashId;
  Poco::Data::Statement insert(session);
  insert << "INSERT INTO `podmon_outbox` (`crash_id`, `sink`, `state`, `attempts`, `next_attempt_at`, `created_at`) "
            "VALUES " +
                rows;
  for (std::size_t i = 0; i < sinks.size(); ++i) insert, use(id), sql.bindTime(at), sql.bindTime(at);
  insert.execute();
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
