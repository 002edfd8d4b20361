#include "aws/refreshing_credentials_provider.h"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "core/rfc3339.h"

namespace podmon::aws {

RefreshingCredentialsProvider::RefreshingCredentialsProvider(CredentialsSource::Ptr source, Clock::Ptr clock)
    : RefreshingCredentialsProvider(std::move(source), std::move(clock), Options{}) {}

RefreshingCredentialsProvider::RefreshingCredentialsProvider(CredentialsSource::Ptr source, Clock::Ptr clock,
                                                             Options options)
    : source_(std::move(source)),
      clock_(std::move(clock)),
      options_(options),
      backoff_(options.backoff, options.seed),
      rng_(options.seed) {}

std::string RefreshingCredentialsProvider::describe() const { return source_->describe(); }

bool RefreshingCredentialsProvider::validLocked(std::chrono::system_clock::time_point now) const {
  return current_ && (!current_->expiration || now < *current_->expiration);
}

std::optional<AwsCredentials> RefreshingCredentialsProvider::withoutRefreshLocked(bool refreshUnderWay) {
  const auto now = clock_->now();
  if (current_ && now < refreshAt_) return current_;
  const bool valid = validLocked(now);
  if (valid && refreshUnderWay) return current_;
  const auto steadyNow = clock_->steadyNow();
  if (steadyNow < retryAt_) {
    if (valid) return current_;
    const auto wait = std::chrono::duration_cast<std::chrono::seconds>(retryAt_ - steadyNow).count() + 1;
    throw CredentialsError(lastError_ + " (next try in " + std::to_string(wait) + " s)");
  }
  return std::nullopt;
}

AwsCredentials RefreshingCredentialsProvider::credentials() {
  bool valid = false;
  {
    std::lock_guard lock(stateMutex_);
    if (auto kept = withoutRefreshLocked(false)) return *kept;
    valid = validLocked(clock_->now());
  }
  std::unique_lock refreshing(refreshMutex_, std::defer_lock);
  if (valid) {
    if (!refreshing.try_lock()) {
      std::lock_guard lock(stateMutex_);
      if (auto kept = withoutRefreshLocked(true)) return *kept;
      refreshing.lock();  // they expired meanwhile: wait for the refresh under way
    }
  } else {
    refreshing.lock();
  }
  {
    std::lock_guard lock(stateMutex_);  // another caller may have refreshed (or failed) meanwhile
    if (auto kept = withoutRefreshLocked(false)) return *kept;
  }
  return refresh();
}

AwsCredentials RefreshingCredentialsProvider::refresh() {
  try {
    AwsCredentials fresh = source_->fetch();
    std::lock_guard lock(stateMutex_);
    refreshAt_ = refreshTimeLocked(fresh, clock_->now());
    current_ = fresh;
    retryAt_ = {};
    lastError_.clear();
    backoff_.reset();
    spdlog::info("AWS credentials from {}: key id {}, valid until {}", source_->describe(), fresh.accessKeyId,
                 fresh.expiration ? formatRfc3339Seconds(*fresh.expiration) : std::string("-"));
    return fresh;
  } catch (const CredentialsError& e) {
    std::lock_guard lock(stateMutex_);
    lastError_ = e.what();
    retryAt_ = clock_->steadyNow() + backoff_.nextDelay(clock_->steadyNow());
    const auto now = clock_->now();
    if (validLocked(now)) {
      spdlog::warn("AWS credentials: refresh failed, the current ones stay in use until {}: {}",
                   formatRfc3339Seconds(*current_->expiration), lastError_);
      return *current_;
    }
    if (current_ && current_->expiration) {
      throw CredentialsError(lastError_ + " (the credentials it gave before expired at " +
                             formatRfc3339Seconds(*current_->expiration) + ")");
    }
    throw;
  }
}

std::chrono::system_clock::time_point RefreshingCredentialsProvider::refreshTimeLocked(
    const AwsCredentials& fresh, std::chrono::system_clock::time_point now) {
  if (!fresh.expiration) return std::chrono::system_clock::time_point::max();
  const auto lifetime = *fresh.expiration - now;
  if (lifetime <= std::chrono::system_clock::duration::zero()) {
    throw CredentialsError(source_->describe() + ": gave credentials that expired already at " +
                           formatRfc3339Seconds(*fresh.expiration) + " (is this machine's clock right?)");
  }
  std::uniform_int_distribution<long long> jitter(0, options_.maxJitter.count());
  const std::chrono::system_clock::duration before = options_.refreshBefore + std::chrono::seconds(jitter(rng_));
  return *fresh.expiration - std::min(before, lifetime / 2);
}

void RefreshingCredentialsProvider::invalidate() {
  std::lock_guard lock(stateMutex_);
  refreshAt_ = {};
  retryAt_ = {};
}

}  // namespace podmon::aws
