#include "status/namespace_series_cap.h"

namespace podmon::status {

NamespaceSeriesCap::NamespaceSeriesCap(std::size_t capacity, std::size_t tracked)
    : capacity_(capacity), tracked_(tracked < capacity ? capacity : tracked) {}

NamespaceSeriesCap::Decision NamespaceSeriesCap::count(const std::string& namespace_) {
  auto it = counts_.find(namespace_);
  if (it == counts_.end()) {
    if (counts_.size() >= tracked_) return {kOther, std::nullopt};
    it = counts_.emplace(namespace_, 0).first;
  }
  const std::uint64_t n = ++it->second;
  if (admitted_.count(namespace_)) return {namespace_, std::nullopt};
  if (admitted_.size() < capacity_) {
    admitted_.insert(namespace_);
    return {namespace_, std::nullopt};
  }
  if (capacity_ == 0 || n < kMinCountToPromote) return {kOther, std::nullopt};
  // The least busy admitted namespace (the first by name among equals, so the choice is stable).
  const std::string* quietest = nullptr;
  std::uint64_t least = 0;
  for (const auto& name : admitted_) {
    const std::uint64_t c = counts_[name];
    if (!quietest || c < least) {
      quietest = &name;
      least = c;
    }
  }
  if (n < 2 * least) return {kOther, std::nullopt};
  std::string evicted = *quietest;
  admitted_.erase(evicted);
  admitted_.insert(namespace_);
  return {namespace_, evicted};
}

}  // namespace podmon::status
