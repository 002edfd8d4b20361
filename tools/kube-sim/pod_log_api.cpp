#include "pod_log_api.h"

#include <thread>

#include "api_error.h"
#include "kube_sim_server.h"

namespace podmon::kubesim {

std::string PodLogApi::tail(const std::string& text, long long lines) {
  if (lines < 0) return text;
  if (lines == 0) return "";
  size_t end = text.size();
  if (end > 0 && text[end - 1] == '\n') --end;
  size_t pos = end;
  long long seen = 0;
  while (pos > 0) {
    if (text[pos - 1] == '\n' && ++seen == lines) break;
    --pos;
  }
  return text.substr(pos);
}

void PodLogApi::get(HttpExchange& ex, const std::string& ns, const std::string& pod) {
  if (int delayMs = server_.logFaults().takeDelayMs(ns, pod)) {
    if (!server_.sleepUnlessStopped(std::chrono::milliseconds(delayMs)))
      throw ApiError(503, "ServiceUnavailable", "kube-sim is stopping");
  }
  if (int status = server_.logFaults().takeFailure()) {
    throw ApiError(status,
                   status == 429   ? "TooManyRequests"
                   : status >= 500 ? "InternalError"
                                   : "BadRequest",
                   "simulated pods/log failure (kube-sim log fault)");
  }
  std::string text = server_.state().readLog(ns, pod, ex.param("container"), ex.boolParam("previous"));
  text = tail(text, ex.intParam("tailLines", -1));
  long long limitBytes = ex.intParam("limitBytes", 0);
  if (limitBytes < 0)
    throw ApiError(422, "Invalid",
                   "PodLogOptions \"" + pod + "\" is invalid: limitBytes: Invalid value: " +
                       std::to_string(limitBytes) + ": must be greater than 0");
  if (limitBytes > 0 && text.size() > static_cast<size_t>(limitBytes)) text.resize(static_cast<size_t>(limitBytes));
  ex.sendText(200, text);
}

}  // namespace podmon::kubesim
