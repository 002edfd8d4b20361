#include "notify/sqlite_alert_state_store.h"

#include <Poco/Data/Session.h>
#include <Poco/Data/Statement.h>
#include <Poco/Nullable.h>

#include <utility>

#include "store/crash_columns.h"
#include "store/utf8_text.h"

using namespace Poco::Data::Keywords;
using Poco::Data::Session;
using Poco::Data::Statement;

namespace podmon::notify {

namespace {

constexpr std::size_t kKeyChars = 512;
constexpr std::size_t kChannelChars = 255;
constexpr std::size_t kTsChars = 64;
constexpr std::size_t kReasonChars = 255;

using NInt = Poco::Nullable<int>;
using NString = Poco::Nullable<std::string>;
using store::columns::fromSqliteTime;
using store::columns::toSqliteTime;

}  // namespace

SqliteAlertStateStore::SqliteAlertStateStore(store::SqliteDatabase::Ptr database, Clock::Ptr clock)
    : database_(std::move(database)), clock_(std::move(clock)) {}

std::optional<AlertState> SqliteAlertStateStore::load(const std::string& key) {
  return database_->withSession("load alert state", [&](Session& session) -> std::optional<AlertState> {
    std::string alertKey = store::fitText(key, kKeyChars);
    std::string channel, threadTs, lastReason, firstAlertAt, lastMessageAt, lastCrashAt;
    NString foldedSince;
    NInt lastExitCode;
    int foldedCount = 0;
    Poco::Int64 lastOutboxId = 0, carrierOutboxId = 0;
    Statement select(session);
    select << "SELECT `channel`, `thread_ts`, `first_alert_at`, `last_message_at`, `last_crash_at`, "
              "`folded_count`, `folded_since`, `last_reason`, `last_exit_code`, `last_outbox_id`, "
              "`carrier_outbox_id` FROM `podmon_alert_state` WHERE `alert_key` = ?",
        use(alertKey), into(channel), into(threadTs), into(firstAlertAt), into(lastMessageAt), into(lastCrashAt),
        into(foldedCount), into(foldedSince), into(lastReason), into(lastExitCode), into(lastOutboxId),
        into(carrierOutboxId);
    if (select.execute() == 0) return std::nullopt;
    AlertState state;
    state.key = key;
    state.channel = channel;
    state.threadTs = threadTs;
    state.firstAlertAt = fromSqliteTime(firstAlertAt);
    state.lastMessageAt = fromSqliteTime(lastMessageAt);
    state.lastCrashAt = fromSqliteTime(lastCrashAt);
    state.foldedCount = foldedCount;
    if (!foldedSince.isNull()) state.foldedSince = fromSqliteTime(foldedSince.value());
    state.lastReason = lastReason;
    if (!lastExitCode.isNull()) state.lastExitCode = lastExitCode.value();
    state.lastOutboxId = lastOutboxId;
    state.carrierOutboxId = carrierOutboxId;
    return state;
  });
}

void SqliteAlertStateStore::save(const AlertState& state) {
  database_->withSession("save alert state", [&](Session& session) { upsert(session, state); });
}

void SqliteAlertStateStore::saveHandled(const AlertState& state, std::int64_t outboxId) {
  database_->inTransaction("save alert state and outbox item " + std::to_string(outboxId), [&](Session& session) {
    upsert(session, state);
    Poco::Int64 id = outboxId;
    std::string deliveredAt = toSqliteTime(clock_->now());
    session << "UPDATE `podmon_outbox` SET `state` = 'done', `delivered_at` = ? WHERE `id` = ?", use(deliveredAt),
        use(id), now;
  });
}

void SqliteAlertStateStore::upsert(Session& session, const AlertState& state) {
  std::string alertKey = store::fitText(state.key, kKeyChars);
  std::string channel = store::fitText(state.channel, kChannelChars);
  std::string threadTs = store::fitText(state.threadTs, kTsChars);
  std::string firstAlertAt = toSqliteTime(state.firstAlertAt);
  std::string lastMessageAt = toSqliteTime(state.lastMessageAt);
  std::string lastCrashAt = toSqliteTime(state.lastCrashAt);
  int foldedCount = state.foldedCount;
  NString foldedSince = state.foldedSince ? NString(toSqliteTime(*state.foldedSince)) : NString();
  std::string lastReason = store::fitText(state.lastReason, kReasonChars);
  NInt lastExitCode = state.lastExitCode ? NInt(*state.lastExitCode) : NInt();
  Poco::Int64 lastOutboxId = state.lastOutboxId;
  Poco::Int64 carrierOutboxId = state.carrierOutboxId;
  std::string updatedAt = toSqliteTime(clock_->now());
  session << "INSERT OR REPLACE INTO `podmon_alert_state` (`alert_key`, `channel`, `thread_ts`, `first_alert_at`, "
             "`last_message_at`, `last_crash_at`, `folded_count`, `folded_since`, `last_reason`, "
             "`last_exit_code`, `last_outbox_id`, `carrier_outbox_id`, `updated_at`) "
             "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      use(alertKey), use(channel), use(threadTs), use(firstAlertAt), use(lastMessageAt), use(lastCrashAt),
      use(foldedCount), use(foldedSince), use(lastReason), use(lastExitCode), use(lastOutboxId),
      use(carrierOutboxId), use(updatedAt), now;
}

int SqliteAlertStateStore::pruneBefore(std::chrono::system_clock::time_point before) {
  return database_->withSession("prune alert state", [&](Session& session) {
    std::string cutoff = toSqliteTime(before);
    Statement del(session);
    del << "DELETE FROM `podmon_alert_state` WHERE `updated_at` < ?", use(cutoff);
    return static_cast<int>(del.execute());
  });
}

}  // namespace podmon::notify
