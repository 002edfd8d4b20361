#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace podmon::store {

// The server a MySQL connection reached, as SELECT VERSION() names it ("8.0.36", "5.7.44-log",
// "10.5.23-MariaDB-1:10.5.23+maria~ubu2004", also with the "5.5.5-" prefix MariaDB's handshake
// carries). podmon supports the original tool's minimum, MySQL 5.7, and MariaDB 10.3 on: the few
// statements whose clauses those lack are chosen from it.
struct MySqlServerVersion {
  bool mariaDb = false;
  int major = 0;
  int minor = 0;
  int patch = 0;

  // nullopt for text that does not start with "major.minor".
  static std::optional<MySqlServerVersion> parse(std::string_view text);

  // SELECT ... FOR UPDATE SKIP LOCKED: MySQL 8.0.1 and MariaDB 10.6 on.
  bool hasSkipLocked() const;

  // "MariaDB 10.5.23", "MySQL 5.7.44".
  std::string describe() const;
};

// Whether the server SELECT VERSION() named `text` has SKIP LOCKED; false for unreadable text
// (plain FOR UPDATE is correct everywhere, only slower under contention).
bool serverHasSkipLocked(std::string_view text);

}  // namespace podmon::store
