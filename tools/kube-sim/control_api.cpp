#include "control_api.h"

#include <yaml-cpp/yaml.h>

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

}  // namespace

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
      server_.apply(ActionParser::parseAction(parseBody(ex.body())));
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
      f.delayMs = n["delayMs"] ? n["delayMs"].as<int>() : 0;
      f.failStatus = n["failStatus"] ? n["failStatus"].as<int>() : 500;
      f.failCount = n["failCount"] ? n["failCount"].as<int>() : 0;
      server_.setLogFaults(f);
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
