#include "pipeline/outbox_worker.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <future>

#include "core/errors.h"

namespace podmon::pipeline {

using delivery::DeliveryOutcome;
using delivery::OutboxDeliverer;

OutboxWorker::OutboxWorker(store::Outbox::Ptr store, OutboxDeliverer::Ptr deliverer, OutboxWorkerOptions options,
                           Clock::Ptr clock)
    : store_(std::move(store)),
      deliverer_(std::move(deliverer)),
      options_(options),
      clock_(std::move(clock)),
      storeBackoff_(options_.storeBackoff),
      thread_(clock_) {}

OutboxWorker::~OutboxWorker() { stop(); }

void OutboxWorker::start() {
  thread_.start([this] { run(); });
}

void OutboxWorker::stop() {
  thread_.stop();
  try {
    releaseNext();
  } catch (const std::exception& e) {
    // The rows come due again when their lease ends.
    spdlog::warn("{} outbox worker: could not give back the batch claimed ahead: {}",
                 store::toString(deliverer_->sink()), e.what());
  }
}

void OutboxWorker::wake() { thread_.wake(); }

std::chrono::milliseconds OutboxWorker::retryDelay(int attempts, const OutboxWorkerOptions& options,
                                                   std::optional<std::chrono::milliseconds> retryAfter,
                                                   double random01) {
  if (retryAfter) return std::max(*retryAfter, std::chrono::milliseconds(0));
  auto delay = options.retryBase;
  for (int i = 1; i < attempts && delay < options.retryMax; ++i) delay *= 2;
  delay = std::min(delay, options.retryMax);
  const double stretch = 1.0 + options.retryJitter * std::clamp(random01, 0.0, 1.0);
  return std::chrono::milliseconds(static_cast<long long>(static_cast<double>(delay.count()) * stretch));
}

void OutboxWorker::prepareOnce() {
  if (prepared_) return;
  deliverer_->prepare();  // throws while the sink is not ready
  prepared_ = true;
}

std::vector<store::OutboxItem> OutboxWorker::claim() {
  return store_->claimOutbox(deliverer_->sink(), static_cast<int>(deliverer_->batchSize()), options_.lease);
}

std::size_t OutboxWorker::runOnce() {
  prepareOnce();
  const auto items = claim();
  if (items.empty()) return 0;
  handle(items);
  return items.size();
}

std::size_t OutboxWorker::runOverlapped() {
  if (!options_.overlapClaims) return runOnce();
  prepareOnce();
  // A claim that failed throws here; it leased nothing this worker could deliver.
  const auto items = next_.valid() ? next_.get() : claim();
  if (items.empty()) return 0;
  if (!thread_.stopping()) {
    const store::Sink sink = deliverer_->sink();
    const int limit = static_cast<int>(deliverer_->batchSize());
    next_ = std::async(std::launch::async,
                       [this, sink, limit] { return store_->claimOutbox(sink, limit, options_.lease); });
  }
  // The claim ahead never takes this batch's rows: they are leased and ordered before it.
  if (handle(items)) releaseNext();
  return items.size();
}

void OutboxWorker::releaseNext() {
  if (!next_.valid()) return;
  std::vector<store::OutboxItem> items;
  try {
    items = next_.get();
  } catch (const std::exception&) {
    return;  // the claim failed: nothing to give back
  }
  if (!items.empty()) store_->releaseClaim(items);
}

bool OutboxWorker::handle(const std::vector<store::OutboxItem>& items) {
  const std::vector<DeliveryOutcome> outcomes = deliverAll(items);
  bool allFailed = true;
  std::vector<std::int64_t> delivered;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (outcomes[i].kind == DeliveryOutcome::Kind::kDelivered) {
      delivered.push_back(items[i].id);  // marked together below: one statement per batch
    } else {
      recordFailure(items[i], outcomes[i]);
    }
    if (outcomes[i].kind != DeliveryOutcome::Kind::kRetry) allFailed = false;
  }
  store_->markDeliveredMany(delivered);
  delivered_ += delivered.size();
  if (observer_) {
    for (std::size_t i = 0; i < items.size(); ++i) {
      if (outcomes[i].kind == DeliveryOutcome::Kind::kDelivered) observer_(items[i], outcomes[i]);
    }
  }
  // When a whole batch failed the sink is probably down: install templates again when it is back.
  if (allFailed) prepared_ = false;
  return allFailed;
}

std::vector<DeliveryOutcome> OutboxWorker::deliverAll(const std::vector<store::OutboxItem>& items) {
  std::vector<DeliveryOutcome> outcomes;
  try {
    outcomes = deliverer_->deliver(items);
  } catch (const Poco::Exception& e) {
    outcomes.assign(items.size(), DeliveryOutcome::retry("error", e.displayText()));
  } catch (const std::exception& e) {
    outcomes.assign(items.size(), DeliveryOutcome::retry("error", e.what()));
  }
  if (outcomes.size() != items.size()) {
    outcomes.resize(items.size(), DeliveryOutcome::retry("error", "no outcome from deliverer"));
  }
  return outcomes;
}

void OutboxWorker::recordFailure(const store::OutboxItem& item, const DeliveryOutcome& outcome) {
  const char* sink = store::toString(deliverer_->sink());
  if (outcome.kind == DeliveryOutcome::Kind::kDead) {
    store_->markDead(item.id, outcome.error);
    ++dead_;
    if (observer_) observer_(item, outcome);
    spdlog::error("{} delivery of crash {} given up: {}", sink, item.crash.crashKey, outcome.error);
    return;
  }
  auto delay =
      retryDelay(item.attempts, options_, outcome.retryAfter, std::uniform_real_distribution<>(0.0, 1.0)(rng_));
  store_->markFailed(item.id, clock_->now() + delay, outcome.error);
  ++retried_;
  if (observer_) observer_(item, outcome);
  if (outcome.deferred) {
    spdlog::debug("{} delivery of crash {} deferred {} s: {}", sink, item.crash.crashKey, delay.count() / 1000,
                  outcome.error);
    return;
  }
  spdlog::warn("{} delivery of crash {} failed (attempt {}): {}; next try in {} s", sink, item.crash.crashKey,
               item.attempts, outcome.error, delay.count() / 1000);
}

void OutboxWorker::run() {
  const char* name = store::toString(deliverer_->sink());
  while (!thread_.stopping()) {
    try {
      std::size_t handled = runOverlapped();
      storeBackoff_.reset();
      if (handled == 0) thread_.sleepFor(options_.pollInterval);
    } catch (const Poco::Exception& e) {
      auto delay = storeBackoff_.nextDelay(clock_->steadyNow());
      spdlog::warn("{} outbox worker: {}; retrying in {} ms", name, e.displayText(), delay.count());
      thread_.sleepFor(delay);
    } catch (const std::exception& e) {
      auto delay = storeBackoff_.nextDelay(clock_->steadyNow());
      spdlog::warn("{} outbox worker: {}; retrying in {} ms", name, e.what(), delay.count());
      thread_.sleepFor(delay);
    }
  }
}

}  // namespace podmon::pipeline
