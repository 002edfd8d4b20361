// The alert state store on both backends (MariaDB and SQLite): a crash-storm group's row keeps its
// members (migration 010's group_members) and its message's channel and ts; other rows keep none.
#include <gtest/gtest.h>

#include "notify/storm_summary.h"
#include "store/alert_state_store.h"
#include "store_backend_fixture.h"

namespace podmon::store {
namespace {

using namespace std::chrono_literals;

class StoreAlertStateTest : public testing::StoreBackendTest {
 protected:
  void SetUp() override {
    StoreBackendTest::SetUp();
    if (IsSkipped()) return;
    store_ = openTestStore();
    store_.migrate();
    states_ = makeAlertStateStore(store_);
  }

  static AlertState sample(const std::string& key) {
    AlertState state;
    state.key = key;
    state.channel = "C000001";
    state.threadTs = "1700000000.000001";
    state.firstAlertAt = std::chrono::system_clock::time_point(std::chrono::hours(480000));
    state.lastMessageAt = state.firstAlertAt + 15s;
    state.lastCrashAt = state.firstAlertAt + 10s;
    state.foldedCount = 3;
    state.foldedSince = state.firstAlertAt + 1s;
    state.lastReason = "Error";
    state.lastExitCode = 2;
    state.lastOutboxId = 42;
    state.carrierOutboxId = 40;
    return state;
  }

  OpenedStore store_;
  AlertStateStore::Ptr states_;
};

TEST_P(StoreAlertStateTest, AGroupKeepsItsMembersAndMessage) {
  notify::StormSummary members;
  for (int i = 0; i < 250; ++i) {
    members.add("team-" + std::to_string(i % 10), "Deployment/web-" + std::to_string(i % 5));
  }
  AlertState group = sample("storm|prod|storm-alerts|0123456789abcdef");
  group.groupMembers = members.encode();
  states_->save(group);
  const auto loaded = states_->load(group.key);
  ASSERT_TRUE(loaded);
  EXPECT_EQ(*loaded, group);
  EXPECT_EQ(notify::StormSummary::decode(loaded->groupMembers).crashes(), 250);

  // Updated in place: the members grow, the message stays.
  members.add("team-0", "Deployment/web-0");
  group.groupMembers = members.encode();
  group.foldedCount = 0;
  group.carrierOutboxId = 0;
  states_->save(group);
  EXPECT_EQ(notify::StormSummary::decode(states_->load(group.key)->groupMembers).crashes(), 251);
  EXPECT_EQ(queryInt("SELECT COUNT(*) FROM podmon_alert_state"), 1);
}

TEST_P(StoreAlertStateTest, OtherRowsHaveNoMembers) {
  const AlertState state = sample("prod|shop|Deployment/web|app");
  states_->save(state);
  EXPECT_EQ(states_->load(state.key)->groupMembers, "");
  EXPECT_EQ(queryInt("SELECT COUNT(*) FROM podmon_alert_state WHERE group_members IS NULL"), 1);
}

TEST_P(StoreAlertStateTest, OversizedMembersAreCutNotRefused) {
  AlertState group = sample("storm|prod|c|f");
  group.groupMembers = std::string(100000, 'x');
  states_->save(group);
  const auto loaded = states_->load(group.key);
  ASSERT_TRUE(loaded);
  EXPECT_LT(loaded->groupMembers.size(), 65536u);
  EXPECT_EQ(notify::StormSummary::decode(loaded->groupMembers).crashes(), 0);  // damaged, never fatal
}

INSTANTIATE_STORE_BACKEND_TESTS(StoreAlertStateTest);

}  // namespace
}  // namespace podmon::store
