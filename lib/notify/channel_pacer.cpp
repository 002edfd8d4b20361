#include "notify/channel_pacer.h"

namespace podmon::notify {

ChannelPacer::ChannelPacer(std::chrono::milliseconds minInterval) : minInterval_(minInterval) {}

std::chrono::milliseconds ChannelPacer::delayFor(const std::string& channel,
                                                 std::chrono::steady_clock::time_point now) const {
  const auto it = lastPost_.find(channel);
  if (it == lastPost_.end()) return std::chrono::milliseconds::zero();
  const auto ready = it->second + minInterval_;
  if (now >= ready) return std::chrono::milliseconds::zero();
  return std::chrono::ceil<std::chrono::milliseconds>(ready - now);
}

void ChannelPacer::posted(const std::string& channel, std::chrono::steady_clock::time_point now) {
  // Entries older than the interval no longer matter; drop them so the map stays small.
  for (auto it = lastPost_.begin(); it != lastPost_.end();) {
    it = now - it->second > minInterval_ ? lastPost_.erase(it) : std::next(it);
  }
  lastPost_[channel] = now;
}

}  // namespace podmon::notify
