#pragma once

#include <chrono>
#include <string>

#include "store/crash_record.h"

// Where a crash document goes. A retried document must land in the index it went to the first
// time, so the date comes from the crash itself (finishedAt, else detection time), never from
// the time of delivery, and always in UTC.
namespace podmon::index {

// The instant a crash is filed under: finishedAt when it parses as RFC 3339, else detectedAt,
// else `fallback` (e.g. when the outbox row was created).
std::chrono::system_clock::time_point crashTime(const crash::CrashEvent& event,
                                                std::chrono::system_clock::time_point fallback);

// prefix + "YYYY.MM.DD" of `time` in UTC.
std::string dailyIndexName(const std::string& prefix, std::chrono::system_clock::time_point time);

// "" when `prefix` can start index names, else why not (Elasticsearch index name rules:
// lowercase, none of \ / * ? " < > | , # : or space, not starting with - _ +, short enough).
std::string indexPrefixProblem(const std::string& prefix);

// Epoch milliseconds.
long long epochMillis(std::chrono::system_clock::time_point time);

}  // namespace podmon::index
