#pragma once

// store::sanitizeUtf8 as it was before its ASCII fast path: kept only as the reference the new
// one (and the documents and messages built with it) are compared with.

#include <string>
#include <string_view>

namespace podmon::store::legacy {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

inline bool isContinuation(unsigned char c) { return (c & 0xC0) == 0x80; }

// Length of the valid sequence starting at text[i], or 0 when it is not valid.
inline std::size_t validSequenceLength(std::string_view text, std::size_t i) {
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

inline std::string sanitizeUtf8(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size());
  std::size_t i = 0;
  while (i < bytes.size()) {
    const std::size_t n = validSequenceLength(bytes, i);
    if (n == 0) {
      out += kReplacement;
      const bool lead = static_cast<unsigned char>(bytes[i]) >= 0xC0;
      ++i;
      // A broken sequence's continuation bytes go with its one replacement; stray ones get one each.
      while (lead && i < bytes.size() && isContinuation(static_cast<unsigned char>(bytes[i]))) ++i;
      continue;
    }
    out.append(bytes.substr(i, n));
    i += n;
  }
  return out;
}

}  // namespace podmon::store::legacy
