#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "core/clock.h"
#include "notify/alert_state_store.h"
#include "store/sqlite_database.h"

namespace Poco::Data {
class Session;
}

namespace podmon::notify {

// The alert cooldown state in the embedded SQLite file (podmon_alert_state), with the same
// behaviour as MySqlAlertStateStore, so console alerts fold crash loops like Slack alerts do.
class SqliteAlertStateStore : public AlertStateStore {
 public:
  SqliteAlertStateStore(store::SqliteDatabase::Ptr database, Clock::Ptr clock);

  std::optional<AlertState> load(const std::string& key) override;
  void save(const AlertState& state) override;
  void saveHandled(const AlertState& state, std::int64_t outboxId) override;

  // Deletes rows not updated since `before`. Returns how many.
  int pruneBefore(std::chrono::system_clock::time_point before);

 private:
  void upsert(Poco::Data::Session& session, const AlertState& state);

  store::SqliteDatabase::Ptr database_;
  Clock::Ptr clock_;
};

}  // namespace podmon::notify
