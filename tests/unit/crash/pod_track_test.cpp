#include "crash/pod_track.h"

#include <gtest/gtest.h>

namespace podmon::crash {
namespace {

TEST(PodTrack, KeepsTheNameAndTheContainersInOneRecord) {
  PodTrack track(7, "checkout-5d9c7b-xk2p4");
  EXPECT_EQ(track.namespaceId(), 7u);
  EXPECT_EQ(track.name(), "checkout-5d9c7b-xk2p4");
  EXPECT_EQ(track.containerCount(), 0u);
  track.addContainer({1, 3, 0xABCDEF});
  track.addContainer({2, 0, 0});
  ASSERT_EQ(track.containerCount(), 2u);
  EXPECT_EQ(track.name(), "checkout-5d9c7b-xk2p4");
  EXPECT_EQ(track.container(0).nameId, 1u);
  EXPECT_EQ(track.container(0).restartCount, 3);
  EXPECT_EQ(track.container(0).reportedTermination, 0xABCDEFu);
  EXPECT_EQ(track.container(1).nameId, 2u);
  static_assert(sizeof(ContainerTrack) == 16);
  static_assert(sizeof(PodTrack) == 16);
}

TEST(PodTrack, AContainerIsUpdatedInPlace) {
  PodTrack track(0, "p");
  track.addContainer({4, 1, 11});
  track.addContainer({5, 2, 22});
  track.setContainer(1, {5, 9, 99});
  EXPECT_EQ(track.container(0).restartCount, 1);
  EXPECT_EQ(track.container(1).restartCount, 9);
  EXPECT_EQ(track.container(1).reportedTermination, 99u);
  EXPECT_EQ(track.name(), "p");
}

TEST(PodTrack, AnEmptyTrackHasNoNameAndNoContainers) {
  PodTrack track;
  EXPECT_EQ(track.name(), "");
  EXPECT_EQ(track.containerCount(), 0u);
  PodTrack unnamed(0, "");
  unnamed.addContainer({1, 0, 0});
  EXPECT_EQ(unnamed.name(), "");
  EXPECT_EQ(unnamed.containerCount(), 1u);
}

}  // namespace
}  // namespace podmon::crash
