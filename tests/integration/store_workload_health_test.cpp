// Workload health on a real store (MySQL on MariaDB, and SQLite): one workload's crashes within
// the window by an indexed query, however busy its namespace; a workload never seen is 404.
#include <gtest/gtest.h>

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <string>

#include "fakes/manual_clock.h"
#include "status/health_api.h"
#include "store_backend_fixture.h"

namespace podmon::store {
namespace {

using namespace std::chrono_literals;
using podmon::testing::ManualClock;

// 2024-05-01T10:00:00Z
constexpr std::chrono::seconds kStart{1714557600LL};

CrashRecord crashOf(const std::string& pod, const std::string& ownerKind, const std::string& ownerName,
                    std::chrono::system_clock::time_point at, int restart = 1) {
  CrashRecord record;
  auto& e = record.event;
  e.clusterName = "prod";
  e.namespace_ = "shop";
  e.podName = pod;
  e.podUid = "uid-" + pod;
  e.containerName = "app";
  e.restartCount = restart;
  e.reason = "OOMKilled";
  e.exitCode = 137;
  e.ownerKind = ownerKind;
  e.ownerName = ownerName;
  e.detectedAt = at;
  record.logs = "out of memory\n";
  record.logsStatus = "ok";
  return record;
}

class StoreWorkloadHealthTest : public testing::StoreBackendTest {
 protected:
  void SetUp() override {
    StoreBackendTest::SetUp();
    if (IsSkipped()) return;
    clock_ = std::make_shared<ManualClock>(std::chrono::system_clock::time_point(kStart));
    store_ = openTestStore({}, clock_);
    store_.migrate();
  }

  // `rows` crashes of other jobs in namespace shop, each `seconds` after the previous, from `at`;
  // written in a few multi-row statements (recording 1,000 crashes one by one takes too long).
  void otherCrashes(int rows, const std::string& at) {
    for (int first = 0; first < rows; first += 200) {
      std::string sql =
          "INSERT INTO `k8s_pod_crash` (`clustername`, `namespace`, `containername`, `restartcount`, `date`, "
          "`podname`, `owner_kind`, `owner_name`) VALUES ";
      for (int i = first; i < std::min(rows, first + 200); ++i) {
        if (i > first) sql += ", ";
        sql += "('prod', 'shop', 'app', 1, '" + at + "', 'batch-" + std::to_string(i) + "-abcde', 'Job', 'batch-" +
               std::to_string(i) + "')";
      }
      exec(sql);
    }
  }

  status::ApiResponse health(const std::string& path) {
    status::HealthApiOptions options;
    options.clusterName = "prod";
    options.token = "tok";
    status::HealthApi api(options, store_.crashes, clock_);
    status::ApiRequest request;
    request.path = "/api/v1/healthz/" + path;
    request.authorization = "Bearer tok";
    request.client = "10.0.0.1";
    return api.handle(request);
  }
  static Poco::JSON::Object::Ptr json(const status::ApiResponse& r) {
    return Poco::JSON::Parser().parse(r.body).extract<Poco::JSON::Object::Ptr>();
  }

  std::shared_ptr<ManualClock> clock_;
  OpenedStore store_;
};

TEST_P(StoreWorkloadHealthTest, ABusyNamespaceCannotHideACrashingWorkload) {
  store_.crashes->recordCrash(crashOf("web-6d4cf56db6-h7x2k", "Deployment", "web", clock_->now() - 5min));
  otherCrashes(1200, "2024-05-01 09:58:00.000000");  // all newer than web's crash
  auto r = health("shop/deployment/web");
  EXPECT_EQ(r.status, 503);
  auto body = json(r);
  EXPECT_EQ(body->getValue<std::string>("status"), "crashing");
  EXPECT_EQ(body->getValue<int>("crashes"), 1);
  EXPECT_EQ(body->getObject("latestCrash")->getValue<std::string>("pod"), "web-6d4cf56db6-h7x2k");
  EXPECT_EQ(health("shop/job/batch-7").status, 503);
  EXPECT_EQ(health("shop/pod/batch-7-abcde").status, 503);
}

TEST_P(StoreWorkloadHealthTest, CountsOnlyTheWindowAndNamesTheNewestCrash) {
  const auto now = clock_->now();
  store_.crashes->recordCrash(crashOf("report-29000000-q2w3e", "CronJob", "report", now - 30min, 1));
  store_.crashes->recordCrash(crashOf("report-29000000-q2w3e", "CronJob", "report", now - 3min, 2));
  store_.crashes->recordCrash(crashOf("report-29000010-k2j4h", "CronJob", "report", now - 1min, 1));
  WorkloadQuery query{"prod", "shop", "job", "report", now - 10min};
  auto found = store_.crashes->workloadCrashes(query);
  EXPECT_TRUE(found.known);
  EXPECT_EQ(found.crashes, 2);
  ASSERT_TRUE(found.latest);
  EXPECT_EQ(found.latest->record.event.podName, "report-29000010-k2j4h");
  EXPECT_TRUE(found.latest->record.logs.empty());
  query.since = now - 1h;
  EXPECT_EQ(store_.crashes->workloadCrashes(query).crashes, 3);
  query.clusterName = "staging";
  EXPECT_FALSE(store_.crashes->workloadCrashes(query).known);
}

TEST_P(StoreWorkloadHealthTest, AWorkloadNeverSeenIs404NotHealthy) {
  EXPECT_EQ(health("shop/deployment/web").status, 404);
  EXPECT_EQ(json(health("shop/deployment/web"))->getValue<std::string>("status"), "unknown");
  // Pods seen by the watcher that never crashed: only their state rows know them.
  store_.containerStates->saveBaseline("prod", {"shop", "web-6d4cf56db6-h7x2k", "app", "uid-1", 0, ""});
  store_.containerStates->saveBaseline("prod", {"shop", "web-api-7d9f8c6b5-abcde", "app", "uid-2", 0, ""});
  store_.containerStates->saveBaseline("prod", {"shop", "db-0", "app", "uid-3", 0, ""});
  EXPECT_EQ(health("shop/deployment/web").status, 200);
  EXPECT_EQ(health("shop/deployment/web-api").status, 200);
  EXPECT_EQ(health("shop/deployment/we").status, 404);
  EXPECT_EQ(health("shop/statefulset/db").status, 200);
  EXPECT_EQ(health("shop/pod/db-0").status, 200);
  EXPECT_EQ(health("shop/pod/db-1").status, 404);
  EXPECT_EQ(health("other/deployment/web").status, 404);
  // A crash long before the window still makes its workload known (and healthy now).
  store_.crashes->recordCrash(crashOf("cache-5c7d8-k2j4h", "Deployment", "cache", clock_->now() - 48h));
  store_.containerStates->deletePodStates("prod", "shop", "cache-5c7d8-k2j4h");
  auto cache = health("shop/deployment/cache");
  EXPECT_EQ(cache.status, 200);
  EXPECT_EQ(json(cache)->getValue<int>("crashes"), 0);
}

TEST_P(StoreWorkloadHealthTest, TheMigrationAddsTheWorkloadIndexes) {
  for (const std::string index : {"ix_k8s_pod_crash_owner_date", "ix_k8s_pod_crash_pod_date"}) {
    const std::string sql =
        sqlite() ? "SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND name = '" + index + "'"
                 : "SELECT COUNT(DISTINCT index_name) FROM information_schema.statistics WHERE table_schema = "
                   "DATABASE() AND table_name = 'k8s_pod_crash' AND index_name = '" +
                       index + "'";
    EXPECT_EQ(queryInt(sql), 1) << index;
  }
}

INSTANTIATE_STORE_BACKEND_TESTS(StoreWorkloadHealthTest);

}  // namespace
}  // namespace podmon::store
