#pragma once

#include <cstdint>
#include <string>

#include "sim_pod.h"

namespace podmon::kubesim {

// One entry of the bounded pod history that watches replay. `previous` is the pod before the
// change, so a filtered watch can turn a pod leaving its selector into DELETED.
struct WatchEvent {
  enum class Type { Added, Modified, Deleted };
  Type type = Type::Added;
  uint64_t resourceVersion = 0;
  SimPod::ConstPtr object;
  SimPod::ConstPtr previous;

  static const char* typeName(Type t) {
    switch (t) {
      case Type::Added: return "ADDED";
      case Type::Modified: return "MODIFIED";
      case Type::Deleted: return "DELETED";
    }
    return "MODIFIED";
  }
};

}  // namespace podmon::kubesim
