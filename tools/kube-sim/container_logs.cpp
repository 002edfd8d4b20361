#include "container_logs.h"

namespace podmon::kubesim {
namespace {
const std::string kEmpty;
std::string keyOf(const std::string& uid, const std::string& container) { return uid + "/" + container; }
}  // namespace

void ContainerLogs::setCurrent(const std::string& uid, const std::string& container, std::string text) {
  logs_[keyOf(uid, container)].current = std::move(text);
}

void ContainerLogs::append(const std::string& uid, const std::string& container, const std::string& text) {
  auto& cur = logs_[keyOf(uid, container)].current;
  if (!cur.empty() && cur.back() != '\n') cur.push_back('\n');
  cur += text;
  if (!cur.empty() && cur.back() != '\n') cur.push_back('\n');
}

void ContainerLogs::rotate(const std::string& uid, const std::string& container, std::string nextText) {
  auto& inst = logs_[keyOf(uid, container)];
  inst.previous = std::move(inst.current);
  inst.current = std::move(nextText);
}

const std::string& ContainerLogs::current(const std::string& uid, const std::string& container) const {
  auto it = logs_.find(keyOf(uid, container));
  return it == logs_.end() ? kEmpty : it->second.current;
}

const std::string& ContainerLogs::previous(const std::string& uid, const std::string& container) const {
  auto it = logs_.find(keyOf(uid, container));
  return it == logs_.end() ? kEmpty : it->second.previous;
}

void ContainerLogs::erasePod(const std::string& uid) {
  auto it = logs_.lower_bound(uid + "/");
  while (it != logs_.end() && it->first.compare(0, uid.size() + 1, uid + "/") == 0) it = logs_.erase(it);
}

}  // namespace podmon::kubesim
