#include "notify/mysql_alert_state_store.h"

#include <Poco/Data/Session.h>
#include <Poco/Data/Statement.h>
#include <Poco/Nullable.h>

#include <utility>

#include "store/db_time.h"
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
using NTime = Poco::Nullable<Poco::DateTime>;

}  // namespace

MySqlAlertStateStore::MySqlAlertStateStore(store::MySqlConfig config, Clock::Ptr clock)
    : pool_(std::move(config)), clock_(std::move(clock)) {}

std::optional<AlertState> MySqlAlertStateStore::load(const std::string& key) {
  return pool_.withSession("load alert state", [&](Session& session) -> std::optional<AlertState> {
    std::string alertKey = store::fitText(key, kKeyChars);
    std::string channel, threadTs, lastReason;
    Poco::DateTime firstAlertAt, lastMessageAt, lastCrashAt;
    NTime foldedSince;
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
    state.firstAlertAt = store::fromDbTime(firstAlertAt);
    state.lastMessageAt = store::fromDbTime(lastMessageAt);
    state.lastCrashAt = store::fromDbTime(lastCrashAt);
    state.foldedCount = foldedCount;
    if (!foldedSince.isNull()) state.foldedSince = store::fromDbTime(foldedSince.value());
    state.lastReason = lastReason;
    if (!lastExitCode.isNull()) state.lastExitCode = lastExitCode.value();
    state.lastOutboxId = lastOutboxId;
    state.carrierOutboxId = carrierOutboxId;
    return state;
  });
}

void MySqlAlertStateStore::save(const AlertState& state) {
  pool_.withSession("save alert state", [&](Session& session) { upsert(session, state); });
}

void MySqlAlertStateStore::saveHandled(const AlertState& state, std::int64_t outboxId) {
  pool_.inTransaction("save alert state and outbox item " + std::to_string(outboxId), [&](Session& session) {
    upsert(session, state);
    Poco::Int64 id = outboxId;
    Poco::DateTime deliveredAt = store::toDbTime(clock_->now());
    session << "UPDATE `podmon_outbox` SET `state` = 'done', `delivered_at` = ? WHERE `id` = ?", use(deliveredAt),
        use(id), now;
  });
}

void MySqlAlertStateStore::upsert(Session& session, const AlertState& state) {
  std::string alertKey = store::fitText(state.key, kKeyChars);
  std::string channel = store::fitText(state.channel, kChannelChars);
  std::string threadTs = store::fitText(state.threadTs, kTsChars);
  Poco::DateTime firstAlertAt = store::toDbTime(state.firstAlertAt);
  Poco::DateTime lastMessageAt = store::toDbTime(state.lastMessageAt);
  Poco::DateTime lastCrashAt = store::toDbTime(state.lastCrashAt);
  int foldedCount = state.foldedCount;
  NTime foldedSince = state.foldedSince ? NTime(store::toDbTime(*state.foldedSince)) : NTime();
  std::string lastReason = store::fitText(state.lastReason, kReasonChars);
  NInt lastExitCode = state.lastExitCode ? NInt(*state.lastExitCode) : NInt();
  Poco::Int64 lastOutboxId = state.lastOutboxId;
  Poco::Int64 carrierOutboxId = state.carrierOutboxId;
  Poco::DateTime updatedAt = store::toDbTime(clock_->now());
  session << "INSERT INTO `podmon_alert_state` (`alert_key`, `channel`, `thread_ts`, `first_alert_at`, "
             "`last_message_at`, `last_crash_at`, `folded_count`, `folded_since`, `last_reason`, "
             "`last_exit_code`, `last_outbox_id`, `carrier_outbox_id`, `updated_at`) "
             "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON DUPLICATE KEY UPDATE "
             "`channel` = VALUES(`channel`), `thread_ts` = VALUES(`thread_ts`), "
             "`first_alert_at` = VALUES(`first_alert_at`), `last_message_at` = VALUES(`last_message_at`), "
             "`last_crash_at` = VALUES(`last_crash_at`), `folded_count` = VALUES(`folded_count`), "
             "`folded_since` = VALUES(`folded_since`), `last_reason` = VALUES(`last_reason`), "
             "`last_exit_code` = VALUES(`last_exit_code`), `last_outbox_id` = VALUES(`last_outbox_id`), "
             "`carrier_outbox_id` = VALUES(`carrier_outbox_id`), `updated_at` = VALUES(`updated_at`)",
      use(alertKey), use(channel), use(threadTs), use(firstAlertAt), use(lastMessageAt), use(lastCrashAt),
      use(foldedCount), use(foldedSince), use(lastReason), use(lastExitCode), use(lastOutboxId),
      use(carrierOutboxId), use(updatedAt), now;
}

int MySqlAlertStateStore::pruneBefore(std::chrono::system_clock::time_point before) {
  return pool_.withSession("prune alert state", [&](Session& session) {
    Poco::DateTime cutoff = store::toDbTime(before);
    Statement del(session);
    del << "DELETE FROM `podmon_alert_state` WHERE `updated_at` < ?", use(cutoff);
    return static_cast<int>(del.execute());
  });
}

}  // namespace podmon::notify
