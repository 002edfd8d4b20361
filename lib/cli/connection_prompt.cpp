#include "cli/connection_prompt.h"

#include "cli/cli_errors.h"

namespace podmon::cli {

namespace {

std::string trimmed(const std::string& s) {
  const auto b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return {};
  return s.substr(b, s.find_last_not_of(" \t\r\n") - b + 1);
}

// One trimmed answer; `fallback` when it is empty.
std::string ask(std::istream& in, std::ostream& out, const std::string& prompt, const std::string& fallback) {
  out << prompt << std::flush;
  std::string line;
  if (!std::getline(in, line)) {
    out << "\n";
    throw UsageException("no answer to \"" + prompt.substr(0, prompt.find(" (")) +
                         "\": set SQL_HOST (or SQLITE_PATH) instead of answering");
  }
  line = trimmed(line);
  return line.empty() ? fallback : line;
}

int parsePort(const std::string& text) {
  if (text.empty() || text.size() > 5 || text.find_first_not_of("0123456789") != std::string::npos ||
      std::stoi(text) < 1 || std::stoi(text) > 65535) {
    throw UsageException("port '" + text + "' is not a number from 1 to 65535");
  }
  return std::stoi(text);
}

}  // namespace

bool storeUnconfigured(const StoreSettings& store, bool defaultSqliteFileExists) {
  return store.sqlHost.empty() && !store.sqlitePathGiven && !defaultSqliteFileExists;
}

std::optional<StoreSettings> askForConnection(const StoreSettings& base, std::istream& in, std::ostream& out,
                                              const std::function<std::string(const std::string&)>& readHidden) {
  out << "No store is configured (no SQL_HOST, no SQLITE_PATH, no " << base.sqlitePath
      << "): enter the MySQL connection.\n";
  const std::string host = ask(in, out, "Enter the MySQL hostname: ", "");
  if (host.empty()) return std::nullopt;
  StoreSettings asked = base;
  asked.sqlHost = host;
  asked.sqlPort = parsePort(
      ask(in, out, "Enter port (default " + std::to_string(base.sqlPort) + "): ", std::to_string(base.sqlPort)));
  asked.sqlUsername = ask(in, out, "Enter username (default " + base.sqlUsername + "): ", base.sqlUsername);
  asked.sqlPassword = readHidden("Enter Password: ");
  asked.sqlPasswordGiven = true;
  asked.sqlDbname = ask(in, out, "Enter database name (default " + base.sqlDbname + "): ", base.sqlDbname);
  return asked;
}

std::string noStoreMessage(const StoreSettings& store) {
  return "no store configured: set SQL_HOST (with SQL_PORT, SQL_USERNAME, SQL_PASSWORD or SQL_PASSWORD_FILE, "
         "SQL_DBNAME) for podmon's MySQL, or SQLITE_PATH for its SQLite file, or run podmonctl where podmon keeps " +
         store.sqlitePath + " (`podmonctl migrate` creates it)";
}

std::string sqliteFallbackNotice(const StoreSettings& store) {
  return "podmonctl: no SQL_HOST set: using the SQLite store " + store.sqlitePath +
         (store.sqlitePathGiven ? " (SQLITE_PATH)" : "");
}

}  // namespace podmon::cli
