#include "pipeline/prune_worker.h"

#include <spdlog/spdlog.h>

#include <utility>

#include "core/errors.h"

namespace podmon::pipeline {

PruneWorker::PruneWorker(store::RetentionStore::Ptr store, PruneWorkerOptions options, Clock::Ptr clock)
    : store_(std::move(store)),
      options_(options),
      clock_(clock),
      storeBackoff_(options.storeBackoff),
      thread_(std::move(clock)) {}

PruneWorker::~PruneWorker() { stop(); }

void PruneWorker::start() {
  thread_.start([this] { run(); });
}

void PruneWorker::stop() { thread_.stop(); }

std::chrono::milliseconds PruneWorker::jittered(std::chrono::milliseconds interval, double jitter, double random01) {
  const double factor = 1.0 + (2.0 * random01 - 1.0) * jitter;
  return std::chrono::milliseconds(static_cast<std::int64_t>(static_cast<double>(interval.count()) * factor));
}

std::chrono::milliseconds PruneWorker::nextWait(std::chrono::milliseconds interval) {
  return jittered(interval, options_.jitter, std::uniform_real_distribution<double>(0.0, 1.0)(rng_));
}

store::PruneCounts PruneWorker::runOnce() {
  const auto cutoffs = store::PruneCutoffs::at(options_.periods, clock_->now());
  const auto started = clock_->steadyNow();
  const store::PruneCounts counts = store_->prune(cutoffs, false, [this] { return !thread_.stopping(); });
  rowsPruned_ += static_cast<std::uint64_t>(counts.total());
  const auto took = std::chrono::duration_cast<std::chrono::milliseconds>(clock_->steadyNow() - started);
  if (counts.total() > 0) spdlog::info("prune: removed {} in {} ms", counts.describe(), took.count());
  else spdlog::debug("prune: nothing past its retention ({} ms)", took.count());
  return counts;
}

// A failed prune is tried again with a backoff (10 s doubling to 10 min); a successful one waits
// for the next interval.
void PruneWorker::run() {
  if (!thread_.sleepFor(nextWait(options_.firstDelay))) return;
  while (!thread_.stopping()) {
    std::chrono::milliseconds wait = nextWait(options_.interval);
    try {
      runOnce();
      storeBackoff_.reset();
    } catch (const StoreException& e) {
      wait = storeBackoff_.nextDelay(clock_->steadyNow());
      spdlog::warn("prune failed: {}; trying again in {} s", e.message(), wait.count() / 1000);
    }
    thread_.sleepFor(wait);
  }
}

}  // namespace podmon::pipeline
