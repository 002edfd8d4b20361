#include "core/backoff.h"

#include <algorithm>

namespace podmon {

Backoff::Backoff(Params params, uint32_t seed) : params_(params), rng_(seed) {}

std::chrono::milliseconds Backoff::nextDelay(std::chrono::steady_clock::time_point now) {
  if (current_.count() > 0 && now - lastFailure_ >= params_.resetAfter) current_ = std::chrono::milliseconds(0);
  if (current_.count() == 0) {
    current_ = params_.initial;
  } else {
    auto doubled =
        std::chrono::milliseconds(static_cast<long long>(static_cast<double>(current_.count()) * params_.factor));
    current_ = std::min(doubled, params_.max);
  }
  lastFailure_ = now;
  double stretch = 1.0;
  if (params_.jitter > 0) stretch += std::uniform_real_distribution<double>(0.0, params_.jitter)(rng_);
  return std::chrono::milliseconds(static_cast<long long>(static_cast<double>(current_.count()) * stretch));
}

}  // namespace podmon
