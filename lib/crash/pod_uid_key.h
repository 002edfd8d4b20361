#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace podmon::crash {

// A pod UID in 16 bytes instead of a 36-character string: the API server's UIDs are UUIDs
// (8-4-4-4-12 lowercase hex), parsed here and printed back exactly. Anything else (a UID in
// another form) has no key of its own: the caller keeps such UIDs as strings.
struct PodUidKey {
  uint64_t high = 0;
  uint64_t low = 0;

  // The key of a canonical lowercase UUID; nullopt for any other text. Throws nothing.
  static std::optional<PodUidKey> parse(std::string_view uid);
  // The UUID text parse() read. Throws std::bad_alloc only.
  std::string toString() const;
  bool operator==(const PodUidKey&) const = default;
};

struct PodUidKeyHash {
  std::size_t operator()(const PodUidKey& key) const noexcept {
    return static_cast<std::size_t>(key.high ^ (key.low * 0x9E3779B97F4A7C15ULL));
  }
};

}  // namespace podmon::crash
