#pragma once

#include <algorithm>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/errors.h"
#include "store/outbox.h"

namespace podmon::testing {

// An in-memory Outbox with SqlOutbox's semantics (leases, attempts, pending/done/dead, stats per
// sink). FakeCrashRepository adds the rows of each new crash. setFailing(true) makes every call
// throw StoreException, as a store does while MySQL is down.
class FakeOutbox : public store::Outbox {
 public:
  using Ptr = std::shared_ptr<FakeOutbox>;

  struct OutboxRow {
    std::int64_t id = 0;
    std::int64_t crashId = 0;
    store::Sink sink = store::Sink::kElasticsearch;
    std::string state = "pending";
    int attempts = 0;
    std::chrono::system_clock::time_point nextAttemptAt{};
    std::chrono::system_clock::time_point createdAt{};
    std::string lastError;
    store::StoredCrash crash;
  };

  explicit FakeOutbox(Clock::Ptr clock = SystemClock::instance(),
                      std::vector<store::Sink> sinks = {store::Sink::kElasticsearch, store::Sink::kSlack})
      : clock_(std::move(clock)), sinks_(std::move(sinks)) {}

  void setFailing(bool failing) {
    std::lock_guard lock(mutex_);
    failing_ = failing;
  }
  std::vector<OutboxRow> outbox() const {
    std::lock_guard lock(mutex_);
    return rows_;
  }
  // One pending row per sink for a new crash, due now (what recordCrash writes).
  void addCrash(const store::StoredCrash& crash) {
    std::lock_guard lock(mutex_);
    for (auto sink : sinks_) {
      OutboxRow row;
      row.id = static_cast<std::int64_t>(rows_.size()) + 1;
      row.crashId = crash.id;
      row.sink = sink;
      row.nextAttemptAt = row.createdAt = clock_->now();
      row.crash = crash;
      rows_.push_back(row);
    }
  }

  std::vector<store::OutboxItem> claimOutbox(store::Sink sink, int limit,
                                             std::chrono::system_clock::duration lease) override {
    std::lock_guard lock(mutex_);
    check();
    const auto now = clock_->now();
    std::vector<OutboxRow*> due;
    for (auto& row : rows_) {
      if (row.sink == sink && row.state == "pending" && row.nextAttemptAt <= now) due.push_back(&row);
    }
    std::stable_sort(due.begin(), due.end(), [](auto* a, auto* b) { return a->nextAttemptAt < b->nextAttemptAt; });
    std::vector<store::OutboxItem> items;
    for (auto* row : due) {
      if (static_cast<int>(items.size()) >= limit) break;
      ++row->attempts;
      row->nextAttemptAt = now + lease;
      items.push_back(store::OutboxItem{row->id, sink, row->attempts, row->createdAt, row->crash});
    }
    return items;
  }

  void markDelivered(std::int64_t outboxId) override {
    std::lock_guard lock(mutex_);
    check();
    row(outboxId).state = "done";
  }

  void markFailed(std::int64_t outboxId, std::chrono::system_clock::time_point nextAttemptAt,
                  const std::string& error) override {
    std::lock_guard lock(mutex_);
    check();
    auto& r = row(outboxId);
    if (r.state != "pending") return;
    r.nextAttemptAt = nextAttemptAt;
    r.lastError = error;
  }

  void releaseClaim(const std::vector<store::OutboxItem>& items) override {
    std::lock_guard lock(mutex_);
    check();
    released += items.size();
    for (const auto& item : items) {
      auto& r = row(item.id);
      if (r.state != "pending" || r.attempts != item.attempts || r.attempts == 0) continue;
      --r.attempts;
      r.nextAttemptAt = clock_->now();
    }
  }

  void markDead(std::int64_t outboxId, const std::string& reason) override {
    std::lock_guard lock(mutex_);
    check();
    auto& r = row(outboxId);
    r.state = "dead";
    r.lastError = reason;
  }

  std::vector<store::OutboxStats> outboxStats() override {
    std::lock_guard lock(mutex_);
    check();
    std::vector<store::OutboxStats> stats;
    for (auto sink : sinks_) {
      store::OutboxStats s{sink, 0, 0, 0, std::nullopt};
      for (const auto& r : rows_) {
        if (r.sink != sink) continue;
        if (r.state == "pending") {
          ++s.pending;
          if (!r.lastError.empty()) ++s.failed;
          const auto age = clock_->now() - r.createdAt;
          if (!s.oldestPendingAge || age > *s.oldestPendingAge) s.oldestPendingAge = age;
        }
        if (r.state == "dead") ++s.dead;
      }
      stats.push_back(s);
    }
    return stats;
  }

  std::int64_t retryDeadOutbox(std::optional<store::Sink> sink, const std::string& actor) override {
    std::lock_guard lock(mutex_);
    check();
    retries.push_back(actor);
    std::int64_t count = 0;
    for (auto& r : rows_) {
      if (r.state != "dead" || (sink && r.sink != *sink)) continue;
      r.state = "pending";
      r.attempts = 0;
      r.nextAttemptAt = clock_->now();
      ++count;
    }
    return count;
  }

  std::size_t released = 0;          // items given back by releaseClaim
  std::vector<std::string> retries;  // the actor of each retryDeadOutbox call

 private:
  void check() const {
    if (failing_) throw StoreException("fake store: MySQL unreachable");
  }

  OutboxRow& row(std::int64_t id) {
    for (auto& r : rows_) {
      if (r.id == id) return r;
    }
    throw StoreException("fake store: no outbox row " + std::to_string(id));
  }

  Clock::Ptr clock_;
  std::vector<store::Sink> sinks_;
  mutable std::mutex mutex_;
  bool failing_ = false;
  std::vector<OutboxRow> rows_;
};

}  // namespace podmon::testing
