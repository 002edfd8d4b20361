// Retention on a real store (MySQL on MariaDB, and SQLite): crash rows past CRASH_RETENTION go with
// their outbox rows, labels and fingerprint pods, fingerprint counts drop by what went, recent rows
// and crashes still owed to a sink stay, delivered outbox rows and quiet alert states go after
// theirs, and a dry run counts exactly what the prune then removes while changing nothing.
#include <gtest/gtest.h>

#include <string>

#include "fakes/manual_clock.h"
#include "store/sql_retention_store.h"
#include "store_backend_fixture.h"

namespace podmon::store {
namespace {

using namespace std::chrono_literals;
using podmon::testing::ManualClock;

// 2024-05-01T10:00:00Z
constexpr std::chrono::seconds kStart{1714557600LL};

CrashRecord crashOf(const std::string& pod, int restart, const std::string& fingerprint,
                    std::chrono::system_clock::time_point at) {
  CrashRecord record;
  auto& e = record.event;
  e.clusterName = "prod";
  e.namespace_ = "shop";
  e.podName = pod;
  e.podUid = "uid-" + pod;
  e.containerName = "app";
  e.restartCount = restart;
  e.reason = "Error";
  e.exitCode = 1;
  e.detectedAt = at;
  e.labels = {{"app", "shop"}};
  record.logs = "boom\n";
  record.logsStatus = "ok";
  record.fingerprint = fingerprint;
  return record;
}

class StoreRetentionTest : public testing::StoreBackendTest {
 protected:
  void SetUp() override {
    StoreBackendTest::SetUp();
    if (IsSkipped()) return;
    clock_ = std::make_shared<ManualClock>(std::chrono::system_clock::time_point(kStart));
    CrashStoreOptions options;
    options.outboxSinks = {Sink::kElasticsearch, Sink::kSlack};
    store_ = openTestStore(options, clock_);
    store_.migrate();
    // Batches of 2, so five old crashes take three.
    retention_ = std::make_shared<SqlRetentionStore>(sqlBackendBeside(store_), 2);
  }

  // Old crashes (100 days): api-1 twice and api-2 once with fingerprint F1, worker-1 with F2, and
  // stuck-1 (F3) whose Slack row is still pending. Recent (1 day): api-1 again with F1. Plus an
  // original row without a time. Everything delivered now but stuck-1's Slack row.
  void fill() {
    const auto old = clock_->now() - 100 * 24h;
    for (const auto& [pod, restart, fp] : {std::tuple{"api-1", 1, "f1f1f1f1f1f1f1f1"},
                                           {"api-1", 2, "f1f1f1f1f1f1f1f1"},
                                           {"api-2", 1, "f1f1f1f1f1f1f1f1"},
                                           {"worker-1", 1, "f2f2f2f2f2f2f2f2"},
                                           {"stuck-1", 1, "f3f3f3f3f3f3f3f3"}}) {
      store_.crashes->recordCrash(crashOf(pod, restart, fp, old));
    }
    store_.crashes->recordCrash(crashOf("api-1", 3, "f1f1f1f1f1f1f1f1", clock_->now() - 24h));
    exec(
        "INSERT INTO `k8s_pod_crash` (`clustername`, `namespace`, `containername`, `restartcount`) VALUES "
        "('prod', 'shop', 'legacy', 4)");
    for (Sink sink : {Sink::kElasticsearch, Sink::kSlack}) {
      for (const auto& item : store_.outbox->claimOutbox(sink, 100, 1min)) {
        if (sink == Sink::kSlack && item.crash.record.event.podName == "stuck-1") continue;
        store_.outbox->markDelivered(item.id);
      }
    }
  }

  std::int64_t rows(const std::string& table) { return queryInt("SELECT COUNT(*) FROM `" + table + "`"); }
  std::string tableSizes() {
    std::string text;
    for (const char* t : {"k8s_pod_crash", "podmon_outbox", "podmon_crash_labels", "podmon_fingerprint_pods",
                          "podmon_fingerprints", "podmon_alert_state"}) {
      text += std::string(t) + "=" + std::to_string(rows(t)) + " ";
    }
    return text;
  }
  // Crashes before 90 days, delivered outbox rows up to now.
  PruneCutoffs cutoffs() const {
    PruneCutoffs c;
    c.crashesBefore = clock_->now() - 90 * 24h;
    c.doneOutboxBefore = clock_->now() + 1s;
    return c;
  }

  std::shared_ptr<ManualClock> clock_;
  OpenedStore store_;
  RetentionStore::Ptr retention_;
};

void expectOldCrashCounts(const PruneCounts& c) {
  EXPECT_EQ(c.crashes, 4);      // stuck-1 stays: its Slack row is pending
  EXPECT_EQ(c.crashOutbox, 8);  // two sinks each
  EXPECT_EQ(c.labels, 4);
  EXPECT_EQ(c.fingerprintPods, 2);  // F1 in api-2, F2 in worker-1 (F1 in api-1 has a recent crash)
  EXPECT_EQ(c.fingerprints, 1);     // F2 (F1 has a recent crash, F3 a kept one)
  EXPECT_EQ(c.doneOutbox, 3);       // stuck-1's Elasticsearch row, the recent crash's two
  EXPECT_EQ(c.alertStates, 0);
}

TEST_P(StoreRetentionTest, ADryRunCountsWhatThePruneRemovesAndChangesNothing) {
  fill();
  const std::string before = tableSizes();
  const PruneCounts wouldGo = retention_->prune(cutoffs(), true, {});
  expectOldCrashCounts(wouldGo);
  EXPECT_EQ(tableSizes(), before);
  const PruneCounts went = retention_->prune(cutoffs(), false, {});
  expectOldCrashCounts(went);
  EXPECT_NE(tableSizes(), before);
}

TEST_P(StoreRetentionTest, OldCrashesGoWithTheirDependantsAndRecentOnesStay) {
  fill();
  retention_->prune(cutoffs(), false, {});
  EXPECT_EQ(queryText("SELECT GROUP_CONCAT(`containername`) FROM (SELECT `containername` FROM `k8s_pod_crash` WHERE "
                      "`podname` IS NULL) x"),
            "legacy");
  EXPECT_EQ(queryInt("SELECT COUNT(*) FROM `k8s_pod_crash` WHERE `podname` = 'stuck-1'"), 1);
  EXPECT_EQ(queryInt("SELECT COUNT(*) FROM `k8s_pod_crash` WHERE `podname` = 'api-1' AND `restartcount` = 3"), 1);
  EXPECT_EQ(rows("k8s_pod_crash"), 3);
  EXPECT_EQ(rows("podmon_crash_labels"), 2);
  // Only stuck-1's pending Slack row is left: every delivered row is past OUTBOX_RETENTION.
  EXPECT_EQ(queryText("SELECT `state` FROM `podmon_outbox`"), "pending");
  EXPECT_EQ(rows("podmon_outbox"), 1);
  // Counts: F1 had 4 crashes, 1 is left; F3 keeps its one; F2 is gone.
  EXPECT_EQ(queryInt("SELECT `count` FROM `podmon_fingerprints` WHERE `fingerprint` = 'f1f1f1f1f1f1f1f1'"), 1);
  EXPECT_EQ(queryInt("SELECT `count` FROM `podmon_fingerprints` WHERE `fingerprint` = 'f3f3f3f3f3f3f3f3'"), 1);
  EXPECT_EQ(queryInt("SELECT COUNT(*) FROM `podmon_fingerprints` WHERE `fingerprint` = 'f2f2f2f2f2f2f2f2'"), 0);
  EXPECT_EQ(queryText("SELECT GROUP_CONCAT(`podname`) FROM (SELECT `podname` FROM `podmon_fingerprint_pods` ORDER BY "
                      "`podname`) x"),
            "api-1,stuck-1");
  // The listing agrees: F1 one crash in one pod.
  FingerprintQuery query;
  const auto prints = store_.crashes->listFingerprints(query);
  ASSERT_EQ(prints.size(), 2u);
  for (const auto& p : prints) {
    EXPECT_EQ(p.count, 1) << p.fingerprint;
    EXPECT_EQ(p.pods, 1) << p.fingerprint;
  }
  // A second prune finds nothing.
  EXPECT_EQ(retention_->prune(cutoffs(), false, {}).total(), 0);
}

TEST_P(StoreRetentionTest, NoCutoffKeepsEverythingAndAStopEndsBetweenBatches) {
  fill();
  const std::string before = tableSizes();
  EXPECT_EQ(retention_->prune(PruneCutoffs{}, false, {}).total(), 0);
  EXPECT_EQ(tableSizes(), before);
  int asked = 0;
  const PruneCounts c = retention_->prune(cutoffs(), false, [&] { return ++asked <= 1; });
  EXPECT_EQ(c.crashes, 2);  // one batch of 2, then the stop
  EXPECT_EQ(rows("k8s_pod_crash"), 5);
}

TEST_P(StoreRetentionTest, QuietAlertStatesGoUnlessTheirCarrierIsHeldBack) {
  fill();
  auto states = makeAlertStateStore(store_, clock_);
  const Poco::Int64 pendingId = queryInt("SELECT `id` FROM `podmon_outbox` WHERE `state` = 'pending'");
  AlertState quiet;
  quiet.key = "quiet";
  quiet.lastCrashAt = clock_->now() - 48h;
  AlertState held = quiet;
  held.key = "held";
  held.carrierOutboxId = pendingId;
  held.foldedCount = 2;
  AlertState busy = quiet;
  busy.key = "busy";
  busy.lastCrashAt = clock_->now() + 2h;
  for (const auto& s : {quiet, held, busy}) states->save(s);
  PruneCutoffs c;
  c.alertStatesBefore = clock_->now() + 1h;
  EXPECT_EQ(retention_->prune(c, true, {}).alertStates, 1);
  EXPECT_EQ(retention_->prune(c, false, {}).alertStates, 1);
  EXPECT_FALSE(states->load("quiet"));
  EXPECT_TRUE(states->load("held"));
  EXPECT_TRUE(states->load("busy"));
}

INSTANTIATE_STORE_BACKEND_TESTS(StoreRetentionTest);

}  // namespace
}  // namespace podmon::store
