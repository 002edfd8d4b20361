#pragma once

#include <string>

namespace podmon::daemon {

// `podmon --help`: the commands, what podmon does with no settings, and every setting.
std::string podmonHelp();

}  // namespace podmon::daemon
