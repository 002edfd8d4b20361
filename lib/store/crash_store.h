#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "store/container_state.h"
#include "store/crash_record.h"
#include "store/notify_rule.h"
#include "store/outbox_item.h"

namespace podmon::store {

// What a CrashStore does beyond connecting (both backends).
struct CrashStoreOptions {
  std::size_t maxLogBytes = 256 * 1024;  // logs are cut to their newest part beyond this
  std::vector<Sink> outboxSinks = {Sink::kElasticsearch, Sink::kSlack};  // one outbox row each
};

// Everything podmon keeps in MySQL, behind one interface so the pipeline can be tested with a
// fake. Every method throws StoreException when the database cannot answer; none of them ever
// reads a failure as "no state", "no route" or "not ignored".
class CrashStore {
 public:
  using Ptr = std::shared_ptr<CrashStore>;
  virtual ~CrashStore() = default;

  // Brings the schema up to date (safe when several instances start together).
  // Throws StoreException naming the failed migration.
  virtual void migrate() = 0;

  // --- per-container state (k8s_crash_monitor) ---
  // All rows of one cluster, for start-up reconciliation.
  virtual std::vector<ContainerState> loadContainerStates(const std::string& cluster) = 0;
  // Remembers a container's restart count without recording a crash (first sight, pod recreated).
  virtual void saveBaseline(const std::string& cluster, const ContainerState& state) = 0;
  // Many baselines at once (the initial list of a large cluster); the same as saveBaseline for each,
  // in order. Stores that can write them in fewer round trips override it.
  virtual void saveBaselines(const std::string& cluster, const std::vector<ContainerState>& states) {
    for (const auto& state : states) saveBaseline(cluster, state);
  }
  // Forgets the rows of a deleted pod. Returns how many rows went.
  virtual int deletePodStates(const std::string& cluster, const std::string& namespace_,
                              const std::string& podName) = 0;

  // --- crashes ---
  // In one transaction: the crash row, the container's state row and, when the crash is new,
  // one outbox row per sink. Recording the same crash (same crash key) again changes nothing
  // and returns isNew=false.
  virtual RecordResult recordCrash(const CrashRecord& crash) = 0;
  // Newest first, without logs and events (they can be large).
  virtual std::vector<StoredCrash> listRecentCrashes(const CrashQuery& query) = 0;
  virtual std::optional<StoredCrash> getCrash(std::int64_t id) = 0;
  virtual std::optional<StoredCrash> getCrashByKey(const std::string& crashKey) = 0;

  // --- outbox, for the sink workers ---
  // Up to `limit` pending rows of `sink` that are due, oldest first. Claiming leases them for
  // `lease` (they are not handed out again before that unless marked failed) and counts an attempt.
  virtual std::vector<OutboxItem> claimOutbox(Sink sink, int limit,
                                              std::chrono::system_clock::duration lease) = 0;
  virtual void markDelivered(std::int64_t outboxId) = 0;
  // Many items delivered by one request (an Elasticsearch _bulk); the same as markDelivered for
  // each. Stores that can do it in one statement override it.
  virtual void markDeliveredMany(const std::vector<std::int64_t>& outboxIds) {
    for (auto id : outboxIds) markDelivered(id);
  }
  // Retry at nextAttemptAt.
  virtual void markFailed(std::int64_t outboxId, std::chrono::system_clock::time_point nextAttemptAt,
                          const std::string& error) = 0;
  // Never retry.
  virtual void markDead(std::int64_t outboxId, const std::string& reason) = 0;
  // One entry per sink that has rows, plus every sink podmon writes to.
  virtual std::vector<OutboxStats> outboxStats() = 0;

  // --- Slack routes and ignores ---
  // The channel for a namespace: an exact namespace beats a pattern, a longer pattern beats a
  // shorter one, "*" comes last. nullopt when nothing matches.
  virtual std::optional<std::string> findRoute(const std::string& cluster,
                                               const std::string& namespace_) = 0;
  virtual bool isIgnored(const std::string& cluster, const std::string& namespace_,
                         const std::string& container) = 0;
  // cluster "" lists all clusters.
  virtual std::vector<NotifyRoute> listRoutes(const std::string& cluster) = 0;
  // Adds or replaces the channel of (cluster, namespace).
  virtual void setRoute(const NotifyRoute& route) = 0;
  virtual bool removeRoute(const std::string& cluster, const std::string& namespace_) = 0;
  virtual std::vector<IgnoreRule> listIgnores(const std::string& cluster) = 0;
  // Returns false when the rule already existed.
  virtual bool addIgnore(const IgnoreRule& rule) = 0;
  virtual bool removeIgnore(const IgnoreRule& rule) = 0;
};

}  // namespace podmon::store
