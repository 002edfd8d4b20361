#include "core/rate_limited_log.h"

namespace podmon {

std::optional<std::string> RateLimitedLog::record(std::chrono::steady_clock::time_point now) {
  if (logged_ && now - lastLine_ < window_) {
    ++suppressed_;
    return std::nullopt;
  }
  const uint64_t count = suppressed_ + 1;
  const auto since = std::chrono::duration_cast<std::chrono::seconds>(now - lastLine_).count();
  const bool first = !logged_;
  logged_ = true;
  lastLine_ = now;
  suppressed_ = 0;
  if (first || count == 1) return std::string();
  return " (" + std::to_string(count) + " times in the last " + std::to_string(since) + "s)";
}

}  // namespace podmon
