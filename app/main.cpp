// podmon: watches pods and records container crashes. This file only wires: the command line and
// the settings in, the daemon (lib/daemon/) built on the real Kubernetes API, store and sinks.
#include <spdlog/spdlog.h>
#include <iostream>

#include "core/config.h"
#include "core/errors.h"
#include "core/logging.h"
#include "core/settings.h"
#include "core/shutdown.h"
#include "daemon/podmon_command_line.h"
#include "daemon/podmon_help.h"
#include "daemon/production_dependencies.h"
#include "demo.h"
#include "kube/kube_config.h"
#include "pipeline/active_sinks.h"
#include "store/store_factory.h"

namespace {

using namespace podmon;

int runDaemon(Settings settings) {
  Shutdown shutdown;
  const kube::KubeConnection connection =
      kube::resolveKubeConnection({settings.kube.kubeconfig, settings.kube.context}, kube::processEnv());
  daemon::useContextClusterName(settings, connection);
  return daemon::Daemon(settings, daemon::productionDependencies(settings, connection, std::cout)).run(shutdown);
}

int runMigrate(const Settings& settings) {
  const auto opened = store::openStore(settings, pipeline::ActiveSinks::fromSettings(settings).outboxSinks());
  const auto applied = opened.migrate();
  std::cout << (applied.empty() ? "schema is up to date"
                                : "applied " + std::to_string(applied.size()) + " migration(s)")
            << " on " << opened.choice.describe() << "\n";
  return 0;
}

// The last words of a failed run: a plain line on stderr, or a JSON line when LOG_FORMAT=json is in
// effect, so that a log collector parsing podmon's stderr sees why it stopped.
bool jsonLogs = false;
void reportFatal(const std::string& line) {
  if (jsonLogs) spdlog::critical(line);
  else std::cerr << line << "\n";
}

int run(int argc, char** argv) {
  const daemon::PodmonCommandLine commandLine = daemon::loadPodmonCommandLine({argv + 1, argv + argc});
  const Config& config = commandLine.config;
  if (config.helpRequested() || config.versionRequested()) {
    std::cout << (config.helpRequested() ? daemon::podmonHelp() : "podmon " PODMON_VERSION "\n");
    return 0;
  }
  const Settings settings = Settings::from(config);
  setupLogging(settings.log.level, settings.log.format);
  jsonLogs = settings.log.format == "json";
  const auto& words = config.positional();
  if (words.size() == 1 && words[0] == "migrate") return runMigrate(settings);
  if (words.size() == 1 && words[0] == "demo") return demo::runDemo(settings, demo::demoOptions(commandLine, argv[0]));
  if (!words.empty()) throw ConfigException("unknown command '" + words[0] + "' (see --help)");
  return runDaemon(settings);
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(argc, argv);
  } catch (const podmon::ConfigException& e) {
    reportFatal("podmon: configuration error: " + e.message());
    return 2;
  } catch (const Poco::Exception& e) {
    reportFatal("podmon: " + e.displayText());
    return 1;
  } catch (const std::exception& e) {
    reportFatal(std::string("podmon: ") + e.what());
    return 1;
  }
}
