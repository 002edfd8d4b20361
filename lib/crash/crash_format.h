#pragma once

#include <string>

#include "crash/crash_event.h"

namespace podmon::crash {

// One human-readable line per crash, for the console:
// crash cluster=prod namespace=shop pod=web-1 container=app restart_count=3 reason=OOMKilled exit_code=137 ...
std::string formatCrashLine(const CrashEvent& crash);

}  // namespace podmon::crash
