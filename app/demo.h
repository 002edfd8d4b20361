#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "core/settings.h"
#include "daemon/podmon_command_line.h"

namespace podmon::demo {

// `podmon demo`: a first run with nothing set up. Starts kube-sim in process with the demo
// scenario (tools/kube-sim/scenarios/demo.yaml: a few namespaces, an OOMKilled pod, a crash loop,
// a failing Job, an init container failure), runs the daemon (lib/daemon) against it with the
// embedded defaults (SQLite in SQLITE_PATH or ./podmon-demo.db, alerts on the console, no
// Elasticsearch) for `duration` or until Ctrl-C, then prints what was recorded and how to go on.
struct DemoOptions {
  std::chrono::seconds duration{30};
  std::string programDir;  // where podmon and podmonctl are, for the hints
};

// The options from the command line: --seconds (when given) and the running program's directory.
DemoOptions demoOptions(const daemon::PodmonCommandLine& commandLine, const char* argv0);

int runDemo(Settings settings, const DemoOptions& options);

}  // namespace podmon::demo
