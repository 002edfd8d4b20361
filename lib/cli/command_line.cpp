#include "cli/command_line.h"

#include "cli/cli_errors.h"
#include "core/flag_parser.h"

namespace podmon::cli {

namespace {

OutputFormat parseOutput(const std::string& value) {
  if (value == "table") return OutputFormat::kTable;
  if (value == "json") return OutputFormat::kJson;
  throw UsageException("--output '" + value + "' is not one of table, json");
}

}  // namespace

SplitCommandLine splitCommandLine(const std::vector<std::string>& args) {
  SplitCommandLine split;
  CliOptions& options = split.options;
  FlagParser parser([](const std::string& message) { throw UsageException(message); });
  parser.addOption("--cluster", options.cluster);
  parser.addOption("--container", options.container);
  parser.addOption("--namespace", options.namespace_);
  parser.addOption("--since", options.since);
  parser.addOption("--limit", options.limit);
  parser.addOption("--sink", options.sink);
  parser.addOption("--actor", options.actor);
  parser.addOption("--group-by", options.groupBy);
  parser.addOption("--older-than", options.olderThan);
  std::optional<std::string> output;
  parser.addOption("-o,--output", output);
  parser.addFlag("--all-clusters", options.allClusters);
  parser.addFlag("--dry-run", options.dryRun);
  split.configArgs = parser.parse(args);
  if (output) options.output = parseOutput(*output);
  options.given = parser.givenInOrder();
  return split;
}

}  // namespace podmon::cli
