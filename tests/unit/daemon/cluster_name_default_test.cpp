// useContextClusterName: CLUSTER_NAME's run-time default, from the kubeconfig context or, in-cluster,
// the original's local-cluster.
#include <gtest/gtest.h>

#include "daemon/production_dependencies.h"

namespace podmon::daemon {
namespace {

TEST(ClusterNameDefaultTest, TheContextsClusterOutsideAClusterLocalClusterInside) {
  kube::KubeConnection kubeconfig;
  kubeconfig.clusterName = "staging-eu";
  kubeconfig.contextName = "me@staging-eu";
  Settings outside;
  useContextClusterName(outside, kubeconfig);
  EXPECT_EQ(outside.clusterName, "staging-eu");

  kube::KubeConnection inCluster;  // a service account names no cluster
  Settings inside;
  useContextClusterName(inside, inCluster);
  EXPECT_EQ(inside.clusterName, "local-cluster");
  EXPECT_NO_THROW(inside.requireForDaemon());

  Settings given;
  given.clusterName = "prod";
  useContextClusterName(given, kubeconfig);
  EXPECT_EQ(given.clusterName, "prod");
  useContextClusterName(given, inCluster);
  EXPECT_EQ(given.clusterName, "prod");
}

}  // namespace
}  // namespace podmon::daemon
