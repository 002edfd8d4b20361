#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "kube/pod_snapshot.h"

namespace podmon::kube {

// Turns API server JSON (a Pod, a PodList page, a watch event line) into snapshots. Pure code on
// the watch hot path: simdjson, one reusable parser per instance (not thread-safe; one per
// watcher). Every method throws KubeException with a short description when the input is not
// what the API documents; the caller counts and logs it and carries on.
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

  // Frees the parser's buffers (they grow to the largest document seen: a list page of 500 pods
  // is megabytes, and simdjson's DOM needs several times that). The next parse allocates again.
  void releaseMemory();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// The signal a container died of: the kubelet's value, else exitCode-128 for exit codes above 128
// (CRI runtimes never fill `signal`).
std::optional<int> effectiveSignal(const ContainerState& state);

}  // namespace podmon::kube
