#include "notify/storm_detector.h"

#include <algorithm>

namespace podmon::notify {

StormDetector::StormDetector(std::size_t threshold, std::chrono::milliseconds window)
    : threshold_(threshold), window_(window) {}

void StormDetector::seen(const std::string& channel, const std::string& containerKey,
                         std::chrono::steady_clock::time_point now) {
  expire(now);
  auto& sightings = byChannel_[channel];
  // One entry per container, at its newest crash; bounded whatever the storm's size.
  const auto known = std::find_if(sightings.begin(), sightings.end(),
                                  [&](const Sighting& s) { return s.containerKey == containerKey; });
  if (known != sightings.end()) sightings.erase(known);
  sightings.push_back(Sighting{now, containerKey});
  while (sightings.size() > std::max<std::size_t>(threshold_, 2)) sightings.pop_front();
  if (stormy(channel, now)) lastStorm_[channel] = now;
}

bool StormDetector::stormyWithin(const std::string& channel, std::chrono::steady_clock::time_point now,
                                 std::chrono::milliseconds within) const {
  if (stormy(channel, now)) return true;
  const auto it = lastStorm_.find(channel);
  return it != lastStorm_.end() && now - it->second <= within;
}

std::size_t StormDetector::containers(const std::string& channel, std::chrono::steady_clock::time_point now) const {
  const auto it = byChannel_.find(channel);
  if (it == byChannel_.end()) return 0;
  return static_cast<std::size_t>(
      std::count_if(it->second.begin(), it->second.end(), [&](const Sighting& s) { return now - s.at < window_; }));
}

bool StormDetector::stormy(const std::string& channel, std::chrono::steady_clock::time_point now) const {
  return threshold_ > 0 && containers(channel, now) >= threshold_;
}

bool StormDetector::busy(const std::string& channel, std::chrono::steady_clock::time_point now) const {
  return threshold_ > 0 && containers(channel, now) >= 2;
}

void StormDetector::expire(std::chrono::steady_clock::time_point now) {
  for (auto it = lastStorm_.begin(); it != lastStorm_.end();) {
    it = now - it->second > std::chrono::hours(1) ? lastStorm_.erase(it) : std::next(it);
  }
  for (auto it = byChannel_.begin(); it != byChannel_.end();) {
    auto& sightings = it->second;
    while (!sightings.empty() && now - sightings.front().at >= window_) sightings.pop_front();
    it = sightings.empty() ? byChannel_.erase(it) : std::next(it);
  }
}

}  // namespace podmon::notify
