#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <mutex>
#include <optional>
#include <random>
#include <string>

#include "core/clock.h"
#include "core/worker_thread.h"
#include "kube/lease_client.h"

namespace podmon::ha {

struct LeaderElectionOptions {
  std::string identity;  // POD_NAME or the host name
  std::chrono::milliseconds leaseDuration{15000};
  std::chrono::milliseconds renewDeadline{10000};
  std::chrono::milliseconds retryPeriod{2000};
  double jitter = 1.2;  // candidates wait retryPeriod * (1 + U[0, jitter)), as client-go

  // Throws ConfigException unless leaseDuration > renewDeadline > 1.2 * retryPeriod.
  void validate() const;
};

// Leader election on a Lease with client-go's semantics, so podmon replicas can run beside
// client-go based tools. A standby takes over once the holder's record has not changed for a
// lease duration, measured on the local steady clock from when it saw the record change (never by
// comparing renewTime with local time, so clock skew between nodes does not matter). The leader
// renews every retry period and gives up leadership when it could not renew for the renew
// deadline, before anyone else may take over. stop() releases the lease (empty holder,
// leaseDurationSeconds 1) so a standby takes over at once.
class LeaderElector {
 public:
  enum class Round { kLeader, kHeldByOther, kFailed };
  using ChangeCallback = std::function<void(bool leading)>;

  LeaderElector(kube::LeaseClient::Ptr client, LeaderElectionOptions options,
                Clock::Ptr clock = SystemClock::instance(), ChangeCallback onChange = {});
  ~LeaderElector();

  // One tryAcquireOrRenew round plus the leadership bookkeeping; returns the delay before the
  // next round. The thread calls it; tests call it directly with a fake clock. Never throws.
  std::chrono::milliseconds tick();

  void start();
  // Stops the rounds and, when leading, releases the lease. Idempotent.
  void stop();
  // Releases the lease if this instance holds it. Returns true when released.
  bool release();

  bool isLeader() const { return leading_.load(); }
  // Whether the lease could be read lately (a standby that cannot is no use as one).
  bool leaseReachable() const { return reachable_.load(); }
  std::string observedHolder() const;
  uint64_t leadershipsGained() const { return gained_.load(); }
  const LeaderElectionOptions& options() const { return options_; }

  // The client-go tryAcquireOrRenew round (exposed for tests).
  Round tryAcquireOrRenew();
  // MicroTime: "2024-05-01T12:00:00.000000Z".
  static std::string microTime(std::chrono::system_clock::time_point t);

 private:
  void setLeading(bool leading);
  void observe(const kube::LeaseRecord& record, std::chrono::steady_clock::time_point now);
  std::optional<kube::LeaseRecord> observedRecord() const;
  // tryAcquireOrRenew's steps: renew a record this leader wrote (false when not leading or the
  // update failed); note a read record and return since when it is unchanged; write ours.
  bool renewOwnRecord(const std::optional<kube::LeaseRecord>& cached, const std::string& stamp, int durationSeconds,
                      std::chrono::steady_clock::time_point now);
  std::chrono::steady_clock::time_point noteRead(const std::optional<kube::LeaseRecord>& cached,
                                                 const kube::LeaseRecord& current,
                                                 std::chrono::steady_clock::time_point now);
  Round takeOver(const kube::LeaseRecord& current, const std::string& stamp, int durationSeconds,
                 std::chrono::steady_clock::time_point now);
  kube::LeaseClient::Ptr client_;
  LeaderElectionOptions options_;
  Clock::Ptr clock_;
  ChangeCallback onChange_;
  std::mt19937 rng_{std::random_device{}()};

  mutable std::mutex recordMutex_;  // guards observed_ (read by observedHolder())
  std::optional<kube::LeaseRecord> observed_;
  std::chrono::steady_clock::time_point observedTime_{};
  std::chrono::steady_clock::time_point lastRenew_{};
  std::chrono::steady_clock::time_point lastErrorLog_{};

  std::atomic<bool> leading_{false};
  std::atomic<bool> reachable_{false};
  std::atomic<uint64_t> gained_{0};

  WorkerThread worker_;
};

}  // namespace podmon::ha
