#include "status/ui_sessions.h"

#include <Poco/DigestEngine.h>
#include <Poco/SHA2Engine.h>
#include <sys/random.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <stdexcept>

namespace podmon::status {
namespace {

constexpr std::size_t kIdBytes = 32;

std::string randomHex() {
  std::array<unsigned char, kIdBytes> bytes{};
  std::size_t filled = 0;
  while (filled < bytes.size()) {
    auto n = ::getrandom(bytes.data() + filled, bytes.size() - filled, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) throw std::runtime_error("no random bytes for a session id");
    filled += static_cast<std::size_t>(n);
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  for (auto b : bytes) {
    hex += kHex[b >> 4];
    hex += kHex[b & 0xf];
  }
  return hex;
}

}  // namespace

UiSessions::UiSessions(Clock::Ptr clock, std::size_t maxSessions, std::chrono::seconds lifetime)
    : clock_(std::move(clock)), maxSessions_(std::max<std::size_t>(maxSessions, 1)), lifetime_(lifetime) {}

std::string UiSessions::keyOf(const std::string& id) {
  Poco::SHA2Engine sha(Poco::SHA2Engine::SHA_256);
  sha.update(id);
  return Poco::DigestEngine::digestToHex(sha.digest());
}

std::string UiSessions::create() {
  const std::string id = randomHex();
  const auto now = clock_->now();
  std::lock_guard lock(mutex_);
  forgetExpired(now);
  if (sessions_.size() >= maxSessions_) {
    // Full of live sessions: the oldest goes.
    auto oldest = std::min_element(sessions_.begin(), sessions_.end(),
                                   [](const auto& a, const auto& b) { return a.second.created < b.second.created; });
    sessions_.erase(oldest);
  }
  sessions_[keyOf(id)] = Entry{now + lifetime_, ++created_};
  return id;
}

bool UiSessions::valid(const std::string& id) const {
  if (id.size() != kIdBytes * 2) return false;
  const auto key = keyOf(id);
  std::lock_guard lock(mutex_);
  auto it = sessions_.find(key);
  return it != sessions_.end() && clock_->now() < it->second.expiry;
}

void UiSessions::remove(const std::string& id) {
  const auto key = keyOf(id);
  std::lock_guard lock(mutex_);
  sessions_.erase(key);
}

std::size_t UiSessions::size() const {
  std::lock_guard lock(mutex_);
  return sessions_.size();
}

void UiSessions::forgetExpired(std::chrono::system_clock::time_point now) {
  std::erase_if(sessions_, [&](const auto& entry) { return entry.second.expiry <= now; });
}

}  // namespace podmon::status
