#include "store/db_time.h"

#include <Poco/DateTimeFormat.h>
#include <Poco/DateTimeFormatter.h>
#include <Poco/DateTimeParser.h>
#include <Poco/Timestamp.h>

#include <regex>

namespace podmon::store {

Poco::DateTime toDbTime(std::chrono::system_clock::time_point time) {
  const auto micros =
      std::chrono::duration_cast<std::chrono::microseconds>(time.time_since_epoch()).count();
  return Poco::DateTime(Poco::Timestamp(static_cast<Poco::Timestamp::TimeVal>(micros)));
}

std::chrono::system_clock::time_point fromDbTime(const Poco::DateTime& time) {
  const auto micros = time.timestamp().epochMicroseconds();
  return std::chrono::system_clock::time_point(
      std::chrono::duration_cast<std::chrono::system_clock::duration>(std::chrono::microseconds(micros)));
}

std::optional<Poco::DateTime> parseRfc3339(const std::string& text) {
  // Poco's parser is lenient (it accepts "yesterday"), so check the shape first.
  static const std::regex kShape(R"(^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d{1,9})?([Zz]|[+-]\d{2}:\d{2})$)");
  if (!std::regex_match(text, kShape)) return std::nullopt;
  Poco::DateTime parsed;
  int tzd = 0;
  if (!Poco::DateTimeParser::tryParse(Poco::DateTimeFormat::ISO8601_FRAC_FORMAT, text, parsed, tzd)) {
    return std::nullopt;
  }
  parsed.makeUTC(tzd);
  return parsed;
}

std::string formatRfc3339(const Poco::DateTime& time) {
  if (time.millisecond() == 0 && time.microsecond() == 0) {
    return Poco::DateTimeFormatter::format(time, "%Y-%m-%dT%H:%M:%SZ");
  }
  return Poco::DateTimeFormatter::format(time, "%Y-%m-%dT%H:%M:%S.%FZ");
}

}  // namespace podmon::store
