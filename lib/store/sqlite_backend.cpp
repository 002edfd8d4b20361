#include "store/sqlite_backend.h"

#include <Poco/Data/Binding.h>
#include <Poco/Data/Extraction.h>
#include <Poco/Nullable.h>

#include <utility>

#include "store/crash_columns.h"

using namespace Poco::Data::Keywords;

namespace podmon::store {

namespace {

// "`a`, `b`": a conflict target.
std::string columnList(const std::vector<std::string>& names) {
  std::string list;
  for (const auto& name : names) list += (list.empty() ? "`" : ", `") + name + "`";
  return list;
}

}  // namespace

SqliteBackend::SqliteBackend(SqliteDatabase::Ptr database) : database_(std::move(database)) {}

void SqliteBackend::run(const std::string& what, bool transaction, const SessionBody& body) {
  if (transaction) {
    database_->inTransaction(what, body);
  } else {
    database_->withSession(what, body);
  }
}

std::vector<int> SqliteBackend::migrate(const Clock::Ptr& clock) { return database_->migrate(*clock); }

Poco::Data::AbstractBinding::Ptr SqliteBackend::bindTime(std::optional<TimePoint> time) const {
  using NText = Poco::Nullable<std::string>;
  return Poco::Data::Keywords::bind(time ? NText(columns::toSqliteTime(*time)) : NText());
}

Poco::Data::AbstractExtraction::Ptr SqliteBackend::intoTime(SqlTime& time) const { return into(time.text); }

std::string SqliteBackend::onDuplicateUpdate(const std::vector<std::string>& key,
                                             const std::string& assignments) const {
  return " ON CONFLICT (" + columnList(key) + ") DO UPDATE SET " + assignments;
}

std::string SqliteBackend::inserted(const std::string& column) const { return "excluded.`" + column + "`"; }

std::string SqliteBackend::onDuplicateIgnore(const std::vector<std::string>& key) const {
  return " ON CONFLICT (" + columnList(key) + ") DO NOTHING";
}

std::string SqliteBackend::onDuplicateKeepId(const std::vector<std::string>& key) const {
  return onDuplicateIgnore(key);
}

std::optional<Poco::Int64> SqliteBackend::insertedId(Poco::Data::Session& session, bool isNew) const {
  if (!isNew) return std::nullopt;  // last_insert_rowid() still names an earlier insert
  Poco::Int64 id = 0;
  session << "SELECT last_insert_rowid()", into(id), now;
  return id;
}

std::string SqliteBackend::forUpdate() const { return ""; }

std::string SqliteBackend::forUpdateSkipLocked() const { return ""; }

std::string SqliteBackend::insertIgnore() const { return "INSERT OR IGNORE"; }

// SQLite's min() and max() with two arguments are the scalar functions.
std::string SqliteBackend::greatest(const std::string& a, const std::string& b) const {
  return "MAX(" + a + ", " + b + ")";
}

std::string SqliteBackend::least(const std::string& a, const std::string& b) const {
  return "MIN(" + a + ", " + b + ")";
}

std::string SqliteBackend::nullSafeEqual(const std::string& a, const std::string& b) const { return a + " IS " + b; }

std::string SqliteBackend::castToInteger(const std::string& expression) const {
  return "CAST(" + expression + " AS INTEGER)";
}

std::string SqliteBackend::leftChars(const std::string& expression, std::size_t chars) const {
  return "substr(" + expression + ", 1, " + std::to_string(chars) + ")";
}

}  // namespace podmon::store
