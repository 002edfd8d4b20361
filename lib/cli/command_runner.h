#pragma once

#include <chrono>
#include <functional>
#include <ostream>
#include <string>
#include <vector>

#include "cli/command_line.h"
#include "core/clock.h"
#include "store/admin_store.h"
#include "store/crash_repository.h"
#include "store/notify_rule_source.h"
#include "store/outbox.h"
#include "store/retention_store.h"

namespace podmon::cli {

// The settings podmonctl shares with podmon that change what a command means.
struct CliSettings {
  std::string defaultCluster;                       // CLUSTER_NAME: --cluster's default
  std::string defaultChannel = "pod-crash-alerts";  // SLACK_CHANNEL: where unrouted crashes go
  bool slackNotify = true;                          // SLACK_NOTIFY
  std::string actor;                                // recorded in the audit rows
  std::chrono::milliseconds alertCooldown{0};       // ALERT_COOLDOWN: prune keeps alert state this long (at least 24h)
};

// The stores podmonctl's commands read and write, each behind its narrow interface.
struct CliStores {
  store::CrashRepository::Ptr crashes;   // crashes list/show, fingerprints
  store::Outbox::Ptr outbox;             // outbox status/retry
  store::NotifyRuleSource::Ptr rules;    // routes/ignores list and test
  store::AdminStore::Ptr admin;          // every route and ignore change, the audit
  store::RetentionStore::Ptr retention;  // prune
};

// podmonctl's commands (routes, ignores, crashes, outbox, audit, migrate) over the stores. Every
// argument is validated before anything is read or written, so bad input changes nothing; every
// change goes through AdminStore, which writes its audit row with it. Routes are tested with
// notify::NotifyRules, the code the Slack deliverer routes with, so the answer cannot drift from
// what podmon does. Used by the command line and by the interactive menu alike.
class CommandRunner {
 public:
  // Applies the migrations; returns the versions it applied (store::OpenedStore::migrate).
  using Migrate = std::function<std::vector<int>()>;

  CommandRunner(CliStores stores, CliSettings settings, Migrate migrate, Clock::Ptr clock = SystemClock::instance());

  // Runs one command: its result to out, errors to err. Returns the exit code: 0 done, 1 failed
  // (database error, nothing to remove, no such crash), 2 usage (unknown command, wrong
  // arguments, invalid name).
  int run(const Invocation& invocation, std::ostream& out, std::ostream& err);

  // Like run(), but throws: UsageException, CliException, StoreException.
  void execute(const Invocation& invocation, std::ostream& out);

  // Throws UsageException when the invocation names no command, has the wrong number of
  // arguments or an option the command does not take. Touches nothing: podmonctl checks this
  // before it asks for a password.
  static void checkUsage(const Invocation& invocation);

  // The commands, one per line, for --help.
  static std::string commandsHelp();

 private:
  struct Command;
  static const std::vector<Command>& commands();
  static const Command& resolve(const Invocation& invocation);

  void routesList(const Invocation& inv, std::ostream& out);
  void routesSet(const Invocation& inv, std::ostream& out);
  void routesRemove(const Invocation& inv, std::ostream& out);
  void routesTest(const Invocation& inv, std::ostream& out);
  void ignoresList(const Invocation& inv, std::ostream& out);
  void ignoresAdd(const Invocation& inv, std::ostream& out);
  void ignoresRemove(const Invocation& inv, std::ostream& out);
  void crashesList(const Invocation& inv, std::ostream& out);
  void crashesShow(const Invocation& inv, std::ostream& out);
  void crashesByFingerprint(const Invocation& inv, std::ostream& out);
  void outboxStatus(const Invocation& inv, std::ostream& out);
  void outboxRetry(const Invocation& inv, std::ostream& out);
  void auditList(const Invocation& inv, std::ostream& out);
  void migrate(const Invocation& inv, std::ostream& out);
  void prune(const Invocation& inv, std::ostream& out);

  // --cluster, else CLUSTER_NAME; validated (so never empty).
  std::string clusterFor(const Invocation& inv) const;
  // The cluster a list is filtered to: "" for all (--all-clusters, or no CLUSTER_NAME).
  std::string listCluster(const Invocation& inv) const;
  std::string actorFor(const Invocation& inv) const;
  std::string namespaceFilter(const Invocation& inv) const;
  std::optional<std::chrono::system_clock::time_point> sinceFilter(const Invocation& inv) const;
  // Where a crash of (cluster, namespace) goes now: the routed channel or the default.
  std::string channelNow(const std::string& cluster, const std::string& namespace_) const;

  CliStores stores_;
  CliSettings settings_;
  Clock::Ptr clock_;
  Migrate migrate_;
};

}  // namespace podmon::cli
