#include "notify/mrkdwn.h"

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
  if (ch == "&") return 5;
  if (ch == "<" || ch == ">") return 4;
  return ch.size() == 4 ? 2 : 1;
}

void appendEscaped(std::string& out, std::string_view ch) {
  if (ch == "&") {
    out += "&amp;";
  } else if (ch == "<") {
    out += "&lt;";
  } else if (ch == ">") {
    out += "&gt;";
  } else {
    out += ch;
  }
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
  std::string text = store::sanitizeUtf8(logs);
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' ' || text.back() == '\t')) {
    text.pop_back();
  }
  const std::string_view view(text);
  const auto chars = splitChars(view);
  const auto at = [&](std::size_t i) { return view.substr(chars[i].offset, chars[i].bytes); };
  // A backtick followed by another gets a zero-width space after it.
  const auto cost = [&](std::size_t i) {
    std::size_t n = escapedLength(at(i));
    if (at(i) == "`" && i + 1 < chars.size() && at(i + 1) == "`") n += 1;
    return n;
  };

  std::size_t total = 0;
  for (std::size_t i = 0; i < chars.size(); ++i) total += cost(i);
  std::size_t start = 0;
  const bool cut = total > maxLength;
  if (cut) {
    const std::size_t marker = 2;  // "…\n"
    const std::size_t budget = maxLength > marker ? maxLength - marker : 0;
    std::size_t used = 0;
    start = chars.size();
    while (start > 0 && used + cost(start - 1) <= budget) {
      used += cost(start - 1);
      --start;
    }
    // Start at a whole line when the kept part has a line break to start after.
    for (std::size_t i = start; i + 1 < chars.size(); ++i) {
      if (at(i) == "\n") {
        start = i + 1;
        break;
      }
    }
  }
  if (truncated) *truncated = cut;

  std::string out;
  if (cut && maxLength >= 2) {
    out += kEllipsis;
    out += '\n';
  }
  for (std::size_t i = start; i < chars.size(); ++i) {
    appendEscaped(out, at(i));
    if (at(i) == "`" && i + 1 < chars.size() && at(i + 1) == "`") out += kZeroWidthSpace;
  }
  return out;
}

}  // namespace podmon::notify
