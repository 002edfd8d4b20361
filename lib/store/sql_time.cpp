#include "store/sql_time.h"

#include "store/crash_columns.h"
#include "store/db_time.h"

namespace podmon::store {

std::optional<std::chrono::system_clock::time_point> SqlTime::get() const {
  if (!text.isNull()) return columns::fromSqliteTime(text.value());
  if (!dateTime.isNull()) return fromDbTime(dateTime.value());
  return std::nullopt;
}

std::chrono::system_clock::time_point SqlTime::value() const {
  return get().value_or(std::chrono::system_clock::time_point{});
}

}  // namespace podmon::store
