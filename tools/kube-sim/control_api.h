#pragma once

#include <yaml-cpp/yaml.h>

#include "http_exchange.h"

namespace podmon::kubesim {

class KubeSimServer;

// The /_sim/ endpoints tests and scripts use to change the cluster and inject faults. They call
// the same KubeSimServer methods as in-process tests, with JSON bodies parsed by ActionParser.
//   POST pods|add, crash, update, delete, recreate, actions   cluster changes (SimAction bodies)
//   POST actions {"actions": [...]}                           up to 10,000 actions applied at once (a storm)
//   POST faults/api-latency {"delayMs"}                       every Kubernetes API request answered
//        after delayMs (0 stops); the /_sim/ endpoints are never delayed
//   POST watches/drop, watches/expire, watches/malformed      one fault on every open watch
//   POST faults/watches {"dropEveryMs","expireEveryMs","malformedEveryMs"}  repeat them; {} stops
//   POST faults/watch-answers {"answer","count"}  the next `count` watches (-1 or absent: all,
//        until replaced) answered "gone-status" (HTTP 410), "gone-event" (ERROR event 410) or
//        "malformed" (one bad line), each then closed; {} or "normal" stops
//   POST faults/logs {"failStatus","failCount","delayMs","delayCount"}      pods/log faults (replaces all)
//   POST faults/logs/pod {"namespace","pod","delayMs"}        that pod's log answers after delayMs (0 clears)
//   POST compact                                              forget the watch history
//   GET  stats   requests by kind, open watches, pods, resourceVersion, watch faults injected
class ControlApi {
 public:
  explicit ControlApi(KubeSimServer& server) : server_(server) {}
  // segments: the path after "_sim". Throws ApiError (400 for bad bodies, 404 unknown path).
  void handle(HttpExchange& ex, const std::vector<std::string>& segments);

 private:
  static constexpr std::size_t kMaxActionsPerRequest = 10000;
  void applyActions(const YAML::Node& body);
  std::string okJson() const;
  std::string statsJson() const;
  KubeSimServer& server_;
};

}  // namespace podmon::kubesim
