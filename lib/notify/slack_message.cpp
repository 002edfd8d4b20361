#include "notify/slack_message.h"

#include <Poco/JSON/Object.h>

#include <sstream>

namespace podmon::notify {

std::string SlackMessage::toJson(bool forWebhook) const {
  Poco::JSON::Object body(Poco::JSON_PRESERVE_KEY_ORDER);
  if (!forWebhook) body.set("channel", channel);
  body.set("text", text);
  if (blocks && blocks->size() > 0) body.set("blocks", blocks);
  if (!forWebhook && !threadTs.empty()) body.set("thread_ts", threadTs);
  if (!forWebhook && !ts.empty()) body.set("ts", ts);
  body.set("unfurl_links", false);
  body.set("unfurl_media", false);
  std::ostringstream out;
  body.stringify(out);
  return out.str();
}

}  // namespace podmon::notify
