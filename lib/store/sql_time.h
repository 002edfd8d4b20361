#pragma once

#include <Poco/DateTime.h>
#include <Poco/Nullable.h>

#include <chrono>
#include <optional>
#include <string>

namespace podmon::store {

// A time column as a select reads it through SqlBackend::intoTime. MySQL's DATETIME(6) arrives as
// a Poco::DateTime, SQLite's UTC text ("YYYY-MM-DD HH:MM:SS.ffffff", see columns::toSqliteTime) as
// a string; the backend fills only its own, so a store reads times without knowing which one it
// runs on.
struct SqlTime {
  Poco::Nullable<Poco::DateTime> dateTime;
  Poco::Nullable<std::string> text;

  // nullopt for NULL. Throws StoreException for text that is not such a time.
  std::optional<std::chrono::system_clock::time_point> get() const;
  // For a NOT NULL column: get(), with the zero time point for a NULL.
  std::chrono::system_clock::time_point value() const;
};

}  // namespace podmon::store
