#include "ha/leader_elector.h"

#include <spdlog/spdlog.h>

#include "core/errors.h"
#include "core/rfc3339.h"

namespace podmon::ha {

void LeaderElectionOptions::validate() const {
  if (identity.empty()) throw ConfigException("leader election needs an identity: set POD_NAME");
  if (leaseDuration <= renewDeadline)
    throw ConfigException("leader election: the lease duration must exceed the renew deadline");
  if (renewDeadline.count() <= retryPeriod.count() * 1.2)
    throw ConfigException("leader election: the renew deadline must exceed 1.2 x the retry period");
}

LeaderElector::LeaderElector(kube::LeaseClient::Ptr client, LeaderElectionOptions options, Clock::Ptr clock,
                             ChangeCallback onChange)
    : client_(std::move(client)),
      options_(std::move(options)),
      clock_(std::move(clock)),
      onChange_(std::move(onChange)),
      worker_(clock_) {}

LeaderElector::~LeaderElector() { stop(); }

std::string LeaderElector::microTime(std::chrono::system_clock::time_point t) { return formatRfc3339Micros(t); }

void LeaderElector::observe(const kube::LeaseRecord& record, std::chrono::steady_clock::time_point now) {
  std::lock_guard lock(recordMutex_);
  observed_ = record;
  observedTime_ = now;
}

std::string LeaderElector::observedHolder() const {
  std::lock_guard lock(recordMutex_);
  return observed_ ? observed_->holderIdentity : "";
}

std::optional<kube::LeaseRecord> LeaderElector::observedRecord() const {
  std::lock_guard lock(recordMutex_);
  return observed_;
}

bool LeaderElector::renewOwnRecord(const std::optional<kube::LeaseRecord>& cached, const std::string& stamp,
                                   int durationSeconds, std::chrono::steady_clock::time_point now) {
  if (!leading_ || !cached || cached->holderIdentity != options_.identity) return false;
  kube::LeaseRecord renewed = *cached;
  renewed.renewTime = stamp;
  renewed.leaseDurationSeconds = durationSeconds;
  if (!client_->update(renewed)) return false;
  observe(renewed, now);
  return true;
}

std::chrono::steady_clock::time_point LeaderElector::noteRead(const std::optional<kube::LeaseRecord>& cached,
                                                              const kube::LeaseRecord& current,
                                                              std::chrono::steady_clock::time_point now) {
  if (!cached || !cached->sameSpec(current)) {
    observe(current, now);
  } else {
    std::lock_guard lock(recordMutex_);
    observed_->resourceVersion = current.resourceVersion;
  }
  std::lock_guard lock(recordMutex_);
  return observedTime_;
}

LeaderElector::Round LeaderElector::takeOver(const kube::LeaseRecord& current, const std::string& stamp,
                                             int durationSeconds, std::chrono::steady_clock::time_point now) {
  const bool mine = current.holderIdentity == options_.identity;
  kube::LeaseRecord next = current;
  next.holderIdentity = options_.identity;
  next.leaseDurationSeconds = durationSeconds;
  next.renewTime = stamp;
  if (!mine) {
    next.acquireTime = stamp;
    next.leaseTransitions = current.leaseTransitions + 1;
  }
  if (!client_->update(next)) return Round::kFailed;
  observe(next, now);
  return Round::kLeader;
}

LeaderElector::Round LeaderElector::tryAcquireOrRenew() {
  const auto now = clock_->steadyNow();
  const std::string stamp = microTime(clock_->now());
  const int durationSeconds =
      static_cast<int>(std::chrono::duration_cast<std::chrono::seconds>(options_.leaseDuration).count());
  const std::optional<kube::LeaseRecord> cached = observedRecord();

  // 1. A leader with a record it wrote itself renews without reading first.
  if (renewOwnRecord(cached, stamp, durationSeconds, now)) return Round::kLeader;

  // 2. Read; create when missing.
  auto current = client_->get();
  reachable_ = true;
  if (!current) {
    kube::LeaseRecord mine{options_.identity, durationSeconds, stamp, stamp, 0, ""};
    if (!client_->create(mine)) return Round::kFailed;
    observe(mine, now);
    return Round::kLeader;
  }

  // 3. Expiry counts from when this instance saw the record change.
  const auto since = noteRead(cached, *current, now);
  const bool mine = current->holderIdentity == options_.identity;
  if (!current->holderIdentity.empty() && !mine && since + std::chrono::seconds(current->leaseDurationSeconds) > now) {
    return Round::kHeldByOther;
  }

  // 4. Take over (or renew from the read record).
  return takeOver(*current, stamp, durationSeconds, now);
}

std::chrono::milliseconds LeaderElector::tick() {
  const auto now = clock_->steadyNow();
  Round round = Round::kFailed;
  try {
    round = tryAcquireOrRenew();
  } catch (const PodmonException& e) {
    reachable_ = false;
    if (now - lastErrorLog_ >= std::chrono::seconds(30) || leading_) {
      lastErrorLog_ = now;
      spdlog::warn("leader election: {}", e.message());
    }
  }
  if (round == Round::kLeader) {
    lastRenew_ = now;
    if (!leading_) {
      spdlog::info("leader election: {} is now the leader ({})", options_.identity, client_->describe());
      setLeading(true);
    }
  } else if (leading_) {
    if (round == Round::kHeldByOther) {
      spdlog::warn("leader election: {} took the lease: standing down", observedHolder());
      setLeading(false);
    } else if (now - lastRenew_ >= options_.renewDeadline) {
      spdlog::error("leader election: could not renew the lease for {} ms: standing down",
                    options_.renewDeadline.count());
      setLeading(false);
    }
  }
  if (leading_) return options_.retryPeriod;
  std::uniform_real_distribution<double> spread(0.0, options_.jitter);
  auto delay = std::chrono::milliseconds(static_cast<long long>(options_.retryPeriod.count() * (1.0 + spread(rng_))));
  if (round == Round::kHeldByOther) {
    // Try again right when the holder's record would expire, not up to a jittered period later:
    // a dead leader is replaced within the lease duration plus one observation delay.
    std::lock_guard lock(recordMutex_);
    auto expiry = observedTime_ + std::chrono::seconds(observed_ ? observed_->leaseDurationSeconds : 0);
    auto untilExpiry = std::chrono::ceil<std::chrono::milliseconds>(expiry - now) + std::chrono::milliseconds(1);
    if (untilExpiry > std::chrono::milliseconds(0) && untilExpiry < delay) delay = untilExpiry;
  }
  return delay;
}

void LeaderElector::setLeading(bool leading) {
  leading_ = leading;
  if (leading) gained_.fetch_add(1);
  if (onChange_) onChange_(leading);
}

bool LeaderElector::release() {
  const std::optional<kube::LeaseRecord> cached = observedRecord();
  if (!cached || cached->holderIdentity != options_.identity) return false;
  if (leading_) setLeading(false);
  kube::LeaseRecord released = *cached;
  released.holderIdentity = "";
  released.leaseDurationSeconds = 1;
  released.renewTime = microTime(clock_->now());
  try {
    if (!client_->update(released)) return false;
  } catch (const PodmonException& e) {
    spdlog::warn("leader election: releasing the lease failed: {}", e.message());
    return false;
  }
  observe(released, clock_->steadyNow());
  spdlog::info("leader election: released the lease");
  return true;
}

void LeaderElector::start() {
  worker_.startLoop([this] { return tick(); });
}

void LeaderElector::stop() {
  if (worker_.stop()) release();
}

}  // namespace podmon::ha
