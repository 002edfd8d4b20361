#include "cli/command_runner.h"

#include <algorithm>
#include <utility>

#include "cli/cli_errors.h"
#include "cli/name_rules.h"
#include "cli/output.h"
#include "core/config.h"
#include "notify/notify_rules.h"
#include "store/db_time.h"
#include "store/name_pattern.h"

namespace podmon::cli {

struct CommandRunner::Command {
  const char* group;
  const char* verb;  // "" for a one-word command
  const char* arguments;
  std::size_t minArgs;
  std::size_t maxArgs;
  std::vector<std::string> options;  // besides --output and --actor
  const char* help;
  void (CommandRunner::*handler)(const Invocation&, std::ostream&);
};

namespace {

constexpr int kDefaultLimit = 50;
constexpr int kMaxLimit = 10000;

std::string formatTime(std::chrono::system_clock::time_point at) { return store::formatRfc3339(store::toDbTime(at)); }

Value timeOrNull(std::chrono::system_clock::time_point at) {
  if (at == std::chrono::system_clock::time_point{}) return nullptr;
  return formatTime(at);
}

Value textOrNull(const std::string& text) {
  if (text.empty()) return nullptr;
  return text;
}

Value optionalInt(const std::optional<int>& value) {
  if (!value) return nullptr;
  return static_cast<std::int64_t>(*value);
}

Value optionalText(const std::optional<std::string>& value) {
  if (!value) return nullptr;
  return *value;
}

// "2h05m", "3m12s", "45s": how old the oldest undelivered crash is, for people.
std::string formatAge(std::chrono::system_clock::duration age) {
  const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(age).count();
  const auto h = seconds / 3600;
  const auto m = (seconds % 3600) / 60;
  const auto s = seconds % 60;
  auto two = [](long long v) { return (v < 10 ? "0" : "") + std::to_string(v); };
  if (h > 0) return std::to_string(h) + "h" + two(m) + "m";
  if (m > 0) return std::to_string(m) + "m" + two(s) + "s";
  return std::to_string(s) + "s";
}

int parseLimit(const std::optional<std::string>& text) {
  if (!text) return kDefaultLimit;
  const bool digits = !text->empty() && text->size() <= 6 && text->find_first_not_of("0123456789") == std::string::npos;
  const int limit = digits ? std::stoi(*text) : 0;
  if (limit < 1 || limit > kMaxLimit) {
    throw UsageException("--limit '" + *text + "' is not a number from 1 to " + std::to_string(kMaxLimit));
  }
  return limit;
}

void print(const Table& table, const std::string& emptyMessage, const Invocation& inv, std::ostream& out) {
  if (inv.options.output == OutputFormat::kJson) renderJson(table, out);
  else renderTable(table, emptyMessage, out);
}

// A change: a sentence for people, the record for scripts.
void printChange(const Record& record, const std::string& sentence, const Invocation& inv, std::ostream& out) {
  if (inv.options.output == OutputFormat::kJson) renderJson(record, out);
  else out << sentence << "\n";
}

std::string group(const std::string& word) {
  // The singular reads naturally too ("podmonctl route set ...").
  if (word == "route" || word == "ignore" || word == "crash") return word + (word == "crash" ? "es" : "s");
  return word;
}

// Routes or ignore rules that apply to `cluster` ("" = every cluster): its own rows and those whose
// cluster is a pattern matching it ("*", "prod-*"), as the deliverer would apply them.
template <typename Rule>
Table ruleTable(const std::vector<Rule>& rules, const std::string& cluster, Column last, std::string Rule::*lastField) {
  Table table{{{"cluster", "CLUSTER"}, {"namespace", "NAMESPACE"}, last}, {}};
  for (const auto& rule : rules) {
    if (!cluster.empty() && !store::matchesPattern(rule.clusterName, cluster)) continue;
    table.rows.push_back(
        Record().add("cluster", rule.clusterName).add("namespace", rule.namespace_).add(last.key, rule.*lastField));
  }
  return table;
}

Table crashTable() {
  return Table{{{"id", "ID"},
                {"detected_at", "DETECTED"},
                {"cluster", "CLUSTER"},
                {"namespace", "NAMESPACE"},
                {"pod", "POD"},
                {"container", "CONTAINER"},
                {"reason", "REASON"},
                {"exit_code", "EXIT"},
                {"restart_count", "RESTARTS"}},
               {}};
}

Record crashSummary(const store::StoredCrash& crash) {
  const auto& e = crash.record.event;
  Record r;
  r.add("id", crash.id)
      .add("crash_key", textOrNull(crash.crashKey))
      .add("detected_at", timeOrNull(e.detectedAt))
      .add("cluster", e.clusterName)
      .add("namespace", e.namespace_)
      .add("pod", textOrNull(e.podName))
      .add("container", e.containerName)
      .add("reason", textOrNull(e.reason))
      .add("exit_code", optionalInt(e.exitCode))
      .add("signal", optionalInt(e.signal))
      .add("restart_count", static_cast<std::int64_t>(e.restartCount))
      .add("node", textOrNull(e.nodeName))
      .add("logs_status", textOrNull(crash.record.logsStatus));
  return r;
}

}  // namespace

CommandRunner::CommandRunner(CliStores stores, CliSettings settings, Migrate migrate, Clock::Ptr clock)
    : stores_(std::move(stores)),
      settings_(std::move(settings)),
      clock_(std::move(clock)),
      migrate_(std::move(migrate)) {}

const std::vector<CommandRunner::Command>& CommandRunner::commands() {
  // One row per line: the table reads as a table.
  // clang-format off
  static const std::vector<Command> list = {
      {"routes", "list", "", 0, 0, {"--cluster", "--all-clusters"},
       "Slack routes that apply to the cluster", &CommandRunner::routesList},
      {"routes", "set", "<namespace> <channel>", 2, 2, {"--cluster"},
       "send crashes in a namespace to a channel (updates an existing route)", &CommandRunner::routesSet},
      {"routes", "remove", "<namespace>", 1, 1, {"--cluster"}, "remove a namespace's route",
       &CommandRunner::routesRemove},
      {"routes", "test", "<namespace>", 1, 1, {"--cluster", "--container"},
       "which channel a crash there goes to, and whether an ignore rule silences it", &CommandRunner::routesTest},
      {"ignores", "list", "", 0, 0, {"--cluster", "--all-clusters"},
       "ignore rules that apply to the cluster", &CommandRunner::ignoresList},
      {"ignores", "add", "<namespace> <container|*>", 2, 2, {"--cluster"},
       "record crashes of a container but send no Slack alert", &CommandRunner::ignoresAdd},
      {"ignores", "remove", "<namespace> <container|*>", 2, 2, {"--cluster"}, "alert on the container again",
       &CommandRunner::ignoresRemove},
      {"crashes", "list", "", 0, 0, {"--cluster", "--all-clusters", "--namespace", "--since", "--limit", "--group-by"},
       "recent crashes, newest first; --group-by fingerprint: one line per failure (count, first and last seen, "
       "pods; counts over all clusters), most frequent first",
       &CommandRunner::crashesList},
      {"crashes", "show", "<id|crash_key>", 1, 1, {}, "one crash with its log", &CommandRunner::crashesShow},
      {"outbox", "status", "", 0, 0, {}, "undelivered crashes per sink: pending, failed, dead, oldest",
       &CommandRunner::outboxStatus},
      {"outbox", "retry", "", 0, 0, {"--sink"}, "deliver the dead outbox rows again",
       &CommandRunner::outboxRetry},
      {"audit", "list", "", 0, 0, {"--limit"}, "changes made with podmonctl, newest first",
       &CommandRunner::auditList},
      {"migrate", "", "", 0, 0, {}, "bring the database schema up to date", &CommandRunner::migrate},
      {"prune", "", "", 0, 0, {"--older-than", "--dry-run"},
       "delete crashes older than --older-than (with their outbox rows, labels, fingerprint pods), delivered outbox "
       "rows as old, quiet alert state; --dry-run only counts", &CommandRunner::prune},
  };
  // clang-format on
  return list;
}

std::string CommandRunner::commandsHelp() {
  std::string out;
  for (const auto& c : commands()) {
    std::string line = std::string("  ") + c.group;
    if (*c.verb) line += std::string(" ") + c.verb;
    if (*c.arguments) line += std::string(" ") + c.arguments;
    for (const auto& o : c.options) line += " [" + o + (o == "--all-clusters" || o == "--dry-run" ? "" : " ...") + "]";
    out += line + "\n      " + c.help + "\n";
  }
  return out;
}

int CommandRunner::run(const Invocation& invocation, std::ostream& out, std::ostream& err) {
  try {
    execute(invocation, out);
    return 0;
  } catch (...) {
    return reportCurrentException(err);
  }
}

const CommandRunner::Command& CommandRunner::resolve(const Invocation& inv) {
  if (inv.words.empty()) throw UsageException("no command given");
  const std::string first = group(inv.words[0]);
  const Command* found = nullptr;
  bool groupKnown = false;
  for (const auto& c : commands()) {
    if (first != c.group) continue;
    groupKnown = true;
    if (*c.verb == '\0' || (inv.words.size() > 1 && inv.words[1] == c.verb)) {
      found = &c;
      break;
    }
  }
  if (!found) {
    if (!groupKnown) throw UsageException("unknown command '" + inv.words[0] + "'");
    std::string verbs;
    for (const auto& c : commands()) {
      if (first == c.group) verbs += (verbs.empty() ? "" : ", ") + std::string(c.verb);
    }
    if (inv.words.size() < 2) throw UsageException(first + " needs a subcommand: " + verbs);
    throw UsageException("unknown command '" + first + " " + inv.words[1] + "' (" + first + " takes " + verbs + ")");
  }
  const std::size_t skip = *found->verb ? 2 : 1;
  const std::size_t args = inv.words.size() - skip;
  std::string name = std::string(found->group) + (*found->verb ? std::string(" ") + found->verb : "");
  if (args < found->minArgs) {
    throw UsageException(name + " needs " + found->arguments);
  }
  if (args > found->maxArgs) {
    throw UsageException(name + ": unexpected argument '" + inv.words[skip + found->maxArgs] + "'" +
                         (found->maxArgs == 0 ? "" : std::string(" (usage: ") + name + " " + found->arguments + ")"));
  }
  for (const auto& option : inv.options.given) {
    if (option == "--output" || option == "--actor") continue;
    if (std::find(found->options.begin(), found->options.end(), option) == found->options.end()) {
      throw UsageException(option + " does not apply to " + name);
    }
  }
  if (inv.options.allClusters && inv.options.cluster) {
    throw UsageException("--cluster and --all-clusters exclude each other");
  }
  return *found;
}

void CommandRunner::checkUsage(const Invocation& inv) { resolve(inv); }

void CommandRunner::execute(const Invocation& inv, std::ostream& out) {
  const Command* found = &resolve(inv);
  const std::size_t skip = *found->verb ? 2 : 1;
  Invocation shifted = inv;
  shifted.words.erase(shifted.words.begin(), shifted.words.begin() + static_cast<std::ptrdiff_t>(skip));
  (this->*found->handler)(shifted, out);
}

std::string CommandRunner::clusterFor(const Invocation& inv) const {
  std::string cluster = inv.options.cluster.value_or(settings_.defaultCluster);
  validateCluster(cluster);
  return cluster;
}

std::string CommandRunner::listCluster(const Invocation& inv) const {
  if (inv.options.allClusters) return "";
  if (!inv.options.cluster && settings_.defaultCluster.empty()) return "";
  return clusterFor(inv);
}

std::string CommandRunner::actorFor(const Invocation& inv) const {
  std::string actor = inv.options.actor.value_or(settings_.actor);
  if (actor.empty()) throw UsageException("no actor: pass --actor NAME (the OS user could not be read)");
  return actor;
}

std::string CommandRunner::channelNow(const std::string& cluster, const std::string& namespace_) const {
  const notify::NotifyRules rules(stores_.rules->listRoutes(""), stores_.rules->listIgnores(""));
  return rules.channelFor(cluster, namespace_).value_or(settings_.defaultChannel);
}

void CommandRunner::routesList(const Invocation& inv, std::ostream& out) {
  const std::string cluster = listCluster(inv);
  print(ruleTable(stores_.rules->listRoutes(""), cluster, {"channel", "CHANNEL"}, &store::NotifyRoute::slackChannel),
        "No routes" + (cluster.empty() ? std::string() : " for cluster " + cluster) +
            ": every crash goes to the default channel " + settings_.defaultChannel + ".",
        inv, out);
}

void CommandRunner::routesSet(const Invocation& inv, std::ostream& out) {
  const std::string& namespace_ = inv.words[0];
  const std::string& channel = inv.words[1];
  validateNamespace(namespace_);
  validateChannel(channel);
  const std::string cluster = clusterFor(inv);
  const std::string actor = actorFor(inv);
  const store::RouteChange change = stores_.admin->setRoute({cluster, namespace_, channel}, actor);
  std::string sentence;
  if (!change.changed)
    sentence = "Route unchanged: crashes in " + cluster + "/" + namespace_ + " already go to " + channel + ".";
  else if (change.previousChannel)
    sentence = "Route updated: crashes in " + cluster + "/" + namespace_ + " now go to " + channel + " (was " +
               *change.previousChannel + ").";
  else sentence = "Route added: crashes in " + cluster + "/" + namespace_ + " now go to " + channel + ".";
  // A route of the same names in another case or with trailing spaces (the original's utility wrote
  // any) is that route: it was changed and keeps its spelling.
  const bool respelt = change.stored.clusterName != cluster || change.stored.namespace_ != namespace_;
  if (respelt) {
    sentence += " The route is stored as '" + change.stored.clusterName + "'/'" + change.stored.namespace_ +
                "' (names match without regard to case and trailing spaces).";
  }
  Record record;
  record.add("action", "route.set")
      .add("cluster", change.stored.clusterName)
      .add("namespace", change.stored.namespace_)
      .add("channel", channel)
      .add("previous_channel", optionalText(change.previousChannel))
      .add("changed", change.changed);
  printChange(record, sentence, inv, out);
}

void CommandRunner::routesRemove(const Invocation& inv, std::ostream& out) {
  const std::string& namespace_ = inv.words[0];
  validateNamespace(namespace_);
  const std::string cluster = clusterFor(inv);
  const std::string actor = actorFor(inv);
  const auto removed = stores_.admin->removeRoute(cluster, namespace_, actor);
  if (!removed) {
    throw CliException("no route for namespace '" + namespace_ + "' in cluster '" + cluster +
                       "': nothing removed (see podmonctl routes list)");
  }
  const std::string now = channelNow(cluster, namespace_);
  Record record;
  record.add("action", "route.remove")
      .add("cluster", cluster)
      .add("namespace", namespace_)
      .add("previous_channel", *removed)
      .add("channel_now", now);
  printChange(
      record,
      "Route removed: " + cluster + "/" + namespace_ + " (was " + *removed + "); its crashes now go to " + now + ".",
      inv, out);
}

void CommandRunner::routesTest(const Invocation& inv, std::ostream& out) {
  const std::string& namespace_ = inv.words[0];
  if (!isDns1123Label(namespace_)) {
    validateNamespace(namespace_);  // says what is wrong, when it is not a wildcard
    throw UsageException("routes test needs a real namespace, not the pattern '" + namespace_ + "'");
  }
  if (inv.options.container && !isDns1123Label(*inv.options.container)) {
    validateContainer(*inv.options.container);
    throw UsageException("--container needs a real container name, not the pattern '" + *inv.options.container + "'");
  }
  const std::string cluster = clusterFor(inv);
  // The same rules and matching the Slack deliverer uses for the next alert.
  const notify::NotifyRules rules(stores_.rules->listRoutes(""), stores_.rules->listIgnores(""));
  const auto routed = rules.channelFor(cluster, namespace_);
  const std::string channel = routed.value_or(settings_.defaultChannel);
  // Container "*" matches only rules whose container is "*": those silence the whole namespace.
  const std::string container = inv.options.container.value_or("*");
  const bool ignored = rules.isIgnored(cluster, namespace_, container);
  Record record;
  record.add("cluster", cluster)
      .add("namespace", namespace_)
      .add("container", inv.options.container ? Value(*inv.options.container) : Value(nullptr))
      .add("channel", channel)
      .add("channel_source", routed ? "route" : "default")
      .add("ignored", ignored)
      .add("slack_notify", settings_.slackNotify);
  if (inv.options.output == OutputFormat::kJson) {
    renderJson(record, out);
    return;
  }
  const std::string where = cluster + "/" + namespace_ + (inv.options.container ? " container " + container : "");
  if (ignored) {
    out << "A crash in " << where << " is recorded but sends no alert: an ignore rule matches"
        << (inv.options.container ? "" : " the whole namespace") << ".\n";
  } else {
    out << "A crash in " << where << " goes to " << channel
        << (routed ? " (route)." : " (the default channel, SLACK_CHANNEL: no route matches).") << "\n";
    if (!inv.options.container) {
      out << "Ignore rules for single containers are not checked: pass --container NAME.\n";
    }
  }
  if (!settings_.slackNotify) out << "Note: SLACK_NOTIFY is false in this configuration: no alert is sent at all.\n";
}

void CommandRunner::ignoresList(const Invocation& inv, std::ostream& out) {
  const std::string cluster = listCluster(inv);
  print(
      ruleTable(stores_.rules->listIgnores(""), cluster, {"container", "CONTAINER"}, &store::IgnoreRule::containerName),
      "No ignore rules" + (cluster.empty() ? std::string() : " for cluster " + cluster) + ": every crash is alerted.",
      inv, out);
}

void CommandRunner::ignoresAdd(const Invocation& inv, std::ostream& out) {
  const std::string& namespace_ = inv.words[0];
  const std::string& container = inv.words[1];
  validateNamespace(namespace_);
  validateContainer(container);
  const std::string cluster = clusterFor(inv);
  const std::string actor = actorFor(inv);
  const bool added = stores_.admin->addIgnore({cluster, namespace_, container}, actor);
  const std::string what =
      (container == "*" ? "every container" : "container " + container) + " in " + cluster + "/" + namespace_;
  Record record;
  record.add("action", "ignore.add")
      .add("cluster", cluster)
      .add("namespace", namespace_)
      .add("container", container)
      .add("changed", added);
  printChange(record,
              added ? "Ignoring " + what + ": its crashes are recorded but sent to no Slack channel."
                    : "Already ignored: " + what + ".",
              inv, out);
}

void CommandRunner::ignoresRemove(const Invocation& inv, std::ostream& out) {
  const std::string& namespace_ = inv.words[0];
  const std::string& container = inv.words[1];
  validateNamespace(namespace_);
  validateContainer(container);
  const std::string cluster = clusterFor(inv);
  const std::string actor = actorFor(inv);
  if (!stores_.admin->removeIgnore({cluster, namespace_, container}, actor)) {
    throw CliException("no ignore rule for " + namespace_ + "/" + container + " in cluster '" + cluster +
                       "': nothing removed (see podmonctl ignores list)");
  }
  Record record;
  record.add("action", "ignore.remove")
      .add("cluster", cluster)
      .add("namespace", namespace_)
      .add("container", container);
  printChange(record,
              "Ignore rule removed: crashes of " + (container == "*" ? "containers" : "container " + container) +
                  " in " + cluster + "/" + namespace_ + " are alerted again (unless another rule matches).",
              inv, out);
}

// --namespace and --since of crashes list, checked.
std::string CommandRunner::namespaceFilter(const Invocation& inv) const {
  if (!inv.options.namespace_) return "";
  if (!isDns1123Label(*inv.options.namespace_)) {
    validateNamespace(*inv.options.namespace_);
    throw UsageException("--namespace takes a namespace, not the pattern '" + *inv.options.namespace_ + "'");
  }
  return *inv.options.namespace_;
}

std::optional<std::chrono::system_clock::time_point> CommandRunner::sinceFilter(const Invocation& inv) const {
  if (!inv.options.since) return std::nullopt;
  std::chrono::milliseconds since{};
  try {
    since = parseDuration(*inv.options.since, "--since");
  } catch (const ConfigException& e) {
    throw UsageException(e.message());
  }
  if (since.count() <= 0) throw UsageException("--since must be longer than 0 (examples: 30m, 1h, 2d)");
  return clock_->now() - since;
}

void CommandRunner::crashesByFingerprint(const Invocation& inv, std::ostream& out) {
  store::FingerprintQuery query;
  query.cluster = listCluster(inv);
  query.namespace_ = namespaceFilter(inv);
  query.since = sinceFilter(inv);
  query.limit = parseLimit(inv.options.limit);
  Table table{{{"fingerprint", "FINGERPRINT"},
               {"count", "COUNT"},
               {"first_seen", "FIRST SEEN"},
               {"last_seen", "LAST SEEN"},
               {"pods", "PODS"},
               {"clusters", "CLUSTERS"},
               {"sample_reason", "REASON"},
               {"sample_exit_code", "EXIT"},
               {"sample_image", "IMAGE"}},
              {}};
  for (const auto& f : stores_.crashes->listFingerprints(query)) {
    table.rows.push_back(Record()
                             .add("fingerprint", f.fingerprint)
                             .add("count", f.count)
                             .add("first_seen", timeOrNull(f.firstSeen))
                             .add("last_seen", timeOrNull(f.lastSeen))
                             .add("pods", f.pods)
                             .add("clusters", f.clusters)
                             .add("sample_reason", textOrNull(f.sampleReason))
                             .add("sample_exit_code", optionalInt(f.sampleExitCode))
                             .add("sample_image", textOrNull(f.sampleImage)));
  }
  print(table,
        "No crash fingerprints recorded" + (inv.options.since ? " in the last " + *inv.options.since : std::string()) +
            ".",
        inv, out);
}

void CommandRunner::crashesList(const Invocation& inv, std::ostream& out) {
  if (inv.options.groupBy) {
    if (*inv.options.groupBy != "fingerprint") {
      throw UsageException("--group-by '" + *inv.options.groupBy + "' is not one of: fingerprint");
    }
    crashesByFingerprint(inv, out);
    return;
  }
  store::CrashQuery query;
  query.clusterName = listCluster(inv);
  query.namespace_ = namespaceFilter(inv);
  query.since = sinceFilter(inv);
  query.limit = parseLimit(inv.options.limit);
  Table table = crashTable();
  for (const auto& crash : stores_.crashes->listRecentCrashes(query)) table.rows.push_back(crashSummary(crash));
  print(table, "No crashes recorded" + (inv.options.since ? " in the last " + *inv.options.since : std::string()) + ".",
        inv, out);
}

void CommandRunner::crashesShow(const Invocation& inv, std::ostream& out) {
  const std::string& key = inv.words[0];
  std::optional<store::StoredCrash> crash;
  const bool numeric = !key.empty() && key.size() <= 18 && key.find_first_not_of("0123456789") == std::string::npos;
  if (numeric) crash = stores_.crashes->getCrash(std::stoll(key));
  else crash = stores_.crashes->getCrashByKey(key);
  if (!crash) throw CliException("no crash with " + std::string(numeric ? "id " : "crash key ") + key);
  const auto& e = crash->record.event;
  Record record = crashSummary(*crash);
  record.add("pod_uid", textOrNull(e.podUid))
      .add("owner", textOrNull(e.ownerKind.empty() ? "" : e.ownerKind + "/" + e.ownerName))
      .add("image", textOrNull(e.image))
      .add("message", textOrNull(e.message))
      .add("started_at", textOrNull(e.startedAt))
      .add("finished_at", textOrNull(e.finishedAt))
      .add("termination_state", textOrNull(e.terminationState))
      .add("container_state", textOrNull(e.containerState))
      .add("restart_delta", static_cast<std::int64_t>(e.restartDelta))
      .add("detected_while_down", e.detectedWhileDown);
  if (inv.options.output == OutputFormat::kJson) {
    record.add("logs", crash->record.logs);
    renderJson(record, out);
    return;
  }
  renderRecord(record, out);
  out << "\n--- log" << (crash->record.logs.empty() ? " (none)" : "") << " ---\n";
  if (!crash->record.logs.empty()) {
    const std::string logs = terminalSafe(crash->record.logs);
    out << logs << (logs.back() == '\n' ? "" : "\n");
  }
}

void CommandRunner::outboxStatus(const Invocation& inv, std::ostream& out) {
  Table table{{{"sink", "SINK"},
               {"pending", "PENDING"},
               {"failed", "FAILED"},
               {"dead", "DEAD"},
               {"oldest_pending", "OLDEST PENDING"}},
              {}};
  const bool json = inv.options.output == OutputFormat::kJson;
  for (const auto& s : stores_.outbox->outboxStats()) {
    Record r;
    r.add("sink", store::toString(s.sink)).add("pending", s.pending).add("failed", s.failed).add("dead", s.dead);
    if (json) {
      r.add("oldest_pending_age_seconds",
            s.oldestPendingAge ? Value(static_cast<std::int64_t>(
                                     std::chrono::duration_cast<std::chrono::seconds>(*s.oldestPendingAge).count()))
                               : Value(nullptr));
    } else {
      r.add("oldest_pending", s.oldestPendingAge ? Value(formatAge(*s.oldestPendingAge)) : Value(nullptr));
    }
    table.rows.push_back(std::move(r));
  }
  print(table, "The outbox is empty.", inv, out);
}

void CommandRunner::outboxRetry(const Invocation& inv, std::ostream& out) {
  std::optional<store::Sink> sink;
  if (inv.options.sink) {
    sink = store::parseSink(*inv.options.sink);
    if (!sink) throw UsageException("--sink '" + *inv.options.sink + "' is not one of elasticsearch, slack");
  }
  const std::string actor = actorFor(inv);
  const std::int64_t count = stores_.outbox->retryDeadOutbox(sink, actor);
  const std::string which = sink ? std::string(" ") + store::toString(*sink) : std::string();
  Record record;
  record.add("action", "outbox.retry")
      .add("sink", sink ? Value(store::toString(*sink)) : Value(nullptr))
      .add("retried", count);
  printChange(record,
              count == 0 ? "No dead" + which + " outbox rows: nothing to retry."
                         : std::to_string(count) + " dead" + which +
                               " outbox row(s) are pending again; podmon delivers them on its next pass.",
              inv, out);
}

void CommandRunner::auditList(const Invocation& inv, std::ostream& out) {
  Table table{{{"id", "ID"},
               {"at", "AT"},
               {"actor", "ACTOR"},
               {"action", "ACTION"},
               {"cluster", "CLUSTER"},
               {"target", "TARGET"},
               {"old_value", "OLD"},
               {"new_value", "NEW"}},
              {}};
  for (const auto& entry : stores_.admin->listAudit(parseLimit(inv.options.limit))) {
    table.rows.push_back(Record()
                             .add("id", entry.id)
                             .add("at", formatTime(entry.at))
                             .add("actor", entry.actor)
                             .add("action", entry.action)
                             .add("cluster", textOrNull(entry.cluster))
                             .add("target", textOrNull(entry.target))
                             .add("old_value", optionalText(entry.oldValue))
                             .add("new_value", optionalText(entry.newValue)));
  }
  print(table, "No changes recorded yet.", inv, out);
}

void CommandRunner::migrate(const Invocation& inv, std::ostream& out) {
  const std::string actor = actorFor(inv);
  const std::vector<int> applied = migrate_();
  std::string versions;
  for (int v : applied) versions += (versions.empty() ? "" : ",") + std::to_string(v);
  if (!applied.empty()) {
    stores_.admin->recordAudit({0, {}, actor, "migrate", "", "schema", std::nullopt, "applied " + versions});
  }
  Record record;
  record.add("action", "migrate").add("applied", versions);
  printChange(record,
              applied.empty() ? "The schema is up to date."
                              : "Applied " + std::to_string(applied.size()) + " migration(s): " + versions + ".",
              inv, out);
}

// Crashes and delivered outbox rows older than --older-than, alert state as the daemon prunes it.
// The numbers per table are the answer; a real prune leaves an audit row.
void CommandRunner::prune(const Invocation& inv, std::ostream& out) {
  if (!inv.options.olderThan) throw UsageException("prune needs --older-than (examples: 90d, 720h)");
  std::chrono::milliseconds age{};
  try {
    age = parseDuration(*inv.options.olderThan, "--older-than");
  } catch (const ConfigException& e) {
    throw UsageException(e.message());
  }
  if (age.count() <= 0) throw UsageException("--older-than must be longer than 0 (examples: 90d, 720h)");
  const std::string actor = actorFor(inv);
  const bool dryRun = inv.options.dryRun;
  const auto cutoffs = store::PruneCutoffs::olderThan(age, settings_.alertCooldown, clock_->now());
  const store::PruneCounts counts = stores_.retention->prune(cutoffs, dryRun, {});
  if (!dryRun && counts.total() > 0) {
    stores_.admin->recordAudit(
        {0, {}, actor, "prune", "", "older than " + *inv.options.olderThan, std::nullopt, counts.describe()});
  }
  Table table{{{"table", "TABLE"}, {"rows", dryRun ? "WOULD REMOVE" : "REMOVED"}}, {}};
  for (const auto& [name, rows] : counts.byTable()) table.rows.push_back(Record().add("table", name).add("rows", rows));
  if (inv.options.output != OutputFormat::kJson) {
    out << (dryRun ? "Dry run: nothing deleted. Rows older than " : "Deleted rows older than ") +
               *inv.options.olderThan + " (" + formatTime(cutoffs.crashesBefore.value()) + "):\n";
  }
  print(table, "", inv, out);
}

}  // namespace podmon::cli
