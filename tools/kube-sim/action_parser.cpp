#include "action_parser.h"

#include "core/errors.h"

namespace podmon::kubesim {
namespace {

template <typename T>
T get(const YAML::Node& node, const char* key, const T& fallback) {
  if (!node[key] || node[key].IsNull()) return fallback;
  try {
    return node[key].as<T>();
  } catch (const YAML::Exception& e) {
    throw podmon::ConfigException(std::string("kube-sim: bad value for '") + key + "': " + e.what());
  }
}

std::map<std::string, std::string> getMap(const YAML::Node& node, const char* key) {
  std::map<std::string, std::string> out;
  if (!node[key]) return out;
  if (!node[key].IsMap()) throw podmon::ConfigException(std::string("kube-sim: '") + key + "' must be a map");
  for (const auto& kv : node[key])
    out[kv.first.as<std::string>()] = kv.second.IsNull() ? "" : kv.second.as<std::string>();
  return out;
}

}  // namespace

SimPod ActionParser::parsePod(const YAML::Node& node) {
  if (!node.IsMap()) throw podmon::ConfigException("kube-sim: a pod must be a map");
  SimPod pod;
  pod.name = get<std::string>(node, "name", "");
  if (pod.name.empty()) throw podmon::ConfigException("kube-sim: pod without 'name'");
  pod.ns = get<std::string>(node, "namespace", "default");
  pod.labels = getMap(node, "labels");
  pod.annotations = getMap(node, "annotations");
  if (node["owner"]) {
    pod.ownerKind = get<std::string>(node["owner"], "kind", "");
    pod.ownerName = get<std::string>(node["owner"], "name", "");
    if (pod.ownerKind.empty() || pod.ownerName.empty())
      throw podmon::ConfigException("kube-sim: pod '" + pod.name + "': owner needs kind and name");
  }
  pod.restartPolicy = get<std::string>(node, "restartPolicy", pod.ownerKind == "Job" ? "Never" : "Always");
  pod.nodeName = get<std::string>(node, "node", pod.nodeName);
  pod.serviceAccount = get<std::string>(node, "serviceAccount", pod.serviceAccount);
  pod.withManagedFields = get<bool>(node, "managedFields", false);
  if (!node["containers"] || !node["containers"].IsSequence() || node["containers"].size() == 0)
    throw podmon::ConfigException("kube-sim: pod '" + pod.name + "' needs a list of containers");
  for (const auto& cn : node["containers"]) {
    SimContainer c;
    c.name = get<std::string>(cn, "name", "");
    if (c.name.empty()) throw podmon::ConfigException("kube-sim: pod '" + pod.name + "': container without name");
    c.image = get<std::string>(cn, "image", "registry.example.com/" + c.name + ":1.0");
    c.init = get<bool>(cn, "init", false);
    c.restartCount = get<int>(cn, "restartCount", 0);
    c.startupLog = get<std::string>(cn, "log", "");
    c.memoryLimit = get<std::string>(cn, "memoryLimit", "");
    c.ready = get<bool>(cn, "ready", true);
    for (const auto& [k, v] : getMap(cn, "env")) c.env.emplace_back(k, v);
    if (c.restartCount > 0 && cn["lastReason"]) {
      c.lastTerminated = SimContainer::Termination{
          get<int>(cn, "lastExitCode", 1), get<std::string>(cn, "lastReason", "Error"), "", "", "", ""};
    }
    pod.containers.push_back(std::move(c));
  }
  return pod;
}

SimAction::Kind ActionParser::parseKind(const std::string& name) {
  if (name == "crash") return SimAction::Kind::Crash;
  if (name == "update") return SimAction::Kind::Update;
  if (name == "delete") return SimAction::Kind::Delete;
  if (name == "recreate") return SimAction::Kind::Recreate;
  if (name == "add") return SimAction::Kind::Add;
  throw podmon::ConfigException("kube-sim: unknown action '" + name +
                                "' (expected crash, update, delete, recreate or add)");
}

SimAction ActionParser::parseAction(const YAML::Node& node, const std::string& kindOverride) {
  if (!node.IsMap()) throw podmon::ConfigException("kube-sim: an action must be a map");
  SimAction a;
  a.kind = parseKind(kindOverride.empty() ? get<std::string>(node, "action", "crash") : kindOverride);
  a.at = get<double>(node, "at", 0);
  a.ns = get<std::string>(node, "namespace", "default");
  if (a.kind == SimAction::Kind::Add) {
    YAML::Node podNode = node["pod"] && node["pod"].IsMap() ? node["pod"] : node;
    a.newPod = std::make_shared<SimPod>(parsePod(podNode));
    a.ns = a.newPod->ns;
    a.pod = a.newPod->name;
    return a;
  }
  a.pod = get<std::string>(node, "pod", "");
  if (a.pod.empty()) throw podmon::ConfigException("kube-sim: action without 'pod'");
  a.container = get<std::string>(node, "container", "");
  a.reason = get<std::string>(node, "reason", "Error");
  a.exitCode = get<int>(node, "exitCode", a.reason == "OOMKilled" ? 137 : 1);
  a.log = get<std::string>(node, "log", "");
  a.restart = get<bool>(node, "restart", true);
  a.unhealthy = get<bool>(node, "unhealthy", false);
  a.labels = getMap(node, "labels");
  a.annotations = getMap(node, "annotations");
  if (node["ready"]) a.ready = get<bool>(node, "ready", true);
  return a;
}

}  // namespace podmon::kubesim
