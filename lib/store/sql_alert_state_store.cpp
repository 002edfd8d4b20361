#include "store/sql_alert_state_store.h"

#include <Poco/Data/Session.h>
#include <Poco/Data/Statement.h>
#include <Poco/Nullable.h>

#include <initializer_list>
#include <utility>

#include "store/outbox_rows.h"
#include "store/sql_time.h"
#include "store/utf8_text.h"

using namespace Poco::Data::Keywords;
using Poco::Data::Session;
using Poco::Data::Statement;

namespace podmon::store {

namespace {

constexpr std::size_t kKeyChars = 512;
constexpr std::size_t kChannelChars = 255;
constexpr std::size_t kTsChars = 64;
constexpr std::size_t kReasonChars = 255;
constexpr std::size_t kMembersChars = 16000;  // TEXT holds 65,535 bytes; StormSummary stays far below

using NText = Poco::Nullable<std::string>;

using NInt = Poco::Nullable<int>;

// A save replaces the whole row: every column but the key takes the inserted value.
std::string replaceRow(const SqlBackend& sql) {
  std::string assignments;
  for (const char* column :
       {"channel", "thread_ts", "first_alert_at", "last_message_at", "last_crash_at", "folded_count", "folded_since",
        "last_reason", "last_exit_code", "last_outbox_id", "carrier_outbox_id", "group_members", "updated_at"}) {
    if (!assignments.empty()) assignments += ", ";
    assignments += std::string("`") + column + "` = " + sql.inserted(column);
  }
  return assignments;
}

}  // namespace

SqlAlertStateStore::SqlAlertStateStore(SqlBackend::Ptr backend, Clock::Ptr clock)
    : backend_(std::move(backend)), clock_(std::move(clock)) {}

std::optional<AlertState> SqlAlertStateStore::load(const std::string& key) {
  return backend_->withSession("load alert state", [&](Session& session) -> std::optional<AlertState> {
    std::string alertKey = fitText(key, kKeyChars);
    std::string channel, threadTs, lastReason;
    SqlTime firstAlertAt, lastMessageAt, lastCrashAt, foldedSince;
    NInt lastExitCode;
    int foldedCount = 0;
    Poco::Int64 lastOutboxId = 0, carrierOutboxId = 0;
    NText groupMembers;
    Statement select(session);
    select << "SELECT `channel`, `thread_ts`, `first_alert_at`, `last_message_at`, `last_crash_at`, "
              "`folded_count`, `folded_since`, `last_reason`, `last_exit_code`, `last_outbox_id`, "
              "`carrier_outbox_id`, `group_members` FROM `podmon_alert_state` WHERE `alert_key` = ?",
        use(alertKey), into(channel), into(threadTs), backend_->intoTime(firstAlertAt),
        backend_->intoTime(lastMessageAt), backend_->intoTime(lastCrashAt), into(foldedCount),
        backend_->intoTime(foldedSince), into(lastReason), into(lastExitCode), into(lastOutboxId),
        into(carrierOutboxId), into(groupMembers);
    if (select.execute() == 0) return std::nullopt;
    AlertState state;
    state.key = key;
    state.channel = channel;
    state.threadTs = threadTs;
    state.firstAlertAt = firstAlertAt.value();
    state.lastMessageAt = lastMessageAt.value();
    state.lastCrashAt = lastCrashAt.value();
    state.foldedCount = foldedCount;
    state.foldedSince = foldedSince.get();
    state.lastReason = lastReason;
    if (!lastExitCode.isNull()) state.lastExitCode = lastExitCode.value();
    state.lastOutboxId = lastOutboxId;
    state.carrierOutboxId = carrierOutboxId;
    if (!groupMembers.isNull()) state.groupMembers = groupMembers.value();
    return state;
  });
}

void SqlAlertStateStore::save(const AlertState& state) {
  backend_->withSession("save alert state", [&](Session& session) { upsert(session, state); });
}

void SqlAlertStateStore::saveHandled(const AlertState& state, std::int64_t outboxId) {
  backend_->inTransaction("save alert state and outbox item " + std::to_string(outboxId), [&](Session& session) {
    upsert(session, state);
    outbox_rows::markDone(session, *backend_, {outboxId}, clock_->now());
  });
}

void SqlAlertStateStore::upsert(Session& session, const AlertState& state) {
  std::string alertKey = fitText(state.key, kKeyChars);
  std::string channel = fitText(state.channel, kChannelChars);
  std::string threadTs = fitText(state.threadTs, kTsChars);
  int foldedCount = state.foldedCount;
  std::string lastReason = fitText(state.lastReason, kReasonChars);
  NInt lastExitCode = state.lastExitCode ? NInt(*state.lastExitCode) : NInt();
  Poco::Int64 lastOutboxId = state.lastOutboxId;
  Poco::Int64 carrierOutboxId = state.carrierOutboxId;
  NText groupMembers = state.groupMembers.empty() ? NText() : NText(fitText(state.groupMembers, kMembersChars));
  session << "INSERT INTO `podmon_alert_state` (`alert_key`, `channel`, `thread_ts`, `first_alert_at`, "
             "`last_message_at`, `last_crash_at`, `folded_count`, `folded_since`, `last_reason`, "
             "`last_exit_code`, `last_outbox_id`, `carrier_outbox_id`, `group_members`, `updated_at`) "
             "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)" +
                 backend_->onDuplicateUpdate({"alert_key"}, replaceRow(*backend_)),
      use(alertKey), use(channel), use(threadTs), backend_->bindTime(state.firstAlertAt),
      backend_->bindTime(state.lastMessageAt), backend_->bindTime(state.lastCrashAt), use(foldedCount),
      backend_->bindTime(state.foldedSince), use(lastReason), use(lastExitCode), use(lastOutboxId),
      use(carrierOutboxId), use(groupMembers), backend_->bindTime(clock_->now()), now;
}

int SqlAlertStateStore::pruneBefore(std::chrono::system_clock::time_point before) {
  return backend_->withSession("prune alert state", [&](Session& session) {
    Statement del(session);
    del << "DELETE FROM `podmon_alert_state` WHERE `updated_at` < ?", backend_->bindTime(before);
    return static_cast<int>(del.execute());
  });
}

}  // namespace podmon::store
