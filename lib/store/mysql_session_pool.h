#pragma once

#include <Poco/AutoPtr.h>
#include <Poco/Data/Session.h>
#include <Poco/Data/SessionPool.h>

#include <mutex>
#include <string>
#include <utility>

#include "store/mysql_config.h"
#include "store/session_body.h"

namespace podmon::store {

// Poco's SessionPool with the 1.11 connector's traps handled in one place: the pool never pings
// and hands out sessions whose server went away, so a connection-class error throws the whole pool
// away (its other idle sessions are as dead) and the operation is retried on a fresh connection;
// a transaction always ends with autocommit back on (1.11 leaves it off in the pooled session);
// a failed commit is rolled back. Every failure leaves as StoreException, never with the password.
class MySqlSessionPool {
 public:
  explicit MySqlSessionPool(MySqlConfig config);
  ~MySqlSessionPool();
  MySqlSessionPool(const MySqlSessionPool&) = delete;
  MySqlSessionPool& operator=(const MySqlSessionPool&) = delete;

  // Runs fn(Poco::Data::Session&) and returns what it returns. Retries the whole of fn (up to
  // config.maxAttempts) after a lost connection or a deadlock, so fn must be safe to repeat.
  // A StoreException thrown by fn itself is passed on without retry.
  template <typename Fn>
  auto withSession(const std::string& what, Fn&& fn) {
    return run(what, false, std::forward<Fn>(fn));
  }

  // Like withSession, with fn inside one transaction: committed when fn returns, rolled back
  // when it throws.
  template <typename Fn>
  auto inTransaction(const std::string& what, Fn&& fn) {
    return run(what, true, std::forward<Fn>(fn));
  }

  const MySqlConfig& config() const { return config_; }

  // Removes the password from a message (it could appear in a connector message).
  std::string scrub(std::string message) const;

 private:
  using PoolPtr = Poco::AutoPtr<Poco::Data::SessionPool>;

  template <typename Fn>
  auto run(const std::string& what, bool transaction, Fn&& fn) {
    return runReturning(fn, [&](const SessionBody& body) { runWithRetry(what, transaction, body); });
  }

  void runWithRetry(const std::string& what, bool transaction, const SessionBody& body);
  void runAttempts(const std::string& what, bool transaction, const SessionBody& body);
  void runOnce(Poco::Data::SessionPool& pool, bool transaction, const SessionBody& body);
  PoolPtr currentPool();
  void discardPool(const PoolPtr& broken);

  MySqlConfig config_;
  std::mutex mutex_;
  PoolPtr pool_;
};

}  // namespace podmon::store
