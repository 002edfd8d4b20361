#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <random>

#include "core/backoff.h"
#include "core/clock.h"
#include "core/worker_thread.h"
#include "store/retention_store.h"

namespace podmon::pipeline {

struct PruneWorkerOptions {
  store::RetentionPeriods periods;                                // CRASH_RETENTION, OUTBOX_RETENTION, ALERT_COOLDOWN
  std::chrono::milliseconds interval{std::chrono::hours(1)};      // between prunes
  std::chrono::milliseconds firstDelay{std::chrono::minutes(2)};  // after a term starts: let the sync go first
  double jitter = 0.2;  // each wait stretched or shrunk by up to this fraction, so replicas spread out
  BackoffParams storeBackoff{std::chrono::seconds(10), std::chrono::minutes(10), 2.0, 1.0, std::chrono::hours(2)};
};

// The leader's housekeeping: about once an hour deletes what is past its retention (crashes after
// CRASH_RETENTION with what hangs off them, delivered outbox rows after OUTBOX_RETENTION, alert
// state of quiet containers) through store::RetentionStore, and logs what went. Started and
// stopped with the leader's term like the outbox workers; a stop ends a prune between batches.
class PruneWorker {
 public:
  PruneWorker(store::RetentionStore::Ptr store, PruneWorkerOptions options, Clock::Ptr clock = SystemClock::instance());
  ~PruneWorker();

  void start();
  void stop();

  // One prune at the clock's now; returns what went. Throws StoreException. (The thread calls it;
  // tests may call it directly.)
  store::PruneCounts runOnce();
  std::uint64_t rowsPruned() const { return rowsPruned_.load(); }

  // `interval` stretched by (2 * random01 - 1) * jitter, random01 in [0, 1) (pure).
  static std::chrono::milliseconds jittered(std::chrono::milliseconds interval, double jitter, double random01);

 private:
  void run();
  std::chrono::milliseconds nextWait(std::chrono::milliseconds interval);

  store::RetentionStore::Ptr store_;
  PruneWorkerOptions options_;
  Clock::Ptr clock_;
  Backoff storeBackoff_;
  std::mt19937 rng_{std::random_device{}()};  // the jitter (worker thread only)
  std::atomic<std::uint64_t> rowsPruned_{0};
  WorkerThread thread_;
};

}  // namespace podmon::pipeline
