#include "store/mysql_server_version.h"

#include <charconv>

namespace podmon::store {

namespace {

// Reads the digits at `pos` into `value`; false when there are none.
bool readNumber(std::string_view text, std::size_t& pos, int& value) {
  const char* begin = text.data() + pos;
  const char* end = text.data() + text.size();
  auto [next, error] = std::from_chars(begin, end, value);
  if (error != std::errc() || next == begin) return false;
  pos += static_cast<std::size_t>(next - begin);
  return true;
}

}  // namespace

std::optional<MySqlServerVersion> MySqlServerVersion::parse(std::string_view text) {
  MySqlServerVersion version;
  version.mariaDb = text.find("MariaDB") != std::string_view::npos;
  // MariaDB's protocol handshake puts a fake "5.5.5-" before its real version.
  constexpr std::string_view kHandshakePrefix = "5.5.5-";
  if (version.mariaDb && text.substr(0, kHandshakePrefix.size()) == kHandshakePrefix) {
    text.remove_prefix(kHandshakePrefix.size());
  }
  std::size_t pos = 0;
  if (!readNumber(text, pos, version.major) || pos >= text.size() || text[pos] != '.') return std::nullopt;
  ++pos;
  if (!readNumber(text, pos, version.minor)) return std::nullopt;
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    if (!readNumber(text, pos, version.patch)) version.patch = 0;
  }
  return version;
}

bool MySqlServerVersion::hasSkipLocked() const {
  if (mariaDb) return major > 10 || (major == 10 && minor >= 6);
  return major > 8 || (major == 8 && (minor > 0 || patch >= 1));
}

std::string MySqlServerVersion::describe() const {
  return std::string(mariaDb ? "MariaDB " : "MySQL ") + std::to_string(major) + "." + std::to_string(minor) + "." +
         std::to_string(patch);
}

bool serverHasSkipLocked(std::string_view text) {
  const auto version = MySqlServerVersion::parse(text);
  return version && version->hasSkipLocked();
}

}  // namespace podmon::store
