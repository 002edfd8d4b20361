#pragma once

#include <functional>
#include <string>

namespace podmon {
struct StoreSettings;
}

// What podmonctl needs from the terminal, behind a struct of functions so tests can say "stdin is
// a terminal" and type a password without one.
namespace podmon::cli {

struct Terminal {
  bool stdinIsTerminal = false;
  // Shows the prompt and reads one line without echoing it. Throws CliException when it cannot.
  std::function<std::string(const std::string& prompt)> readHidden;
  // The OS user running podmonctl ("" when unknown), the default actor in the audit rows.
  std::function<std::string()> userName;
  // Whether a file exists (SQLITE_PATH's default, to tell whether anything names a store); empty =
  // no file exists.
  std::function<bool(const std::string& path)> fileExists;
};

// The real terminal: isatty(0), termios with echo off on /dev/tty, getpwuid(geteuid()).
Terminal systemTerminal();

// True when podmonctl should ask for the MySQL password: stdin is a terminal and no password was
// given at all (no SQL_PASSWORD flag, environment variable or config key, no SQL_PASSWORD_FILE).
// Setting SQL_PASSWORD to "" says "no password" and skips the prompt (an empty setting counts as
// unset, but Config remembers it was given); without a terminal
// (scripts, cron, CI) podmonctl never waits for input it cannot get.
bool shouldPromptForPassword(const StoreSettings& settings, bool stdinIsTerminal);

}  // namespace podmon::cli
