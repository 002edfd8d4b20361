#include "store/workload_query.h"

#include <gtest/gtest.h>

namespace podmon::store {
namespace {

TEST(PodNameFitsWorkload, EachKindsGeneratedPodNames) {
  EXPECT_TRUE(podNameFitsWorkload("deployment", "web", "web-6d4cf56db6-h7x2k"));
  EXPECT_FALSE(podNameFitsWorkload("deployment", "web", "web-api-6d4cf56db6-h7x2k"));  // web-api's pod
  EXPECT_FALSE(podNameFitsWorkload("deployment", "web", "web-h7x2k"));
  EXPECT_FALSE(podNameFitsWorkload("deployment", "web", "webx-6d4cf56db6-h7x2k"));
  EXPECT_TRUE(podNameFitsWorkload("statefulset", "db", "db-0"));
  EXPECT_TRUE(podNameFitsWorkload("statefulset", "db", "db-12"));
  EXPECT_FALSE(podNameFitsWorkload("statefulset", "db", "db-a"));
  EXPECT_FALSE(podNameFitsWorkload("statefulset", "db", "db-"));
  EXPECT_TRUE(podNameFitsWorkload("daemonset", "agent", "agent-x7k2p"));
  EXPECT_FALSE(podNameFitsWorkload("daemonset", "agent", "agent-x7k2"));
  EXPECT_TRUE(podNameFitsWorkload("job", "report", "report-q2w3e"));
  EXPECT_TRUE(podNameFitsWorkload("job", "report", "report-29000000-q2w3e"));  // a CronJob's job
  EXPECT_FALSE(podNameFitsWorkload("job", "report", "report-daily-q2w3e"));
  EXPECT_TRUE(podNameFitsWorkload("pod", "db-0", "db-0"));
  EXPECT_FALSE(podNameFitsWorkload("pod", "db", "db-0"));
  EXPECT_FALSE(podNameFitsWorkload("replicaset", "web", "web-h7x2k"));
}

TEST(OwnerKindsOf, JobCoversCronJobAndPodHasNone) {
  EXPECT_EQ(ownerKindsOf("job"), (std::vector<std::string>{"job", "cronjob"}));
  EXPECT_EQ(ownerKindsOf("deployment"), (std::vector<std::string>{"deployment"}));
  EXPECT_TRUE(ownerKindsOf("pod").empty());
}

}  // namespace
}  // namespace podmon::store
