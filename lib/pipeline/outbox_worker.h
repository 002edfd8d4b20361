#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/backoff.h"
#include "core/clock.h"
#include "core/worker_thread.h"
#include "store/crash_store.h"

namespace podmon::pipeline {

// What became of one outbox item handed to a deliverer.
struct DeliveryOutcome {
  enum class Kind {
    kDelivered,  // done (Elasticsearch 2xx or 409 on create; Slack ok:true)
    kRetry,      // try again later (429, 5xx, timeouts, connection errors)
    kDead,       // never retry (mapping error, channel gone for good): kept with its reason
  };
  Kind kind = Kind::kRetry;
  std::string error;                                // for kRetry and kDead: why (no secrets)
  std::optional<std::chrono::milliseconds> retryAfter;  // server-given delay (Retry-After)
  bool deferred = false;  // kRetry that is no failure: delivery is scheduled later on purpose
  // For kRetry and kDead: a short fixed word for the metrics' `cause` label ("connection",
  // "http_503", "item_429", "rate_limited", ...). Never a free text: labels must stay few.
  std::string cause;
  // The sink's own status for this item when it has one (an Elasticsearch bulk item's status),
  // else 0.
  int status = 0;
};

// Delivers claimed outbox items to one sink (Elasticsearch, Slack). Implementations do the I/O
// and classify each result; they never touch the outbox themselves.
class OutboxDeliverer {
 public:
  using Ptr = std::shared_ptr<OutboxDeliverer>;
  virtual ~OutboxDeliverer() = default;
  virtual store::Sink sink() const = 0;
  // How many items one deliver() call takes at most.
  virtual std::size_t batchSize() const = 0;
  // One outcome per item, in the same order. Must not throw for a failed delivery (return kRetry);
  // a thrown exception is treated as kRetry for the whole batch.
  virtual std::vector<DeliveryOutcome> deliver(const std::vector<store::OutboxItem>& items) = 0;
  // Called when the worker (re)starts delivering after an idle or failing period, e.g. to
  // install the index template. Throwing means "not ready yet": the worker backs off and retries.
  virtual void prepare() {}
};

// Told about every outcome once the outbox holds it (for metrics). Runs on the worker's thread.
using DeliveryObserver = std::function<void(const store::OutboxItem&, const DeliveryOutcome&)>;

struct OutboxWorkerOptions {
  std::chrono::milliseconds pollInterval{1000};  // how often to look for due items when idle
  std::chrono::seconds lease{120};                // claimed items are not handed out again before this
  std::chrono::milliseconds retryBase{2000};      // first retry delay of an item; doubles per attempt
  std::chrono::milliseconds retryMax{300000};     // cap (5 minutes): an outage of hours loses nothing
  BackoffParams storeBackoff{};                   // when MySQL itself fails
};

// Drains one sink's outbox: claims due items, hands them to the deliverer, and records each
// outcome (delivered, failed with its next attempt time, or dead). Nothing is deleted or skipped:
// an item leaves the pending state only as delivered or dead.
class OutboxWorker {
 public:
  OutboxWorker(store::CrashStore::Ptr store, OutboxDeliverer::Ptr deliverer, OutboxWorkerOptions options = {},
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

  uint64_t delivered() const { return delivered_.load(); }
  uint64_t retried() const { return retried_.load(); }
  uint64_t dead() const { return dead_.load(); }

  // Next attempt time of an item that failed for the n-th time (pure).
  static std::chrono::milliseconds retryDelay(int attempts, const OutboxWorkerOptions& options,
                                              std::optional<std::chrono::milliseconds> retryAfter);

 private:
  void run();

  store::CrashStore::Ptr store_;
  OutboxDeliverer::Ptr deliverer_;
  OutboxWorkerOptions options_;
  Clock::Ptr clock_;
  Backoff storeBackoff_;
  bool prepared_ = false;
  WorkerThread thread_;
  DeliveryObserver observer_;
  std::atomic<uint64_t> delivered_{0};
  std::atomic<uint64_t> retried_{0};
  std::atomic<uint64_t> dead_{0};
};

}  // namespace podmon::pipeline
