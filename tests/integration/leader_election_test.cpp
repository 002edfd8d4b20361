// LeaseClient and LeaderElector against kube-sim's coordination.k8s.io/v1 Leases (real 409s),
// through the same PocoKubeTransport as the watcher.
#include <gtest/gtest.h>

#include "core/errors.h"
#include "ha/leader_elector.h"
#include "kube/lease_client.h"
#include "kube/poco_kube_transport.h"
#include "kube_sim_server.h"
#include "unit/notify/notify_fakes.h"

namespace podmon::ha {
namespace {

using namespace std::chrono_literals;

class LeaderElectionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    sim_.start();
    sim_.addNamespace("ops");
  }
  void TearDown() override { sim_.stop(); }
  kube::LeaseClient::Ptr client(const std::string& name = "podmon") {
    kube::KubeConnection c;
    c.server = sim_.baseUrl();
    return kube::LeaseClient::overTransport(std::make_shared<kube::PocoKubeTransport>(c), "ops", name);
  }
  std::unique_ptr<LeaderElector> elector(const std::string& id) {
    LeaderElectionOptions o;
    o.identity = id;
    return std::make_unique<LeaderElector>(client(), o, clock_);
  }
  kubesim::KubeSimServer sim_;
  std::shared_ptr<notify::fakes::ManualClock> clock_ = std::make_shared<notify::fakes::ManualClock>();
};

TEST_F(LeaderElectionTest, LeaseClientCreateGetUpdateAndConflicts) {
  auto c = client();
  EXPECT_FALSE(c->get());
  kube::LeaseRecord r{"a", 15, "2024-05-01T10:00:00.000000Z", "2024-05-01T10:00:00.000000Z", 0, ""};
  ASSERT_TRUE(c->create(r));
  EXPECT_FALSE(r.resourceVersion.empty());
  kube::LeaseRecord again = r;
  EXPECT_FALSE(c->create(again));  // 409 AlreadyExists
  auto read = c->get();
  ASSERT_TRUE(read);
  EXPECT_TRUE(read->sameSpec(r));
  auto stale = *read;
  read->renewTime = "2024-05-01T10:00:02.000000Z";
  ASSERT_TRUE(c->update(*read));
  stale.holderIdentity = "b";
  EXPECT_FALSE(c->update(stale));  // 409 Conflict: stale resourceVersion
  EXPECT_EQ(c->get()->holderIdentity, "a");
  EXPECT_EQ(c->get()->renewTime, "2024-05-01T10:00:02.000000Z");
}

TEST_F(LeaderElectionTest, TwoElectorsOneLeaderTakeoverAndRelease) {
  auto a = elector("a");
  auto b = elector("b");
  a->tick();
  b->tick();
  EXPECT_TRUE(a->isLeader());
  EXPECT_FALSE(b->isLeader());
  EXPECT_EQ(b->observedHolder(), "a");
  // a stops renewing (killed): b takes over after the lease duration on its own clock.
  clock_->advance(15s);
  b->tick();
  EXPECT_TRUE(b->isLeader());
  auto lease = client()->get();
  EXPECT_EQ(lease->holderIdentity, "b");
  EXPECT_EQ(lease->leaseTransitions, 1);
  // a comes back: its renewal conflicts or finds b's lease; it stands down.
  a->tick();
  EXPECT_FALSE(a->isLeader());
  // b releases: a takes over at once.
  EXPECT_TRUE(b->release());
  EXPECT_EQ(client()->get()->leaseDurationSeconds, 1);
  clock_->advance(1ms);
  a->tick();
  EXPECT_TRUE(a->isLeader());
  EXPECT_EQ(client()->get()->leaseTransitions, 2);
}

TEST_F(LeaderElectionTest, UnreachableApiServerThrowsKubeException) {
  kube::KubeConnection c;
  c.server = "http://127.0.0.1:1";
  auto unreachable = kube::LeaseClient::overTransport(std::make_shared<kube::PocoKubeTransport>(c), "ops", "x");
  EXPECT_THROW(unreachable->get(), KubeException);
}

}  // namespace
}  // namespace podmon::ha
