#pragma once

#include <cstddef>
#include <string>
#include <string_view>

// Text that goes into Slack's mrkdwn. Slack wants only & < > escaped (also inside code blocks;
// escaping '<' also keeps log text from producing <!channel> mentions), backticks cannot be
// escaped at all, and its limits count characters, not bytes. Pure.
namespace podmon::notify {

// The zero-width space put between two backticks so a ``` inside a log cannot end our code block.
inline constexpr std::string_view kZeroWidthSpace = "\xE2\x80\x8B";

// & -> &amp;, < -> &lt;, > -> &gt;; nothing else. Expects valid UTF-8.
std::string escapeMrkdwn(std::string_view text);

// Length as Slack counts it (UTF-16 code units: an emoji outside the BMP counts 2). Expects valid
// UTF-8.
std::size_t slackLength(std::string_view text);

// Any bytes -> valid UTF-8, escaped, of at most maxLength (slackLength), cut on a character
// boundary (never inside "&amp;") and marked with "…" when cut.
std::string fitMrkdwn(std::string_view raw, std::size_t maxLength);

// Any bytes -> plain text (no escaping, for plain_text objects) of at most maxLength.
std::string fitPlainText(std::string_view raw, std::size_t maxLength);

// The newest part of a log, ready to sit between ``` fences: valid UTF-8, escaped, every run of
// backticks broken up with zero-width spaces, at most maxLength long. When it is cut, it starts at
// a line boundary where possible, behind a "…" line, and *truncated is set.
std::string logTailForCodeBlock(std::string_view logs, std::size_t maxLength, bool* truncated = nullptr);

}  // namespace podmon::notify
