#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "store/crash_record.h"

namespace podmon::store {

// One workload of the health API (/api/v1/healthz/{namespace}/{kind}/{name}) and the window its
// crashes are counted in. `kind` is one of kWorkloadKinds (lower case, as in the URL).
struct WorkloadQuery {
  std::string clusterName;  // "" matches every cluster
  std::string namespace_;
  std::string kind;
  std::string name;
  std::chrono::system_clock::time_point since{};
};

// What the store knows of a workload: its crashes since the window start (their number and the
// newest, without logs) and whether any pod of it was ever seen.
struct WorkloadCrashes {
  bool known = false;  // a crash row of it at any time, or a container state row of one of its pods
  std::int64_t crashes = 0;
  std::optional<StoredCrash> latest;
};

// The kinds a workload URL may name.
const std::vector<std::string>& workloadKinds();

// The crash rows' owner kinds (lower case) that belong to a workload kind: "job" covers the pods
// of a CronJob's jobs (the recorder names the CronJob as their owner). Empty for "pod", whose
// crashes are matched by pod name.
std::vector<std::string> ownerKindsOf(const std::string& kind);

// Whether a pod's name has the shape of the pods of workload `name` of `kind`: the pod itself;
// a Deployment's "name-<template hash>-<5>"; a StatefulSet's "name-<ordinal>"; a DaemonSet's or
// a Job's "name-<5>"; a Job of a CronJob or an indexed Job "name-<digits>-<5>". Names so long
// that Kubernetes shortened the pods' generated names do not match (their crash rows still make
// the workload known).
bool podNameFitsWorkload(const std::string& kind, const std::string& name, const std::string& podName);

}  // namespace podmon::store
