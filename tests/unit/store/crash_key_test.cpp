#include "store/crash_key.h"

#include <gtest/gtest.h>

namespace podmon::store {
namespace {

crash::CrashEvent event() {
  crash::CrashEvent e;
  e.clusterName = "prod";
  e.namespace_ = "payments";
  e.podUid = "7c1e-uid";
  e.containerName = "app";
  e.restartCount = 3;
  return e;
}

TEST(CrashKeyTest, IsSha256HexOfTheIdentity) {
  // printf 'prod\npayments\n7c1e-uid\napp\n3' | sha256sum
  EXPECT_EQ(crashKey(event()), "12ea5dd24b2946b05d4524bbdc069185c447afc5297a0d4d77a7e7ff13fe0853");
}

TEST(CrashKeyTest, DependsOnEveryPartOfTheIdentityOnly) {
  const auto base = crashKey(event());
  auto e = event();
  e.reason = "OOMKilled";
  e.podName = "renamed";
  EXPECT_EQ(crashKey(e), base);
  for (int field = 0; field < 5; ++field) {
    auto changed = event();
    if (field == 0) changed.clusterName = "staging";
    if (field == 1) changed.namespace_ = "search";
    if (field == 2) changed.podUid = "other";
    if (field == 3) changed.containerName = "sidecar";
    if (field == 4) changed.restartCount = 4;
    EXPECT_NE(crashKey(changed), base) << field;
  }
}

}  // namespace
}  // namespace podmon::store
