#include "notify/console_slack_client.h"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include "core/errors.h"
#include "notify/console_message_format.h"
#include "notify/slack_message.h"

namespace podmon::notify {

ConsoleSlackClient::ConsoleSlackClient(std::ostream& out) : out_(out) {}

SlackHttpResponse ConsoleSlackClient::post(const std::string& jsonBody) { return print(jsonBody, false); }

SlackHttpResponse ConsoleSlackClient::update(const std::string& jsonBody) { return print(jsonBody, true); }

SlackHttpResponse ConsoleSlackClient::print(const std::string& jsonBody, bool update) {
  SlackMessage message;
  try {
    Poco::JSON::Parser parser;
    auto body = parser.parse(jsonBody).extract<Poco::JSON::Object::Ptr>();
    message.channel = body->optValue<std::string>("channel", "");
    message.text = body->optValue<std::string>("text", "");
    message.threadTs = body->optValue<std::string>("thread_ts", "");
    message.ts = body->optValue<std::string>("ts", "");
    message.blocks = body->getArray("blocks");
  } catch (const Poco::Exception& e) {
    throw SinkException("console alert: the message is not Slack JSON: " + e.displayText());
  }
  if (update && message.ts.empty()) throw SinkException("console alert: an update names no message (ts)");
  // Our ts is "<number>.000000": the alert's number as printed.
  const std::string text = (update ? "Update of alert " + message.ts.substr(0, message.ts.find('.')) + ":\n" : "") +
                           formatMessageForConsole(message);
  std::uint64_t number = 0;
  {
    std::lock_guard lock(mutex_);
    out_ << text << std::flush;
    if (!out_) {
      out_.clear();
      throw SinkException("console alert: writing to stdout failed");
    }
    number = update ? printed_.load() : ++printed_;
  }
  Poco::JSON::Object reply;
  reply.set("ok", true);
  reply.set("channel", message.channel);
  reply.set("ts", update ? message.ts : std::to_string(number) + ".000000");
  std::ostringstream json;
  reply.stringify(json);
  return SlackHttpResponse{200, json.str(), std::nullopt};
}

}  // namespace podmon::notify
