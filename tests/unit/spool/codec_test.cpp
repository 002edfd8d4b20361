#include <gtest/gtest.h>

#include "spool/alert_state_codec.h"
#include "spool/crash_record_codec.h"
#include "spool/field_writer.h"
#include "spool/spool_exception.h"

namespace podmon::spool {
namespace {

using namespace std::chrono_literals;

store::CrashRecord fullRecord() {
  store::CrashRecord r;
  auto& e = r.event;
  e.clusterName = "prod";
  e.namespace_ = "shop";
  e.podName = "web-1";
  e.podUid = "uid-1";
  e.containerName = "app";
  e.containerKind = kube::ContainerKind::kInit;
  e.restartCount = 7;
  e.restartDelta = 2;
  e.restarted = false;
  e.detectedWhileDown = true;
  e.reason = "OOMKilled";
  e.exitCode = 137;
  e.signal = 9;
  e.message = "killed";
  e.startedAt = "2026-12-05T01:00:00Z";
  e.finishedAt = "2026-12-05T01:01:00Z";
  e.containerId = "containerd://abc";
  e.terminationState = "&ContainerStateTerminated{...}";
  e.containerState = "CrashLoopBackOff";
  e.termination.phase = kube::ContainerState::Phase::kTerminated;
  e.termination.reason = "OOMKilled";
  e.termination.exitCode = 137;
  e.termination.containerId = "containerd://abc";
  e.nodeName = "node-a";
  e.image = "registry/web:1";
  e.ownerKind = "Deployment";
  e.ownerName = "web";
  e.labels = {{"app", "web"}, {"tier", "front"}};
  e.detectedAt = std::chrono::system_clock::time_point(1764900000123456us);
  r.logs = std::string("line 1\n\0binary\xff\n", 16);
  r.logsStatus = "ok";
  r.eventsJson = R"([{"reason":"BackOff"}])";
  r.fingerprint = "0123456789abcdef";
  return r;
}

bool sameRecord(const store::CrashRecord& a, const store::CrashRecord& b) {
  const auto& x = a.event;
  const auto& y = b.event;
  return x.clusterName == y.clusterName && x.namespace_ == y.namespace_ && x.podName == y.podName &&
         x.podUid == y.podUid && x.containerName == y.containerName && x.containerKind == y.containerKind &&
         x.restartCount == y.restartCount && x.restartDelta == y.restartDelta && x.restarted == y.restarted &&
         x.detectedWhileDown == y.detectedWhileDown && x.reason == y.reason && x.exitCode == y.exitCode &&
         x.signal == y.signal && x.message == y.message && x.startedAt == y.startedAt && x.finishedAt == y.finishedAt &&
         x.containerId == y.containerId && x.terminationState == y.terminationState &&
         x.containerState == y.containerState && x.termination == y.termination && x.nodeName == y.nodeName &&
         x.image == y.image && x.ownerKind == y.ownerKind && x.ownerName == y.ownerName && x.labels == y.labels &&
         x.detectedAt == y.detectedAt && a.logs == b.logs && a.logsStatus == b.logsStatus &&
         a.eventsJson == b.eventsJson && a.fingerprint == b.fingerprint;
}

TEST(CrashRecordCodec, EveryFieldRoundTrips) {
  const auto record = fullRecord();
  EXPECT_TRUE(sameRecord(decodeCrashRecord(encodeCrashRecord(record)), record));
  const store::CrashRecord empty;
  EXPECT_TRUE(sameRecord(decodeCrashRecord(encodeCrashRecord(empty)), empty));
}

TEST(CrashRecordCodec, ShortOrForeignPayloadsThrowSpoolException) {
  const std::string bytes = encodeCrashRecord(fullRecord());
  for (std::size_t cut = 0; cut < bytes.size(); cut += 7) {
    EXPECT_THROW(decodeCrashRecord(bytes.substr(0, cut)), SpoolException) << cut;
  }
  EXPECT_THROW(decodeCrashRecord(bytes + "x"), SpoolException);
  EXPECT_THROW(decodeCrashRecord(encodeAlertState({})), SpoolException);
}

TEST(AlertStateCodec, EveryFieldRoundTrips) {
  JournaledAlertState entry;
  entry.outboxId = 42;
  entry.state.key = "prod/shop/web/app";
  entry.state.channel = "C123";
  entry.state.threadTs = "1764900000.000100";
  entry.state.firstAlertAt = std::chrono::system_clock::time_point(1764900000000000us);
  entry.state.lastMessageAt = std::chrono::system_clock::time_point(1764900060000000us);
  entry.state.lastCrashAt = std::chrono::system_clock::time_point(1764900059000000us);
  entry.state.foldedCount = 3;
  entry.state.foldedSince = std::chrono::system_clock::time_point(1764900001000000us);
  entry.state.lastReason = "Error";
  entry.state.lastExitCode = 1;
  entry.state.lastOutboxId = 41;
  entry.state.carrierOutboxId = 40;
  entry.state.groupMembers = "shop/web\t3\npay/api\t1";
  EXPECT_EQ(decodeAlertState(encodeAlertState(entry)), entry);
  EXPECT_EQ(decodeAlertState(encodeAlertState(JournaledAlertState{})), JournaledAlertState{});
  EXPECT_THROW(decodeAlertState(encodeCrashRecord(fullRecord())), SpoolException);
}

// A journal written before crash-storm groups (alert-state/1, no groupMembers) still replays.
TEST(AlertStateCodec, ReadsTheFirstVersionWithoutGroupMembers) {
  JournaledAlertState entry;
  entry.outboxId = 7;
  entry.state.key = "prod/shop/web/app";
  entry.state.groupMembers = "dropped";
  std::string v2 = encodeAlertState(entry);
  FieldWriter w;
  w.putString("alert-state/1");
  const std::string v2Tag = [] {
    FieldWriter t;
    t.putString("alert-state/2");
    return t.bytes();
  }();
  const std::string groupField = [] {
    FieldWriter t;
    t.putString("dropped");
    return t.bytes();
  }();
  std::string v1 = w.bytes() + v2.substr(v2Tag.size(), v2.size() - v2Tag.size() - groupField.size());
  JournaledAlertState decoded = decodeAlertState(v1);
  EXPECT_EQ(decoded.outboxId, 7);
  EXPECT_EQ(decoded.state.key, "prod/shop/web/app");
  EXPECT_EQ(decoded.state.groupMembers, "");
}

}  // namespace
}  // namespace podmon::spool
