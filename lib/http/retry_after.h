#pragma once

#include <chrono>
#include <optional>
#include <string>

namespace podmon::http {

// The longest wait a server's Retry-After can impose: a hostile or broken answer ("86400") must not
// park deliveries for a day.
inline constexpr std::chrono::milliseconds kMaxRetryAfter{15 * 60 * 1000};

// The delay of a Retry-After header value given in seconds ("30", " 5 "), at most kMaxRetryAfter;
// nullopt for anything else (an HTTP date, a negative or unreadable number): the caller then uses
// its own backoff.
std::optional<std::chrono::milliseconds> parseRetryAfter(const std::string& value);

}  // namespace podmon::http
