#include "store/mysql_session_pool.h"

#include <Poco/Any.h>
#include <Poco/Data/MySQL/Connector.h>
#include <Poco/Exception.h>
#include <mysql.h>
#include <spdlog/spdlog.h>

#include <exception>

#include "core/errors.h"
#include "store/mysql_error.h"
#include "store/rejected_data_exception.h"

namespace podmon::store {

namespace {

void registerConnectorOnce() {
  static std::once_flag once;
  std::call_once(once, [] { Poco::Data::MySQL::Connector::registerConnector(); });
}

// Thrown by runOnce when autocommit could not be restored after a committed transaction: the
// work is done, but the session must not go back to other users.
struct SessionTainted {};

}  // namespace

MySqlSessionPool::MySqlSessionPool(MySqlConfig config) : config_(std::move(config)) {
  if (config_.password.find(';') != std::string::npos) {
    throw ConfigException(
        "the MySQL password contains ';', which Poco 1.11's connection string cannot "
        "express; choose a password without ';'");
  }
  if (config_.maxAttempts < 1) config_.maxAttempts = 1;
  registerConnectorOnce();
}

MySqlSessionPool::~MySqlSessionPool() = default;

std::string MySqlSessionPool::scrub(std::string message) const {
  const std::string& secret = config_.password;
  if (secret.size() < 3) return message;  // too short to tell apart from ordinary text
  for (auto at = message.find(secret); at != std::string::npos; at = message.find(secret, at)) {
    message.replace(at, secret.size(), "***");
  }
  return message;
}

MySqlSessionPool::PoolPtr MySqlSessionPool::currentPool() {
  std::lock_guard lock(mutex_);
  if (pool_.isNull()) {
    // minSessions 0: an idle session is never kept past idleSeconds, so none outlives the
    // server's wait_timeout.
    pool_ =
        new Poco::Data::SessionPool("MySQL", config_.connectionString(), 0, config_.maxSessions, config_.idleSeconds);
  }
  return pool_;
}

void MySqlSessionPool::discardPool(const PoolPtr& broken) {
  std::lock_guard lock(mutex_);
  // Sessions still out keep the old pool alive (their PoolPtr) until they are returned to it.
  if (pool_.get() == broken.get()) pool_ = nullptr;
}

void MySqlSessionPool::runOnce(Poco::Data::SessionPool& pool, bool transaction, const SessionBody& body) {
  Poco::Data::Session session = [&] {
    MySqlConnectScope scope(config_.connect);
    return pool.get();
  }();
  config_.connect.checkConnected(Poco::AnyCast<MYSQL*>(session.getProperty("handle")), config_.describe());
  if (!transaction) {
    body(session);
    return;
  }
  session.begin();
  try {
    body(session);
    session.commit();
  } catch (...) {
    try {
      session.rollback();  // also after a failed commit: the session still thinks it is in one
    } catch (...) {}
    try {
      session.setFeature("autoCommit", true);
    } catch (...) {}
    throw;
  }
  try {
    session.setFeature("autoCommit", true);
  } catch (...) {
    throw SessionTainted{};
  }
}

void MySqlSessionPool::runWithRetry(const std::string& what, bool transaction, const SessionBody& body) {
  if (!config_.progress) {
    runAttempts(what, transaction, body);
    return;
  }
  config_.progress->begin();
  try {
    runAttempts(what, transaction, body);
  } catch (const RejectedDataException&) {
    config_.progress->end(true);  // the server answered: that is progress, the data is the problem
    throw;
  } catch (...) {
    config_.progress->end(false);
    throw;
  }
  config_.progress->end(true);
}

void MySqlSessionPool::runAttempts(const std::string& what, bool transaction, const SessionBody& body) {
  for (int attempt = 1;; ++attempt) {
    PoolPtr pool = currentPool();
    try {
      runOnce(*pool, transaction, body);
      return;
    } catch (const SessionTainted&) {
      discardPool(pool);
      return;
    } catch (const PodmonException&) {
      throw;  // the caller's own verdict (a test hook, a bad argument): not a database failure
    } catch (const Poco::Exception& error) {
      const MySqlErrorKind kind = classifyMySqlError(error);
      if (kind == MySqlErrorKind::kConnection) discardPool(pool);
      const std::string reason = scrub(error.displayText());
      if (kind == MySqlErrorKind::kRejected) {
        throw RejectedDataException(what + " rejected by MySQL at " + config_.describe() + ": " + reason);
      }
      if (kind == MySqlErrorKind::kOther || attempt >= config_.maxAttempts) {
        const char* prefix = kind == MySqlErrorKind::kConnection ? "MySQL unreachable" : "MySQL error";
        throw StoreException(what + " failed (" + prefix + " at " + config_.describe() + ", attempt " +
                             std::to_string(attempt) + "): " + reason);
      }
      spdlog::warn("store: {} failed (attempt {} of {}), retrying: {}", what, attempt, config_.maxAttempts, reason);
    } catch (const std::exception& error) {
      throw StoreException(what + " failed: " + scrub(error.what()));
    }
  }
}

}  // namespace podmon::store
