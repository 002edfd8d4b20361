#include "notify/mrkdwn.h"

#include <algorithm>
#include <vector>

#include "store/utf8_text.h"

namespace podmon::notify {

namespace {

constexpr std::string_view kEllipsis = "\xE2\x80\xA6";  // U+2026, one unit

// Byte length of the character whose lead byte is c (text is valid UTF-8).
std::size_t charBytes(unsigned char c) {
  if (c < 0x80) return 1;
  if (c < 0xE0) return 2;
  if (c < 0xF0) return 3;
  return 4;
}

struct Char {
  std::size_t offset;
  std::size_t bytes;
};

std::vector<Char> splitChars(std::string_view text) {
  std::vector<Char> chars;
  chars.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    const std::size_t n = charBytes(static_cast<unsigned char>(text[i]));
    chars.push_back({i, n});
    i += n;
  }
  return chars;
}

// Slack length of one character once escaped.
std::size_t escapedLength(std::string_view ch) {
  if (ch.size() != 1) return ch.size() == 4 ? 2 : 1;
  return ch[0] == '&' ? 5 : (ch[0] == '<' || ch[0] == '>') ? 4 : 1;
}

void appendEscaped(std::string& out, std::string_view ch) {
  if (ch.size() != 1) {
    out += ch;
  } else if (ch[0] == '&') {
    out += "&amp;";
  } else if (ch[0] == '<') {
    out += "&lt;";
  } else if (ch[0] == '>') {
    out += "&gt;";
  } else {
    out += ch[0];
  }
}

// Where to start sanitizing to get the last `window` bytes (or a little less): the first ASCII
// byte of that part, which no earlier byte can belong to; 0 for the whole log; npos when the
// part has no ASCII byte.
std::size_t syncPoint(std::string_view logs, std::size_t window) {
  if (window >= logs.size()) return 0;
  for (std::size_t i = logs.size() - window; i < logs.size(); ++i) {
    if (static_cast<unsigned char>(logs[i]) < 0x80) return i;
  }
  return std::string_view::npos;
}

// Escaped Slack length of the character at `at`; a backtick followed by another costs one more
// (the zero-width space put after it).
std::size_t tailCharCost(std::string_view text, std::size_t at) {
  const std::size_t n = escapedLength(text.substr(at, charBytes(static_cast<unsigned char>(text[at]))));
  return text[at] == '`' && at + 1 < text.size() && text[at + 1] == '`' ? n + 1 : n;
}

struct TailWalk {
  std::size_t start = 0;  // byte offset of the oldest character kept
  bool full = false;      // stopped because the next older character would not fit
};

// Walks back from the end of valid UTF-8 over the characters that fit in `budget`.
TailWalk walkBack(std::string_view text, std::size_t budget) {
  std::size_t used = 0;
  std::size_t start = text.size();
  while (start > 0) {
    std::size_t previous = start - 1;
    while (previous > 0 && (static_cast<unsigned char>(text[previous]) & 0xC0) == 0x80) --previous;
    const std::size_t cost = tailCharCost(text, previous);
    if (used + cost > budget) return {start, true};
    used += cost;
    start = previous;
  }
  return {0, false};
}

// The kept part of the tail, escaped, behind a "…" line when cut.
std::string escapedTail(std::string_view text, std::size_t maxLength, bool cut) {
  std::size_t start = 0;
  if (cut) {
    const std::size_t marker = 2;  // "…\n"
    start = walkBack(text, maxLength > marker ? maxLength - marker : 0).start;
    // Start at a whole line when the kept part has a line break to start after.
    const std::size_t lineBreak = text.find('\n', start);
    if (lineBreak != std::string_view::npos && lineBreak + 1 < text.size()) start = lineBreak + 1;
  }
  std::string out;
  out.reserve(text.size() - start + 16);
  if (cut && maxLength >= 2) {
    out += kEllipsis;
    out += '\n';
  }
  for (std::size_t i = start; i < text.size(); ++i) {
    appendEscaped(out, text.substr(i, 1));  // & < > and ` are single bytes
    if (text[i] == '`' && i + 1 < text.size() && text[i + 1] == '`') out += kZeroWidthSpace;
  }
  return out;
}

}  // namespace

std::string escapeMrkdwn(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 16);
  for (char c : text) appendEscaped(out, std::string_view(&c, 1));
  return out;
}

std::size_t slackLength(std::string_view text) {
  std::size_t length = 0;
  for (std::size_t i = 0; i < text.size();) {
    const std::size_t n = charBytes(static_cast<unsigned char>(text[i]));
    length += n == 4 ? 2 : 1;
    i += n;
  }
  return length;
}

std::string fitMrkdwn(std::string_view raw, std::size_t maxLength) {
  const std::string text = store::sanitizeUtf8(raw);
  std::string out;
  std::size_t used = 0;
  const auto chars = splitChars(text);
  std::size_t total = 0;
  for (const auto& c : chars) total += escapedLength(std::string_view(text).substr(c.offset, c.bytes));
  const bool cut = total > maxLength;
  const std::size_t budget = cut ? (maxLength == 0 ? 0 : maxLength - 1) : maxLength;
  for (const auto& c : chars) {
    const auto ch = std::string_view(text).substr(c.offset, c.bytes);
    const std::size_t n = escapedLength(ch);
    if (used + n > budget) break;
    appendEscaped(out, ch);
    used += n;
  }
  if (cut && maxLength > 0) out += kEllipsis;
  return out;
}

std::string fitPlainText(std::string_view raw, std::size_t maxLength) {
  const std::string text = store::sanitizeUtf8(raw);
  if (slackLength(text) <= maxLength) return text;
  std::string out;
  std::size_t used = 0;
  for (const auto& c : splitChars(text)) {
    const std::size_t n = c.bytes == 4 ? 2 : 1;
    if (maxLength == 0 || used + n > maxLength - 1) break;
    out.append(text, c.offset, c.bytes);
    used += n;
  }
  if (maxLength > 0) out += kEllipsis;
  return out;
}

std::string logTailForCodeBlock(std::string_view logs, std::size_t maxLength, bool* truncated) {
  // Only the tail is read: a window of the raw log (from an ASCII byte, where sanitizing starts
  // the same as it would from the first byte) made large enough to hold more than maxLength.
  for (std::size_t window = logs.size() / 4 < maxLength ? logs.size() : 4 * maxLength + 64;; window *= 2) {
    const std::size_t from = syncPoint(logs, std::min(window, logs.size()));
    if (from == std::string_view::npos) continue;
    std::string text = store::sanitizeUtf8(logs.substr(from));
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' ' || text.back() == '\t')) {
      text.pop_back();
    }
    const bool cut = walkBack(text, maxLength).full;
    if (!cut && from > 0) continue;  // the window fits: whether the whole log does is not known yet
    if (truncated) *truncated = cut;
    return escapedTail(text, maxLength, cut);
  }
}

}  // namespace podmon::notify
