#include "cli/command_line.h"


#include "cli/cli_errors.h"

namespace podmon::cli {

namespace {

std::optional<std::string>* valueOption(CliOptions& options, const std::string& name) {
  if (name == "--cluster") return &options.cluster;
  if (name == "--container") return &options.container;
  if (name == "--namespace") return &options.namespace_;
  if (name == "--since") return &options.since;
  if (name == "--limit") return &options.limit;
  if (name == "--sink") return &options.sink;
  if (name == "--actor") return &options.actor;
  if (name == "--group-by") return &options.groupBy;
  return nullptr;
}

OutputFormat parseOutput(const std::string& value) {
  if (value == "table") return OutputFormat::kTable;
  if (value == "json") return OutputFormat::kJson;
  throw UsageException("--output '" + value + "' is not one of table, json");
}

}  // namespace

SplitCommandLine splitCommandLine(const std::vector<std::string>& args) {
  SplitCommandLine split;
  CliOptions& options = split.options;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    std::string name = arg;
    std::optional<std::string> inlineValue;
    if (arg.rfind("--", 0) == 0) {
      if (auto eq = arg.find('='); eq != std::string::npos) {
        name = arg.substr(0, eq);
        inlineValue = arg.substr(eq + 1);
      }
    }
    if (name == "-o") name = "--output";
    auto takeValue = [&]() -> std::string {
      if (inlineValue) return *inlineValue;
      if (i + 1 >= args.size()) throw UsageException(name + " needs a value");
      return args[++i];
    };
    if (name == "--all-clusters") {
      if (inlineValue) throw UsageException("--all-clusters takes no value");
      options.allClusters = true;
      options.given.push_back(name);
    } else if (name == "--output") {
      options.output = parseOutput(takeValue());
      options.given.push_back(name);
    } else if (auto* slot = valueOption(options, name)) {
      *slot = takeValue();
      options.given.push_back(name);
    } else {
      split.configArgs.push_back(arg);
    }
  }
  return split;
}

}  // namespace podmon::cli
