#include "notify/exit_code_meaning.h"

namespace podmon::notify {

std::string signalName(int signal) {
  switch (signal) {
    case 1: return "SIGHUP";
    case 2: return "SIGINT";
    case 3: return "SIGQUIT";
    case 4: return "SIGILL";
    case 5: return "SIGTRAP";
    case 6: return "SIGABRT";
    case 7: return "SIGBUS";
    case 8: return "SIGFPE";
    case 9: return "SIGKILL";
    case 10: return "SIGUSR1";
    case 11: return "SIGSEGV";
    case 12: return "SIGUSR2";
    case 13: return "SIGPIPE";
    case 14: return "SIGALRM";
    case 15: return "SIGTERM";
    default: return "signal " + std::to_string(signal);
  }
}

std::string exitCodeMeaning(int exitCode, const std::string& reason) {
  if (reason == "OOMKilled") return "SIGKILL: out of memory (OOMKilled), the container exceeded its memory limit";
  switch (exitCode) {
    case 0: return "exited normally";
    case 1: return "application error";
    case 2: return "misuse of a shell builtin or invalid arguments";
    case 126: return "command cannot be executed (permissions, not an executable)";
    case 127: return "command not found (wrong entrypoint or missing binary)";
    case 128: return "invalid exit argument";
    case 134: return "SIGABRT: the process aborted (assertion, abort())";
    case 137: return "SIGKILL: killed, often by the OOM killer or after a failed liveness probe";
    case 139: return "SIGSEGV: segmentation fault";
    case 143: return "SIGTERM: asked to stop (shutdown, eviction, failed liveness probe)";
    case 255: return "exit status out of range (exit(-1)) or a fatal runtime error";
    default: break;
  }
  if (exitCode > 128 && exitCode <= 128 + 64) return "killed by " + signalName(exitCode - 128);
  if (exitCode < 0) return "negative exit code (runtime-specific failure)";
  return "application-specific exit code";
}

std::string describeExit(const std::optional<int>& exitCode, const std::string& reason) {
  if (!exitCode) return "unknown";
  return std::to_string(*exitCode) + " (" + exitCodeMeaning(*exitCode, reason) + ")";
}

}  // namespace podmon::notify
