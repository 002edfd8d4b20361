#include "pipeline/crash_enricher.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Stringifier.h>
#include <spdlog/spdlog.h>

#include <sstream>
#include <thread>

#include "core/errors.h"
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

CrashEnricher::CrashEnricher(kube::KubeApi::Ptr api, EnrichOptions options, Sleeper sleeper)
    : api_(std::move(api)), options_(options), sleeper_(std::move(sleeper)) {
  if (!sleeper_) sleeper_ = [](std::chrono::milliseconds d) { std::this_thread::sleep_for(d); };
}

void CrashEnricher::retryAttempts(const std::function<bool(int attempt)>& attempt) const {
  for (int n = 1; n <= options_.attempts; ++n) {
    if (attempt(n)) return;
    if (n < options_.attempts) sleeper_(options_.retryDelay * n);
  }
}

LogCapture CrashEnricher::fetchLog(const crash::CrashEvent& crash) {
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
  retryAttempts([&](int) {
    try {
      capture =
          classifyLogResponse(api_->podLog(request), options_.maxLogBytes, request.limitBytes, options_.redactor.get());
    } catch (const Poco::Exception& e) {
      capture =
          LogCapture{{}, "unavailable: " + store::headUtf8Chars(redact(store::sanitizeUtf8(e.message())), 200), true};
    }
    return !capture.retryable;
  });
  return capture;
}

std::string CrashEnricher::fetchEvents(const crash::CrashEvent& crash) {
  std::string result;
  retryAttempts([&](int attempt) {
    try {
      auto events = api_->podEvents(crash.namespace_, crash.podUid);
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

void CrashEnricher::resolveOwner(crash::CrashEvent& crash) {
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
      if (auto owner = api_->controllerOf(crash.namespace_, "apps/v1", "replicasets", crash.ownerName)) {
        crash.ownerKind = owner->kind;
        crash.ownerName = owner->name;
      }
    } else if (crash.ownerKind == "Job") {
      if (auto owner = api_->controllerOf(crash.namespace_, "batch/v1", "jobs", crash.ownerName)) {
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
  store::CrashRecord record;
  record.event = crash;
  record.event.message = redact(crash.message);
  resolveOwner(record.event);
  LogCapture log = fetchLog(crash);
  record.logs = std::move(log.text);
  record.logsStatus = std::move(log.status);
  record.eventsJson = fetchEvents(crash);
  return record;
}

}  // namespace podmon::pipeline
