#include "kube/pod_snapshot.h"

namespace podmon::kube {

const char* toString(ContainerKind kind) {
  switch (kind) {
    case ContainerKind::kInit: return "init";
    case ContainerKind::kRegular: return "regular";
    case ContainerKind::kEphemeral: return "ephemeral";
  }
  return "regular";
}

const char* toString(WatchEvent::Type type) {
  switch (type) {
    case WatchEvent::Type::kAdded: return "ADDED";
    case WatchEvent::Type::kModified: return "MODIFIED";
    case WatchEvent::Type::kDeleted: return "DELETED";
    case WatchEvent::Type::kBookmark: return "BOOKMARK";
    case WatchEvent::Type::kError: return "ERROR";
  }
  return "ERROR";
}

const ContainerSnapshot* PodSnapshot::findContainer(const std::string& container) const {
  for (const auto& c : containers) {
    if (c.name == container) return &c;
  }
  return nullptr;
}

}  // namespace podmon::kube
