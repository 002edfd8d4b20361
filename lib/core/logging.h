#pragma once

#include <memory>
#include <string>

#include <spdlog/formatter.h>
#include <spdlog/logger.h>

namespace podmon {

// Sends spdlog's default logger to stderr in LOG_FORMAT (text or json) at LOG_LEVEL. stdout is
// left to program output (the crash lines). Throws ConfigException on an unknown level/format.
// Calling it again replaces the logger's format and level.
void setupLogging(const std::string& level, const std::string& format);

// The line format of LOG_FORMAT: "text" is `<UTC time> <level> <message>`; "json" is one JSON
// object a line, {"time","level","msg"}, with the message escaped so that any text (quotes,
// backslashes, newlines, control bytes from a server's answer) stays one valid JSON line.
std::unique_ptr<spdlog::formatter> makeLogFormatter(const std::string& format);

// LOG_LEVEL's word as spdlog's level; ConfigException for anything else.
spdlog::level::level_enum parseLogLevel(const std::string& level);

}  // namespace podmon
