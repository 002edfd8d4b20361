#include "store/workload_query.h"

#include <algorithm>

namespace podmon::store {
namespace {

bool isLowerAlnum(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }

// Splits `rest` at '-' into its parts ("" parts included).
std::vector<std::string> dashParts(const std::string& rest) {
  std::vector<std::string> parts(1);
  for (char c : rest) {
    if (c == '-') {
      parts.emplace_back();
    } else {
      parts.back() += c;
    }
  }
  return parts;
}

bool allOf(const std::string& s, bool (*pred)(char)) { return !s.empty() && std::all_of(s.begin(), s.end(), pred); }
bool isDigit(char c) { return c >= '0' && c <= '9'; }
bool randomSuffix(const std::string& s) { return s.size() == 5 && allOf(s, isLowerAlnum); }

}  // namespace

const std::vector<std::string>& workloadKinds() {
  static const std::vector<std::string> kinds = {"deployment", "statefulset", "daemonset", "job", "pod"};
  return kinds;
}

std::vector<std::string> ownerKindsOf(const std::string& kind) {
  if (kind == "pod") return {};
  if (kind == "job") return {"job", "cronjob"};
  return {kind};
}

bool podNameFitsWorkload(const std::string& kind, const std::string& name, const std::string& podName) {
  if (kind == "pod") return podName == name;
  const std::string prefix = name + "-";
  if (podName.size() <= prefix.size() || podName.compare(0, prefix.size(), prefix) != 0) return false;
  const auto parts = dashParts(podName.substr(prefix.size()));
  if (kind == "statefulset") return parts.size() == 1 && allOf(parts[0], isDigit);
  if (kind == "daemonset") return parts.size() == 1 && randomSuffix(parts[0]);
  if (kind == "deployment") {
    return parts.size() == 2 && parts[0].size() <= 10 && allOf(parts[0], isLowerAlnum) && randomSuffix(parts[1]);
  }
  if (kind == "job") {
    if (parts.size() == 1) return randomSuffix(parts[0]);
    return parts.size() == 2 && allOf(parts[0], isDigit) && randomSuffix(parts[1]);
  }
  return false;
}

}  // namespace podmon::store
