#pragma once

#include <algorithm>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "core/clock.h"
#include "core/errors.h"
#include "store/crash_key.h"
#include "store/crash_store.h"
#include "store/name_pattern.h"

namespace podmon::testing {

// An in-memory CrashStore with SqlCrashStore's semantics (one row per crash key, outbox rows only
// for new crashes, leases, the same route/ignore matching), for unit tests of the pipeline.
// setFailing(true) makes every call throw StoreException, as a store does while MySQL is down.
class FakeCrashStore : public store::CrashStore {
 public:
  explicit FakeCrashStore(Clock::Ptr clock = SystemClock::instance(),
                          std::vector<store::Sink> sinks = {store::Sink::kElasticsearch, store::Sink::kSlack})
      : clock_(std::move(clock)), sinks_(std::move(sinks)) {}

  void setFailing(bool failing) {
    std::lock_guard lock(mutex_);
    failing_ = failing;
  }
  int migrateCalls() const {
    std::lock_guard lock(mutex_);
    return migrateCalls_;
  }
  std::vector<store::StoredCrash> crashes() const {
    std::lock_guard lock(mutex_);
    return crashes_;
  }
  struct OutboxRow {
    std::int64_t id = 0;
    std::int64_t crashId = 0;
    store::Sink sink = store::Sink::kElasticsearch;
    std::string state = "pending";
    int attempts = 0;
    std::chrono::system_clock::time_point nextAttemptAt{};
    std::chrono::system_clock::time_point createdAt{};
    std::string lastError;
  };
  std::vector<OutboxRow> outbox() const {
    std::lock_guard lock(mutex_);
    return outbox_;
  }

  void migrate() override {
    std::lock_guard lock(mutex_);
    check();
    ++migrateCalls_;
  }

  std::vector<store::ContainerState> loadContainerStates(const std::string& cluster) override {
    std::lock_guard lock(mutex_);
    check();
    std::vector<store::ContainerState> result;
    for (const auto& [key, state] : states_) {
      if (std::get<0>(key) == cluster) result.push_back(state);
    }
    return result;
  }

  void saveBaseline(const std::string& cluster, const store::ContainerState& state) override {
    std::lock_guard lock(mutex_);
    check();
    upsert(cluster, state);
  }

  int deletePodStates(const std::string& cluster, const std::string& namespace_, const std::string& podName) override {
    std::lock_guard lock(mutex_);
    check();
    int removed = 0;
    for (auto it = states_.begin(); it != states_.end();) {
      const auto& [c, ns, pod, container] = it->first;
      if (c == cluster && ns == namespace_ && pod == podName) {
        it = states_.erase(it);
        ++removed;
      } else {
        ++it;
      }
    }
    return removed;
  }

  store::RecordResult recordCrash(const store::CrashRecord& crash) override {
    std::lock_guard lock(mutex_);
    check();
    store::RecordResult result;
    result.crashKey = store::crashKey(crash.event);
    const auto& e = crash.event;
    upsert(e.clusterName, {e.namespace_, e.podName, e.containerName, e.podUid, e.restartCount, e.containerId});
    for (const auto& stored : crashes_) {
      if (stored.crashKey == result.crashKey) {
        result.id = stored.id;
        return result;
      }
    }
    result.isNew = true;
    result.id = static_cast<std::int64_t>(crashes_.size()) + 1;
    if (!crash.fingerprint.empty()) {
      // As SqlCrashStore: the fingerprint's history at this crash, this crash included.
      const auto at = e.detectedAt == std::chrono::system_clock::time_point{} ? clock_->now() : e.detectedAt;
      auto& history = fingerprints_[crash.fingerprint];
      auto& pods = fingerprintPods_[crash.fingerprint];
      history.firstSeen = history.count == 0 ? at : std::min(history.firstSeen, at);
      ++history.count;
      pods.insert({e.clusterName, e.namespace_, e.podName});
      history.pods = static_cast<std::int64_t>(pods.size());
      std::set<std::string> clusters;
      for (const auto& pod : pods) clusters.insert(std::get<0>(pod));
      history.clusters = static_cast<std::int64_t>(clusters.size());
      result.fingerprintHistory = history;
    }
    crashes_.push_back(store::StoredCrash{result.id, result.crashKey, crash, result.fingerprintHistory});
    for (auto sink : sinks_) {
      OutboxRow row;
      row.id = static_cast<std::int64_t>(outbox_.size()) + 1;
      row.crashId = result.id;
      row.sink = sink;
      row.nextAttemptAt = row.createdAt = clock_->now();
      outbox_.push_back(row);
    }
    return result;
  }

  std::vector<store::StoredCrash> listRecentCrashes(const store::CrashQuery& query) override {
    std::lock_guard lock(mutex_);
    check();
    std::vector<store::StoredCrash> result;
    for (auto it = crashes_.rbegin(); it != crashes_.rend(); ++it) {
      const auto& e = it->record.event;
      if (!query.clusterName.empty() && e.clusterName != query.clusterName) continue;
      if (!query.namespace_.empty() && e.namespace_ != query.namespace_) continue;
      if (query.since && e.detectedAt < *query.since) continue;
      auto summary = *it;
      summary.record.logs.clear();
      summary.record.eventsJson.clear();
      result.push_back(summary);
    }
    std::stable_sort(result.begin(), result.end(), [](const auto& a, const auto& b) {
      return a.record.event.detectedAt > b.record.event.detectedAt;
    });
    if (static_cast<int>(result.size()) > query.limit) result.resize(static_cast<std::size_t>(query.limit));
    return result;
  }

  std::optional<store::StoredCrash> getCrash(std::int64_t id) override {
    std::lock_guard lock(mutex_);
    check();
    for (const auto& c : crashes_) {
      if (c.id == id) return c;
    }
    return std::nullopt;
  }

  std::optional<store::StoredCrash> getCrashByKey(const std::string& crashKey) override {
    std::lock_guard lock(mutex_);
    check();
    for (const auto& c : crashes_) {
      if (c.crashKey == crashKey) return c;
    }
    return std::nullopt;
  }

  std::vector<store::OutboxItem> claimOutbox(store::Sink sink, int limit,
                                             std::chrono::system_clock::duration lease) override {
    std::lock_guard lock(mutex_);
    check();
    const auto now = clock_->now();
    std::vector<OutboxRow*> due;
    for (auto& row : outbox_) {
      if (row.sink == sink && row.state == "pending" && row.nextAttemptAt <= now) due.push_back(&row);
    }
    std::stable_sort(due.begin(), due.end(), [](auto* a, auto* b) { return a->nextAttemptAt < b->nextAttemptAt; });
    std::vector<store::OutboxItem> items;
    for (auto* row : due) {
      if (static_cast<int>(items.size()) >= limit) break;
      ++row->attempts;
      row->nextAttemptAt = now + lease;
      items.push_back(store::OutboxItem{row->id, sink, row->attempts, row->createdAt,
                                        crashes_[static_cast<std::size_t>(row->crashId - 1)]});
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
      for (const auto& r : outbox_) {
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

  std::optional<std::string> findRoute(const std::string& cluster, const std::string& namespace_) override {
    std::lock_guard lock(mutex_);
    check();
    const store::NotifyRoute* best = nullptr;
    for (const auto& r : routes_) {
      if (r.clusterName != cluster || !store::matchesPattern(r.namespace_, namespace_)) continue;
      if (best == nullptr) {
        best = &r;
        continue;
      }
      const int mine = store::patternSpecificity(r.namespace_);
      const int theirs = store::patternSpecificity(best->namespace_);
      if (mine > theirs || (mine == theirs && r.namespace_ < best->namespace_)) best = &r;
    }
    return best == nullptr ? std::nullopt : std::optional<std::string>(best->slackChannel);
  }

  bool isIgnored(const std::string& cluster, const std::string& namespace_, const std::string& container) override {
    std::lock_guard lock(mutex_);
    check();
    return std::any_of(ignores_.begin(), ignores_.end(), [&](const store::IgnoreRule& r) {
      return r.clusterName == cluster && store::matchesPattern(r.namespace_, namespace_) &&
             store::matchesPattern(r.containerName, container);
    });
  }

  std::vector<store::NotifyRoute> listRoutes(const std::string& cluster) override {
    std::lock_guard lock(mutex_);
    check();
    std::vector<store::NotifyRoute> result;
    for (const auto& r : routes_) {
      if (cluster.empty() || r.clusterName == cluster) result.push_back(r);
    }
    return result;
  }

  void setRoute(const store::NotifyRoute& route) override {
    std::lock_guard lock(mutex_);
    check();
    for (auto& r : routes_) {
      if (r.clusterName == route.clusterName && r.namespace_ == route.namespace_) {
        r.slackChannel = route.slackChannel;
        return;
      }
    }
    routes_.push_back(route);
  }

  bool removeRoute(const std::string& cluster, const std::string& namespace_) override {
    std::lock_guard lock(mutex_);
    check();
    return std::erase_if(routes_, [&](const auto& r) { return r.clusterName == cluster && r.namespace_ == namespace_; }) > 0;
  }

  std::vector<store::IgnoreRule> listIgnores(const std::string& cluster) override {
    std::lock_guard lock(mutex_);
    check();
    std::vector<store::IgnoreRule> result;
    for (const auto& r : ignores_) {
      if (cluster.empty() || r.clusterName == cluster) result.push_back(r);
    }
    return result;
  }

  bool addIgnore(const store::IgnoreRule& rule) override {
    std::lock_guard lock(mutex_);
    check();
    if (std::find(ignores_.begin(), ignores_.end(), rule) != ignores_.end()) return false;
    ignores_.push_back(rule);
    return true;
  }

  bool removeIgnore(const store::IgnoreRule& rule) override {
    std::lock_guard lock(mutex_);
    check();
    return std::erase(ignores_, rule) > 0;
  }

 private:
  void check() const {
    if (failing_) throw StoreException("fake store: MySQL unreachable");
  }

  void upsert(const std::string& cluster, const store::ContainerState& state) {
    auto& slot = states_[{cluster, state.namespace_, state.podName, state.containerName}];
    if (slot.podUid == state.podUid && !slot.podName.empty()) {
      const int count = std::max(slot.restartCount, state.restartCount);
      const std::string containerId = state.containerId.empty() ? slot.containerId : state.containerId;
      slot = state;
      slot.restartCount = count;
      slot.containerId = containerId;
    } else {
      slot = state;
    }
  }

  OutboxRow& row(std::int64_t id) {
    for (auto& r : outbox_) {
      if (r.id == id) return r;
    }
    throw StoreException("fake store: no outbox row " + std::to_string(id));
  }

  Clock::Ptr clock_;
  std::vector<store::Sink> sinks_;
  mutable std::mutex mutex_;
  bool failing_ = false;
  int migrateCalls_ = 0;
  std::map<std::tuple<std::string, std::string, std::string, std::string>, store::ContainerState> states_;
  std::vector<store::StoredCrash> crashes_;
  std::map<std::string, store::FingerprintHistory> fingerprints_;
  std::map<std::string, std::set<std::tuple<std::string, std::string, std::string>>> fingerprintPods_;
  std::vector<OutboxRow> outbox_;
  std::vector<store::NotifyRoute> routes_;
  std::vector<store::IgnoreRule> ignores_;
};

}  // namespace podmon::testing
