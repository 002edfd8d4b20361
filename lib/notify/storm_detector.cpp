#include "notify/storm_detector.h"

#include <algorithm>

namespace podmon::notify {

StormDetector::StormDetector(std::size_t threshold, std::chrono::milliseconds window)
    : threshold_(threshold), window_(window) {}

void StormDetector::seen(const std::string& channel, std::int64_t outboxId, std::chrono::steady_clock::time_point now) {
  expire(now);
  auto& sightings = byChannel_[channel];
  const bool known = std::any_of(sightings.begin(), sightings.end(),
                                 [&](const Sighting& s) { return outboxId != 0 && s.outboxId == outboxId; });
  if (!known) sightings.push_back(Sighting{now, outboxId});
  // Only the newest `threshold` matter: the deque stays bounded in a storm of any size.
  while (sightings.size() > threshold_ + 64) sightings.pop_front();
}

bool StormDetector::stormy(const std::string& channel, std::chrono::steady_clock::time_point now) const {
  if (threshold_ == 0) return false;
  const auto it = byChannel_.find(channel);
  if (it == byChannel_.end()) return false;
  const auto recent =
      std::count_if(it->second.begin(), it->second.end(), [&](const Sighting& s) { return now - s.at < window_; });
  return static_cast<std::size_t>(recent) >= threshold_;
}

void StormDetector::expire(std::chrono::steady_clock::time_point now) {
  for (auto it = byChannel_.begin(); it != byChannel_.end();) {
    auto& sightings = it->second;
    while (!sightings.empty() && now - sightings.front().at >= window_) sightings.pop_front();
    it = sightings.empty() ? byChannel_.erase(it) : std::next(it);
  }
}

}  // namespace podmon::notify
