#include "crash/termination_state_text.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>

#include "core/rfc3339.h"

namespace podmon::crash {

namespace {

constexpr const char* kGoZeroTime = "0001-01-01 00:00:00 +0000 UTC";

// Years a system_clock time (nanoseconds in 64 bits) holds, with a day to spare for offsets.
bool yearInClockRange(const std::string& rfc3339) {
  if (rfc3339.size() < 4) return false;
  int year = 0;
  for (std::size_t i = 0; i < 4; ++i) {
    if (rfc3339[i] < '0' || rfc3339[i] > '9') return false;
    year = year * 10 + (rfc3339[i] - '0');
  }
  return year >= 1678 && year <= 2261;
}

}  // namespace

std::string goTimeText(const std::string& rfc3339) {
  // Outside the clock's years (Go's zero time "0001-01-01T00:00:00Z" among them): the zero time.
  const auto parsed = yearInClockRange(rfc3339) ? parseRfc3339(rfc3339) : std::nullopt;
  if (!parsed) return kGoZeroTime;
  using namespace std::chrono;
  const auto seconds = floor<std::chrono::seconds>(*parsed);
  const auto micros = duration_cast<microseconds>(*parsed - seconds).count();
  const std::time_t whole = system_clock::to_time_t(seconds);
  std::tm utc{};
  if (gmtime_r(&whole, &utc) == nullptr) return kGoZeroTime;
  char text[64];
  std::snprintf(text, sizeof text, "%04d-%02d-%02d %02d:%02d:%02d", utc.tm_year + 1900, utc.tm_mon + 1, utc.tm_mday,
                utc.tm_hour, utc.tm_min, utc.tm_sec);
  std::string out = text;
  if (micros > 0) {
    // Go's ".999999999": the fraction without its trailing zeros.
    std::string digits = std::to_string(micros);
    digits = "." + std::string(6 - std::min<std::size_t>(6, digits.size()), '0') + digits;
    digits.erase(digits.find_last_not_of('0') + 1);
    out += digits;
  }
  return out + " +0000 UTC";
}

std::string terminationStateText(const kube::ContainerState& state) {
  if (!state.terminated()) return std::string(kTerminationNotAvailable);
  std::string out = "&ContainerStateTerminated{ExitCode:";
  out += std::to_string(state.exitCode.value_or(0));
  out += ",Signal:" + std::to_string(state.signal.value_or(0));
  out += ",Reason:" + state.reason;
  out += ",Message:" + state.message;
  out += ",StartedAt:" + goTimeText(state.startedAt);
  out += ",FinishedAt:" + goTimeText(state.finishedAt);
  out += ",ContainerID:" + state.containerId;
  out += ",}";
  return out;
}

}  // namespace podmon::crash
