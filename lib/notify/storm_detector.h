#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <string>

namespace podmon::notify {

// Tells when alerts for one channel pile up beyond what Slack takes (about one message a second
// per channel): a channel is in a storm while at least `threshold` crashes for it were handed to
// the deliverer within `window` (each outbox item counted once, however often it comes back).
// The deliverer tells it about a whole batch before deciding any of it, so the first batch of a
// storm is grouped already. Pure (times are passed in), in memory only: after a restart the next
// batch tells again. Not thread-safe (the Slack worker is one thread).
class StormDetector {
 public:
  StormDetector(std::size_t threshold, std::chrono::milliseconds window);

  // Counts outbox item `outboxId` for `channel`, seen at `now`.
  void seen(const std::string& channel, std::int64_t outboxId, std::chrono::steady_clock::time_point now);
  bool stormy(const std::string& channel, std::chrono::steady_clock::time_point now) const;

 private:
  struct Sighting {
    std::chrono::steady_clock::time_point at;
    std::int64_t outboxId = 0;
  };
  void expire(std::chrono::steady_clock::time_point now);

  std::size_t threshold_;
  std::chrono::milliseconds window_;
  std::map<std::string, std::deque<Sighting>> byChannel_;
};

}  // namespace podmon::notify
