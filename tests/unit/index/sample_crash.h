#pragma once

#include <chrono>

#include "store/outbox_item.h"

namespace podmon::index::testing {

// A realistic crash as claimOutbox() hands it over: an OOMKilled container of a Deployment.
inline store::StoredCrash sampleCrash() {
  store::StoredCrash crash;
  crash.id = 42;
  crash.crashKey = "c0ffee0123456789";
  auto& e = crash.record.event;
  e.clusterName = "prod-eu";
  e.namespace_ = "payments";
  e.podName = "api-7d9f8-abcde";
  e.podUid = "6f1c2d3e-0000-4000-8000-000000000001";
  e.containerName = "api";
  e.restartCount = 7;
  e.restartDelta = 1;
  e.reason = "OOMKilled";
  e.exitCode = 137;
  e.signal = 9;
  e.message = "memory limit reached";
  e.startedAt = "2024-05-01T10:00:00Z";
  e.finishedAt = "2024-05-01T10:05:30Z";
  e.terminationState =
      "&ContainerStateTerminated{ExitCode:137,Signal:9,Reason:OOMKilled,Message:memory limit reached,"
      "StartedAt:2024-05-01 10:00:00 +0000 UTC,FinishedAt:2024-05-01 10:05:30 +0000 UTC,ContainerID:,}";
  e.containerState = "CrashLoopBackOff";
  e.nodeName = "node-1";
  e.image = "registry.example/api:1.2.3";
  e.ownerKind = "Deployment";
  e.ownerName = "api";
  e.labels = {{"app", "api"}, {"app.kubernetes.io/name", "api"}, {"pod-template-hash", "7d9f8"}};
  e.detectedAt =
      std::chrono::system_clock::time_point(std::chrono::milliseconds(1714557935123));  // 2024-05-01T10:05:35.123Z
  crash.record.logs = "starting\nout of memory\n";
  crash.record.logsStatus = "ok";
  crash.record.eventsJson =
      R"([{"reason":"BackOff","message":"Back-off restarting failed container","count":5,"last_timestamp":"2024-05-01T10:05:31Z","field_path":"spec.containers{api}"}])";
  crash.record.fingerprint = "9f86d081884c7d65";
  crash.fingerprintHistory =
      store::FingerprintHistory{3, std::chrono::system_clock::time_point(std::chrono::hours(474000)), 2, 1};
  return crash;
}

inline store::OutboxItem sampleItem(std::int64_t outboxId, const std::string& crashKey) {
  store::OutboxItem item;
  item.id = outboxId;
  item.attempts = 1;
  item.createdAt = std::chrono::system_clock::time_point(std::chrono::hours(24 * 19844));
  item.crash = sampleCrash();
  item.crash.crashKey = crashKey;
  return item;
}

}  // namespace podmon::index::testing
