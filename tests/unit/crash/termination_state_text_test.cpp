#include "crash/termination_state_text.h"

#include <gtest/gtest.h>

namespace podmon::crash {
namespace {

using kube::ContainerState;

ContainerState terminated() {
  ContainerState s;
  s.phase = ContainerState::Phase::kTerminated;
  return s;
}

// The example in the original's documentation and issue 20, as k8s.io/api's generated String()
// (core/v1 generated.pb.go, ContainerStateTerminated) prints it.
TEST(TerminationStateText, IsGosStringOfTheTerminatedState) {
  ContainerState s = terminated();
  s.exitCode = 1;
  s.reason = "Error";
  s.startedAt = "2022-03-11T11:35:53Z";
  s.finishedAt = "2022-03-11T11:35:53Z";
  s.containerId = "docker://4f1e2c0b9a";
  EXPECT_EQ(terminationStateText(s),
            "&ContainerStateTerminated{ExitCode:1,Signal:0,Reason:Error,Message:,"
            "StartedAt:2022-03-11 11:35:53 +0000 UTC,FinishedAt:2022-03-11 11:35:53 +0000 UTC,"
            "ContainerID:docker://4f1e2c0b9a,}");
}

TEST(TerminationStateText, ReportedSignalAndNegativeExitCode) {
  ContainerState s = terminated();
  s.exitCode = -1;
  s.signal = 9;
  s.reason = "OOMKilled";
  s.startedAt = "2024-05-01T09:58:00Z";
  s.finishedAt = "2024-05-01T09:59:30Z";
  s.containerId = "containerd://abc";
  EXPECT_EQ(terminationStateText(s),
            "&ContainerStateTerminated{ExitCode:-1,Signal:9,Reason:OOMKilled,Message:,"
            "StartedAt:2024-05-01 09:58:00 +0000 UTC,FinishedAt:2024-05-01 09:59:30 +0000 UTC,"
            "ContainerID:containerd://abc,}");
}

// Go's %v prints strings as they are: no quoting, no escaping. The format cannot be parsed back
// unambiguously, exactly like the original's; JSON and SQL escape it where it goes.
TEST(TerminationStateText, HostileTextIsKeptAsTheOriginalPrintedIt) {
  ContainerState s = terminated();
  s.exitCode = 2;
  s.reason = "Error,Message:fake}";
  s.message = "panic: {\"a\":1},\nStartedAt:never\r\n\ttab \\ back\x01slash \xE2\x9C\x93 }";
  s.containerId = "containerd://x,}";
  EXPECT_EQ(terminationStateText(s),
            "&ContainerStateTerminated{ExitCode:2,Signal:0,Reason:Error,Message:fake},"
            "Message:panic: {\"a\":1},\nStartedAt:never\r\n\ttab \\ back\x01slash \xE2\x9C\x93 },"
            "StartedAt:0001-01-01 00:00:00 +0000 UTC,FinishedAt:0001-01-01 00:00:00 +0000 UTC,"
            "ContainerID:containerd://x,},}");
}

TEST(TerminationStateText, AbsentFieldsPrintGosZeroValues) {
  EXPECT_EQ(terminationStateText(terminated()),
            "&ContainerStateTerminated{ExitCode:0,Signal:0,Reason:,Message:,"
            "StartedAt:0001-01-01 00:00:00 +0000 UTC,FinishedAt:0001-01-01 00:00:00 +0000 UTC,ContainerID:,}");
}

TEST(TerminationStateText, NoTerminatedStateIsNotAvailable) {
  EXPECT_EQ(terminationStateText(ContainerState{}), "Not Available");
  ContainerState waiting;
  waiting.phase = ContainerState::Phase::kWaiting;
  waiting.reason = "CrashLoopBackOff";
  EXPECT_EQ(terminationStateText(waiting), "Not Available");
  ContainerState running;
  running.phase = ContainerState::Phase::kRunning;
  running.startedAt = "2024-05-01T09:58:00Z";
  EXPECT_EQ(terminationStateText(running), "Not Available");
}

TEST(GoTimeText, GosDefaultTimeFormatInUtc) {
  EXPECT_EQ(goTimeText("2022-03-11T11:35:53Z"), "2022-03-11 11:35:53 +0000 UTC");
  // Go's ".999999999": a fraction only when there is one, without trailing zeros.
  EXPECT_EQ(goTimeText("2024-05-01T09:59:30.250Z"), "2024-05-01 09:59:30.25 +0000 UTC");
  EXPECT_EQ(goTimeText("2024-05-01T09:59:30.000001Z"), "2024-05-01 09:59:30.000001 +0000 UTC");
  EXPECT_EQ(goTimeText("2024-05-01T09:59:30.000Z"), "2024-05-01 09:59:30 +0000 UTC");
  // An offset is converted to UTC (the original ran in the container's zone, UTC).
  EXPECT_EQ(goTimeText("2024-05-01T01:30:00+02:00"), "2024-04-30 23:30:00 +0000 UTC");
  EXPECT_EQ(goTimeText("1999-12-31T23:59:59Z"), "1999-12-31 23:59:59 +0000 UTC");
  // Go's zero time: absent or unreadable.
  EXPECT_EQ(goTimeText(""), "0001-01-01 00:00:00 +0000 UTC");
  EXPECT_EQ(goTimeText("yesterday"), "0001-01-01 00:00:00 +0000 UTC");
  EXPECT_EQ(goTimeText("0001-01-01T00:00:00Z"), "0001-01-01 00:00:00 +0000 UTC");
  EXPECT_EQ(goTimeText("9999-12-31T23:59:59Z"), "0001-01-01 00:00:00 +0000 UTC");
  EXPECT_EQ(goTimeText("1678-01-02T00:00:00Z"), "1678-01-02 00:00:00 +0000 UTC");
  EXPECT_EQ(goTimeText("2261-12-31T00:00:00Z"), "2261-12-31 00:00:00 +0000 UTC");
}

}  // namespace
}  // namespace podmon::crash
