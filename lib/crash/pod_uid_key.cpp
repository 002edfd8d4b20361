#include "crash/pod_uid_key.h"

namespace podmon::crash {
namespace {

constexpr std::size_t kUuidLength = 36;

bool isDash(std::size_t i) { return i == 8 || i == 13 || i == 18 || i == 23; }

int hexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;  // upper case too: it would not print back the same
}

}  // namespace

std::optional<PodUidKey> PodUidKey::parse(std::string_view uid) {
  if (uid.size() != kUuidLength) return std::nullopt;
  PodUidKey key;
  int digits = 0;
  for (std::size_t i = 0; i < kUuidLength; ++i) {
    if (isDash(i)) {
      if (uid[i] != '-') return std::nullopt;
      continue;
    }
    const int v = hexValue(uid[i]);
    if (v < 0) return std::nullopt;
    uint64_t& half = digits < 16 ? key.high : key.low;
    half = (half << 4) | static_cast<uint64_t>(v);
    ++digits;
  }
  return key;
}

std::string PodUidKey::toString() const {
  static const char* kHex = "0123456789abcdef";
  std::string out;
  out.reserve(kUuidLength);
  int digit = 0;
  for (std::size_t i = 0; i < kUuidLength; ++i) {
    if (isDash(i)) {
      out.push_back('-');
      continue;
    }
    const uint64_t half = digit < 16 ? high : low;
    const int shift = 60 - 4 * (digit % 16);
    out.push_back(kHex[(half >> shift) & 0xF]);
    ++digit;
  }
  return out;
}

}  // namespace podmon::crash
