// LOG_FORMAT and LOG_LEVEL: each line of the json format is one valid JSON object whatever the
// message holds; setupLogging can be called again.
#include <gtest/gtest.h>

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <sstream>

#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include "core/errors.h"
#include "core/json_escape.h"
#include "core/logging.h"

namespace podmon {
namespace {

std::string formatLine(const std::string& format, const std::string& message) {
  std::ostringstream out;
  auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(out);
  spdlog::logger logger("logging-test", sink);
  logger.set_formatter(makeLogFormatter(format));
  logger.warn(message);
  return out.str();
}

TEST(LoggingTest, JsonLinesStayValidJsonWhateverTheMessageHolds) {
  const std::string message = std::string("Slack answered 400: {\"ok\":false,\"error\":\"invalid_blocks\"}\n") +
                              "path C:\\tmp\\x\ttab\r\x01\x1f end \xc3\xa9";
  const auto line = formatLine("json", message);
  ASSERT_FALSE(line.empty());
  EXPECT_EQ(line.back(), '\n');
  EXPECT_EQ(line.find('\n'), line.size() - 1) << "one line per message: " << line;
  Poco::JSON::Parser parser;
  auto object = parser.parse(line).extract<Poco::JSON::Object::Ptr>();
  EXPECT_EQ(object->getValue<std::string>("msg"), message);
  EXPECT_EQ(object->getValue<std::string>("level"), "warning");
  const auto time = object->getValue<std::string>("time");
  EXPECT_EQ(time.size(), 24u) << time;  // 2026-12-03T05:47:33.123Z
  EXPECT_EQ(time.back(), 'Z');
}

TEST(LoggingTest, TextLinesCarryTimeLevelAndMessage) {
  const auto line = formatLine("text", "watch connected");
  EXPECT_NE(line.find("Z warning watch connected\n"), std::string::npos) << line;
}

TEST(LoggingTest, EscapesControlBytesAndKeepsUtf8) {
  std::string out = "x";
  appendJsonEscaped("a\"b\\c\x7f\b\f\xe2\x82\xac", out);
  EXPECT_EQ(out, "xa\\\"b\\\\c\\u007f\\b\\f\xe2\x82\xac");
}

TEST(LoggingTest, UnknownFormatOrLevelIsAConfigErrorNamingTheVariable) {
  try {
    makeLogFormatter("yaml");
    FAIL() << "no exception";
  } catch (const ConfigException& e) {
    EXPECT_NE(e.message().find("LOG_FORMAT: 'yaml' is not one of text|json"), std::string::npos);
  }
  try {
    parseLogLevel("verbose");
    FAIL() << "no exception";
  } catch (const ConfigException& e) {
    EXPECT_NE(e.message().find("LOG_LEVEL: 'verbose'"), std::string::npos);
  }
}

TEST(LoggingTest, SetupLoggingCanBeCalledAgainAndABadValueChangesNothing) {
  setupLogging("warn", "text");
  setupLogging("debug", "json");
  ASSERT_NE(spdlog::get("podmon"), nullptr);
  EXPECT_EQ(spdlog::default_logger()->level(), spdlog::level::debug);
  EXPECT_THROW(setupLogging("error", "xml"), ConfigException);
  EXPECT_EQ(spdlog::default_logger()->level(), spdlog::level::debug);
  setupLogging("info", "text");
  EXPECT_EQ(spdlog::default_logger()->level(), spdlog::level::info);
}

}  // namespace
}  // namespace podmon
