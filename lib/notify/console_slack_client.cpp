#include "notify/console_slack_client.h"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include "core/errors.h"
#include "notify/console_message_format.h"
#include "notify/slack_message.h"

namespace podmon::notify {

ConsoleSlackClient::ConsoleSlackClient(std::ostream& out) : out_(out) {}

SlackHttpResponse ConsoleSlackClient::post(const std::string& jsonBody) {
  SlackMessage message;
  try {
    Poco::JSON::Parser parser;
    auto body = parser.parse(jsonBody).extract<Poco::JSON::Object::Ptr>();
    message.channel = body->optValue<std::string>("channel", "");
    message.text = body->optValue<std::string>("text", "");
    message.threadTs = body->optValue<std::string>("thread_ts", "");
    message.blocks = body->getArray("blocks");
  } catch (const Poco::Exception& e) {
    throw SinkException("console alert: the message is not Slack JSON: " + e.displayText());
  }
  const std::string text = formatMessageForConsole(message);
  std::uint64_t number = 0;
  {
    std::lock_guard lock(mutex_);
    out_ << text << std::flush;
    if (!out_) {
      out_.clear();
      throw SinkException("console alert: writing to stdout failed");
    }
    number = ++printed_;
  }
  Poco::JSON::Object reply;
  reply.set("ok", true);
  reply.set("channel", message.channel);
  reply.set("ts", std::to_string(number) + ".000000");
  std::ostringstream json;
  reply.stringify(json);
  return SlackHttpResponse{200, json.str(), std::nullopt};
}

}  // namespace podmon::notify
