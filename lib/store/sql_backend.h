#pragma once

#include <Poco/Data/AbstractBinding.h>
#include <Poco/Data/AbstractExtraction.h>
#include <Poco/Data/Session.h>
#include <Poco/Types.h>

#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "store/session_body.h"
#include "store/sql_time.h"

namespace podmon::store {

// What differs between the two databases podmon stores in, so that each store (SqlCrashRepository,
// SqlAdminStore, SqlAlertStateStore) is written once over the same tables: how a function gets a
// session or a transaction, how times are bound and read, and the few clauses MySQL and SQLite
// spell differently. Everything else (statements, the order of the writes, what is in one
// transaction) is the stores' common SQL. The stores never read the server's clock (times come
// from the injected Clock), so there is no "current time" expression here.
// MySqlBackend: a session pool of its own and InnoDB row locks. SqliteBackend: the process's one
// SqliteDatabase, where every transaction holds the one write lock.
class SqlBackend {
 public:
  using Ptr = std::shared_ptr<SqlBackend>;
  using TimePoint = std::chrono::system_clock::time_point;
  virtual ~SqlBackend() = default;

  // Runs fn(Poco::Data::Session&) and returns what it returns. Throws StoreException naming
  // `what` when the database fails; a PodmonException thrown by fn passes unchanged. MySQL runs
  // fn again after a lost connection or a deadlock, so fn must be safe to repeat.
  template <typename Fn>
  auto withSession(const std::string& what, Fn&& fn) {
    return runReturning(fn, [&](const SessionBody& body) { run(what, false, body); });
  }
  // Like withSession, with fn in one transaction: committed when fn returns, rolled back when it
  // throws.
  template <typename Fn>
  auto inTransaction(const std::string& what, Fn&& fn) {
    return runReturning(fn, [&](const SessionBody& body) { run(what, true, body); });
  }

  // Applies this database's migrations (sql/ or sql/sqlite/) that it has not had yet; returns the
  // versions applied now. Throws StoreException naming the failed migration.
  virtual std::vector<int> migrate(const Clock::Ptr& clock) = 0;

  // --- times ---
  // A copy of `time` bound as the time columns hold it; NULL for nullopt.
  virtual Poco::Data::AbstractBinding::Ptr bindTime(std::optional<TimePoint> time) const = 0;
  // Extracts a time column into `time`.
  virtual Poco::Data::AbstractExtraction::Ptr intoTime(SqlTime& time) const = 0;

  // --- clauses that end a statement (each with a leading space, or empty) ---
  // Ends an INSERT: a row whose unique key `key` (column names) exists gets `assignments`
  // ("`col` = expr, ..."; see inserted()) instead.
  virtual std::string onDuplicateUpdate(const std::vector<std::string>& key, const std::string& assignments) const = 0;
  // In onDuplicateUpdate's assignments: the value the INSERT tried to write into `column`.
  virtual std::string inserted(const std::string& column) const = 0;
  // Ends an INSERT: a row whose unique key `key` exists is left alone and the INSERT counts 0
  // affected rows. Unlike INSERT IGNORE, a bad value still fails.
  virtual std::string onDuplicateIgnore(const std::vector<std::string>& key) const = 0;
  // Ends an INSERT into a table with an `id` column: like onDuplicateIgnore, and lets insertedId
  // name the existing row where the database can.
  virtual std::string onDuplicateKeepId(const std::vector<std::string>& key) const = 0;
  // After an INSERT ending with onDuplicateKeepId: the new row's id when it inserted one (isNew), else
  // the existing row's id, or nullopt when this database cannot tell it (select it by its key).
  virtual std::optional<Poco::Int64> insertedId(Poco::Data::Session& session, bool isNew) const = 0;
  // Ends a SELECT inside a transaction that writes what it read: no other transaction changes
  // the rows before this one ends.
  virtual std::string forUpdate() const = 0;
  // Ends a SELECT that claims rows for this transaction: two concurrent claims never get the same
  // row (MySQL skips the rows another claim holds; SQLite's claims run one at a time).
  virtual std::string forUpdateSkipLocked() const = 0;

  // --- statements and expressions ---
  // The start of an INSERT that skips a row which breaks a unique key ("INSERT IGNORE"; in MySQL
  // other errors of the row are skipped too).
  virtual std::string insertIgnore() const = 0;
  virtual std::string greatest(const std::string& a, const std::string& b) const = 0;
  virtual std::string least(const std::string& a, const std::string& b) const = 0;
  // a = b, where NULL equals NULL.
  virtual std::string nullSafeEqual(const std::string& a, const std::string& b) const = 0;
  // `expression` read as an integer.
  virtual std::string castToInteger(const std::string& expression) const = 0;
  // The first `chars` characters of the text `expression`.
  virtual std::string leftChars(const std::string& expression, std::size_t chars) const = 0;

 protected:
  virtual void run(const std::string& what, bool transaction, const SessionBody& body) = 0;
};

}  // namespace podmon::store
