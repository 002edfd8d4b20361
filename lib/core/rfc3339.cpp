#include "core/rfc3339.h"

#include <Poco/DateTime.h>
#include <Poco/DateTimeFormat.h>
#include <Poco/DateTimeFormatter.h>
#include <Poco/DateTimeParser.h>
#include <Poco/Timestamp.h>

#include <regex>

namespace podmon {
namespace {

Poco::Timestamp toTimestamp(std::chrono::system_clock::time_point t) {
  const auto micros = std::chrono::duration_cast<std::chrono::microseconds>(t.time_since_epoch()).count();
  return Poco::Timestamp(static_cast<Poco::Timestamp::TimeVal>(micros));
}

}  // namespace

std::optional<std::chrono::system_clock::time_point> parseRfc3339(const std::string& text) {
  // Poco's parser is lenient (it accepts "yesterday"), so check the shape first.
  static const std::regex kShape(R"(^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d{1,9})?([Zz]|[+-]\d{2}:\d{2})$)");
  if (!std::regex_match(text, kShape)) return std::nullopt;
  Poco::DateTime parsed;
  int tzd = 0;
  if (!Poco::DateTimeParser::tryParse(Poco::DateTimeFormat::ISO8601_FRAC_FORMAT, text, parsed, tzd)) {
    return std::nullopt;
  }
  parsed.makeUTC(tzd);
  return std::chrono::system_clock::time_point(std::chrono::duration_cast<std::chrono::system_clock::duration>(
      std::chrono::microseconds(parsed.timestamp().epochMicroseconds())));
}

std::string formatRfc3339(std::chrono::system_clock::time_point t) {
  const Poco::DateTime time(toTimestamp(t));
  if (time.millisecond() == 0 && time.microsecond() == 0) return formatRfc3339Seconds(t);
  return formatRfc3339Micros(t);
}

std::string formatRfc3339Micros(std::chrono::system_clock::time_point t) {
  return Poco::DateTimeFormatter::format(toTimestamp(t), "%Y-%m-%dT%H:%M:%S.%FZ");
}

std::string formatRfc3339Seconds(std::chrono::system_clock::time_point t) {
  return Poco::DateTimeFormatter::format(toTimestamp(t), "%Y-%m-%dT%H:%M:%SZ");
}

}  // namespace podmon
