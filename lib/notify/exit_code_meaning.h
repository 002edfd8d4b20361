#pragma once

#include <optional>
#include <string>

// Kubernetes shows only a number; whoever reads the alert needs to know whether it was the OOM
// killer, a shutdown request or the application itself. Pure, for the Slack message.
namespace podmon::notify {

// "SIGKILL" for 9, "signal 42" for one without a common name.
std::string signalName(int signal);

// What an exit code usually means, e.g. 137 -> "SIGKILL: killed, often by the OOM killer".
// `reason` (the kubelet's, e.g. "OOMKilled") sharpens the text when it says more.
std::string exitCodeMeaning(int exitCode, const std::string& reason = "");

// "137 (SIGKILL: ...)" or "unknown" when there is no exit code.
std::string describeExit(const std::optional<int>& exitCode, const std::string& reason = "");

}  // namespace podmon::notify
