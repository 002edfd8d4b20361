#pragma once

#include <Poco/DateTime.h>

#include <chrono>
#include <optional>
#include <string>

// DATETIME(6) columns hold UTC wall time with microseconds; these convert between them, the
// clock's time points and Kubernetes' RFC 3339 strings.
namespace podmon::store {

Poco::DateTime toDbTime(std::chrono::system_clock::time_point time);
std::chrono::system_clock::time_point fromDbTime(const Poco::DateTime& time);

// core/rfc3339 on DATETIME values. nullopt for "" or text that is not RFC 3339.
std::optional<Poco::DateTime> parseRfc3339(const std::string& text);
// "2024-05-01T10:00:00Z", with ".ffffff" only when there is a fraction.
std::string formatRfc3339(const Poco::DateTime& time);

}  // namespace podmon::store
