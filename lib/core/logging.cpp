#include "core/logging.h"

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include "core/errors.h"

namespace podmon {

void setupLogging(const std::string& level, const std::string& format) {
  auto logger = spdlog::stderr_logger_mt("podmon");
  if (format == "json") {
    logger->set_pattern(R"({"time":"%Y-%m-%dT%H:%M:%S.%eZ","level":"%l","msg":"%v"})", spdlog::pattern_time_type::utc);
  } else if (format == "text") {
    logger->set_pattern("%Y-%m-%dT%H:%M:%S.%eZ %l %v", spdlog::pattern_time_type::utc);
  } else {
    throw ConfigException("LOG_FORMAT: '" + format + "' is not one of text|json");
  }
  if (level == "trace") logger->set_level(spdlog::level::trace);
  else if (level == "debug") logger->set_level(spdlog::level::debug);
  else if (level == "info") logger->set_level(spdlog::level::info);
  else if (level == "warn") logger->set_level(spdlog::level::warn);
  else if (level == "error") logger->set_level(spdlog::level::err);
  else throw ConfigException("LOG_LEVEL: '" + level + "' is not one of trace|debug|info|warn|error");
  logger->flush_on(spdlog::level::info);
  spdlog::set_default_logger(logger);
}

}  // namespace podmon
