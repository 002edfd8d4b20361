#include "cli/podmonctl_app.h"

#include <iostream>
#include <memory>
#include <optional>
#include <utility>

#include "cli/cli_errors.h"
#include "cli/command_line.h"
#include "cli/command_runner.h"
#include "cli/connection_prompt.h"
#include "cli/interactive_menu.h"
#include "core/errors.h"
#include "core/logging.h"
#include "core/settings.h"
#include "pipeline/active_sinks.h"
#include "store/store_factory.h"

namespace podmon::cli {

std::string podmonctlHelp() {
  return "podmonctl " + std::string(PODMON_VERSION) +
         ": manage podmon's Slack routes and ignore rules, look at crashes and the outbox.\n\n"
         "Usage: podmonctl [options] COMMAND [ARGUMENTS]\n"
         "       podmonctl            (on a terminal: the interactive menu)\n"
         "       podmonctl menu       (the menu, answers read from stdin even when it is a pipe)\n\n"
         "Commands:\n" +
         CommandRunner::commandsHelp() +
         "\nOptions:\n"
         "  --cluster NAME        the cluster a rule is for (default: CLUSTER_NAME); '*' is every cluster\n"
         "  --all-clusters        list the rules or crashes of every cluster\n"
         "  --output table|json   -o; tables for people, JSON for scripts\n"
         "  --actor NAME          who the audit rows name (default: the OS user)\n\n"
         "Names: namespaces and containers are DNS-1123 labels, '*', or labels with '*' wildcards;\n"
         "channels are '#name', 'name' or a channel ID (C0123ABCD).\n"
         "The MySQL password comes from SQL_PASSWORD or SQL_PASSWORD_FILE; when neither is set and stdin is a\n"
         "terminal, podmonctl asks for it without echo (set SQL_PASSWORD= to connect without one).\n"
         "Without SQL_HOST podmonctl opens the SQLite store at SQLITE_PATH and says so on stderr. When nothing\n"
         "names a store (no SQL_HOST, no SQLITE_PATH, no ./podmon.db), the menu on a terminal asks for the MySQL\n"
         "connection like the original utility; anything else stops with exit code 2 (`migrate` creates the file).\n"
         "Exit codes: 0 done, 1 failed (including removing what is not there), 2 usage.\n\n" +
         Config::helpText("podmonctl");
}

namespace {

// The store the settings name. With none named (no SQL_HOST, no SQLITE_PATH, no ./podmon.db) the
// menu on a terminal asks like the original utility; anything else but `migrate` stops with what
// to set rather than create an empty ./podmon.db. Opening SQLite for want of SQL_HOST is said on
// `err`, one line.
store::StoreChoice chooseStore(const StoreSettings& settings, const Invocation& invocation, bool menu,
                               const Terminal& terminal, std::istream& in, std::ostream& out, std::ostream& err) {
  StoreSettings store = settings;
  if (storeUnconfigured(store, terminal.fileExists && terminal.fileExists(store.sqlitePath))) {
    const bool migrate = invocation.words.size() == 1 && invocation.words[0] == "migrate";
    std::optional<StoreSettings> asked;
    if (menu && terminal.stdinIsTerminal) asked = askForConnection(store, in, out, terminal.readHidden);
    if (asked) store = *asked;
    else if (!migrate) throw UsageException(noStoreMessage(store));
  }
  store::StoreChoice choice = store::storeChoiceFrom(store);
  if (choice.backend == store::StoreBackend::kSqlite) {
    err << sqliteFallbackNotice(store) << "\n";
  } else if (shouldPromptForPassword(store, terminal.stdinIsTerminal)) {
    choice.mysql.password = terminal.readHidden("MySQL password for " + choice.mysql.describe() + ": ");
  }
  return choice;
}

}  // namespace

int runPodmonctl(const std::vector<std::string>& args, const ConfigLoader& loadConfig, const Terminal& terminal,
                 std::istream& in, std::ostream& out, std::ostream& err) {
  try {
    const SplitCommandLine split = splitCommandLine(args);
    const Config config = loadConfig(split.configArgs);
    if (config.helpRequested()) {
      out << podmonctlHelp();
      return 0;
    }
    if (config.versionRequested()) {
      out << "podmonctl " << PODMON_VERSION << "\n";
      return 0;
    }
    // Logs go to stderr (stdout is for tables and JSON); errors only by default, as podmonctl
    // reports a failure itself.
    const Settings settings = Settings::from(config);
    setupLogging(settings.log.levelGiven ? settings.log.level : "error", settings.log.format);
    Invocation invocation{config.positional(), split.options};
    // `podmonctl menu` reads the menu's answers from any stdin (a pipe too); alone, only a terminal.
    const bool menu = invocation.words.empty() || (invocation.words.size() == 1 && invocation.words[0] == "menu");
    if (invocation.words.empty() && !terminal.stdinIsTerminal) {
      throw UsageException("no command given (the interactive menu needs a terminal, or run `podmonctl menu`)");
    }
    if (!menu) CommandRunner::checkUsage(invocation);

    const store::StoreChoice choice = chooseStore(settings.store, invocation, menu, terminal, in, out, err);
    Clock::Ptr clock = SystemClock::instance();
    const store::OpenedStore opened = store::openStore(
        choice, store::crashStoreOptionsFrom(settings, pipeline::ActiveSinks::fromSettings(settings).outboxSinks()),
        clock);
    CliSettings cli;
    cli.defaultCluster = settings.clusterName;
    cli.defaultChannel = settings.slack.channel;
    cli.slackNotify = settings.slack.notify;
    cli.actor = terminal.userName ? terminal.userName() : "";
    cli.alertCooldown = settings.slack.alertCooldown;
    CliStores stores{opened.crashes, opened.outbox, opened.notifyRules, store::makeAdminStore(opened, clock),
                     opened.retention};
    CommandRunner runner(std::move(stores), cli, opened.migrate, clock);
    if (menu) return InteractiveMenu(runner, in, out, err, cli.defaultCluster, invocation).run();
    return runner.run(invocation, out, err);
  } catch (...) {
    return reportCurrentException(err);
  }
}

int runPodmonctl(int argc, char** argv) {
  const std::vector<std::string> args(argv + 1, argv + argc);
  // Config::load(args) reads the process environment and files as podmon does.
  const ConfigLoader load = [](const std::vector<std::string>& configArgs) { return Config::load(configArgs); };
  return runPodmonctl(args, load, systemTerminal(), std::cin, std::cout, std::cerr);
}

}  // namespace podmon::cli
