#include "crash/crash_format.h"

namespace podmon::crash {
namespace {

std::string quoteIfNeeded(const std::string& v) {
  if (v.empty()) return "\"\"";
  if (v.find_first_of(" \"=\n\t") == std::string::npos) return v;
  std::string out = "\"";
  for (char c : v) {
    if (c == '"' || c == '\\') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out + "\"";
}

}  // namespace

std::string formatCrashLine(const CrashEvent& c) {
  std::string line = "crash cluster=" + quoteIfNeeded(c.clusterName) + " namespace=" + quoteIfNeeded(c.namespace_) +
                     " pod=" + quoteIfNeeded(c.podName) + " container=" + quoteIfNeeded(c.containerName) +
                     " restart_count=" + std::to_string(c.restartCount) +
                     " reason=" + quoteIfNeeded(c.reason.empty() ? "Unknown" : c.reason) +
                     " exit_code=" + (c.exitCode ? std::to_string(*c.exitCode) : "none");
  if (c.signal) line += " signal=" + std::to_string(*c.signal);
  if (c.restartDelta > 1) line += " restart_delta=" + std::to_string(c.restartDelta);
  if (!c.restarted) line += " restarted=false";
  if (c.detectedWhileDown) line += " detected_while_down=true";
  if (c.containerKind != kube::ContainerKind::kRegular) line += std::string(" kind=") + kube::toString(c.containerKind);
  if (!c.ownerKind.empty()) line += " owner=" + c.ownerKind + "/" + quoteIfNeeded(c.ownerName);
  if (!c.nodeName.empty()) line += " node=" + quoteIfNeeded(c.nodeName);
  return line;
}

}  // namespace podmon::crash
