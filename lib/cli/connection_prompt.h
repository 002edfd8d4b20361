#pragma once

#include <functional>
#include <istream>
#include <optional>
#include <ostream>
#include <string>

#include "core/settings.h"

// Which store podmonctl opens when the settings do not say. The original tool's utility
// (scripts/notification_management_utility.py) asked for the MySQL connection every time; podmonctl
// reads podmon's settings instead, and asks like the original only when nothing configures a store
// and its menu runs on a terminal. Whenever it opens SQLite for want of SQL_HOST it says so, so no
// one edits an empty ./podmon.db believing it is the daemon's database.
namespace podmon::cli {

// True when no setting and no file chooses the store: no SQL_HOST, no SQLITE_PATH, and no file at
// SQLITE_PATH's default (`defaultSqliteFileExists`).
bool storeUnconfigured(const StoreSettings& store, bool defaultSqliteFileExists);

// Asks for host, port, user, password and database as the original utility did (prompts on `out`,
// answers from `in`, the password through `readHidden`, never echoed). Enter takes the default
// shown. Returns `base` with the MySQL connection filled in, or nullopt when the host is left
// empty. Throws UsageException at the end of the input or for a port that is not a number from 1
// to 65535.
std::optional<StoreSettings> askForConnection(const StoreSettings& base, std::istream& in, std::ostream& out,
                                              const std::function<std::string(const std::string&)>& readHidden);

// Why podmonctl stops when nothing names a store and it cannot ask (a command, a pipe, no host
// given): it would otherwise create an empty ./podmon.db that is no one's database.
std::string noStoreMessage(const StoreSettings& store);

// The one stderr line when podmonctl opens SQLite because SQL_HOST is not set:
// "podmonctl: no SQL_HOST set: using the SQLite store ./podmon.db".
std::string sqliteFallbackNotice(const StoreSettings& store);

}  // namespace podmon::cli
