#pragma once

#include <chrono>
#include <optional>
#include <string>

namespace podmon::http {

// The delay of a Retry-After header value given in seconds ("30", " 5 "); nullopt for anything
// else (an HTTP date, a negative or unreadable number): the caller then uses its own backoff.
std::optional<std::chrono::milliseconds> parseRetryAfter(const std::string& value);

}  // namespace podmon::http
