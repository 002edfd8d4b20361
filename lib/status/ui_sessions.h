#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>

#include "core/clock.h"

namespace podmon::status {

// The web view's login sessions: a random id (256 bits from the kernel) per login, held in a
// table bounded in size (the oldest session goes when it is full) whose entries expire. The
// table keys on a SHA-256 of the id, so looking one up takes no time that depends on how much of
// a guessed id matches a real one, and a heap dump holds no usable session id.
class UiSessions {
 public:
  static constexpr std::size_t kDefaultMaxSessions = 1024;
  static constexpr std::chrono::hours kDefaultLifetime{12};

  explicit UiSessions(Clock::Ptr clock, std::size_t maxSessions = kDefaultMaxSessions,
                      std::chrono::seconds lifetime = kDefaultLifetime);

  // A new session's id (64 hex digits). Throws std::runtime_error when the kernel gives no
  // random bytes.
  std::string create();
  // True for the id of a session that has not expired.
  bool valid(const std::string& id) const;
  void remove(const std::string& id);
  std::size_t size() const;
  std::chrono::seconds lifetime() const { return lifetime_; }

 private:
  static std::string keyOf(const std::string& id);
  void forgetExpired(std::chrono::system_clock::time_point now);

  Clock::Ptr clock_;
  std::size_t maxSessions_;
  std::chrono::seconds lifetime_;
  mutable std::mutex mutex_;
  struct Entry {
    std::chrono::system_clock::time_point expiry;
    std::uint64_t created = 0;  // order of creation: the oldest goes first when the table is full
  };
  std::map<std::string, Entry> sessions_;  // key -> entry
  std::uint64_t created_ = 0;
};

}  // namespace podmon::status
