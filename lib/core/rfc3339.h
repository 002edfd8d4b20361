#pragma once

#include <chrono>
#include <optional>
#include <string>

// RFC 3339 times, the form Kubernetes (and our JSON) uses, in one place: parsed strictly, with an
// optional fraction and a "Z" or "+hh:mm" offset; formatted in UTC with the fraction the caller needs.
namespace podmon {

// nullopt for "" or text that is not RFC 3339 ("2024-05-01T10:00:00Z", "...T12:00:00.5+02:00").
// Precision is microseconds (more fractional digits are dropped). Never throws.
std::optional<std::chrono::system_clock::time_point> parseRfc3339(const std::string& text);

// "2024-05-01T10:00:00Z", with ".ffffff" only when there is a fraction.
std::string formatRfc3339(std::chrono::system_clock::time_point t);
// Kubernetes' MicroTime: always six fractional digits, "2024-05-01T10:00:00.000000Z".
std::string formatRfc3339Micros(std::chrono::system_clock::time_point t);
// Whole seconds (the fraction is cut off), "2024-05-01T10:00:00Z", as the API server writes.
std::string formatRfc3339Seconds(std::chrono::system_clock::time_point t);

}  // namespace podmon
