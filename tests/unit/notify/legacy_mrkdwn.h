#pragma once

// notify::logTailForCodeBlock as it was before it read only the log's tail (it split the whole
// log into characters): kept only as the reference the new one is compared with.

#include <string>
#include <string_view>
#include <vector>

#include "notify/mrkdwn.h"
#include "unit/store/legacy_utf8_text.h"

namespace podmon::notify::legacy {

inline constexpr std::string_view kEllipsis = "\xE2\x80\xA6";  // U+2026, one unit

// Byte length of the character whose lead byte is c (text is valid UTF-8).
inline std::size_t charBytes(unsigned char c) {
  if (c < 0x80) return 1;
  if (c < 0xE0) return 2;
  if (c < 0xF0) return 3;
  return 4;
}

struct Char {
  std::size_t offset;
  std::size_t bytes;
};

inline std::vector<Char> splitChars(std::string_view text) {
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
inline std::size_t escapedLength(std::string_view ch) {
  if (ch == "&") return 5;
  if (ch == "<" || ch == ">") return 4;
  return ch.size() == 4 ? 2 : 1;
}

inline void appendEscaped(std::string& out, std::string_view ch) {
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

inline std::string logTailForCodeBlock(std::string_view logs, std::size_t maxLength, bool* truncated = nullptr) {
  std::string text = store::legacy::sanitizeUtf8(logs);
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

}  // namespace podmon::notify::legacy
