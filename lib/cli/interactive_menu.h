#pragma once

#include <istream>
#include <optional>
#include <ostream>
#include <string>

#include "cli/command_runner.h"

namespace podmon::cli {

// `podmonctl` alone on a terminal: the numbered menu of the original tool's Python utility
// (1 list routes, 2 list ignores, 3 add an ignore, 4 add a route, 0 exit) plus removing each, so
// its users find their way. Every choice runs the same command as the command line (validation,
// audit row and all). Reads from any istream, so tests drive it with piped input; an empty table,
// a bad answer or a failed command prints a message and shows the menu again, and the end of the
// input ends the menu like 0 does.
class InteractiveMenu {
 public:
  InteractiveMenu(CommandRunner& runner, std::istream& in, std::ostream& out, std::ostream& err,
                  std::string defaultCluster, Invocation base = {});

  // Until 0 or the end of the input. Returns 0.
  int run();

 private:
  // One trimmed line after showing the prompt; nullopt at the end of the input.
  std::optional<std::string> ask(const std::string& prompt);
  // The cluster, offering the default (Enter takes it).
  std::optional<std::string> askCluster();
  void runCommand(std::vector<std::string> words, const std::optional<std::string>& cluster, bool allClusters);

  CommandRunner& runner_;
  std::istream& in_;
  std::ostream& out_;
  std::ostream& err_;
  std::string defaultCluster_;
  Invocation base_;  // options from the command line that apply to every choice (--actor)
};

}  // namespace podmon::cli
