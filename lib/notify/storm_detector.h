#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <string>

namespace podmon::notify {

// Tells when alerts for one channel pile up beyond what Slack takes (about one message a second
// per channel): a channel is in a storm while crashes of at least `threshold` different containers
// (notify::alertKey: one crash-looping container is one, however fast it restarts) were handed to
// the deliverer for it within `window`; it is busy with two.
// The deliverer tells it about a whole batch before deciding any of it, so the first batch of a
// storm is grouped already. Pure (times are passed in), in memory only: after a restart the next
// batch tells again. Not thread-safe (the Slack worker is one thread).
class StormDetector {
 public:
  StormDetector(std::size_t threshold, std::chrono::milliseconds window);

  // A crash of container `containerKey` for `channel`, seen at `now`.
  void seen(const std::string& channel, const std::string& containerKey, std::chrono::steady_clock::time_point now);
  bool stormy(const std::string& channel, std::chrono::steady_clock::time_point now) const;
  // Stormy now, or at some time within `within` before `now` (as far as seen() was told).
  bool stormyWithin(const std::string& channel, std::chrono::steady_clock::time_point now,
                    std::chrono::milliseconds within) const;
  // At least two containers: a crash held back for a follow-up may have to join a storm soon.
  bool busy(const std::string& channel, std::chrono::steady_clock::time_point now) const;

 private:
  struct Sighting {
    std::chrono::steady_clock::time_point at;
    std::string containerKey;
  };
  void expire(std::chrono::steady_clock::time_point now);
  std::size_t containers(const std::string& channel, std::chrono::steady_clock::time_point now) const;

  std::size_t threshold_;
  std::chrono::milliseconds window_;
  std::map<std::string, std::deque<Sighting>> byChannel_;
  std::map<std::string, std::chrono::steady_clock::time_point> lastStorm_;  // by channel
};

}  // namespace podmon::notify
