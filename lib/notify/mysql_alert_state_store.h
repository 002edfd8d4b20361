#pragma once

#include "core/clock.h"
#include "notify/alert_state_store.h"
#include "store/mysql_config.h"
#include "store/mysql_session_pool.h"

namespace podmon::notify {

// AlertStateStore on the podmon_alert_state table (sql/004_alert_state.sql, applied with the other
// migrations by CrashStore::migrate()). It has a session pool of its own so the Slack worker's
// small reads and writes never wait behind the crash store's transactions.
class MySqlAlertStateStore : public AlertStateStore {
 public:
  MySqlAlertStateStore(store::MySqlConfig config, Clock::Ptr clock);

  std::optional<AlertState> load(const std::string& key) override;
  void save(const AlertState& state) override;
  void saveHandled(const AlertState& state, std::int64_t outboxId) override;

  // Deletes rows not updated since `before` (containers long gone). Returns how many.
  int pruneBefore(std::chrono::system_clock::time_point before);

 private:
  void upsert(Poco::Data::Session& session, const AlertState& state);

  store::MySqlSessionPool pool_;
  Clock::Ptr clock_;
};

}  // namespace podmon::notify
