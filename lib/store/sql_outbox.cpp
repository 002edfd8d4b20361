#include "store/sql_outbox.h"

#include <Poco/Data/Session.h>
#include <Poco/Data/Statement.h>

#include <algorithm>
#include <utility>

#include "store/audit_rows.h"
#include "store/crash_columns.h"
#include "store/outbox_rows.h"
#include "store/utf8_text.h"

using namespace Poco::Data::Keywords;
using Poco::Data::Session;
using Poco::Data::Statement;

namespace podmon::store {

using namespace columns;

SqlOutbox::SqlOutbox(SqlBackend::Ptr backend, Clock::Ptr clock, CrashStoreOptions options)
    : backend_(std::move(backend)), clock_(std::move(clock)), options_(std::move(options)) {}

// forUpdateSkipLocked: two workers never take the same row.
std::vector<Poco::Int64> SqlOutbox::lease(Sink sink, int limit, std::chrono::system_clock::time_point claimedAt,
                                          std::chrono::system_clock::duration lease) {
  const std::string sinkName = toString(sink);
  return backend_->inTransaction("claim " + sinkName + " outbox", [&](Session& session) {
    std::string name = sinkName;
    int rows = std::clamp(limit, 1, 1000);
    std::vector<Poco::Int64> dueIds;
    session << "SELECT `id` FROM `podmon_outbox` WHERE `sink` = ? AND `state` = 'pending' AND "
               "`next_attempt_at` <= ? ORDER BY `next_attempt_at`, `id` LIMIT ?" +
                   backend_->forUpdateSkipLocked(),
        use(name), backend_->bindTime(claimedAt), use(rows), into(dueIds), now;
    if (!dueIds.empty()) {
      session << "UPDATE `podmon_outbox` SET `attempts` = `attempts` + 1, `next_attempt_at` = ? WHERE `id` IN (" +
                     idList(dueIds) + ")",
          backend_->bindTime(claimedAt + lease), now;
    }
    return dueIds;
  });
}

std::vector<OutboxItem> SqlOutbox::loadClaimed(Sink sink, const std::vector<Poco::Int64>& ids) {
  return backend_->withSession("load claimed " + std::string(toString(sink)) + " outbox", [&](Session& session) {
    Poco::Int64 outboxId = 0;
    int attempts = 0;
    SqlTime createdAt;
    CrashColumns row;
    Statement select(session);
    select << "SELECT o.`id`, o.`attempts`, o.`created_at`, " +
                  CrashColumns::selectList(logsReadChars(options_.maxLogBytes), *backend_) +
                  " FROM `podmon_outbox` o JOIN `k8s_pod_crash` c ON c.`id` = o.`crash_id` WHERE o.`id` IN (" +
                  idList(ids) + ") ORDER BY o.`created_at`, o.`id`",
        into(outboxId), into(attempts), backend_->intoTime(createdAt);
    row.bindInto(select, true, *backend_);
    std::vector<OutboxItem> loaded;
    forEachRow(select, [&] {
      OutboxItem item;
      item.id = outboxId;
      item.sink = sink;
      item.attempts = attempts;
      item.createdAt = createdAt.value();
      item.crash = row.toStored();
      loaded.push_back(std::move(item));
    });
    return loaded;
  });
}

std::vector<OutboxItem> SqlOutbox::claimOutbox(Sink sink, int limit, std::chrono::system_clock::duration lease) {
  const std::vector<Poco::Int64> ids = this->lease(sink, limit, clock_->now(), lease);
  if (ids.empty()) return {};
  std::vector<OutboxItem> items = loadClaimed(sink, ids);
  // A row whose crash was deleted can never be delivered.
  for (auto id : ids) {
    const bool found = std::any_of(items.begin(), items.end(), [&](const OutboxItem& i) { return i.id == id; });
    if (!found) markDead(id, "the crash row no longer exists");
  }
  return items;
}

void SqlOutbox::markDelivered(std::int64_t outboxId) {
  backend_->withSession("mark outbox " + std::to_string(outboxId) + " delivered", [&](Session& session) {
    outbox_rows::markDone(session, *backend_, {outboxId}, clock_->now());
  });
}

void SqlOutbox::markDeliveredMany(const std::vector<std::int64_t>& outboxIds) {
  if (outboxIds.empty()) return;
  backend_->withSession("mark " + std::to_string(outboxIds.size()) + " outbox items delivered", [&](Session& session) {
    outbox_rows::markDone(session, *backend_, std::vector<Poco::Int64>(outboxIds.begin(), outboxIds.end()),
                          clock_->now());
  });
}

void SqlOutbox::markFailed(std::int64_t outboxId, std::chrono::system_clock::time_point nextAttemptAt,
                           const std::string& error) {
  backend_->withSession("mark outbox " + std::to_string(outboxId) + " failed", [&](Session& session) {
    Poco::Int64 id = outboxId;
    std::string lastError = fitText(error.empty() ? "unknown error" : error, kTextChars);
    session << "UPDATE `podmon_outbox` SET `next_attempt_at` = ?, `last_error` = ? "
               "WHERE `id` = ? AND `state` = 'pending'",
        backend_->bindTime(nextAttemptAt), use(lastError), use(id), now;
  });
}

void SqlOutbox::releaseClaim(const std::vector<OutboxItem>& items) {
  if (items.empty()) return;
  // Only numbers go into the text, as in idList.
  std::string claimed;
  for (const auto& item : items) {
    claimed += (claimed.empty() ? "(`id` = " : " OR (`id` = ") + std::to_string(item.id) +
               " AND `attempts` = " + std::to_string(item.attempts) + ")";
  }
  backend_->withSession("release " + std::to_string(items.size()) + " claimed outbox items", [&](Session& session) {
    session << "UPDATE `podmon_outbox` SET `attempts` = `attempts` - 1, `next_attempt_at` = ? "
               "WHERE `state` = 'pending' AND `attempts` > 0 AND (" +
                   claimed + ")",
        backend_->bindTime(clock_->now()), now;
  });
}

void SqlOutbox::markDead(std::int64_t outboxId, const std::string& reason) {
  backend_->withSession("mark outbox " + std::to_string(outboxId) + " dead", [&](Session& session) {
    Poco::Int64 id = outboxId;
    std::string lastError = fitText(reason.empty() ? "given up" : reason, kTextChars);
    session << "UPDATE `podmon_outbox` SET `state` = 'dead', `last_error` = ? WHERE `id` = ?", use(lastError), use(id),
        now;
  });
}

std::vector<OutboxStats> SqlOutbox::outboxStats() {
  return backend_->withSession("read outbox stats", [&](Session& session) {
    const auto at = clock_->now();
    std::string sinkName;
    Poco::Int64 pending = 0, failed = 0, dead = 0;
    SqlTime oldest;
    Statement select(session);
    // MySQL's SUM is a DECIMAL, cast to read it as an integer. SQLite reads the type name SIGNED
    // as NUMERIC, which leaves its integer sums as they are.
    select << "SELECT `sink`, CAST(SUM(`state` = 'pending') AS SIGNED), "
              "CAST(SUM(`state` = 'pending' AND `last_error` IS NOT NULL) AS SIGNED), "
              "CAST(SUM(`state` = 'dead') AS SIGNED), MIN(CASE WHEN `state` = 'pending' THEN `created_at` END) "
              "FROM `podmon_outbox` GROUP BY `sink` ORDER BY `sink`",
        into(sinkName), into(pending), into(failed), into(dead), backend_->intoTime(oldest);
    std::vector<OutboxStats> stats;
    for (Sink sink : options_.outboxSinks) stats.push_back(OutboxStats{sink, 0, 0, 0, std::nullopt});
    forEachRow(select, [&] {
      const auto sink = parseSink(sinkName);
      if (!sink) return;
      auto it = std::find_if(stats.begin(), stats.end(), [&](const OutboxStats& s) { return s.sink == *sink; });
      if (it == stats.end()) it = stats.insert(stats.end(), OutboxStats{*sink, 0, 0, 0, std::nullopt});
      it->pending = pending;
      it->failed = failed;
      it->dead = dead;
      if (const auto oldestPending = oldest.get()) it->oldestPendingAge = at - *oldestPending;
    });
    return stats;
  });
}

std::int64_t SqlOutbox::retryDeadOutbox(std::optional<Sink> sink, const std::string& actor) {
  const std::string sinkName = sink ? toString(*sink) : "";
  return backend_->inTransaction("retry dead outbox rows", [&](Session& session) -> std::int64_t {
    std::string name = sinkName;
    Statement update(session);
    // last_error stays: it says why the row died, and marks the row as having failed before.
    update << "UPDATE `podmon_outbox` SET `state` = 'pending', `attempts` = 0, `next_attempt_at` = ? "
              "WHERE `state` = 'dead' AND (? = '' OR `sink` = ?)",
        backend_->bindTime(clock_->now()), use(name), use(name);
    const std::int64_t count = update.execute();
    if (count > 0) {
      audit_rows::insert(session, *backend_,
                         {0,
                          {},
                          actor,
                          "outbox.retry",
                          "",
                          sinkName.empty() ? "*" : sinkName,
                          std::to_string(count) + " dead",
                          "pending"},
                         clock_->now());
    }
    return count;
  });
}

}  // namespace podmon::store
