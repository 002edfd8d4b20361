#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "store/notify_rule.h"
#include "store/outbox_item.h"

namespace podmon::cli {

// One change made through podmonctl (podmon_audit).
struct AuditEntry {
  std::int64_t id = 0;
  std::chrono::system_clock::time_point at{};
  std::string actor;   // the OS user, or --actor
  std::string action;  // "route.set", "route.remove", "ignore.add", "ignore.remove", "outbox.retry", "migrate"
  std::string cluster;
  std::string target;  // the namespace, "namespace/container", the sink
  std::optional<std::string> oldValue;
  std::optional<std::string> newValue;
};

// One failure (crash fingerprint) as `podmonctl crashes list --group-by fingerprint` shows it:
// podmon_fingerprints and the pods of podmon_fingerprint_pods. Counts are over every cluster that
// shares the database.
struct FingerprintSummary {
  std::string fingerprint;
  std::int64_t count = 0;
  std::chrono::system_clock::time_point firstSeen{};
  std::chrono::system_clock::time_point lastSeen{};
  std::int64_t pods = 0;
  std::int64_t clusters = 0;
  std::string sampleReason;  // of the first crash seen with it
  std::optional<int> sampleExitCode;
  std::string sampleImage;
};

// Which fingerprints to list: seen in the cluster/namespace ("" = any), last seen since `since`.
struct FingerprintQuery {
  std::string cluster;
  std::string namespace_;
  std::optional<std::chrono::system_clock::time_point> since;
  int limit = 50;
};

// What setRoute found and did.
struct RouteChange {
  std::optional<std::string> previousChannel;  // nullopt: there was no route
  bool changed = false;                        // false: the route already had this channel
};

// The writes podmonctl makes, each together with its audit row in one transaction: a change is
// never made without its audit row, and nothing is written when either fails. Kept apart from
// CrashStore, which the daemon uses and which has no notion of who made a change. Every method
// throws StoreException when the database cannot answer.
class AdminStore {
 public:
  using Ptr = std::shared_ptr<AdminStore>;
  virtual ~AdminStore() = default;

  // Adds the route or changes its channel. Writes nothing (no audit row either) when unchanged.
  virtual RouteChange setRoute(const store::NotifyRoute& route, const std::string& actor) = 0;
  // The channel of the removed route; nullopt (and nothing written) when there was none.
  virtual std::optional<std::string> removeRoute(const std::string& cluster, const std::string& namespace_,
                                                 const std::string& actor) = 0;
  // False (and nothing written) when the rule already existed.
  virtual bool addIgnore(const store::IgnoreRule& rule, const std::string& actor) = 0;
  // False (and nothing written) when there was no such rule.
  virtual bool removeIgnore(const store::IgnoreRule& rule, const std::string& actor) = 0;
  // Makes the dead outbox rows of `sink` (every sink when nullopt) pending again, due now, with a
  // fresh attempt count. Returns how many; writes an audit row only when there were some.
  virtual std::int64_t retryDeadOutbox(std::optional<store::Sink> sink, const std::string& actor) = 0;
  // For changes made elsewhere (migrations); `id` and `at` are filled in.
  virtual void recordAudit(const AuditEntry& entry) = 0;
  // Newest first.
  virtual std::vector<AuditEntry> listAudit(int limit) = 0;
  // Most frequent first (then the most recently seen).
  virtual std::vector<FingerprintSummary> listFingerprints(const FingerprintQuery& query) = 0;
};

}  // namespace podmon::cli
