// MySQL killed (kill -9) while podmon runs: every store call throws StoreException during the
// outage (never "no state", "no routes" or "no ignores"), and the same store objects work again
// once the server is back, without a restart of podmon.
#include <gtest/gtest.h>

#include <memory>

#include "core/clock.h"
#include "core/errors.h"
#include "mariadb_fixture.h"
#include "notify/notify_rules.h"
#include "store/store_factory.h"

namespace podmon::store {
namespace {

CrashRecord crash(int restartCount) {
  CrashRecord record;
  record.event.clusterName = "prod";
  record.event.namespace_ = "payments";
  record.event.podName = "api-1";
  record.event.podUid = "uid-1";
  record.event.containerName = "app";
  record.event.restartCount = restartCount;
  record.logs = "died\n";
  return record;
}

template <typename Fn>
void expectStoreException(const char* what, const std::string& password, Fn&& fn) {
  try {
    fn();
    ADD_FAILURE() << what << " did not throw while MySQL was down";
  } catch (const StoreException& error) {
    EXPECT_EQ(error.displayText().find(password), std::string::npos) << error.displayText();
    EXPECT_NE(error.displayText().find("unreachable"), std::string::npos) << error.displayText();
  } catch (const std::exception& error) {
    ADD_FAILURE() << what << " threw something else: " << error.what();
  }
}

TEST(StoreOutageTest, ThrowsDuringAnOutageAndRecoversAfterwards) {
  auto credentials = testing::TestMySqlServer::fromEnvironment();
  if (!credentials) GTEST_SKIP() << "PODMON_TEST_MYSQL_* not set: see tools/dev/mariadb-test-server";
  testing::PrivateMariaDb server(*credentials);  // a server of its own: this test kills it

  auto config = server.server().config(credentials->database);
  StoreChoice choice;
  choice.backend = StoreBackend::kMySql;
  choice.mysql = config;
  const OpenedStore store = openStore(choice, CrashStoreOptions{});
  store.migrate();
  const auto admin = makeAdminStore(store);
  admin->setRoute({"prod", "payments", "#pay"}, "test");
  admin->addIgnore({"prod", "payments", "sidecar"}, "test");
  ASSERT_TRUE(store.crashes->recordCrash(crash(1)).isNew);
  ASSERT_EQ(store.containerStates->loadContainerStates("prod").size(), 1u);  // the pool now holds live sessions

  server.kill();
  const std::string& pw = config.password;
  expectStoreException("loadContainerStates", pw, [&] { store.containerStates->loadContainerStates("prod"); });
  expectStoreException("listRoutes", pw, [&] { store.notifyRules->listRoutes(""); });
  expectStoreException("listIgnores", pw, [&] { store.notifyRules->listIgnores(""); });
  expectStoreException("recordCrash", pw, [&] { store.crashes->recordCrash(crash(2)); });
  expectStoreException("saveBaseline", pw, [&] {
    store.containerStates->saveBaseline("prod", {"payments", "api-1", "app", "uid-1", 2, ""});
  });
  expectStoreException("claimOutbox", pw,
                       [&] { store.outbox->claimOutbox(Sink::kSlack, 10, std::chrono::seconds(30)); });

  server.restart();
  // Same store object, no reconnect call: the pool replaced its dead sessions by itself.
  auto states = store.containerStates->loadContainerStates("prod");
  ASSERT_EQ(states.size(), 1u);
  EXPECT_EQ(states[0].restartCount, 1);
  const notify::NotifyRules rules(store.notifyRules->listRoutes(""), store.notifyRules->listIgnores(""));
  EXPECT_EQ(rules.channelFor("prod", "payments"), "#pay");
  EXPECT_TRUE(rules.isIgnored("prod", "payments", "sidecar"));
  EXPECT_TRUE(store.crashes->recordCrash(crash(2)).isNew);
  EXPECT_FALSE(store.crashes->recordCrash(crash(1)).isNew);
  EXPECT_EQ(store.outbox->claimOutbox(Sink::kSlack, 10, std::chrono::seconds(30)).size(), 2u);

  // And once more, with the outage hitting sessions that were idle in the pool.
  server.kill();
  server.restart();
  EXPECT_EQ(store.containerStates->loadContainerStates("prod").size(), 1u);
}

}  // namespace
}  // namespace podmon::store
