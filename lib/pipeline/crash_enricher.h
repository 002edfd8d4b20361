#pragma once

#include <chrono>
#include <functional>
#include <string>

#include "core/clock.h"
#include "core/redactor.h"
#include "crash/crash_event.h"
#include "kube/kube_api.h"
#include "pipeline/namespace_event_lists.h"
#include "store/crash_record.h"

namespace podmon::pipeline {

struct EnrichOptions {
  int tailLines = 500;                  // LOG_TAIL_LINES
  std::size_t maxLogBytes = 1'000'000;  // MAX_CRASHLOG_LENGTH
  int attempts = 3;                     // log/event fetches per crash (timeouts, 5xx)
  std::chrono::milliseconds retryDelay{500};
  std::size_t maxEvents = 20;  // most recent Warning events kept
  // Masks secrets in the log, the termination message and event messages (REDACT,
  // REDACT_PATTERNS); null = redaction off.
  std::shared_ptr<const Redactor> redactor;
  // ENRICH_TIMEOUT: the whole enrichment of one crash (owner, log and its check, events, retries
  // included); after it the crash is stored with what was fetched and logs_status says why.
  std::chrono::milliseconds timeout{60000};
  // When one namespace-wide events list serves a storm's crashes instead of a read per crash.
  NamespaceEventLists::Options eventLists;
};

// What a log fetch gave, reduced to what is stored: valid UTF-8 text, its tail if too long, and a
// status word (captured, truncated, or "unavailable: <reason>").
struct LogCapture {
  std::string text;
  std::string status;
  bool retryable = false;  // the failure may go away (timeout, 5xx, 429)
};

// Pure: turns one log response into a capture. `requestedLimit` is the limitBytes sent. With a
// redactor, secrets are masked before the tail is cut (so a cut never leaves half a secret).
LogCapture classifyLogResponse(const kube::LogResponse& response, std::size_t maxLogBytes, long long requestedLimit,
                               const Redactor* redactor = nullptr);

// Pure: why a log read for `crash` may not be the crashed instance's, judging by the pod as read
// again after the log (nullopt: no pod by that name any more), or "" when it is. The pod's UID
// must be the crash's, and the container's last termination (the current one for a container that
// did not restart) must still be the one that crashed.
std::string logOwnerMismatch(const crash::CrashEvent& crash, const std::optional<kube::PodSnapshot>& podNow);

// The Deployment of a ReplicaSet named `<deployment>-<pod-template-hash>`, or "" when the name
// does not follow the rule.
std::string deploymentFromReplicaSet(const std::string& replicaSetName, const std::string& podTemplateHash);

// Adds to a detected crash what the API still has about it: the crashed instance's log (only once
// the pod, read again, shows it was that instance's), the owning workload, and the pod's recent
// Warning events, with secrets masked (options.redactor): every sink (MySQL, and through its
// outbox Elasticsearch and Slack) gets the redacted record. Never throws and never gives up the
// crash: whatever cannot be had within a few bounded retries and options.timeout is recorded as
// unavailable. Thread-safe: the enrich pool's workers share one.
class CrashEnricher {
 public:
  using Sleeper = std::function<void(std::chrono::milliseconds)>;
  CrashEnricher(kube::KubeApi::Ptr api, EnrichOptions options, Sleeper sleeper = {},
                Clock::Ptr clock = SystemClock::instance());

  store::CrashRecord enrich(const crash::CrashEvent& crash);

 private:
  using Deadline = std::chrono::steady_clock::time_point;
  // Calls `attempt` (numbered from 1) up to options_.attempts times until it returns true (done:
  // success, or a failure not worth another attempt), sleeping retryDelay * n after the n-th.
  // Returns true when the deadline ended the attempts (none left, or not enough for the sleep).
  bool retryAttempts(Deadline deadline, const std::function<bool(int attempt)>& attempt) const;
  std::chrono::milliseconds remaining(Deadline deadline) const;
  LogCapture fetchLog(const crash::CrashEvent& crash, Deadline deadline);
  // "" when the log read belongs to the crash, else the logs_status that says why it is dropped.
  std::string checkLogOwner(const crash::CrashEvent& crash, Deadline deadline);
  std::string fetchEvents(const crash::CrashEvent& crash, Deadline deadline);
  void resolveOwner(crash::CrashEvent& crash, Deadline deadline);
  std::string redact(const std::string& text) const;

  kube::KubeApi::Ptr api_;
  EnrichOptions options_;
  Sleeper sleeper_;
  Clock::Ptr clock_;
  std::unique_ptr<NamespaceEventLists> eventLists_;  // shared by the workers
};

}  // namespace podmon::pipeline
