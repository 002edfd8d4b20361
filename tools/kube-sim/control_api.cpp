#include "control_api.h"

#include <yaml-cpp/yaml.h>

#include <chrono>
#include <stdexcept>

#include "action_parser.h"
#include "api_error.h"
#include "core/errors.h"
#include "json_writer.h"
#include "kube_sim_server.h"

namespace podmon::kubesim {
namespace {

YAML::Node parseBody(const std::string& body) {
  try {
    YAML::Node node = YAML::Load(body.empty() ? "{}" : body);
    if (!node.IsMap()) throw ApiError::badRequest("kube-sim control: body must be a JSON object");
    return node;
  } catch (const YAML::Exception& e) {
    throw ApiError::badRequest(std::string("kube-sim control: body is not valid JSON: ") + e.what());
  }
}

// An integer body field, `fallback` when absent; below `min` is a 400 naming the field.
int intField(const YAML::Node& body, const char* key, int fallback, int min) {
  if (!body[key]) return fallback;
  int value = 0;
  try {
    value = body[key].as<int>();
  } catch (const YAML::Exception&) {
    throw ApiError::badRequest(std::string("kube-sim control: '") + key + "' must be an integer");
  }
  if (value < min)
    throw ApiError::badRequest(std::string("kube-sim control: '") + key + "' must be at least " + std::to_string(min));
  return value;
}

// A fault period in milliseconds: 0 (off) or at least 10, so a typo cannot make a busy loop.
std::chrono::milliseconds periodField(const YAML::Node& body, const char* key) {
  int ms = intField(body, key, 0, 0);
  if (ms > 0 && ms < 10)
    throw ApiError::badRequest(std::string("kube-sim control: '") + key + "' must be 0 (off) or at least 10 ms");
  return std::chrono::milliseconds(ms);
}

// {"answer": "gone-status" | "gone-event" | "malformed" | "normal", "count": N}; {} clears.
WatchScript::Settings watchScriptField(const YAML::Node& body) {
  WatchScript::Settings settings;
  settings.count = intField(body, "count", -1, -1);
  if (!body["answer"]) return settings;
  try {
    settings.answer = WatchScript::parseAnswer(body["answer"].as<std::string>());
  } catch (const std::invalid_argument& e) {
    throw ApiError::badRequest(std::string("kube-sim control: ") + e.what());
  }
  return settings;
}

}  // namespace

void ControlApi::applyActions(const YAML::Node& body) {
  if (!body["actions"]) return server_.apply(ActionParser::parseAction(body));
  // {"actions": [...]}: a burst, every action parsed before the first is applied.
  const YAML::Node& list = body["actions"];
  if (!list.IsSequence()) throw ApiError::badRequest("kube-sim control: 'actions' must be a list of actions");
  if (list.size() > kMaxActionsPerRequest)
    throw ApiError::badRequest("kube-sim control: at most " + std::to_string(kMaxActionsPerRequest) +
                               " actions per request");
  std::vector<SimAction> actions;
  actions.reserve(list.size());
  for (const auto& node : list) actions.push_back(ActionParser::parseAction(node));
  for (const auto& action : actions) server_.apply(action);
}

std::string ControlApi::okJson() const {
  return R"({"ok":true,"resourceVersion":")" + std::to_string(server_.state().currentResourceVersion()) + "\"}";
}

std::string ControlApi::statsJson() const {
  auto stats = server_.stats();
  std::string out;
  JsonWriter w(out);
  w.beginObject().key("requests").beginObject();
  for (const auto& [kind, n] : stats.requests) w.field(kind, static_cast<int64_t>(n));
  w.endObject()
      .field("openWatches", static_cast<int64_t>(stats.openWatches))
      .field("pods", static_cast<int64_t>(stats.pods))
      .field("resourceVersion", std::to_string(stats.resourceVersion))
      .key("watchFaults")
      .beginObject()
      .field("drops", static_cast<int64_t>(stats.watchFaults.drops))
      .field("expiries", static_cast<int64_t>(stats.watchFaults.expiries))
      .field("malformed", static_cast<int64_t>(stats.watchFaults.malformed))
      .field("scripted", static_cast<int64_t>(stats.watchFaults.scripted))
      .endObject()
      .endObject();
  return out;
}

void ControlApi::handle(HttpExchange& ex, const std::vector<std::string>& segments) {
  std::string what;
  for (const auto& s : segments) what += (what.empty() ? "" : "/") + s;
  if (what == "stats" && ex.method() == "GET") return ex.sendJson(200, statsJson());
  if (ex.method() != "POST")
    throw ApiError(405, "MethodNotAllowed", "kube-sim control endpoints take POST (GET only for /_sim/stats)");
  try {
    if (what == "pods" || what == "add") {
      server_.apply(ActionParser::parseAction(parseBody(ex.body()), "add"));
    } else if (what == "crash" || what == "update" || what == "delete" || what == "recreate") {
      server_.apply(ActionParser::parseAction(parseBody(ex.body()), what));
    } else if (what == "actions") {
      applyActions(parseBody(ex.body()));
    } else if (what == "watches/drop") {
      server_.dropWatches();
    } else if (what == "watches/expire") {
      server_.expireWatches();
    } else if (what == "watches/malformed") {
      server_.sendMalformedWatchLine();
    } else if (what == "compact") {
      server_.compactHistory();
    } else if (what == "faults/logs") {
      YAML::Node n = parseBody(ex.body());
      LogFaults::Settings f;
      f.delayMs = intField(n, "delayMs", 0, 0);
      f.failStatus = intField(n, "failStatus", 500, 400);
      if (f.failStatus > 599)
        throw ApiError::badRequest("kube-sim control: failStatus must be an HTTP error status (400-599)");
      f.failCount = intField(n, "failCount", 0, 0);
      f.delayCount = intField(n, "delayCount", -1, -1);
      server_.setLogFaults(f);
    } else if (what == "faults/logs/pod") {
      YAML::Node n = parseBody(ex.body());
      const std::string ns = n["namespace"] ? n["namespace"].as<std::string>() : "";
      const std::string pod = n["pod"] ? n["pod"].as<std::string>() : "";
      if (ns.empty() || pod.empty())
        throw ApiError::badRequest("kube-sim control: faults/logs/pod needs \"namespace\" and \"pod\"");
      server_.logFaults().setPodDelay(ns, pod, intField(n, "delayMs", 0, 0));
    } else if (what == "faults/api-latency") {
      server_.setApiLatency(std::chrono::milliseconds(intField(parseBody(ex.body()), "delayMs", 0, 0)));
    } else if (what == "faults/watches") {
      YAML::Node n = parseBody(ex.body());
      KubeSimServer::WatchFaultSchedule s;
      s.dropEvery = periodField(n, "dropEveryMs");
      s.expireEvery = periodField(n, "expireEveryMs");
      s.malformedEvery = periodField(n, "malformedEveryMs");
      server_.setWatchFaults(s);
    } else if (what == "faults/watch-answers") {
      server_.watchScript().set(watchScriptField(parseBody(ex.body())));
    } else if (server_.runControlHook(what)) {
      // handled by a hook the program added
    } else {
      throw ApiError(404, "NotFound", "kube-sim control: unknown endpoint /_sim/" + what);
    }
  } catch (const podmon::ConfigException& e) {
    throw ApiError::badRequest(e.message());
  } catch (const YAML::Exception& e) {
    throw ApiError::badRequest(std::string("kube-sim control: ") + e.what());
  }
  ex.sendJson(200, okJson());
}

}  // namespace podmon::kubesim
