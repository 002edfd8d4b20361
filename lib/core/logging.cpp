#include "core/logging.h"

#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include "core/errors.h"
#include "core/json_escape.h"

namespace podmon {

namespace {

constexpr const char* kLoggerName = "podmon";

// `%*` in the json pattern: the message, escaped for a JSON string.
class JsonMessageFlag : public spdlog::custom_flag_formatter {
 public:
  void format(const spdlog::details::log_msg& msg, const std::tm&, spdlog::memory_buf_t& dest) override {
    std::string escaped;
    appendJsonEscaped(std::string_view(msg.payload.data(), msg.payload.size()), escaped);
    dest.append(escaped.data(), escaped.data() + escaped.size());
  }
  std::unique_ptr<custom_flag_formatter> clone() const override { return std::make_unique<JsonMessageFlag>(); }
};

}  // namespace

std::unique_ptr<spdlog::formatter> makeLogFormatter(const std::string& format) {
  if (format == "json") {
    auto formatter = std::make_unique<spdlog::pattern_formatter>(spdlog::pattern_time_type::utc);
    formatter->add_flag<JsonMessageFlag>('*').set_pattern(
        R"({"time":"%Y-%m-%dT%H:%M:%S.%eZ","level":"%l","msg":"%*"})");
    return formatter;
  }
  if (format == "text") {
    return std::make_unique<spdlog::pattern_formatter>("%Y-%m-%dT%H:%M:%S.%eZ %l %v", spdlog::pattern_time_type::utc);
  }
  throw ConfigException("LOG_FORMAT: '" + format + "' is not one of text|json");
}

spdlog::level::level_enum parseLogLevel(const std::string& level) {
  if (level == "trace") return spdlog::level::trace;
  if (level == "debug") return spdlog::level::debug;
  if (level == "info") return spdlog::level::info;
  if (level == "warn") return spdlog::level::warn;
  if (level == "error") return spdlog::level::err;
  throw ConfigException("LOG_LEVEL: '" + level + "' is not one of trace|debug|info|warn|error");
}

void setupLogging(const std::string& level, const std::string& format) {
  // Both are checked before anything changes, so a bad value leaves the logger as it was.
  auto formatter = makeLogFormatter(format);
  auto parsedLevel = parseLogLevel(level);
  auto logger = spdlog::get(kLoggerName);
  if (!logger) logger = spdlog::stderr_logger_mt(kLoggerName);
  logger->set_formatter(std::move(formatter));
  logger->set_level(parsedLevel);
  logger->flush_on(spdlog::level::info);
  spdlog::set_default_logger(logger);
}

}  // namespace podmon
