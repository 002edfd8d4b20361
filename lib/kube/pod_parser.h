#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "kube/pod_snapshot.h"

namespace podmon::kube {

// Turns API server JSON (a Pod, a PodList page, a watch event line) into snapshots. Pure code on
// the watch hot path: simdjson on-demand, one pass reading only what a PodSnapshot holds (no DOM
// of the whole pod, managedFields skipped), one reusable parser per instance (not thread-safe; one
// per watcher). Every method throws KubeException with a short description when the input is not
// what the API documents; the caller counts and logs it and carries on. Malformed text in a part
// podmon does not read may go unnoticed; what it reads is checked.
class PodParser {
 public:
  PodParser();
  ~PodParser();
  PodParser(const PodParser&) = delete;
  PodParser& operator=(const PodParser&) = delete;

  PodSnapshot parsePod(std::string_view json);
  WatchEvent parseWatchEvent(std::string_view line);

  struct ListPage {
    std::vector<PodSnapshot> pods;
    std::string resourceVersion;  // metadata.resourceVersion of the list
    std::string continueToken;    // metadata.continue ("" = last page)
  };
  ListPage parsePodList(std::string_view json);

  // A list page item by item: each pod goes to `onPod` as soon as it is read, so a page of 500
  // pods never exists as 500 snapshots at once. A malformed item throws after the items before
  // it were handed over (as a failing page after the pages before it).
  struct ListInfo {
    std::string resourceVersion;
    std::string continueToken;
    std::size_t items = 0;
  };
  ListInfo parsePodList(std::string_view json, const std::function<void(PodSnapshot&&)>& onPod);

  // Frees the parser's buffers (they grow to the largest document seen: a list page of 500 pods
  // is megabytes, and simdjson's index of it about as much again). The next parse allocates again.
  void releaseMemory();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// The signal a container died of: the kubelet's value, else exitCode-128 for exit codes above 128
// (CRI runtimes never fill `signal`).
std::optional<int> effectiveSignal(const ContainerState& state);

}  // namespace podmon::kube
