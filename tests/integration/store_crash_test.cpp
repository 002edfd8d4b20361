// Recording crashes, container state and the outbox: on MySQL (a real MariaDB) and on the embedded
// SQLite store, one suite for both backends.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <mutex>
#include <set>
#include <thread>

#include "core/clock.h"
#include "core/errors.h"
#include "fakes/manual_clock.h"
#include "store/crash_key.h"
#include "store/mysql_backend.h"
#include "store/sql_container_state_store.h"
#include "store_backend_fixture.h"

namespace podmon::store {
namespace {

using namespace std::chrono_literals;

using podmon::testing::ManualClock;

// 2024-05-01T10:00:00.123456Z: sub-second digits show that timestamps keep their microseconds.
constexpr std::chrono::microseconds kStart{1714557600123456LL};

// The original tool's termination_state text of the crash below.
const std::string kTerminationState =
    "&ContainerStateTerminated{ExitCode:137,Signal:9,Reason:OOMKilled,Message:memory limit reached,"
    "StartedAt:2024-05-01 09:58:00 +0000 UTC,FinishedAt:2024-05-01 09:59:30.25 +0000 UTC,"
    "ContainerID:containerd://abc,}";

CrashRecord sampleCrash(const std::string& pod = "api-7d9f-abcde", int restartCount = 3) {
  CrashRecord record;
  auto& e = record.event;
  e.clusterName = "prod";
  e.namespace_ = "payments";
  e.podName = pod;
  e.podUid = "uid-" + pod;
  e.containerName = "app";
  e.restartCount = restartCount;
  e.restartDelta = 1;
  e.reason = "OOMKilled";
  e.exitCode = 137;
  e.signal = 9;
  e.message = "memory limit reached";
  e.startedAt = "2024-05-01T09:58:00Z";
  e.finishedAt = "2024-05-01T09:59:30.250Z";
  e.containerId = "containerd://abc";
  e.terminationState = kTerminationState;
  e.containerState = "CrashLoopBackOff";
  e.nodeName = "node-1";
  e.image = "registry.example.com/api:1.2.3";
  e.ownerKind = "Deployment";
  e.ownerName = "api";
  e.detectedAt = std::chrono::system_clock::time_point(std::chrono::microseconds(1714557571000000LL));
  record.logs = "starting\nout of memory\n";
  record.logsStatus = "ok";
  record.eventsJson = R"([{"reason":"BackOff"}])";
  record.fingerprint = "0123456789abcdef";
  return record;
}

class StoreCrashTest : public testing::StoreBackendTest {
 protected:
  void SetUp() override {
    StoreBackendTest::SetUp();
    if (IsSkipped()) return;
    clock_ = std::make_shared<ManualClock>(std::chrono::system_clock::time_point(kStart));
    store_ = makeStore();
    store_.migrate();
  }

  // maxSessions only matters for MySQL (SQLite has one connection per store).
  OpenedStore makeStore(CrashStoreOptions options = {}, int maxSessions = 16) {
    if (sqlite()) return openTestStore(options, clock_);
    auto config = storeConfig();
    config.maxSessions = maxSessions;
    return openStoreOn(std::make_shared<MySqlBackend>(config), options, clock_);
  }

  std::int64_t count(const std::string& table) { return queryInt("SELECT COUNT(*) FROM " + table); }
  // The outbox rows' sinks, sorted and comma-separated.
  std::string sinks() {
    return sqlite() ? queryText("SELECT GROUP_CONCAT(sink) FROM (SELECT sink FROM podmon_outbox ORDER BY sink)")
                    : queryText("SELECT GROUP_CONCAT(sink ORDER BY sink) FROM podmon_outbox");
  }

  std::shared_ptr<ManualClock> clock_;
  OpenedStore store_;
};

TEST_P(StoreCrashTest, RecordsACrashCompletelyAndReadsItBack) {
  const auto record = sampleCrash();
  const auto result = store_.crashes->recordCrash(record);
  EXPECT_TRUE(result.isNew);
  EXPECT_GT(result.id, 0);
  EXPECT_EQ(result.crashKey, crashKey(record.event));
  EXPECT_EQ(result.crashKey.size(), 64u);

  auto stored = store_.crashes->getCrash(result.id);
  ASSERT_TRUE(stored);
  EXPECT_EQ(stored->crashKey, result.crashKey);
  const auto& e = stored->record.event;
  EXPECT_EQ(e.clusterName, "prod");
  EXPECT_EQ(e.namespace_, "payments");
  EXPECT_EQ(e.podName, record.event.podName);
  EXPECT_EQ(e.podUid, record.event.podUid);
  EXPECT_EQ(e.containerName, "app");
  EXPECT_EQ(e.restartCount, 3);
  EXPECT_EQ(e.restartDelta, 1);
  EXPECT_EQ(e.reason, "OOMKilled");
  EXPECT_EQ(e.exitCode, 137);
  EXPECT_EQ(e.signal, 9);
  EXPECT_EQ(e.message, "memory limit reached");
  EXPECT_EQ(e.startedAt, "2024-05-01T09:58:00Z");
  EXPECT_EQ(e.finishedAt, "2024-05-01T09:59:30.250000Z");
  EXPECT_EQ(e.terminationState, kTerminationState);
  EXPECT_EQ(e.containerState, "CrashLoopBackOff");
  EXPECT_EQ(e.nodeName, "node-1");
  EXPECT_EQ(e.image, record.event.image);
  EXPECT_EQ(e.ownerKind, "Deployment");
  EXPECT_EQ(e.ownerName, "api");
  EXPECT_FALSE(e.detectedWhileDown);
  EXPECT_EQ(e.detectedAt, record.event.detectedAt);
  EXPECT_EQ(stored->record.logs, record.logs);
  EXPECT_EQ(stored->record.logsStatus, "ok");
  EXPECT_EQ(stored->record.eventsJson, record.eventsJson);

  auto byKey = store_.crashes->getCrashByKey(result.crashKey);
  ASSERT_TRUE(byKey);
  EXPECT_EQ(byKey->id, result.id);
  EXPECT_FALSE(store_.crashes->getCrash(result.id + 1000));
  EXPECT_FALSE(store_.crashes->getCrashByKey("nope"));

  // The state row and one outbox row per sink came with it.
  auto states = store_.containerStates->loadContainerStates("prod");
  ASSERT_EQ(states.size(), 1u);
  EXPECT_EQ(states[0],
            (ContainerState{"payments", record.event.podName, "app", record.event.podUid, 3, "containerd://abc"}));
  EXPECT_EQ(queryInt("SELECT COUNT(*) FROM podmon_outbox WHERE crash_id = " + std::to_string(result.id) +
                     " AND state = 'pending'"),
            2);
  EXPECT_EQ(sinks(), "elasticsearch,slack");
}

TEST_P(StoreCrashTest, KeepsThePodLabelsForTheSinks) {
  auto record = sampleCrash();
  record.event.labels = {{"app", "api"}, {"app.kubernetes.io/name", "api \xF0\x9F\x9A\x80"}};
  const auto result = store_.crashes->recordCrash(record);
  auto stored = store_.crashes->getCrash(result.id);
  ASSERT_TRUE(stored.has_value());
  EXPECT_EQ(stored->record.event.labels, record.event.labels);
  auto claimed = store_.outbox->claimOutbox(Sink::kElasticsearch, 10, std::chrono::seconds(60));
  ASSERT_EQ(claimed.size(), 1u);
  EXPECT_EQ(claimed[0].crash.record.event.labels.at("app"), "api");
  // A crash without labels reads back with none.
  auto plain = store_.crashes->recordCrash(sampleCrash("other-pod", 1));
  EXPECT_TRUE(store_.crashes->getCrash(plain.id)->record.event.labels.empty());
}

TEST_P(StoreCrashTest, RecordingTheSameCrashTwiceKeepsOneRowAndOneSetOfOutboxRows) {
  const auto first = store_.crashes->recordCrash(sampleCrash());
  const auto second = store_.crashes->recordCrash(sampleCrash());
  EXPECT_TRUE(first.isNew);
  EXPECT_FALSE(second.isNew);
  EXPECT_EQ(second.id, first.id);
  EXPECT_EQ(count("k8s_pod_crash"), 1);
  EXPECT_EQ(count("podmon_outbox"), 2);
  // A second store (another podmon replica) agrees.
  EXPECT_FALSE(makeStore().crashes->recordCrash(sampleCrash()).isNew);
  // The next restart is a new crash.
  EXPECT_TRUE(store_.crashes->recordCrash(sampleCrash("api-7d9f-abcde", 4)).isNew);
  EXPECT_EQ(count("k8s_pod_crash"), 2);
  EXPECT_EQ(count("podmon_outbox"), 4);
}

TEST_P(StoreCrashTest, ConcurrentRecordsOfOneCrashStoreItOnce) {
  constexpr int kThreads = 6;
  std::atomic<int> newCount{0};
  std::vector<std::thread> threads;
  std::vector<std::string> errors(kThreads);
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] {
      try {
        if (store_.crashes->recordCrash(sampleCrash()).isNew) ++newCount;
      } catch (const Poco::Exception& error) {
        errors[i] = error.displayText();
      }
    });
  }
  for (auto& thread : threads) thread.join();
  for (const auto& error : errors) EXPECT_EQ(error, "");
  EXPECT_EQ(newCount.load(), 1);
  EXPECT_EQ(count("k8s_pod_crash"), 1);
  EXPECT_EQ(count("podmon_outbox"), 2);
}

TEST_P(StoreCrashTest, AFailureBetweenStatementsLeavesNothingHalfWritten) {
  for (const char* step : {"crash_inserted", "state_saved", "fingerprint_updating", "outbox_inserting"}) {
    setFaultHook(*store_.crashes, [&](std::string_view at) {
      if (at == step) throw StoreException(std::string("injected failure at ") + step);
    });
    EXPECT_THROW(store_.crashes->recordCrash(sampleCrash()), StoreException) << step;
    EXPECT_EQ(count("k8s_pod_crash"), 0) << step;
    EXPECT_EQ(count("k8s_crash_monitor"), 0) << step;
    EXPECT_EQ(count("podmon_outbox"), 0) << step;
    EXPECT_EQ(count("podmon_fingerprints"), 0) << step;
    EXPECT_EQ(count("podmon_fingerprint_pods"), 0) << step;
  }
  setFaultHook(*store_.crashes, nullptr);
  EXPECT_TRUE(store_.crashes->recordCrash(sampleCrash()).isNew);
  EXPECT_EQ(count("podmon_outbox"), 2);
}

TEST_P(StoreCrashTest, AFailingOutboxInsertRollsBackAndTheSessionStaysUsable) {
  // One session only, so the next operations run on the very session whose transaction failed:
  // they must see autocommit back on (Poco 1.11 leaves it off with MySQL) and no transaction open.
  auto store = makeStore({}, 1);
  exec("ALTER TABLE podmon_outbox RENAME TO podmon_outbox_away");
  try {
    store.crashes->recordCrash(sampleCrash());
    FAIL() << "recordCrash did not throw";
  } catch (const StoreException& error) {
    EXPECT_NE(error.displayText().find("podmon_outbox"), std::string::npos) << error.displayText();
  }
  exec("ALTER TABLE podmon_outbox_away RENAME TO podmon_outbox");
  EXPECT_EQ(count("k8s_pod_crash"), 0);
  EXPECT_EQ(count("k8s_crash_monitor"), 0);

  // Autocommit restored: a plain write on that session is visible to another connection at once.
  store.containerStates->saveBaseline("prod", ContainerState{"payments", "api-1", "app", "uid-1", 2, ""});
  EXPECT_EQ(count("k8s_crash_monitor"), 1);
  EXPECT_TRUE(store.crashes->recordCrash(sampleCrash()).isNew);
  store.containerStates->saveBaseline("prod", ContainerState{"payments", "api-2", "app", "uid-2", 0, ""});
  EXPECT_EQ(count("k8s_crash_monitor"), 3);
  EXPECT_EQ(count("k8s_pod_crash"), 1);
}

TEST_P(StoreCrashTest, Utf8mb4LogsRoundTripAndBadBytesAreReplaced) {
  auto record = sampleCrash();
  const std::string text = "panic: 💥 failed 数据库连接失败 — ошибка 🚀\n";
  record.logs = text + "bad bytes: \xff\xfe end\n";
  record.event.message = "終了 🙃";
  const auto result = store_.crashes->recordCrash(record);
  auto stored = store_.crashes->getCrash(result.id);
  ASSERT_TRUE(stored);
  EXPECT_EQ(stored->record.logs, text + "bad bytes: \xEF\xBF\xBD\xEF\xBF\xBD end\n");
  EXPECT_EQ(stored->record.event.message, "終了 🙃");
}

TEST_P(StoreCrashTest, LogsOverTheLimitAreStoredCutToTheirNewestPart) {
  CrashStoreOptions options;
  options.maxLogBytes = 64 * 1024;
  auto store = makeStore(options);
  auto record = sampleCrash();
  record.logs.clear();
  for (int i = 0; record.logs.size() < 1024 * 1024; ++i) record.logs += "line " + std::to_string(i) + " 数据 🚀\n";
  record.logs += "the last line\n";
  const auto result = store.crashes->recordCrash(record);
  auto stored = store.crashes->getCrash(result.id);
  ASSERT_TRUE(stored);
  const auto& logs = stored->record.logs;
  EXPECT_LE(logs.size(), options.maxLogBytes);
  EXPECT_GT(logs.size(), options.maxLogBytes - 8);
  EXPECT_EQ(logs.rfind("[podmon: log cut", 0), 0u) << logs.substr(0, 80);
  EXPECT_TRUE(logs.ends_with("the last line\n"));
}

TEST_P(StoreCrashTest, OverlongFieldsAreCutToTheirColumnsInsteadOfFailing) {
  auto record = sampleCrash();
  record.event.reason = std::string(1000, 'r');
  record.event.message = std::string(100000, 'm');
  record.event.image = std::string(5000, 'i');
  record.event.podName = std::string(300, 'p');
  record.event.terminationState =
      "&ContainerStateTerminated{ExitCode:1,Signal:0,Reason:Error,Message:" + std::string(5000, 'm') +
      ",StartedAt:...,}";
  record.event.containerState = std::string(300, 's');
  const auto result = store_.crashes->recordCrash(record);
  auto stored = store_.crashes->getCrash(result.id);
  ASSERT_TRUE(stored);
  EXPECT_EQ(stored->record.event.reason.size(), 255u);
  EXPECT_EQ(stored->record.event.image.size(), 1024u);
  EXPECT_EQ(stored->record.event.podName.size(), 253u);
  EXPECT_LE(stored->record.event.message.size(), 65535u);
  // termination_state quotes a termination message (4 KiB at most from the kubelet): kept whole.
  EXPECT_EQ(stored->record.event.terminationState, record.event.terminationState);
  EXPECT_EQ(stored->record.event.containerState.size(), 255u);
}

TEST_P(StoreCrashTest, ListsRecentCrashesNewestFirstWithFilters) {
  auto a = sampleCrash("a", 1);
  a.event.detectedAt = clock_->now() - 3h;
  auto b = sampleCrash("b", 1);
  b.event.detectedAt = clock_->now() - 1h;
  auto c = sampleCrash("c", 1);
  c.event.namespace_ = "search";
  c.event.detectedAt = clock_->now() - 2h;
  for (const auto& r : {a, b, c}) store_.crashes->recordCrash(r);

  auto all = store_.crashes->listRecentCrashes(CrashQuery{});
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all[0].record.event.podName, "b");
  EXPECT_EQ(all[1].record.event.podName, "c");
  EXPECT_EQ(all[2].record.event.podName, "a");
  EXPECT_EQ(all[0].record.logs, "");  // lists leave logs out

  auto payments = store_.crashes->listRecentCrashes(CrashQuery{"prod", "payments", std::nullopt, 10});
  ASSERT_EQ(payments.size(), 2u);
  auto recent = store_.crashes->listRecentCrashes(CrashQuery{"prod", "", clock_->now() - 150min, 10});
  ASSERT_EQ(recent.size(), 2u);
  EXPECT_EQ(store_.crashes->listRecentCrashes(CrashQuery{"prod", "", std::nullopt, 1}).size(), 1u);
  EXPECT_TRUE(store_.crashes->listRecentCrashes(CrashQuery{"staging", "", std::nullopt, 10}).empty());
}

TEST_P(StoreCrashTest, FingerprintHistoryIsTakenWhenTheCrashIsRecordedAndKeptWithIt) {
  const auto t0 = clock_->now() - 1h;
  auto crashOf = [&](const std::string& cluster, const std::string& pod, int restart, std::chrono::minutes after) {
    auto r = sampleCrash(pod, restart);
    r.event.clusterName = cluster;
    r.event.detectedAt = t0 + after;
    return r;
  };
  const auto first = store_.crashes->recordCrash(crashOf("prod", "api-1", 1, 0min));
  ASSERT_TRUE(first.fingerprintHistory);
  EXPECT_EQ(*first.fingerprintHistory, (FingerprintHistory{1, t0, 1, 1}));
  EXPECT_TRUE(first.fingerprintHistory->isNew());
  const auto second = store_.crashes->recordCrash(crashOf("prod", "api-2", 1, 5min));
  EXPECT_EQ(*second.fingerprintHistory, (FingerprintHistory{2, t0, 2, 1}));
  const auto samePodAgain = store_.crashes->recordCrash(crashOf("prod", "api-1", 2, 10min));
  EXPECT_EQ(*samePodAgain.fingerprintHistory, (FingerprintHistory{3, t0, 2, 1}));
  const auto otherCluster = store_.crashes->recordCrash(crashOf("staging", "api-1", 1, 15min));
  EXPECT_EQ(*otherCluster.fingerprintHistory, (FingerprintHistory{4, t0, 3, 2}));
  // Recorded late (the recorder was behind): an earlier crash moves first_seen back.
  const auto late = store_.crashes->recordCrash(crashOf("prod", "api-3", 1, -30min));
  EXPECT_EQ(*late.fingerprintHistory, (FingerprintHistory{5, t0 - 30min, 4, 2}));

  // A duplicate counts nothing.
  const auto again = store_.crashes->recordCrash(crashOf("prod", "api-2", 1, 5min));
  EXPECT_FALSE(again.isNew);
  EXPECT_EQ(queryInt("SELECT `count` FROM podmon_fingerprints WHERE fingerprint = '0123456789abcdef'"), 5);
  EXPECT_EQ(count("podmon_fingerprint_pods"), 4);

  // Another failure has its own history.
  auto other = crashOf("prod", "api-1", 3, 20min);
  other.fingerprint = "fedcba9876543210";
  EXPECT_EQ(*store_.crashes->recordCrash(other).fingerprintHistory, (FingerprintHistory{1, t0 + 20min, 1, 1}));

  // Each crash keeps the history of its own moment, for its (possibly late) alert.
  auto stored = store_.crashes->getCrash(second.id);
  ASSERT_TRUE(stored);
  EXPECT_EQ(stored->record.fingerprint, "0123456789abcdef");
  EXPECT_EQ(stored->fingerprintHistory, second.fingerprintHistory);
  auto listed = store_.crashes->listRecentCrashes(CrashQuery{"prod", "", std::nullopt, 1});
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0].record.fingerprint, "fedcba9876543210");
  auto items = store_.outbox->claimOutbox(Sink::kSlack, 10, 1min);
  ASSERT_EQ(items.size(), 6u);
  EXPECT_EQ(items[0].crash.fingerprintHistory, first.fingerprintHistory);
  EXPECT_EQ(items[1].crash.fingerprintHistory, second.fingerprintHistory);
  EXPECT_EQ(queryText("SELECT sample_reason FROM podmon_fingerprints WHERE fingerprint = '0123456789abcdef'"),
            "OOMKilled");
  EXPECT_EQ(queryInt("SELECT sample_exit_code FROM podmon_fingerprints WHERE fingerprint = '0123456789abcdef'"), 137);
}

TEST_P(StoreCrashTest, CrashesWithoutOrWithAMalformedFingerprintAreStoredWithoutOne) {
  auto none = sampleCrash("a", 1);
  none.fingerprint.clear();
  auto malformed = sampleCrash("b", 1);
  malformed.fingerprint = "not-hex'; DROP TABLE x";
  for (const auto& r : {none, malformed}) {
    const auto result = store_.crashes->recordCrash(r);
    EXPECT_TRUE(result.isNew);
    EXPECT_FALSE(result.fingerprintHistory);
    auto stored = store_.crashes->getCrash(result.id);
    ASSERT_TRUE(stored);
    EXPECT_EQ(stored->record.fingerprint, "");
    EXPECT_FALSE(stored->fingerprintHistory);
  }
  EXPECT_EQ(count("k8s_pod_crash"), 2);
  EXPECT_EQ(count("podmon_outbox"), 4);
  EXPECT_EQ(count("podmon_fingerprints"), 0);
}

TEST_P(StoreCrashTest, CrashRepositoryListsFingerprintsMostFrequentFirstWithFilters) {
  auto record = [&](const std::string& cluster, const std::string& ns, const std::string& pod, int restart,
                    const std::string& fingerprint, std::chrono::minutes ago) {
    auto r = sampleCrash(pod, restart);
    r.event.clusterName = cluster;
    r.event.namespace_ = ns;
    r.event.detectedAt = clock_->now() - ago;
    r.fingerprint = fingerprint;
    store_.crashes->recordCrash(r);
  };
  record("prod", "payments", "api-1", 1, "aaaaaaaaaaaaaaaa", 300min);
  record("prod", "payments", "api-2", 1, "aaaaaaaaaaaaaaaa", 200min);
  record("staging", "payments", "api-1", 1, "aaaaaaaaaaaaaaaa", 100min);
  record("prod", "search", "idx-0", 1, "bbbbbbbbbbbbbbbb", 10min);
  // Read on a store of its own, as podmonctl does.
  const auto opened = openTestStore({}, clock_);
  auto& crashes = *opened.crashes;

  auto all = crashes.listFingerprints(FingerprintQuery{});
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].fingerprint, "aaaaaaaaaaaaaaaa");
  EXPECT_EQ(all[0].count, 3);
  EXPECT_EQ(all[0].pods, 3);
  EXPECT_EQ(all[0].clusters, 2);
  EXPECT_EQ(all[0].firstSeen, clock_->now() - 300min);
  EXPECT_EQ(all[0].lastSeen, clock_->now() - 100min);
  EXPECT_EQ(all[0].sampleReason, "OOMKilled");
  EXPECT_EQ(all[0].sampleExitCode, 137);
  EXPECT_EQ(all[0].sampleImage, "registry.example.com/api:1.2.3");
  EXPECT_EQ(all[1].fingerprint, "bbbbbbbbbbbbbbbb");

  auto search = crashes.listFingerprints(FingerprintQuery{"prod", "search", std::nullopt, 50});
  ASSERT_EQ(search.size(), 1u);
  EXPECT_EQ(search[0].fingerprint, "bbbbbbbbbbbbbbbb");
  auto staging = crashes.listFingerprints(FingerprintQuery{"staging", "", std::nullopt, 50});
  ASSERT_EQ(staging.size(), 1u);
  EXPECT_EQ(staging[0].count, 3);  // counts stay over all clusters
  auto recent = crashes.listFingerprints(FingerprintQuery{"", "", clock_->now() - 50min, 50});
  ASSERT_EQ(recent.size(), 1u);
  EXPECT_EQ(recent[0].fingerprint, "bbbbbbbbbbbbbbbb");
  EXPECT_EQ(crashes.listFingerprints(FingerprintQuery{"", "", std::nullopt, 1}).size(), 1u);
}

TEST_P(StoreCrashTest, BaselinesNeverGoBackForOnePodAndAreReplacedForARecreatedPod) {
  store_.containerStates->saveBaseline("prod", ContainerState{"payments", "db-0", "db", "uid-a", 5, "cri://1"});
  store_.containerStates->saveBaseline("prod", ContainerState{"payments", "db-0", "db", "uid-a", 4, ""});  // stale
  auto states = store_.containerStates->loadContainerStates("prod");
  ASSERT_EQ(states.size(), 1u);
  EXPECT_EQ(states[0], (ContainerState{"payments", "db-0", "db", "uid-a", 5, "cri://1"}));

  // recreated
  store_.containerStates->saveBaseline("prod", ContainerState{"payments", "db-0", "db", "uid-b", 0, "cri://2"});
  states = store_.containerStates->loadContainerStates("prod");
  ASSERT_EQ(states.size(), 1u);
  EXPECT_EQ(states[0], (ContainerState{"payments", "db-0", "db", "uid-b", 0, "cri://2"}));

  store_.containerStates->saveBaseline("prod", ContainerState{"payments", "db-0", "sidecar", "uid-b", 1, ""});
  store_.containerStates->saveBaseline("other", ContainerState{"payments", "db-0", "db", "uid-x", 9, ""});
  EXPECT_EQ(store_.containerStates->loadContainerStates("prod").size(), 2u);
  EXPECT_EQ(store_.containerStates->deletePodStates("prod", "payments", "db-0"), 2);
  EXPECT_TRUE(store_.containerStates->loadContainerStates("prod").empty());
  EXPECT_EQ(store_.containerStates->loadContainerStates("other").size(), 1u);
}

TEST_P(StoreCrashTest, BaselinesInOneBatchFollowTheSameRulesInOrder) {
  // The same sequence as above, as one saveBaselines call: rows apply in order.
  store_.containerStates->saveBaselines("prod", {ContainerState{"payments", "db-0", "db", "uid-a", 5, "cri://1"},
                                                 ContainerState{"payments", "db-0", "db", "uid-a", 4, ""},
                                                 ContainerState{"payments", "web-0", "web", "uid-w", 1, ""}});
  auto states = store_.containerStates->loadContainerStates("prod");
  ASSERT_EQ(states.size(), 2u);
  std::sort(states.begin(), states.end(), [](const auto& a, const auto& b) { return a.podName < b.podName; });
  EXPECT_EQ(states[0], (ContainerState{"payments", "db-0", "db", "uid-a", 5, "cri://1"}));
  EXPECT_EQ(states[1], (ContainerState{"payments", "web-0", "web", "uid-w", 1, ""}));

  // More than one statement's worth: every row lands, the recreated pod's count replaces the old.
  std::vector<ContainerState> many;
  for (std::size_t i = 0; i < SqlContainerStateStore::kBaselineBatch * 2 + 7; ++i) {
    many.push_back(ContainerState{"team-" + std::to_string(i % 3), "pod-" + std::to_string(i), "app",
                                  "uid-" + std::to_string(i), static_cast<int>(i % 5), ""});
  }
  many.push_back(ContainerState{"payments", "db-0", "db", "uid-b", 0, "cri://2"});
  store_.containerStates->saveBaselines("prod", many);
  states = store_.containerStates->loadContainerStates("prod");
  EXPECT_EQ(states.size(), many.size() + 1);  // web-0 stays
  auto db = std::find_if(states.begin(), states.end(), [](const auto& s) { return s.podName == "db-0"; });
  ASSERT_NE(db, states.end());
  EXPECT_EQ(*db, (ContainerState{"payments", "db-0", "db", "uid-b", 0, "cri://2"}));
  auto last = std::find_if(states.begin(), states.end(),
                           [&](const auto& s) { return s.podName == many[many.size() - 2].podName; });
  ASSERT_NE(last, states.end());
  EXPECT_EQ(*last, many[many.size() - 2]);
  store_.containerStates->saveBaselines("prod", {});  // nothing to do, no statement
}

TEST_P(StoreCrashTest, ManyOutboxItemsMarkedDeliveredInOneStatement) {
  store_.crashes->recordCrash(sampleCrash("a", 1));
  store_.crashes->recordCrash(sampleCrash("b", 1));
  store_.crashes->recordCrash(sampleCrash("c", 1));
  auto claimed = store_.outbox->claimOutbox(Sink::kElasticsearch, 10, 30s);
  ASSERT_EQ(claimed.size(), 3u);
  store_.outbox->markDeliveredMany({claimed[0].id, claimed[2].id});
  store_.outbox->markDeliveredMany({});
  auto stats = store_.outbox->outboxStats();
  auto es =
      std::find_if(stats.begin(), stats.end(), [](const OutboxStats& s) { return s.sink == Sink::kElasticsearch; });
  ASSERT_NE(es, stats.end());
  EXPECT_EQ(es->pending, 1);  // b: still claimed, comes back after its lease
  clock_->advance(31s);
  auto again = store_.outbox->claimOutbox(Sink::kElasticsearch, 10, 30s);
  ASSERT_EQ(again.size(), 1u);
  EXPECT_EQ(again[0].crash.record.event.podName, "b");
  EXPECT_EQ(again[0].id, claimed[1].id);
}

TEST_P(StoreCrashTest, ReleasedClaimsAreDueAgainWithTheirAttemptUndoneUnlessClaimedSince) {
  store_.crashes->recordCrash(sampleCrash("a", 1));
  store_.crashes->recordCrash(sampleCrash("b", 1));
  store_.crashes->recordCrash(sampleCrash("c", 1));
  auto claimed = store_.outbox->claimOutbox(Sink::kElasticsearch, 10, 30s);
  ASSERT_EQ(claimed.size(), 3u);
  store_.outbox->markDeliveredMany({claimed[0].id});
  clock_->advance(1s);
  store_.outbox->releaseClaim({claimed[0], claimed[1]});  // a is delivered: it stays done
  store_.outbox->releaseClaim({});
  auto again = store_.outbox->claimOutbox(Sink::kElasticsearch, 10, 30s);
  ASSERT_EQ(again.size(), 1u);  // b, at once; c still leased
  EXPECT_EQ(again[0].id, claimed[1].id);
  EXPECT_EQ(again[0].attempts, 1);
  // A stale release (c's lease ran out and another claim took it) gives nothing back.
  clock_->advance(31s);
  ASSERT_EQ(store_.outbox->claimOutbox(Sink::kElasticsearch, 10, 30s).size(), 2u);  // b and c
  store_.outbox->releaseClaim({claimed[2]});
  EXPECT_TRUE(store_.outbox->claimOutbox(Sink::kElasticsearch, 10, 30s).empty());
  EXPECT_EQ(queryInt("SELECT attempts FROM podmon_outbox WHERE id = " + std::to_string(claimed[2].id)), 2);
}

TEST_P(StoreCrashTest, OutboxClaimLeaseRetryDeliverAndDead) {
  const auto first = store_.crashes->recordCrash(sampleCrash("a", 1));
  clock_->advance(1s);
  store_.crashes->recordCrash(sampleCrash("b", 1));
  clock_->advance(1s);
  store_.crashes->recordCrash(sampleCrash("c", 1));
  clock_->advance(10s);

  auto claimed = store_.outbox->claimOutbox(Sink::kSlack, 2, 30s);
  ASSERT_EQ(claimed.size(), 2u);
  EXPECT_EQ(claimed[0].crash.id, first.id);  // oldest first
  EXPECT_EQ(claimed[0].sink, Sink::kSlack);
  EXPECT_EQ(claimed[0].attempts, 1);
  EXPECT_EQ(claimed[0].crash.record.logs, "starting\nout of memory\n");
  EXPECT_EQ(claimed[0].crash.record.event.podName, "a");

  // Leased: the next claim gets only the third.
  auto rest = store_.outbox->claimOutbox(Sink::kSlack, 10, 30s);
  ASSERT_EQ(rest.size(), 1u);
  EXPECT_EQ(rest[0].crash.record.event.podName, "c");
  EXPECT_TRUE(store_.outbox->claimOutbox(Sink::kSlack, 10, 30s).empty());

  store_.outbox->markDelivered(claimed[0].id);
  store_.outbox->markFailed(claimed[1].id, clock_->now() + 60s, "HTTP 500 from Slack");
  store_.outbox->markDead(rest[0].id, "channel_not_found");

  auto stats = store_.outbox->outboxStats();
  auto slack = std::find_if(stats.begin(), stats.end(), [](const OutboxStats& s) { return s.sink == Sink::kSlack; });
  ASSERT_NE(slack, stats.end());
  EXPECT_EQ(slack->pending, 1);
  EXPECT_EQ(slack->failed, 1);
  EXPECT_EQ(slack->dead, 1);
  ASSERT_TRUE(slack->oldestPendingAge);
  EXPECT_EQ(*slack->oldestPendingAge, 11s);  // crash b's row, created at +1s, now +12s
  auto es =
      std::find_if(stats.begin(), stats.end(), [](const OutboxStats& s) { return s.sink == Sink::kElasticsearch; });
  ASSERT_NE(es, stats.end());
  EXPECT_EQ(es->pending, 3);
  EXPECT_EQ(es->failed, 0);

  // The failed one comes back when due, with its attempt counted; the lease of an unanswered
  // claim expires the same way.
  clock_->advance(59s);
  EXPECT_TRUE(store_.outbox->claimOutbox(Sink::kSlack, 10, 30s).empty());
  clock_->advance(1s);
  auto retry = store_.outbox->claimOutbox(Sink::kSlack, 10, 30s);
  ASSERT_EQ(retry.size(), 1u);
  EXPECT_EQ(retry[0].id, claimed[1].id);
  EXPECT_EQ(retry[0].attempts, 2);
  EXPECT_EQ(queryText("SELECT last_error FROM podmon_outbox WHERE id = " + std::to_string(claimed[1].id)),
            "HTTP 500 from Slack");
  clock_->advance(31s);
  auto again = store_.outbox->claimOutbox(Sink::kSlack, 10, 30s);
  ASSERT_EQ(again.size(), 1u);
  EXPECT_EQ(again[0].attempts, 3);

  // Delivered and dead rows are never claimed again.
  clock_->advance(24h);
  auto late = store_.outbox->claimOutbox(Sink::kSlack, 10, 30s);
  ASSERT_EQ(late.size(), 1u);
  EXPECT_EQ(late[0].id, claimed[1].id);
}

TEST_P(StoreCrashTest, ConcurrentClaimsNeverHandOutARowTwice) {
  for (int i = 0; i < 40; ++i) store_.crashes->recordCrash(sampleCrash("p" + std::to_string(i), 1));
  std::mutex mutex;
  std::multiset<std::int64_t> seen;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (;;) {
        auto items = store_.outbox->claimOutbox(Sink::kElasticsearch, 3, 10min);
        if (items.empty()) return;
        std::lock_guard lock(mutex);
        for (const auto& item : items) seen.insert(item.id);
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(seen.size(), 40u);
  EXPECT_EQ(std::set<std::int64_t>(seen.begin(), seen.end()).size(), 40u);
}

TEST_P(StoreCrashTest, ClaimsFromSeveralStoresNeverHandOutARowTwice) {
  // One store per thread: with SQLite each is a connection of its own, as several processes would
  // be, so this exercises BEGIN IMMEDIATE and busy_timeout rather than the in-process mutex.
  for (int i = 0; i < 30; ++i) store_.crashes->recordCrash(sampleCrash("p" + std::to_string(i), 1));
  std::mutex mutex;
  std::multiset<std::int64_t> seen;
  std::vector<std::string> errors(3);
  std::vector<std::thread> threads;
  for (int t = 0; t < 3; ++t) {
    threads.emplace_back([&, t, store = makeStore()] {
      try {
        for (;;) {
          auto items = store.outbox->claimOutbox(Sink::kSlack, 2, 10min);
          if (items.empty()) return;
          std::lock_guard lock(mutex);
          for (const auto& item : items) seen.insert(item.id);
        }
      } catch (const Poco::Exception& error) {
        errors[t] = error.displayText();
      }
    });
  }
  for (auto& thread : threads) thread.join();
  for (const auto& error : errors) EXPECT_EQ(error, "");
  EXPECT_EQ(seen.size(), 30u);
  EXPECT_EQ(std::set<std::int64_t>(seen.begin(), seen.end()).size(), 30u);
}

TEST_P(StoreCrashTest, MigratingAgainAppliesNothingAndKeepsTheData) {
  store_.crashes->recordCrash(sampleCrash());
  auto again = openTestStore({}, clock_);
  EXPECT_TRUE(again.migrate().empty());
  EXPECT_EQ(count("k8s_pod_crash"), 1);
  EXPECT_EQ(count("schema_migrations"), queryInt("SELECT MAX(version) FROM schema_migrations"));
}

TEST_P(StoreCrashTest, OnlyConfiguredSinksGetOutboxRows) {
  CrashStoreOptions options;
  options.outboxSinks = {Sink::kElasticsearch};
  makeStore(options).crashes->recordCrash(sampleCrash());
  EXPECT_EQ(sinks(), "elasticsearch");
}

INSTANTIATE_STORE_BACKEND_TESTS(StoreCrashTest);

}  // namespace
}  // namespace podmon::store
