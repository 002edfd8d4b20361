#pragma once

#include <functional>
#include <istream>
#include <ostream>
#include <string>
#include <vector>

#include "cli/terminal.h"
#include "core/config.h"

namespace podmon::cli {

// All of podmonctl but the process itself: splits its options from podmon's settings, loads the
// settings exactly as podmon does (flag > environment > --config file), asks for the password
// when it has to, builds the stores the way podmon builds them, and runs one command or, with no
// command on a terminal, the menu. In a library so integration tests run it in process against
// MariaDB with their own environment, input and output. Returns the exit code (0, 1, 2).
// loadConfig: Config::load on the arguments that are not podmonctl's own.
using ConfigLoader = std::function<Config(const std::vector<std::string>& args)>;
int runPodmonctl(const std::vector<std::string>& args, const ConfigLoader& loadConfig, const Terminal& terminal,
                 std::istream& in, std::ostream& out, std::ostream& err);

// The process: argv, the process environment and files, the real terminal, std::cin/cout/cerr.
int runPodmonctl(int argc, char** argv);

// --help text.
std::string podmonctlHelp();

}  // namespace podmon::cli
