#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

namespace podmon {

// Decides when a failure that repeats (a 410 storm, malformed watch lines) may be logged again,
// so a loop that fails a thousand times a second writes one line per window with a count instead
// of a thousand lines. Pure: the caller supplies the time and writes the line.
class RateLimitedLog {
 public:
  explicit RateLimitedLog(std::chrono::milliseconds window = std::chrono::seconds(10)) : window_(window) {}

  // Counts one occurrence at `now`. Returns the text to append to the log line when a line is due
  // (the first occurrence, then the first one a window or more after the last line): "" for a
  // lone occurrence, " (N times in the last Ws)" when N occurrences, this one included, happened
  // since the last line, W seconds ago. Returns nullopt when the line is to be left out. Never throws
  // (beyond std::bad_alloc).
  std::optional<std::string> record(std::chrono::steady_clock::time_point now);
  // Occurrences counted since the last line (left out of the log so far).
  uint64_t suppressed() const { return suppressed_; }

 private:
  std::chrono::milliseconds window_;
  bool logged_ = false;
  std::chrono::steady_clock::time_point lastLine_{};
  uint64_t suppressed_ = 0;
};

}  // namespace podmon
