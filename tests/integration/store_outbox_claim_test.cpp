// Outbox claims on servers without SKIP LOCKED (MySQL 5.7, MariaDB 10.3-10.5), forced on the test
// MariaDB by naming an old server version in the backend's config: the claim locks with plain FOR
// UPDATE, waits for a claim that holds its rows, and several claimers never get the same row.
#include <Poco/Data/MySQL/Connector.h>
#include <Poco/Data/Session.h>
#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <mutex>
#include <set>
#include <thread>

#include "mariadb_fixture.h"
#include "store/mysql_backend.h"
#include "store/store_factory.h"

using namespace Poco::Data::Keywords;

namespace podmon::store {
namespace {

using namespace std::chrono_literals;

CrashRecord crashOf(const std::string& pod) {
  CrashRecord record;
  auto& e = record.event;
  e.clusterName = "prod";
  e.namespace_ = "payments";
  e.podName = pod;
  e.podUid = "uid-" + pod;
  e.containerName = "app";
  e.restartCount = 1;
  e.reason = "Error";
  e.exitCode = 1;
  e.detectedAt = std::chrono::system_clock::now() - 1min;
  return record;
}

class StoreOutboxClaimTest : public testing::MariaDbTest {
 protected:
  void SetUp() override {
    MariaDbTest::SetUp();
    if (IsSkipped()) return;
    store_ = storeOn("5.7.44-log");
    store_.migrate();
  }

  // A store with a session pool of its own, on a server that says it is `version` ("" = ask it).
  OpenedStore storeOn(const std::string& version) {
    auto config = storeConfig();
    config.serverVersion = version;
    CrashStoreOptions options;
    options.outboxSinks = {Sink::kElasticsearch};
    return openStoreOn(std::make_shared<MySqlBackend>(config), options);
  }

  // The id of the oldest due outbox row, locked FOR UPDATE in `session`'s open transaction.
  Poco::Int64 lockOldestRow(Poco::Data::Session& session) {
    Poco::Int64 id = 0;
    session << "SELECT MIN(`id`) FROM `podmon_outbox`", into(id), now;
    session.begin();
    Poco::Int64 locked = 0;  // by its primary key: this one row only
    session << "SELECT `id` FROM `podmon_outbox` WHERE `id` = ? FOR UPDATE", use(id), into(locked), now;
    return locked;
  }

  Poco::Data::Session rawSession() {
    Poco::Data::MySQL::Connector::registerConnector();
    return Poco::Data::Session("MySQL", storeConfig().connectionString(), 10);
  }

  OpenedStore store_;
};

TEST_F(StoreOutboxClaimTest, WithoutSkipLockedAClaimWaitsForTheRowsAnotherTransactionHolds) {
  for (int i = 0; i < 3; ++i) store_.crashes->recordCrash(crashOf("p" + std::to_string(i)));
  auto holder = rawSession();
  const Poco::Int64 held = lockOldestRow(holder);

  // The server's own version (10.11: SKIP LOCKED): the held row is passed by, the others come at once.
  auto modern = storeOn("");
  auto skipped = modern.outbox->claimOutbox(Sink::kElasticsearch, 10, 10min);
  ASSERT_EQ(skipped.size(), 2u);
  for (const auto& item : skipped) EXPECT_NE(item.id, held);
  modern.outbox->markFailed(skipped[0].id, std::chrono::system_clock::now() - 1min, "again");
  modern.outbox->markFailed(skipped[1].id, std::chrono::system_clock::now() - 1min, "again");

  // As MySQL 5.7: plain FOR UPDATE waits for the holder, then gets every row.
  auto claim =
      std::async(std::launch::async, [&] { return store_.outbox->claimOutbox(Sink::kElasticsearch, 10, 10min); });
  EXPECT_EQ(claim.wait_for(700ms), std::future_status::timeout) << "the claim did not wait for the locked row";
  holder.commit();
  ASSERT_EQ(claim.wait_for(20s), std::future_status::ready);
  auto all = claim.get();
  std::set<Poco::Int64> ids;
  for (const auto& item : all) ids.insert(item.id);
  EXPECT_EQ(ids.size(), 3u);
  EXPECT_EQ(ids.count(held), 1u);
}

TEST_F(StoreOutboxClaimTest, WithoutSkipLockedConcurrentClaimersNeverGetTheSameRow) {
  constexpr int kRows = 60;
  for (int i = 0; i < kRows; ++i) store_.crashes->recordCrash(crashOf("p" + std::to_string(i)));
  std::mutex mutex;
  std::multiset<Poco::Int64> seen;
  std::vector<std::string> errors(4);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    // A store (session pool) per claimer, as several podmon instances would have.
    threads.emplace_back([&, t, store = storeOn("10.5.23-MariaDB-1:10.5.23+maria~ubu2004")] {
      try {
        for (;;) {
          auto items = store.outbox->claimOutbox(Sink::kElasticsearch, 4, 10min);
          if (items.empty()) return;
          std::lock_guard lock(mutex);
          for (const auto& item : items) seen.insert(item.id);
        }
      } catch (const std::exception& error) {
        errors[t] = error.what();
      }
    });
  }
  for (auto& thread : threads) thread.join();
  for (const auto& error : errors) EXPECT_EQ(error, "");
  EXPECT_EQ(seen.size(), static_cast<std::size_t>(kRows));
  EXPECT_EQ(std::set<Poco::Int64>(seen.begin(), seen.end()).size(), static_cast<std::size_t>(kRows));
  EXPECT_EQ(queryInt("SELECT COUNT(*) FROM podmon_outbox WHERE attempts = 1"), kRows);
}

}  // namespace
}  // namespace podmon::store
