#pragma once

#include <string>

namespace podmon::store {

// A Slack channel for crashes of one namespace (k8s_pod_crash_notify). namespace_ may be "*" or a
// pattern such as "team-*".
struct NotifyRoute {
  std::string clusterName;
  std::string namespace_;
  std::string slackChannel;
  bool operator==(const NotifyRoute&) const = default;
};

// Crashes of matching containers are recorded but not sent to Slack (k8s_crash_ignore_notify).
// namespace_ and containerName may be "*" or patterns.
struct IgnoreRule {
  std::string clusterName;
  std::string namespace_;
  std::string containerName;
  bool operator==(const IgnoreRule&) const = default;
};

}  // namespace podmon::store
