#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <random>
#include <string>

#include "aws/aws_credentials.h"
#include "aws/credentials_source.h"
#include "core/backoff.h"
#include "core/clock.h"

namespace podmon::aws {

// Temporary credentials, kept and refreshed before they expire, as the AWS SDKs do: a refresh
// is due `refreshBefore` (plus a random jitter, so several podmon replicas do not ask at once)
// before the Expiration, or at half the lifetime for short-lived ones. A failed refresh while the
// kept credentials are still valid keeps them and tries again after a jittered backoff; once they
// have expired, credentials() throws CredentialsError naming the source and the cause, and asks
// the source again only after the backoff. Thread-safe: callers that find a refresh under way
// take the still-valid credentials, or wait for it when none are valid; one refresh at a time.
class RefreshingCredentialsProvider : public CredentialsProvider {
 public:
  struct Options {
    std::chrono::seconds refreshBefore{300};
    std::chrono::seconds maxJitter{60};
    BackoffParams backoff{std::chrono::milliseconds(1000), std::chrono::milliseconds(60000), 2.0, 1.0,
                          std::chrono::milliseconds(0)};
    std::uint32_t seed = std::random_device{}();
  };

  RefreshingCredentialsProvider(CredentialsSource::Ptr source, Clock::Ptr clock);
  RefreshingCredentialsProvider(CredentialsSource::Ptr source, Clock::Ptr clock, Options options);

  AwsCredentials credentials() override;
  void invalidate() override;
  std::string describe() const override;

 private:
  // Under stateMutex_: the kept credentials are there and not yet expired at `now`.
  bool validLocked(std::chrono::system_clock::time_point now) const;
  // Under stateMutex_: credentials to return without a refresh, if any; throws while backing off
  // with none valid.
  std::optional<AwsCredentials> withoutRefreshLocked(bool refreshUnderWay);
  // Holding refreshMutex_: asks the source and keeps the answer.
  AwsCredentials refresh();
  // Under stateMutex_: the time the refresh of `fresh` is due.
  std::chrono::system_clock::time_point refreshTimeLocked(const AwsCredentials& fresh,
                                                          std::chrono::system_clock::time_point now);

  CredentialsSource::Ptr source_;
  Clock::Ptr clock_;
  Options options_;
  std::mutex refreshMutex_;  // one refresh at a time
  mutable std::mutex stateMutex_;
  std::optional<AwsCredentials> current_;
  std::chrono::system_clock::time_point refreshAt_{};
  std::chrono::steady_clock::time_point retryAt_{};  // after a failed refresh
  std::string lastError_;
  Backoff backoff_;
  std::mt19937 rng_;
};

}  // namespace podmon::aws
