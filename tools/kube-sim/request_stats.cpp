#include "request_stats.h"

namespace podmon::kubesim {

void RequestStats::count(const std::string& kind) {
  std::lock_guard lock(mu_);
  ++counts_[kind];
}

std::map<std::string, uint64_t> RequestStats::counts() const {
  std::lock_guard lock(mu_);
  return counts_;
}

uint64_t RequestStats::total() const {
  std::lock_guard lock(mu_);
  uint64_t sum = 0;
  for (const auto& [k, v] : counts_) sum += v;
  return sum;
}

}  // namespace podmon::kubesim
