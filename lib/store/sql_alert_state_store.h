#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "core/clock.h"
#include "store/alert_state_store.h"
#include "store/sql_backend.h"

namespace Poco::Data {
class Session;
}

namespace podmon::store {

// AlertStateStore on the podmon_alert_state table (sql/004_alert_state.sql and its SQLite mirror,
// applied with the other migrations), written once for both backends, so
// console alerts fold crash loops like Slack alerts do. With MySQL its backend has a session pool
// of its own, so the Slack worker's small reads and writes never wait behind the crash store's
// transactions (see sqlBackendBeside). saveHandled marks the outbox item done with
// outbox_rows, in the same transaction as the state.
class SqlAlertStateStore : public AlertStateStore {
 public:
  SqlAlertStateStore(SqlBackend::Ptr backend, Clock::Ptr clock);

  std::optional<AlertState> load(const std::string& key) override;
  void save(const AlertState& state) override;
  void saveHandled(const AlertState& state, std::int64_t outboxId) override;

  // Deletes rows not updated since `before` (containers long gone). Returns how many.
  int pruneBefore(std::chrono::system_clock::time_point before);

 private:
  void upsert(Poco::Data::Session& session, const AlertState& state);

  SqlBackend::Ptr backend_;
  Clock::Ptr clock_;
};

}  // namespace podmon::store
