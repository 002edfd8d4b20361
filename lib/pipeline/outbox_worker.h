#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "core/backoff.h"
#include "core/clock.h"
#include "core/worker_thread.h"
#include "delivery/outbox_deliverer.h"
#include "store/outbox.h"

namespace podmon::pipeline {

// Told about every outcome once the outbox holds it (for metrics). Runs on the worker's thread.
using DeliveryObserver = std::function<void(const store::OutboxItem&, const delivery::DeliveryOutcome&)>;

struct OutboxWorkerOptions {
  std::chrono::milliseconds pollInterval{1000};  // how often to look for due items when idle
  std::chrono::seconds lease{120};               // claimed items are not handed out again before this
  std::chrono::milliseconds retryBase{2000};     // first retry delay of an item; doubles per attempt
  std::chrono::milliseconds retryMax{300000};    // cap (5 minutes): an outage of hours loses nothing
  double retryJitter = 0.5;      // each backoff delay stretched by a random factor in [1, 1 + retryJitter)
  BackoffParams storeBackoff{};  // when MySQL itself fails
  // Claim and load the next batch while the current one is being delivered (Elasticsearch: the
  // bulk request and the database round trips overlap instead of taking turns).
  bool overlapClaims = false;
};

// Drains one sink's outbox: claims due items, hands them to the deliverer, and records each
// outcome (delivered, failed with its next attempt time, or dead). Nothing is deleted or skipped:
// an item leaves the pending state only as delivered or dead.
class OutboxWorker {
 public:
  OutboxWorker(store::Outbox::Ptr store, delivery::OutboxDeliverer::Ptr deliverer, OutboxWorkerOptions options = {},
               Clock::Ptr clock = SystemClock::instance());
  ~OutboxWorker();

  void start();
  void stop();
  // New items were written: look now instead of at the next poll.
  void wake();
  // Set before start().
  void setObserver(DeliveryObserver observer) { observer_ = std::move(observer); }

  // Runs one claim-deliver-mark round; returns how many items it handled. (The thread calls it;
  // tests may call it directly without start().)
  std::size_t runOnce();
  // Like runOnce, and with overlapClaims it also starts claiming the next batch before delivering
  // this one; that batch is the next call's. Holds at most one such batch, which stop() gives
  // back to the outbox (Outbox::releaseClaim) when the worker ends before delivering it, and which
  // is given back at once when a whole batch failed (the sink is probably down).
  std::size_t runOverlapped();

  uint64_t delivered() const { return delivered_.load(); }
  uint64_t retried() const { return retried_.load(); }
  uint64_t dead() const { return dead_.load(); }

  // Next attempt time of an item that failed for the n-th time (pure).
  // `random01` in [0, 1) picks the jitter (0: none); a sink's Retry-After is kept as given.
  static std::chrono::milliseconds retryDelay(int attempts, const OutboxWorkerOptions& options,
                                              std::optional<std::chrono::milliseconds> retryAfter,
                                              double random01 = 0.0);

 private:
  void run();
  void prepareOnce();
  std::vector<store::OutboxItem> claim();
  // Delivers and records `items`; returns true when every one of them is to be retried.
  bool handle(const std::vector<store::OutboxItem>& items);
  // Gives the claimed-ahead batch back to the outbox, if there is one.
  void releaseNext();
  // The deliverer's outcomes, one per item: a throwing deliverer or a missing outcome means retry.
  std::vector<delivery::DeliveryOutcome> deliverAll(const std::vector<store::OutboxItem>& items);
  // Marks an item that was not delivered: dead, or failed with its next attempt time.
  void recordFailure(const store::OutboxItem& item, const delivery::DeliveryOutcome& outcome);

  store::Outbox::Ptr store_;
  delivery::OutboxDeliverer::Ptr deliverer_;
  OutboxWorkerOptions options_;
  Clock::Ptr clock_;
  Backoff storeBackoff_;
  bool prepared_ = false;
  std::mt19937 rng_{std::random_device{}()};  // the retry jitter (worker thread only)
  WorkerThread thread_;
  DeliveryObserver observer_;
  std::future<std::vector<store::OutboxItem>> next_;  // the batch claimed ahead (runOverlapped)
  std::atomic<uint64_t> delivered_{0};
  std::atomic<uint64_t> retried_{0};
  std::atomic<uint64_t> dead_{0};
};

}  // namespace podmon::pipeline
