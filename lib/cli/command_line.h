#pragma once

#include <optional>
#include <string>
#include <vector>

// podmonctl's own options, taken out of argv (core/flag_parser.h, on CLI11) before the rest goes to
// Config::load (which knows only podmon's settings and rejects any other flag). Pure, so the
// parsing is unit tested.
namespace podmon::cli {

enum class OutputFormat { kTable, kJson };

struct CliOptions {
  std::optional<std::string> cluster;          // --cluster (default CLUSTER_NAME)
  std::optional<std::string> container;        // --container
  std::optional<std::string> namespace_;       // --namespace
  std::optional<std::string> since;            // --since (a duration: 1h, 30m, 2d)
  std::optional<std::string> limit;            // --limit (a positive integer)
  std::optional<std::string> sink;             // --sink
  std::optional<std::string> actor;            // --actor (default: the OS user)
  std::optional<std::string> groupBy;          // --group-by (crashes list: fingerprint)
  std::optional<std::string> olderThan;        // --older-than (prune: a duration, 90d)
  bool dryRun = false;                         // --dry-run (prune: count, delete nothing)
  bool allClusters = false;                    // --all-clusters
  OutputFormat output = OutputFormat::kTable;  // --output table|json, -o

  // The names of the options given, for "does not apply to this command" errors.
  std::vector<std::string> given;
};

struct SplitCommandLine {
  CliOptions options;
  std::vector<std::string> configArgs;  // everything else, for Config::load (settings, positional)
};

// Takes podmonctl's options (as "--name value", "--name=value", "-o value") out of args. Throws
// UsageException on a missing value or a bad --output.
SplitCommandLine splitCommandLine(const std::vector<std::string>& args);

// One command to run: its words ("routes", "set", "payments", "#pay") and options.
struct Invocation {
  std::vector<std::string> words;
  CliOptions options;
};

}  // namespace podmon::cli
