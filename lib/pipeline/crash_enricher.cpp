#include "pipeline/crash_enricher.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Stringifier.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <sstream>
#include <thread>

#include "core/errors.h"
#include "crash/termination_state_text.h"
#include "store/utf8_text.h"

namespace podmon::pipeline {

LogCapture classifyLogResponse(const kube::LogResponse& response, std::size_t maxLogBytes, long long requestedLimit,
                               const Redactor* redactor) {
  LogCapture capture;
  if (response.status == 200) {
    std::string text = store::sanitizeUtf8(response.body);
    if (redactor) text = redactor->redact(text);
    bool cut = requestedLimit > 0 && static_cast<long long>(response.body.size()) >= requestedLimit;
    if (text.size() > maxLogBytes) {
      text = store::tailUtf8Bytes(text, maxLogBytes);
      cut = true;
    }
    capture.text = std::move(text);
    capture.status = cut ? "truncated" : "captured";
    return capture;
  }
  std::string body = store::sanitizeUtf8(response.body);
  if (redactor) body = redactor->redact(body);
  std::string message = store::headUtf8Chars(body, 200);
  if (response.status == 404) {
    capture.status = "unavailable: pod not found (deleted)";
  } else if (response.status == 400 && message.find("previous terminated container") != std::string::npos) {
    capture.status = "unavailable: previous container log not found";
  } else if (response.status == 400) {
    capture.status = "unavailable: " + message;
  } else if (response.status == 429 || response.status >= 500) {
    capture.status = "unavailable: HTTP " + std::to_string(response.status) + (message.empty() ? "" : ": " + message);
    capture.retryable = true;
  } else {
    capture.status = "unavailable: HTTP " + std::to_string(response.status) + (message.empty() ? "" : ": " + message);
  }
  return capture;
}

std::string deploymentFromReplicaSet(const std::string& replicaSetName, const std::string& podTemplateHash) {
  if (podTemplateHash.empty()) return {};
  std::string suffix = "-" + podTemplateHash;
  if (replicaSetName.size() <= suffix.size()) return {};
  if (replicaSetName.compare(replicaSetName.size() - suffix.size(), suffix.size(), suffix) != 0) return {};
  return replicaSetName.substr(0, replicaSetName.size() - suffix.size());
}

namespace {

constexpr const char* kTimedOut = "unavailable: timed out";

bool captured(const LogCapture& capture) { return capture.status == "captured" || capture.status == "truncated"; }

}  // namespace

std::string logOwnerMismatch(const crash::CrashEvent& crash, const std::optional<kube::PodSnapshot>& podNow) {
  if (!podNow) return "unavailable: pod deleted before its log was checked";
  if (podNow->uid != crash.podUid) return "unavailable: pod replaced";
  const kube::ContainerSnapshot* c = podNow->findContainer(crash.containerName);
  if (!c) return "unavailable: pod replaced";
  // The detector's identity of the crashed instance, taken from the pod as it is now.
  const kube::ContainerState& termination = crash.restarted ? c->lastState : c->state;
  const std::string idNow = termination.containerId.empty() ? c->containerId : termination.containerId;
  if (!crash.containerId.empty() && !idNow.empty()) {
    return idNow == crash.containerId ? "" : "unavailable: container restarted again";
  }
  return c->restartCount > crash.restartCount ? "unavailable: container restarted again" : "";
}

CrashEnricher::CrashEnricher(kube::KubeApi::Ptr api, EnrichOptions options, Sleeper sleeper, Clock::Ptr clock)
    : api_(std::move(api)), options_(options), sleeper_(std::move(sleeper)), clock_(std::move(clock)) {
  if (!sleeper_) sleeper_ = [](std::chrono::milliseconds d) { std::this_thread::sleep_for(d); };
  eventLists_ = std::make_unique<NamespaceEventLists>(api_, options_.eventLists, clock_);
}

std::chrono::milliseconds CrashEnricher::remaining(Deadline deadline) const {
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - clock_->steadyNow());
  return std::max(left, std::chrono::milliseconds::zero());
}

bool CrashEnricher::retryAttempts(Deadline deadline, const std::function<bool(int attempt)>& attempt) const {
  for (int n = 1; n <= options_.attempts; ++n) {
    if (remaining(deadline) <= std::chrono::milliseconds::zero()) return true;
    if (attempt(n)) return false;
    if (n == options_.attempts) return false;
    const auto delay = options_.retryDelay * n;
    if (remaining(deadline) <= delay) return true;
    sleeper_(delay);
  }
  return false;
}

LogCapture CrashEnricher::fetchLog(const crash::CrashEvent& crash, Deadline deadline) {
  kube::LogRequest request;
  request.namespace_ = crash.namespace_;
  request.pod = crash.podName;
  request.container = crash.containerName;
  // A container that restarted: the crashed instance is the previous one. A Job container that
  // terminated without restarting: its current (terminated) instance.
  request.previous = crash.restarted;
  request.tailLines = options_.tailLines;
  // The API's limitBytes keeps the head; ask for more and keep the tail ourselves.
  request.limitBytes = static_cast<long long>(options_.maxLogBytes) * 2 + 4096;
  LogCapture capture;
  const bool timedOut = retryAttempts(deadline, [&](int) {
    request.timeout = remaining(deadline);
    try {
      capture =
          classifyLogResponse(api_->podLog(request), options_.maxLogBytes, request.limitBytes, options_.redactor.get());
    } catch (const Poco::Exception& e) {
      capture =
          LogCapture{{}, "unavailable: " + store::headUtf8Chars(redact(store::sanitizeUtf8(e.message())), 200), true};
    }
    return !capture.retryable;
  });
  if (timedOut && !captured(capture)) capture = LogCapture{{}, kTimedOut, false};
  return capture;
}

std::string CrashEnricher::checkLogOwner(const crash::CrashEvent& crash, Deadline deadline) {
  std::optional<kube::PodSnapshot> pod;
  std::string error;
  const bool timedOut = retryAttempts(deadline, [&](int) {
    try {
      pod = api_->getPod(crash.namespace_, crash.podName, remaining(deadline));
      error.clear();
      return true;
    } catch (const Poco::Exception& e) {
      error = store::headUtf8Chars(redact(store::sanitizeUtf8(e.message())), 150);
      return e.code() != 0 && e.code() < 500 && e.code() != 429;  // not worth another attempt
    }
  });
  if (timedOut) return kTimedOut;  // no attempt answered in time
  if (!error.empty()) return "unavailable: could not check the log is the crash's: " + error;
  return logOwnerMismatch(crash, pod);
}

std::string CrashEnricher::fetchEvents(const crash::CrashEvent& crash, Deadline deadline) {
  std::string result;
  retryAttempts(deadline, [&](int attempt) {
    try {
      auto events = eventLists_->podEvents(crash, remaining(deadline));
      Poco::JSON::Array array;
      std::size_t start = 0;
      std::vector<const kube::PodEventInfo*> warnings;
      for (const auto& e : events) {
        if (e.type == "Warning") warnings.push_back(&e);
      }
      if (warnings.size() > options_.maxEvents) start = warnings.size() - options_.maxEvents;
      for (std::size_t i = start; i < warnings.size(); ++i) {
        const auto& e = *warnings[i];
        Poco::JSON::Object obj;
        obj.set("reason", e.reason);
        obj.set("message", store::headUtf8Chars(redact(store::sanitizeUtf8(e.message)), 1000));
        obj.set("count", e.count);
        obj.set("last_timestamp", e.lastTimestamp);
        if (!e.fieldPath.empty()) obj.set("field_path", e.fieldPath);
        array.add(obj);
      }
      if (array.size() == 0) {
        result = "[]";
        return true;
      }
      std::ostringstream out;
      Poco::JSON::Stringifier::condense(array, out);
      result = out.str();
      return true;
    } catch (const Poco::Exception& e) {
      spdlog::debug("events of pod {}/{} (attempt {}): {}", crash.namespace_, crash.podName, attempt, e.message());
      return e.code() != 0 && e.code() < 500 && e.code() != 429;  // not worth another attempt
    }
  });
  return result;
}

void CrashEnricher::resolveOwner(crash::CrashEvent& crash, Deadline deadline) {
  auto hash = crash.labels.find("pod-template-hash");
  const std::string podTemplateHash = hash == crash.labels.end() ? "" : hash->second;
  try {
    if (crash.ownerKind == "ReplicaSet") {
      std::string deployment = deploymentFromReplicaSet(crash.ownerName, podTemplateHash);
      if (!deployment.empty()) {
        crash.ownerKind = "Deployment";
        crash.ownerName = deployment;
        return;
      }
      if (remaining(deadline) <= std::chrono::milliseconds::zero()) return;
      if (auto owner =
              api_->controllerOf(crash.namespace_, "apps/v1", "replicasets", crash.ownerName, remaining(deadline))) {
        crash.ownerKind = owner->kind;
        crash.ownerName = owner->name;
      }
    } else if (crash.ownerKind == "Job") {
      if (remaining(deadline) <= std::chrono::milliseconds::zero()) return;
      if (auto owner = api_->controllerOf(crash.namespace_, "batch/v1", "jobs", crash.ownerName, remaining(deadline))) {
        crash.ownerKind = owner->kind;
        crash.ownerName = owner->name;
      }
    }
  } catch (const Poco::Exception& e) {
    // Keep the direct owner: the crash matters more than its workload's name.
    spdlog::debug("owner of {} {}/{}: {}", crash.ownerKind, crash.namespace_, crash.ownerName, e.message());
  }
}

std::string CrashEnricher::redact(const std::string& text) const {
  return options_.redactor ? options_.redactor->redact(text) : text;
}

store::CrashRecord CrashEnricher::enrich(const crash::CrashEvent& crash) {
  const Deadline deadline = clock_->steadyNow() + options_.timeout;
  store::CrashRecord record;
  record.event = crash;
  record.event.message = redact(crash.message);
  if (crash.termination.terminated()) {
    // The original's termination_state quotes the message: the redacted one.
    record.event.termination.message = redact(crash.termination.message);
    record.event.terminationState = crash::terminationStateText(record.event.termination);
  }
  resolveOwner(record.event, deadline);
  LogCapture log = fetchLog(crash, deadline);
  // The right log or none: a pod deleted and recreated under the same name (a StatefulSet's), or
  // a container that crashed again, while the log was read would give another instance's log.
  if (captured(log)) {
    if (std::string mismatch = checkLogOwner(crash, deadline); !mismatch.empty()) log = LogCapture{{}, mismatch};
  }
  record.logs = std::move(log.text);
  record.logsStatus = std::move(log.status);
  record.eventsJson = fetchEvents(crash, deadline);
  return record;
}

}  // namespace podmon::pipeline
