#pragma once

#include <string>

namespace podmon {

// Sends spdlog's default logger to stderr in LOG_FORMAT (text or json) at LOG_LEVEL. stdout is
// left to program output (the crash lines). Throws ConfigException on an unknown level/format.
void setupLogging(const std::string& level, const std::string& format);

}  // namespace podmon
