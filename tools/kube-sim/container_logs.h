#pragma once

#include <map>
#include <string>

namespace podmon::kubesim {

// Log text of each container instance: the current one and the immediately previous one, the only
// two the kubelet can serve. Keyed by pod uid, so a recreated pod starts with no logs.
// Not thread-safe: ClusterState calls it under its lock.
class ContainerLogs {
 public:
  void setCurrent(const std::string& uid, const std::string& container, std::string text);
  void append(const std::string& uid, const std::string& container, const std::string& text);
  // The current instance ended and a new one starts with `nextText`.
  void rotate(const std::string& uid, const std::string& container, std::string nextText);
  const std::string& current(const std::string& uid, const std::string& container) const;
  const std::string& previous(const std::string& uid, const std::string& container) const;
  void erasePod(const std::string& uid);

 private:
  struct Instances {
    std::string current;
    std::string previous;
  };
  std::map<std::string, Instances> logs_;  // "uid/container"
};

}  // namespace podmon::kubesim
