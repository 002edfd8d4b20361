#include "daemon/podmon_command_line.h"

#include <algorithm>

#include "core/errors.h"
#include "core/flag_parser.h"

namespace podmon::daemon {

namespace {

std::chrono::seconds parseSeconds(const std::string& value) {
  if (value.empty() || value.size() > 6 || value.find_first_not_of("0123456789") != std::string::npos ||
      std::stoi(value) < 1) {
    throw ConfigException("--seconds: '" + value + "' is not a whole number of seconds from 1 to 999999");
  }
  return std::chrono::seconds(std::stoi(value));
}

}  // namespace

PodmonCommandLine loadPodmonCommandLine(const std::vector<std::string>& args) {
  return loadPodmonCommandLine(args, Config::processEnvironment, Config::readWholeFile, Config::fileExists);
}

PodmonCommandLine loadPodmonCommandLine(const std::vector<std::string>& args, const Config::EnvLookup& env,
                                        const Config::FileReader& readFile, const Config::FileExists& exists) {
  FlagParser parser([](const std::string& message) { throw ConfigException(message); });
  std::optional<std::string> seconds;
  parser.addOption("--seconds", seconds, "--seconds needs a number of seconds (e.g. --seconds 20)");
  PodmonCommandLine commandLine{Config::load(args, env, readFile, parser, exists), std::nullopt};
  if (seconds) {
    // --seconds is the demo's: anywhere else it is a flag podmon does not know.
    const auto& words = commandLine.config.positional();
    if (std::find(words.begin(), words.end(), "demo") == words.end()) {
      throw ConfigException("unknown flag --seconds (see --help)");
    }
    commandLine.demoSeconds = parseSeconds(*seconds);
  }
  return commandLine;
}

}  // namespace podmon::daemon
