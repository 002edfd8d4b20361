#pragma once

#include <chrono>
#include <functional>
#include <string>

#include "core/config.h"
#include "core/shutdown.h"

namespace podmon::demo {

// `podmon demo`: a first run with nothing set up. Starts kube-sim in process with the demo
// scenario (tools/kube-sim/scenarios/demo.yaml: a few namespaces, an OOMKilled pod, a crash loop,
// a failing Job, an init container failure), runs the daemon against it with the embedded
// defaults (SQLite in SQLITE_PATH or ./podmon-demo.db, alerts on the console, no Elasticsearch)
// for `duration` or until Ctrl-C, then prints what was recorded and how to go on.
struct DemoOptions {
  std::chrono::seconds duration{30};
  std::string programDir;  // where podmon and podmonctl are, for the hints
};

using DaemonRunner = std::function<int(const Config&, Shutdown&)>;

int runDemo(const Config& config, const DemoOptions& options, const DaemonRunner& runDaemon);

// Takes "--seconds N" / "--seconds=N" out of args (the demo's own option); throws ConfigException
// on a bad value. Returns the duration, or nullopt when absent.
std::optional<std::chrono::seconds> takeSecondsOption(std::vector<std::string>& args);

}  // namespace podmon::demo
