#include "store/db_time.h"

#include <Poco/Timestamp.h>

#include "core/rfc3339.h"

namespace podmon::store {

Poco::DateTime toDbTime(std::chrono::system_clock::time_point time) {
  const auto micros = std::chrono::duration_cast<std::chrono::microseconds>(time.time_since_epoch()).count();
  return Poco::DateTime(Poco::Timestamp(static_cast<Poco::Timestamp::TimeVal>(micros)));
}

std::chrono::system_clock::time_point fromDbTime(const Poco::DateTime& time) {
  const auto micros = time.timestamp().epochMicroseconds();
  return std::chrono::system_clock::time_point(
      std::chrono::duration_cast<std::chrono::system_clock::duration>(std::chrono::microseconds(micros)));
}

std::optional<Poco::DateTime> parseRfc3339(const std::string& text) {
  auto parsed = podmon::parseRfc3339(text);
  if (!parsed) return std::nullopt;
  return toDbTime(*parsed);
}

std::string formatRfc3339(const Poco::DateTime& time) { return podmon::formatRfc3339(fromDbTime(time)); }

}  // namespace podmon::store
