#pragma once

#include <Poco/Data/Session.h>

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/clock.h"
#include "store/migration.h"
#include "store/session_body.h"

namespace podmon::store {

// The embedded store: one SQLite file (SQLITE_PATH) through Poco::Data::SQLite, for a first run
// without any server. One connection per process, shared by the crash store, the alert state
// store and podmonctl's admin store, and used by one thread at a time (a mutex): SQLite has one
// writer anyway. Other processes (podmonctl beside a running podmon) wait for the write lock
// (busy_timeout) instead of failing; WAL lets them read while podmon writes. A transaction is
// BEGIN IMMEDIATE, so it takes the write lock up front and never deadlocks on an upgrade; this is
// what replaces MySQL's SELECT ... FOR UPDATE SKIP LOCKED for outbox claims. Every failure leaves
// as StoreException naming the file. The file (and so its -wal and -shm) is created 0600.
class SqliteDatabase {
 public:
  using Ptr = std::shared_ptr<SqliteDatabase>;

  // Opens lazily: nothing throws here. migrationsDir "" = defaultMigrationsDir() + "/sqlite".
  explicit SqliteDatabase(std::string path, std::string migrationsDir = "", int busyTimeoutMs = 10000);
  ~SqliteDatabase();
  SqliteDatabase(const SqliteDatabase&) = delete;
  SqliteDatabase& operator=(const SqliteDatabase&) = delete;

  // Runs fn(Poco::Data::Session&) and returns what it returns.
  template <typename Fn>
  auto withSession(const std::string& what, Fn&& fn) {
    return run(what, false, std::forward<Fn>(fn));
  }
  // Like withSession, inside BEGIN IMMEDIATE ... COMMIT (ROLLBACK when fn throws).
  template <typename Fn>
  auto inTransaction(const std::string& what, Fn&& fn) {
    return run(what, true, std::forward<Fn>(fn));
  }

  // Applies the SQLite migrations the file has not had yet, each in one transaction (SQLite's
  // DDL is transactional, so a migration is all or nothing). Returns the versions applied now.
  std::vector<int> migrate(const Clock& clock);

  const std::string& path() const { return path_; }
  std::string migrationsDir() const;
  // "SQLite ./podmon.db"
  std::string describe() const;

 private:
  template <typename Fn>
  auto run(const std::string& what, bool transaction, Fn&& fn) {
    return runReturning(fn, [&](const SessionBody& body) { runLocked(what, transaction, body); });
  }

  void runLocked(const std::string& what, bool transaction, const SessionBody& body);
  // Creates the file 0600 (whatever the umask) if it is missing; warns when an existing one is
  // readable by others. Throws StoreException when it cannot be created.
  void createPrivately() const;
  Poco::Data::Session& open();

  std::string path_;
  std::string migrationsDir_;
  int busyTimeoutMs_;
  std::mutex mutex_;
  std::optional<Poco::Data::Session> session_;
};

}  // namespace podmon::store
