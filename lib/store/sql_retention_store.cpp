#include "store/sql_retention_store.h"

#include <Poco/Data/Statement.h>

#include <utility>

#include "store/crash_columns.h"

using namespace Poco::Data::Keywords;
using Poco::Data::Session;
using Poco::Data::Statement;

namespace podmon::store {

using columns::idList;

namespace {

// A crash row that goes: older than the cutoff (the one parameter) and owed to no sink. The unary
// `+` (a no-op in MySQL) keeps SQLite from reading every pending outbox row by state for each crash
// instead of the crash's own rows by crash_id; MySQL reads the pending rows once per statement.
std::string doomed(const std::string& c) {
  return c + ".`date` < ? AND NOT EXISTS (SELECT 1 FROM `podmon_outbox` po WHERE po.`crash_id` = " + c +
         ".`id` AND +po.`state` = 'pending')";
}

// A crash row that stays (the one parameter: the cutoff). Rows without a time always stay.
std::string kept(const std::string& c) { return "(" + c + ".`date` IS NULL OR NOT (" + doomed(c) + "))"; }

// The crash rows of a fingerprint pod row `p`, aliased `c`.
const char* kOfPod =
    "c.`fingerprint` = p.`fingerprint` AND c.`clustername` = p.`clustername` AND c.`namespace` = p.`namespace` "
    "AND COALESCE(c.`podname`, '') = p.`podname`";

}  // namespace

SqlRetentionStore::SqlRetentionStore(SqlBackend::Ptr backend, std::size_t batchSize)
    : backend_(std::move(backend)), batchSize_(static_cast<int>(batchSize == 0 ? 1 : batchSize)) {}

PruneCounts SqlRetentionStore::prune(const PruneCutoffs& cutoffs, bool dryRun, const KeepGoing& keepGoing) {
  if (dryRun) return countDoomed(cutoffs);
  PruneCounts counts;
  const KeepGoing going = keepGoing ? keepGoing : [] { return true; };
  if (cutoffs.crashesBefore) pruneCrashes(*cutoffs.crashesBefore, going, counts);
  if (cutoffs.doneOutboxBefore && going()) pruneDoneOutbox(*cutoffs.doneOutboxBefore, going, counts);
  if (cutoffs.alertStatesBefore && going()) pruneAlertStates(*cutoffs.alertStatesBefore, going, counts);
  return counts;
}

// The dry run: the same conditions as the deletes, counted in one read each.
PruneCounts SqlRetentionStore::countDoomed(const PruneCutoffs& cutoffs) {
  return backend_->withSession("count rows past their retention", [&](Session& session) {
    PruneCounts counts;
    if (cutoffs.crashesBefore) counts = countDoomedCrashes(session, *cutoffs.crashesBefore);
    if (cutoffs.doneOutboxBefore) {
      // Without the rows of crashes that go first (counted with them).
      Poco::Int64 n = 0;
      const auto crashesBefore = cutoffs.crashesBefore.value_or(PruneCutoffs::TimePoint{});
      session << "SELECT COUNT(*) FROM `podmon_outbox` o WHERE o.`state` = 'done' AND o.`delivered_at` < ? AND NOT "
                 "EXISTS (SELECT 1 FROM `k8s_pod_crash` c WHERE c.`id` = o.`crash_id` AND " +
                     doomed("c") + ")",
          backend_->bindTime(*cutoffs.doneOutboxBefore), backend_->bindTime(crashesBefore), into(n), now;
      counts.doneOutbox = n;
    }
    if (cutoffs.alertStatesBefore) {
      Poco::Int64 n = 0;
      session << "SELECT COUNT(*) FROM `podmon_alert_state` s WHERE s.`updated_at` < ? AND s.`last_crash_at` < ? "
                 "AND NOT EXISTS (SELECT 1 FROM `podmon_outbox` o WHERE o.`id` = s.`carrier_outbox_id` AND "
                 "o.`state` = 'pending')",
          backend_->bindTime(*cutoffs.alertStatesBefore), backend_->bindTime(*cutoffs.alertStatesBefore), into(n), now;
      counts.alertStates = n;
    }
    return counts;
  });
}

PruneCounts SqlRetentionStore::countDoomedCrashes(Session& session, PruneCutoffs::TimePoint before) {
  PruneCounts counts;
  Poco::Int64 crashes = 0, outbox = 0, labels = 0, pods = 0, fingerprints = 0;
  const auto at = [&] { return backend_->bindTime(before); };
  session << "SELECT COUNT(*) FROM `k8s_pod_crash` c WHERE " + doomed("c"), at(), into(crashes), now;
  session << "SELECT COUNT(*) FROM `podmon_outbox` o JOIN `k8s_pod_crash` c ON c.`id` = o.`crash_id` WHERE " +
                 doomed("c"),
      at(), into(outbox), now;
  session << "SELECT COUNT(*) FROM `podmon_crash_labels` l JOIN `k8s_pod_crash` c ON c.`id` = l.`crash_id` WHERE " +
                 doomed("c"),
      at(), into(labels), now;
  session << std::string(
                 "SELECT COUNT(*) FROM `podmon_fingerprint_pods` p WHERE EXISTS (SELECT 1 FROM "
                 "`k8s_pod_crash` c WHERE ") +
                 kOfPod + " AND " + doomed("c") + ") AND NOT EXISTS (SELECT 1 FROM `k8s_pod_crash` c WHERE " + kOfPod +
                 " AND " + kept("c") + ")",
      at(), at(), into(pods), now;
  session << "SELECT COUNT(*) FROM `podmon_fingerprints` f WHERE EXISTS (SELECT 1 FROM `k8s_pod_crash` c WHERE "
             "c.`fingerprint` = f.`fingerprint` AND " +
                 doomed("c") +
                 ") AND NOT EXISTS (SELECT 1 FROM `k8s_pod_crash` c WHERE c.`fingerprint` = f.`fingerprint` AND " +
                 kept("c") + ")",
      at(), at(), into(fingerprints), now;
  counts.crashes = crashes;
  counts.crashOutbox = outbox;
  counts.labels = labels;
  counts.fingerprintPods = pods;
  counts.fingerprints = fingerprints;
  return counts;
}

// Oldest first, by ix_k8s_pod_crash_date; each batch in its own transaction.
void SqlRetentionStore::pruneCrashes(PruneCutoffs::TimePoint before, const KeepGoing& keepGoing, PruneCounts& counts) {
  while (keepGoing()) {
    std::vector<Poco::Int64> ids;
    backend_->withSession("find crashes past their retention", [&](Session& session) {
      ids.clear();
      session << "SELECT c.`id` FROM `k8s_pod_crash` c WHERE " + doomed("c") + " ORDER BY c.`date` LIMIT ?",
          backend_->bindTime(before), use(batchSize_), into(ids), now;
    });
    if (ids.empty()) return;
    counts += backend_->inTransaction("delete " + std::to_string(ids.size()) + " old crashes", [&](Session& session) {
      PruneCounts batch;
      // Again inside the transaction: a dead row retried since the read above is owed again.
      std::vector<Poco::Int64> still;
      session << "SELECT c.`id` FROM `k8s_pod_crash` c WHERE c.`id` IN (" + idList(ids) + ") AND " + doomed("c") +
                     backend_->forUpdate(),
          backend_->bindTime(before), into(still), now;
      deleteCrashBatch(session, std::move(still), batch);
      return batch;  // counted once committed: MySQL repeats the body after a deadlock
    });
    if (static_cast<int>(ids.size()) < batchSize_) return;
  }
}

void SqlRetentionStore::deleteCrashBatch(Session& session, std::vector<Poco::Int64> ids, PruneCounts& counts) {
  if (ids.empty()) return;
  const std::string list = idList(ids);
  const std::vector<TouchedPod> touched = touchedPods(session, list);
  Statement outbox(session);
  outbox << "DELETE FROM `podmon_outbox` WHERE `crash_id` IN (" + list + ")";
  counts.crashOutbox += static_cast<std::int64_t>(outbox.execute());
  Statement labels(session);
  labels << "DELETE FROM `podmon_crash_labels` WHERE `crash_id` IN (" + list + ")";
  counts.labels += static_cast<std::int64_t>(labels.execute());
  Statement crashes(session);
  crashes << "DELETE FROM `k8s_pod_crash` WHERE `id` IN (" + list + ")";
  counts.crashes += static_cast<std::int64_t>(crashes.execute());
  uncountFingerprints(session, touched, counts);
}

// One grouped read by primary key: the batch's crashes per (fingerprint, pod), ordered by
// fingerprint so that a fingerprint's pods come together.
std::vector<SqlRetentionStore::TouchedPod> SqlRetentionStore::touchedPods(Session& session, const std::string& list) {
  std::vector<std::string> fingerprints, clusters, namespaces, pods;
  std::vector<Poco::Int64> crashCounts;
  session << "SELECT `fingerprint`, `clustername`, `namespace`, COALESCE(`podname`, ''), COUNT(*) FROM "
             "`k8s_pod_crash` WHERE `id` IN (" +
                 list +
                 ") AND `fingerprint` IS NOT NULL GROUP BY `fingerprint`, `clustername`, `namespace`, "
                 "COALESCE(`podname`, '') ORDER BY `fingerprint`",
      into(fingerprints), into(clusters), into(namespaces), into(pods), into(crashCounts), now;
  std::vector<TouchedPod> touched(fingerprints.size());
  for (std::size_t i = 0; i < touched.size(); ++i) {
    touched[i] = {std::move(fingerprints[i]), std::move(clusters[i]), std::move(namespaces[i]), std::move(pods[i]),
                  crashCounts[i]};
  }
  return touched;
}

// Once the batch's crash rows are gone (same transaction): each touched fingerprint counts fewer
// crashes, and a touched pod row (or fingerprint) with no crash row left goes too. Every statement
// reads by a key: the pod rows' primary key, ix_k8s_pod_crash_fingerprint_pod (migration 011),
// ix_k8s_pod_crash_fingerprint; none by the batch's id list.
void SqlRetentionStore::uncountFingerprints(Session& session, const std::vector<TouchedPod>& touched,
                                            PruneCounts& counts) {
  for (std::size_t i = 0; i < touched.size();) {
    std::string fingerprint = touched[i].fingerprint;
    Poco::Int64 n = 0;
    for (; i < touched.size() && touched[i].fingerprint == fingerprint; ++i) {
      n += touched[i].crashes;
      counts.fingerprintPods += deletePodIfGone(session, touched[i]);
    }
    session << "UPDATE `podmon_fingerprints` SET `count` = " + backend_->greatest("`count` - ?", "0") +
                   " WHERE `fingerprint` = ?",
        use(n), use(fingerprint), now;
    Statement gone(session);
    gone << "DELETE FROM `podmon_fingerprints` WHERE `fingerprint` = ? AND NOT EXISTS (SELECT 1 FROM "
            "`k8s_pod_crash` c WHERE c.`fingerprint` = ?)",
        use(fingerprint), use(fingerprint);
    counts.fingerprints += static_cast<std::int64_t>(gone.execute());
  }
}

// A pod row keyed '' stands for crashes without a pod name too (COALESCE when it was recorded).
std::int64_t SqlRetentionStore::deletePodIfGone(Session& session, const TouchedPod& pod) {
  const std::string podMatch =
      pod.podname.empty() ? "(c.`podname` = ? OR c.`podname` IS NULL)" : std::string("c.`podname` = ?");
  TouchedPod key = pod;
  Statement del(session);
  del << "DELETE FROM `podmon_fingerprint_pods` WHERE `fingerprint` = ? AND `clustername` = ? AND `namespace` = ? "
         "AND `podname` = ? AND NOT EXISTS (SELECT 1 FROM `k8s_pod_crash` c WHERE c.`fingerprint` = ? AND "
         "c.`clustername` = ? AND c.`namespace` = ? AND " +
             podMatch + ")",
      use(key.fingerprint), use(key.clustername), use(key.namespace_), use(key.podname), use(key.fingerprint),
      use(key.clustername), use(key.namespace_), use(key.podname);
  return static_cast<std::int64_t>(del.execute());
}

// By ix_podmon_outbox_state_delivered.
void SqlRetentionStore::pruneDoneOutbox(PruneCutoffs::TimePoint before, const KeepGoing& keepGoing,
                                        PruneCounts& counts) {
  while (keepGoing()) {
    std::vector<Poco::Int64> ids;
    backend_->withSession("find delivered outbox rows past their retention", [&](Session& session) {
      ids.clear();
      session << "SELECT `id` FROM `podmon_outbox` WHERE `state` = 'done' AND `delivered_at` < ? LIMIT ?",
          backend_->bindTime(before), use(batchSize_), into(ids), now;
    });
    if (ids.empty()) return;
    const std::string what = "delete " + std::to_string(ids.size()) + " delivered outbox rows";
    counts.doneOutbox += backend_->inTransaction(what, [&](Session& session) {
      Statement del(session);
      del << "DELETE FROM `podmon_outbox` WHERE `id` IN (" + idList(ids) + ") AND `state` = 'done'";
      return static_cast<std::int64_t>(del.execute());
    });
    if (static_cast<int>(ids.size()) < batchSize_) return;
  }
}

// A state whose carrier item is still held back stays: the item comes back to send its follow-up.
void SqlRetentionStore::pruneAlertStates(PruneCutoffs::TimePoint before, const KeepGoing& keepGoing,
                                         PruneCounts& counts) {
  const std::string quiet =
      " s.`updated_at` < ? AND s.`last_crash_at` < ? AND NOT EXISTS (SELECT 1 FROM `podmon_outbox` o WHERE o.`id` "
      "= s.`carrier_outbox_id` AND o.`state` = 'pending')";
  while (keepGoing()) {
    std::vector<std::string> keys;
    backend_->withSession("find quiet alert states", [&](Session& session) {
      keys.clear();
      session << "SELECT s.`alert_key` FROM `podmon_alert_state` s WHERE" + quiet + " LIMIT ?",
          backend_->bindTime(before), backend_->bindTime(before), use(batchSize_), into(keys), now;
    });
    if (keys.empty()) return;
    const std::string what = "delete " + std::to_string(keys.size()) + " quiet alert states";
    counts.alertStates += backend_->inTransaction(what, [&](Session& session) {
      std::int64_t deleted = 0;
      for (std::string key : keys) {
        Statement del(session);
        del << "DELETE FROM `podmon_alert_state` WHERE `alert_key` = ? AND `updated_at` < ?", use(key),
            backend_->bindTime(before);
        deleted += static_cast<std::int64_t>(del.execute());
      }
      return deleted;
    });
    if (static_cast<int>(keys.size()) < batchSize_) return;
  }
}

}  // namespace podmon::store
