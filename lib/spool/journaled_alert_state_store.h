#pragma once

#include <atomic>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "spool/alert_state_codec.h"
#include "spool/spool_file.h"
#include "store/alert_state_store.h"

namespace podmon::spool {

// SPOOL_DIR's Slack outcome journal, as a decorator over the AlertStateStore so the Slack deliverer
// is unchanged. A save the store cannot take (StoreException: MySQL down right after a post) is
// appended to the journal and synced before save() returns, so a podmon killed before MySQL
// returns does not post the alert again: load() answers from the journal first (the journal is
// newer than the store), which is read at construction, before any delivery decision. Every call
// first tries to move the journal into the store (in order: saveHandled also marks its outbox item
// done) and empties it; while that fails, saves go to the journal behind the earlier ones. The
// journal holds small rows only (no logs), one per post made while the store was down.
class JournaledAlertStateStore : public store::AlertStateStore {
 public:
  using Ptr = std::shared_ptr<JournaledAlertStateStore>;

  // Opens (or creates) the journal at `path` and reads it. Throws SpoolException when it cannot.
  JournaledAlertStateStore(store::AlertStateStore::Ptr inner, const std::string& path);

  // Throw StoreException only when the store fails and the journal cannot be written either.
  std::optional<store::AlertState> load(const std::string& key) override;
  void save(const store::AlertState& state) override;
  void saveHandled(const store::AlertState& state, std::int64_t outboxId) override;

  // Moves the journal into the store. Throws StoreException when the store fails (the journal stays).
  void replay();
  bool pending() const { return pending_.load(); }
  std::uint64_t journaledTotal() const { return journaledTotal_.load(); }

 private:
  void saveEntry(const JournaledAlertState& entry);
  void replayLocked();
  // replayLocked(), a failure logged at debug level; false when entries are left.
  bool tryReplayLocked();

  store::AlertStateStore::Ptr inner_;
  std::mutex mutex_;
  SpoolFile file_;                                   // guarded by mutex_
  std::vector<JournaledAlertState> entries_;         // the journal's entries, in order
  std::map<std::string, store::AlertState> newest_;  // the newest journaled state of each key
  std::atomic<bool> pending_{false};
  std::atomic<std::uint64_t> journaledTotal_{0};
};

}  // namespace podmon::spool
