#include "store/utf8_text.h"

#include <cstdint>
#include <cstring>
#include <string>

namespace podmon::store {

namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

bool isContinuation(unsigned char c) { return (c & 0xC0) == 0x80; }

// Length of the valid sequence starting at text[i], or 0 when it is not valid.
std::size_t validSequenceLength(std::string_view text, std::size_t i) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[i + k]); };
  const unsigned char c = byte(0);
  const std::size_t left = text.size() - i;
  if (c < 0x80) return 1;
  if (c >= 0xC2 && c <= 0xDF) return left >= 2 && isContinuation(byte(1)) ? 2 : 0;
  if (c >= 0xE0 && c <= 0xEF) {
    if (left < 3 || !isContinuation(byte(1)) || !isContinuation(byte(2))) return 0;
    if (c == 0xE0 && byte(1) < 0xA0) return 0;   // overlong
    if (c == 0xED && byte(1) >= 0xA0) return 0;  // UTF-16 surrogate
    return 3;
  }
  if (c >= 0xF0 && c <= 0xF4) {
    if (left < 4 || !isContinuation(byte(1)) || !isContinuation(byte(2)) || !isContinuation(byte(3))) {
      return 0;
    }
    if (c == 0xF0 && byte(1) < 0x90) return 0;   // overlong
    if (c == 0xF4 && byte(1) >= 0x90) return 0;  // above U+10FFFF
    return 4;
  }
  return 0;
}

// The end of the run of ASCII bytes starting at text[i].
std::size_t asciiRunEnd(std::string_view text, std::size_t i) {
  constexpr std::uint64_t kHighBits = 0x8080808080808080ULL;
  for (std::uint64_t word = 0; i + sizeof word <= text.size(); i += sizeof word) {
    std::memcpy(&word, text.data() + i, sizeof word);
    if ((word & kHighBits) != 0) break;
  }
  while (i < text.size() && static_cast<unsigned char>(text[i]) < 0x80) ++i;
  return i;
}

}  // namespace

std::string sanitizeUtf8(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size());
  std::size_t i = 0;
  while (i < bytes.size()) {
    // Valid text is copied in runs; a log is mostly ASCII, checked eight bytes at a time.
    const std::size_t run = i;
    for (;;) {
      i = asciiRunEnd(bytes, i);
      if (i == bytes.size()) break;
      const std::size_t n = validSequenceLength(bytes, i);
      if (n == 0) break;
      i += n;
    }
    out.append(bytes.substr(run, i - run));
    if (i == bytes.size()) break;
    out += kReplacement;
    const bool lead = static_cast<unsigned char>(bytes[i]) >= 0xC0;
    ++i;
    // A broken sequence's continuation bytes go with its one replacement; stray ones get one each.
    while (lead && i < bytes.size() && isContinuation(static_cast<unsigned char>(bytes[i]))) ++i;
  }
  return out;
}

std::string headUtf8Chars(std::string_view text, std::size_t maxChars) {
  std::size_t chars = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (isContinuation(static_cast<unsigned char>(text[i]))) continue;
    if (chars == maxChars) return std::string(text.substr(0, i));
    ++chars;
  }
  return std::string(text);
}

std::string tailUtf8Bytes(std::string_view text, std::size_t maxBytes) {
  if (text.size() <= maxBytes) return std::string(text);
  std::size_t start = text.size() - maxBytes;
  while (start < text.size() && isContinuation(static_cast<unsigned char>(text[start]))) ++start;
  return std::string(text.substr(start));
}

std::string fitText(std::string_view bytes, std::size_t maxChars) {
  return headUtf8Chars(sanitizeUtf8(bytes), maxChars);
}

std::string fitLogs(std::string_view bytes, std::size_t maxBytes) {
  std::string text = sanitizeUtf8(bytes);
  if (text.size() <= maxBytes) return text;
  const std::string marker = "[podmon: log cut to its last " + std::to_string(maxBytes) + " bytes]\n";
  if (marker.size() >= maxBytes) return tailUtf8Bytes(text, maxBytes);
  return marker + tailUtf8Bytes(text, maxBytes - marker.size());
}

}  // namespace podmon::store
