#pragma once

#include "store/sql_backend.h"
#include "store/sqlite_database.h"

namespace podmon::store {

// SqlBackend on the embedded SQLite file, through the process's one SqliteDatabase (shared by its
// stores). Every transaction is BEGIN IMMEDIATE and so holds the one write lock from its first
// statement: that is what stands in for MySQL's row locks, so FOR UPDATE and SKIP LOCKED are
// simply left out. Times are bound as UTC text with microseconds (columns::toSqliteTime), which
// sorts like the time; Poco 1.11's SQLite binder would cut a Poco::DateTime to whole seconds.
class SqliteBackend : public SqlBackend {
 public:
  explicit SqliteBackend(SqliteDatabase::Ptr database);

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
  SqliteDatabase::Ptr database_;
};

}  // namespace podmon::store
