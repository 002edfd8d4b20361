#pragma once

#include <algorithm>
#include <cctype>
#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "core/clock.h"
#include "core/errors.h"
#include "fakes/fake_container_state_store.h"
#include "fakes/fake_outbox.h"
#include "store/crash_key.h"
#include "store/crash_repository.h"

namespace podmon::testing {

// An in-memory CrashRepository with SqlCrashRepository's semantics (one row per crash key, the
// container's state saved with each crash, outbox rows only for new crashes, fingerprint
// history). The state and outbox fakes it writes to are optional. listFingerprints answers
// `fingerprints` and remembers the queries. setFailing(true) makes every call throw
// StoreException, as a store does while MySQL is down.
class FakeCrashRepository : public store::CrashRepository {
 public:
  using Ptr = std::shared_ptr<FakeCrashRepository>;

  explicit FakeCrashRepository(Clock::Ptr clock = SystemClock::instance(), FakeContainerStateStore::Ptr states = {},
                               FakeOutbox::Ptr outbox = {})
      : clock_(std::move(clock)), states_(std::move(states)), outbox_(std::move(outbox)) {}

  void setFailing(bool failing) {
    std::lock_guard lock(mutex_);
    failing_ = failing;
  }
  std::vector<store::StoredCrash> crashes() const {
    std::lock_guard lock(mutex_);
    return crashes_;
  }

  store::RecordResult recordCrash(const store::CrashRecord& crash) override {
    std::lock_guard lock(mutex_);
    check();
    store::RecordResult result;
    result.crashKey = store::crashKey(crash.event);
    const auto& e = crash.event;
    if (states_) {
      states_->upsert(e.clusterName,
                      {e.namespace_, e.podName, e.containerName, e.podUid, e.restartCount, e.containerId});
    }
    for (const auto& stored : crashes_) {
      if (stored.crashKey == result.crashKey) {
        result.id = stored.id;
        return result;
      }
    }
    result.isNew = true;
    result.id = static_cast<std::int64_t>(crashes_.size()) + 1;
    if (!crash.fingerprint.empty()) result.fingerprintHistory = countFingerprint(crash);
    crashes_.push_back(store::StoredCrash{result.id, result.crashKey, crash, result.fingerprintHistory});
    if (outbox_) outbox_->addCrash(crashes_.back());
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
      if (!query.search.empty() && !contains(e.podName, query.search) && !contains(e.containerName, query.search) &&
          !contains(e.reason, query.search))
        continue;
      if (query.after && !listedAfter(*it, *query.after)) continue;
      auto summary = *it;
      summary.record.logs.clear();
      summary.record.eventsJson.clear();
      result.push_back(summary);
    }
    std::stable_sort(result.begin(), result.end(), [](const auto& a, const auto& b) {
      return std::tie(a.record.event.detectedAt, a.id) > std::tie(b.record.event.detectedAt, b.id);
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

  std::vector<store::FingerprintSummary> listFingerprints(const store::FingerprintQuery& query) override {
    std::lock_guard lock(mutex_);
    check();
    fingerprintQueries.push_back(query);
    return fingerprints;
  }

  // As SqlCrashRepository: crash rows of the workload in the window; known when a crash row of it
  // exists at any time or a state row (of `states`, when given) has one of its pods' names.
  store::WorkloadCrashes workloadCrashes(const store::WorkloadQuery& query) override {
    std::lock_guard lock(mutex_);
    check();
    workloadQueries.push_back(query);
    store::WorkloadCrashes result;
    for (auto it = crashes_.rbegin(); it != crashes_.rend(); ++it) {
      const auto& e = it->record.event;
      if (!ofWorkload(e, query)) continue;
      result.known = true;
      if (e.detectedAt < query.since) continue;
      ++result.crashes;
      if (!result.latest || e.detectedAt > result.latest->record.event.detectedAt) {
        result.latest = *it;
        result.latest->record.logs.clear();
        result.latest->record.eventsJson.clear();
      }
    }
    if (!result.known && states_) {
      for (const auto& state : states_->loadContainerStates(query.clusterName)) {
        if (state.namespace_ == query.namespace_ && store::podNameFitsWorkload(query.kind, query.name, state.podName))
          result.known = true;
      }
    }
    return result;
  }

  // As SqlCrashRepository: per hour (UTC) and namespace, oldest hour first.
  std::vector<store::TimelineBucket> crashTimeline(const store::TimelineQuery& query) override {
    std::lock_guard lock(mutex_);
    check();
    std::map<std::pair<std::chrono::system_clock::time_point, std::string>, std::int64_t> counts;
    for (const auto& c : crashes_) {
      const auto& e = c.record.event;
      if (!query.clusterName.empty() && e.clusterName != query.clusterName) continue;
      if (e.detectedAt < query.since) continue;
      ++counts[{std::chrono::floor<std::chrono::hours>(e.detectedAt), e.namespace_}];
    }
    std::vector<store::TimelineBucket> buckets;
    for (const auto& [key, n] : counts) buckets.push_back({key.first, key.second, n});
    return buckets;
  }

  std::vector<std::string> crashNamespaces(const std::string& clusterName) override {
    std::lock_guard lock(mutex_);
    check();
    std::set<std::string> names;
    for (const auto& c : crashes_) {
      if (clusterName.empty() || c.record.event.clusterName == clusterName) names.insert(c.record.event.namespace_);
    }
    return {names.begin(), names.end()};
  }

  std::vector<store::FingerprintSummary> fingerprints;
  std::vector<store::FingerprintQuery> fingerprintQueries;
  std::vector<store::WorkloadQuery> workloadQueries;

 private:
  void check() const {
    if (failing_) throw StoreException("fake store: MySQL unreachable");
  }

  static bool contains(const std::string& text, const std::string& search) {
    auto lower = [](std::string s) {
      std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
      return s;
    };
    return lower(text).find(lower(search)) != std::string::npos;
  }

  static bool listedAfter(const store::StoredCrash& c, const store::CrashCursor& after) {
    const auto at = after.detectedAt.value_or(std::chrono::system_clock::time_point{});
    return std::tie(c.record.event.detectedAt, c.id) < std::tie(at, after.id);
  }

  static bool ofWorkload(const crash::CrashEvent& e, const store::WorkloadQuery& query) {
    if (!query.clusterName.empty() && e.clusterName != query.clusterName) return false;
    if (e.namespace_ != query.namespace_) return false;
    const auto kinds = store::ownerKindsOf(query.kind);
    if (kinds.empty()) return e.podName == query.name;
    std::string owner = e.ownerKind;
    std::transform(owner.begin(), owner.end(), owner.begin(), [](unsigned char c) { return std::tolower(c); });
    return e.ownerName == query.name && std::find(kinds.begin(), kinds.end(), owner) != kinds.end();
  }

  // As SqlCrashRepository: the fingerprint's history at this crash, this crash included.
  store::FingerprintHistory countFingerprint(const store::CrashRecord& crash) {
    const auto& e = crash.event;
    const auto at = e.detectedAt == std::chrono::system_clock::time_point{} ? clock_->now() : e.detectedAt;
    auto& history = fingerprintHistories_[crash.fingerprint];
    auto& pods = fingerprintPods_[crash.fingerprint];
    history.firstSeen = history.count == 0 ? at : std::min(history.firstSeen, at);
    ++history.count;
    pods.insert({e.clusterName, e.namespace_, e.podName});
    history.pods = static_cast<std::int64_t>(pods.size());
    std::set<std::string> clusters;
    for (const auto& pod : pods) clusters.insert(std::get<0>(pod));
    history.clusters = static_cast<std::int64_t>(clusters.size());
    return history;
  }

  Clock::Ptr clock_;
  FakeContainerStateStore::Ptr states_;
  FakeOutbox::Ptr outbox_;
  mutable std::mutex mutex_;
  bool failing_ = false;
  std::vector<store::StoredCrash> crashes_;
  std::map<std::string, store::FingerprintHistory> fingerprintHistories_;
  std::map<std::string, std::set<std::tuple<std::string, std::string, std::string>>> fingerprintPods_;
};

}  // namespace podmon::testing
