#pragma once

#include <chrono>
#include <map>
#include <string>

namespace podmon::notify {

// Slack allows about one message per second per channel (short bursts tolerated). The pacer says
// how long to wait before the next post to a channel; pure, the caller sleeps and tells it when it
// posted. Not thread-safe (the Slack worker is one thread).
class ChannelPacer {
 public:
  explicit ChannelPacer(std::chrono::milliseconds minInterval = std::chrono::seconds(1));

  std::chrono::milliseconds delayFor(const std::string& channel, std::chrono::steady_clock::time_point now) const;
  void posted(const std::string& channel, std::chrono::steady_clock::time_point now);

 private:
  std::chrono::milliseconds minInterval_;
  std::map<std::string, std::chrono::steady_clock::time_point> lastPost_;
};

}  // namespace podmon::notify
