#include "scenario.h"

#include <algorithm>

#include <yaml-cpp/yaml.h>

#include "action_parser.h"
#include "core/errors.h"

namespace podmon::kubesim {

Scenario Scenario::load(const std::string& path) {
  YAML::Node root;
  try {
    root = YAML::LoadFile(path);
  } catch (const YAML::Exception& e) {
    throw podmon::ConfigException("kube-sim: cannot read scenario " + path + ": " + e.what());
  }
  return parse(YAML::Dump(root), path);
}

Scenario Scenario::parse(const std::string& yamlText, const std::string& origin) {
  Scenario sc;
  try {
    YAML::Node root = YAML::Load(yamlText);
    if (!root.IsMap()) throw podmon::ConfigException("top level must be a map");
    if (root["namespaces"])
      for (const auto& ns : root["namespaces"]) sc.namespaces.push_back(ns.as<std::string>());
    if (root["pods"])
      for (const auto& p : root["pods"]) sc.pods.push_back(ActionParser::parsePod(p));
    if (root["schedule"])
      for (const auto& a : root["schedule"]) sc.schedule.push_back(ActionParser::parseAction(a));
    std::stable_sort(sc.schedule.begin(), sc.schedule.end(),
                     [](const SimAction& a, const SimAction& b) { return a.at < b.at; });
    if (root["loopSeconds"]) sc.loopSeconds = root["loopSeconds"].as<double>();
    if (auto o = root["options"]) {
      if (o["bookmarkIntervalSeconds"]) sc.bookmarkIntervalSeconds = o["bookmarkIntervalSeconds"].as<double>();
      if (o["restartDelaySeconds"]) sc.restartDelaySeconds = o["restartDelaySeconds"].as<double>();
      if (o["historyLimit"]) sc.historyLimit = o["historyLimit"].as<size_t>();
    }
  } catch (const podmon::ConfigException& e) {
    throw podmon::ConfigException(origin + ": " + e.message());
  } catch (const YAML::Exception& e) {
    throw podmon::ConfigException(origin + ": " + e.what());
  }
  return sc;
}

double Scenario::roundSeconds() const {
  if (loopSeconds > 0) return loopSeconds;
  return (schedule.empty() ? 0 : schedule.back().at) + 5;
}

}  // namespace podmon::kubesim
