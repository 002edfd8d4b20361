#pragma once

#include <string>

#include "notify/slack_message.h"

namespace podmon::notify {

// Turns the Slack message of an alert into a readable block of plain text for a terminal: the
// same content (header, fields, termination message, log lines, context), with Slack's mrkdwn
// undone (&lt; &gt; &amp;, <url|label>, <!date^...|fallback>, *bold*, code fences, :emoji:), and
// terminal control sequences from the container's log made harmless (terminalSafeText).
// Pure, so it is unit tested; ConsoleSlackClient prints what it returns.
std::string formatMessageForConsole(const SlackMessage& message);

// One mrkdwn string as plain text (exposed for tests).
std::string mrkdwnToPlain(const std::string& mrkdwn);

}  // namespace podmon::notify
