#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "core/config.h"

namespace podmon::daemon {

// podmon's command line: the settings (flag > environment > --config file, core/config.h), the
// command words (none, migrate, demo) and the demo's own option, --seconds N.
struct PodmonCommandLine {
  Config config;
  std::optional<std::chrono::seconds> demoSeconds;  // --seconds (demo only)
};

// Parses `args` (argv without the program) with the process environment and files. Throws
// ConfigException naming the flag or setting on bad input, and for --seconds outside `podmon demo`.
PodmonCommandLine loadPodmonCommandLine(const std::vector<std::string>& args);
// The same with the given environment and file reader (tests); the original's
// config/application.yml is read only when `exists` is given and says it is there.
PodmonCommandLine loadPodmonCommandLine(const std::vector<std::string>& args, const Config::EnvLookup& env,
                                        const Config::FileReader& readFile, const Config::FileExists& exists = nullptr);

}  // namespace podmon::daemon
