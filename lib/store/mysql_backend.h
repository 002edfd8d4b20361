#pragma once

#include <atomic>
#include <mutex>

#include "store/mysql_config.h"
#include "store/mysql_session_pool.h"
#include "store/sql_backend.h"

namespace podmon::store {

// SqlBackend on MySQL/MariaDB. Each instance has a session pool of its own, so one store's small
// reads and writes (the Slack worker's alert state) never wait for a session behind another's
// transactions. Row locks are InnoDB's: FOR UPDATE, and SKIP LOCKED for outbox claims, so several
// podmon instances drain one outbox without handing a row out twice. Servers without SKIP LOCKED
// (MySQL 5.7, MariaDB before 10.6; known from SELECT VERSION() on the first session) claim with
// plain FOR UPDATE: a second claim waits for the first to commit, then sees its rows leased and
// passes them by. Times are DATETIME(6), bound through Poco::DateTime.
class MySqlBackend : public SqlBackend {
 public:
  // Connects lazily: nothing throws here but a ConfigException for an unusable password.
  explicit MySqlBackend(MySqlConfig config);

  const MySqlConfig& config() const { return pool_.config(); }

  std::vector<int> migrate(const Clock::Ptr& clock) override;

  Poco::Data::AbstractBinding::Ptr bindTime(std::optional<TimePoint> time) const override;
  Poco::Data::AbstractExtraction::Ptr intoTime(SqlTime& time) const override;

  std::string onDuplicateUpdate(const std::vector<std::string>& key, const std::string& assignments) const override;
  std::string inserted(const std::string& column) const override;
  std::string onDuplicateIgnore(const std::vector<std::string>& key) const override;
  std::string onDuplicateKeepId(const std::vector<std::string>& key) const override;
  std::optional<Poco::Int64> insertedId(Poco::Data::Session& session, bool isNew) const override;
  std::string forUpdate() const override;
  std::string forUpdateSkipLocked() const override;

  std::string insertIgnore() const override;
  std::string greatest(const std::string& a, const std::string& b) const override;
  std::string least(const std::string& a, const std::string& b) const override;
  std::string nullSafeEqual(const std::string& a, const std::string& b) const override;
  std::string castToInteger(const std::string& expression) const override;
  std::string leftChars(const std::string& expression, std::size_t chars) const override;

 protected:
  void run(const std::string& what, bool transaction, const SessionBody& body) override;

 private:
  // Learns once, on the first session, whether the server has SKIP LOCKED.
  void learnServer(Poco::Data::Session& session);

  MySqlSessionPool pool_;
  std::mutex learning_;
  std::atomic<bool> serverKnown_{false};
  std::atomic<bool> skipLocked_{false};
};

}  // namespace podmon::store
