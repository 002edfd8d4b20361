#pragma once

#include <Poco/JSON/Array.h>

#include <string>

namespace podmon::notify {

// One message as chat.postMessage or an incoming webhook takes it: Block Kit blocks plus the
// plain-text `text` Slack shows in notifications and where blocks cannot be rendered.
struct SlackMessage {
  std::string channel;  // name or ID; ignored by webhooks
  std::string text;     // mrkdwn fallback, already escaped
  Poco::JSON::Array::Ptr blocks;
  std::string threadTs;  // "" = top level
  std::string ts;        // chat.update: the message this one replaces ("" = a new message)

  // The request body. Webhooks get no channel, thread_ts or ts (they cannot use them).
  std::string toJson(bool forWebhook = false) const;
};

}  // namespace podmon::notify
