#include "cli/interactive_menu.h"

#include <utility>

namespace podmon::cli {

namespace {

constexpr const char* kMenu =
    "\nChoose one of the following options (enter 0 to exit):\n"
    "1. View all slack channels configured.\n"
    "2. View all ignored containers.\n"
    "3. Turn off notifications for a container.\n"
    "4. Configure slack channel for a namespace.\n"
    "5. Remove the slack channel of a namespace.\n"
    "6. Turn notifications back on for a container.\n";

std::string trim(const std::string& s) {
  const auto b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return {};
  return s.substr(b, s.find_last_not_of(" \t\r\n") - b + 1);
}

}  // namespace

InteractiveMenu::InteractiveMenu(CommandRunner& runner, std::istream& in, std::ostream& out, std::ostream& err,
                                 std::string defaultCluster, Invocation base)
    : runner_(runner),
      in_(in),
      out_(out),
      err_(err),
      defaultCluster_(std::move(defaultCluster)),
      base_(std::move(base)) {}

std::optional<std::string> InteractiveMenu::ask(const std::string& prompt) {
  out_ << prompt << std::flush;
  std::string line;
  if (!std::getline(in_, line)) {
    out_ << "\n";
    return std::nullopt;
  }
  return trim(line);
}

std::optional<std::string> InteractiveMenu::askCluster() {
  auto cluster =
      ask(defaultCluster_.empty() ? "Enter cluster name: " : "Enter cluster name [" + defaultCluster_ + "]: ");
  if (cluster && cluster->empty()) return defaultCluster_;
  return cluster;
}

void InteractiveMenu::runCommand(std::vector<std::string> words, const std::optional<std::string>& cluster,
                                 bool allClusters) {
  Invocation inv;
  inv.words = std::move(words);
  inv.options.actor = base_.options.actor;
  if (base_.options.actor) inv.options.given.push_back("--actor");
  if (cluster) {
    inv.options.cluster = *cluster;
    inv.options.given.push_back("--cluster");
  }
  if (allClusters) {
    inv.options.allClusters = true;
    inv.options.given.push_back("--all-clusters");
  }
  runner_.run(inv, out_, err_);
}

int InteractiveMenu::run() {
  while (true) {
    out_ << kMenu;
    auto choice = ask("Enter choice: ");
    if (!choice || *choice == "0") break;
    if (*choice == "1") {
      runCommand({"routes", "list"}, std::nullopt, true);
    } else if (*choice == "2") {
      runCommand({"ignores", "list"}, std::nullopt, true);
    } else if (*choice == "3" || *choice == "6") {
      auto cluster = askCluster();
      if (!cluster) break;
      auto namespace_ = ask("Enter namespace: ");
      if (!namespace_) break;
      auto container = ask(*choice == "3" ? "Enter container name to ignore (* for all): "
                                          : "Enter container name to alert on again: ");
      if (!container) break;
      runCommand({"ignores", *choice == "3" ? "add" : "remove", *namespace_, *container}, cluster, false);
    } else if (*choice == "4") {
      auto cluster = askCluster();
      if (!cluster) break;
      auto namespace_ = ask("Enter namespace: ");
      if (!namespace_) break;
      auto channel = ask("Enter slack channel to send alerts: ");
      if (!channel) break;
      runCommand({"routes", "set", *namespace_, *channel}, cluster, false);
    } else if (*choice == "5") {
      auto cluster = askCluster();
      if (!cluster) break;
      auto namespace_ = ask("Enter namespace: ");
      if (!namespace_) break;
      runCommand({"routes", "remove", *namespace_}, cluster, false);
    } else {
      out_ << "Please enter a number from 0 to 6.\n";
    }
  }
  out_ << "Utility exited.\n";
  return 0;
}

}  // namespace podmon::cli
