#include "cluster_state.h"

#include <algorithm>

#include "api_error.h"
#include "core/rfc3339.h"
#include "json_writer.h"
#include "pod_renderer.h"

namespace podmon::kubesim {
namespace {

std::string joinNames(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : " ") + n;
  return out;
}

std::string fieldPathOf(const SimContainer& c) {
  return std::string(c.init ? "spec.initContainers{" : "spec.containers{") + c.name + "}";
}

std::string withNewline(std::string text) {
  if (!text.empty() && text.back() != '\n') text.push_back('\n');
  return text;
}

}  // namespace

ClusterState::ClusterState(Options options) : options_(std::move(options)) {
  if (!options_.clock) options_.clock = podmon::SystemClock::instance();
  if (options_.historyLimit == 0) options_.historyLimit = 1;
}

std::string ClusterState::timestamp() const { return podmon::formatRfc3339Seconds(options_.clock->now()); }

std::string ClusterState::randomHex(size_t n) {
  static const char* kHex = "0123456789abcdef";
  std::string out;
  out.reserve(n);
  uint64_t bits = 0;
  for (size_t i = 0; i < n; ++i) {
    if (i % 16 == 0) bits = random_();
    out.push_back(kHex[bits & 0xf]);
    bits >>= 4;
  }
  return out;
}

std::string ClusterState::newUid() {
  std::string h = randomHex(32);
  return h.substr(0, 8) + "-" + h.substr(8, 4) + "-4" + h.substr(13, 3) + "-a" + h.substr(17, 3) + "-" +
         h.substr(20, 12);
}

void ClusterState::addNamespace(const std::string& ns) {
  std::lock_guard lock(mu_);
  if (!namespaces_.count(ns)) namespaces_[ns] = timestamp();
}

std::map<std::string, std::string> ClusterState::namespaces() const {
  std::lock_guard lock(mu_);
  return namespaces_;
}

void ClusterState::publish(WatchEvent::Type type, std::shared_ptr<SimPod> next, SimPod::ConstPtr previous) {
  uint64_t rv = ++resourceVersion_;
  next->resourceVersion = std::to_string(rv);
  next->json = PodRenderer::render(*next);
  SimPod::ConstPtr published = next;
  snapshotCache_.reset();
  if (type == WatchEvent::Type::Deleted) {
    pods_.erase(published->key());
  } else {
    pods_[published->key()] = published;
  }
  history_.push_back(WatchEvent{type, rv, published, std::move(previous)});
  while (history_.size() > options_.historyLimit) {
    compactedThrough_ = history_.front().resourceVersion;
    history_.pop_front();
  }
  changed_.notify_all();
}

void ClusterState::prepareNewPod(SimPod& pod) {
  pod.uid = newUid();
  pod.creationTimestamp = pod.startTime = pod.readyTransitionTime = timestamp();
  if (pod.podIp.empty() || pod.podIp == "10.244.0.10")
    pod.podIp = "10.244." + std::to_string(random_() % 200) + "." + std::to_string(2 + random_() % 250);
  if (!pod.ownerKind.empty() && pod.ownerUid.empty()) {
    if (pod.ownerKind == "Deployment" || pod.ownerKind == "ReplicaSet") {
      // A Deployment owns a ReplicaSet that owns the pod, as in a real cluster.
      std::string rsName = pod.ownerName;
      if (pod.ownerKind == "Deployment") {
        std::string hash = randomHex(10);
        for (auto& ch : hash)
          if (ch >= '0' && ch <= '9' && ch < '4') ch = static_cast<char>('b' + (ch - '0'));
        rsName = pod.ownerName + "-" + hash.substr(0, 9);
        // A pod named like "<deployment>-<hash>-<suffix>" names its ReplicaSet itself.
        auto lastDash = pod.name.rfind('-');
        if (pod.name.rfind(pod.ownerName + "-", 0) == 0 && lastDash != std::string::npos &&
            lastDash > pod.ownerName.size())
          rsName = pod.name.substr(0, lastDash);
        auto existing = deploymentReplicaSets_.find(pod.ns + "/" + pod.ownerName);
        if (existing != deploymentReplicaSets_.end()) {
          rsName = existing->second;
        } else {
          ReplicaSet rs{newUid(), pod.ownerName, newUid(), timestamp(), pod.labels};
          rs.labels["pod-template-hash"] = rsName.substr(pod.ownerName.size() + 1);
          replicaSets_[pod.ns + "/" + rsName] = rs;
          deploymentReplicaSets_[pod.ns + "/" + pod.ownerName] = rsName;
        }
        pod.labels["pod-template-hash"] = rsName.substr(pod.ownerName.size() + 1);
      } else if (!replicaSets_.count(pod.ns + "/" + rsName)) {
        replicaSets_[pod.ns + "/" + rsName] = ReplicaSet{newUid(), "", "", timestamp(), pod.labels};
      }
      pod.ownerKind = "ReplicaSet";
      pod.ownerName = rsName;
      pod.ownerApiVersion = "apps/v1";
      pod.ownerUid = replicaSets_[pod.ns + "/" + rsName].uid;
    } else {
      if (pod.ownerApiVersion.empty())
        pod.ownerApiVersion = pod.ownerKind == "Job" ? "batch/v1" : pod.ownerKind == "Node" ? "v1" : "apps/v1";
      pod.ownerUid = newUid();
    }
  }
  if (!pod.ownerKind.empty() && pod.generateName.empty() && pod.ownerKind != "Node") {
    auto dash = pod.name.rfind('-');
    if (dash != std::string::npos) pod.generateName = pod.name.substr(0, dash + 1);
  }
  for (auto& c : pod.containers) {
    c.containerId = "containerd://" + randomHex(64);
    c.imageId = c.image.substr(0, c.image.find(':')) + "@sha256:" + randomHex(64);
    c.runningSince = pod.startTime;
    if (c.init) {
      c.state = SimContainer::State::Terminated;
      c.terminated = SimContainer::Termination{0, "Completed", "", pod.startTime, pod.startTime, c.containerId};
      c.ready = true;
    } else if (c.state == SimContainer::State::Running) {
      c.ready = pod.phase == "Running";
    }
    if (c.restartCount > 0) {
      // Restarts from before the watcher started: the last one shows in lastState.
      if (!c.lastTerminated) c.lastTerminated = SimContainer::Termination{1, "Error", "", "", "", ""};
      auto& last = *c.lastTerminated;
      if (last.startedAt.empty()) last.startedAt = pod.startTime;
      if (last.finishedAt.empty()) last.finishedAt = pod.startTime;
      if (last.containerId.empty()) last.containerId = "containerd://" + randomHex(64);
    }
  }
}

SimPod::ConstPtr ClusterState::addPod(SimPod pod) {
  std::lock_guard lock(mu_);
  if (pods_.count(pod.key()))
    throw ApiError(409, "AlreadyExists", "pods \"" + pod.name + "\" already exists",
                   R"({"name":")" + pod.name + R"(","kind":"pods"})");
  if (!namespaces_.count(pod.ns)) namespaces_[pod.ns] = timestamp();
  auto next = std::make_shared<SimPod>(std::move(pod));
  prepareNewPod(*next);
  for (const auto& c : next->containers) {
    logs_.setCurrent(next->uid, c.name, withNewline(c.startupLog));
    if (c.restartCount > 0) logs_.rotate(next->uid, c.name, withNewline(c.startupLog));
  }
  publish(WatchEvent::Type::Added, next, nullptr);
  return pods_[next->key()];
}

SimPod::ConstPtr ClusterState::requirePod(const std::string& ns, const std::string& name) const {
  auto it = pods_.find(ns + "/" + name);
  if (it == pods_.end()) throw ApiError::notFound("pods", name);
  return it->second;
}

bool ClusterState::deletePod(const std::string& ns, const std::string& name) {
  std::lock_guard lock(mu_);
  auto it = pods_.find(ns + "/" + name);
  if (it == pods_.end()) return false;
  SimPod::ConstPtr prev = it->second;
  auto next = std::make_shared<SimPod>(*prev);
  logs_.erasePod(prev->uid);
  publish(WatchEvent::Type::Deleted, next, prev);
  return true;
}

SimPod::ConstPtr ClusterState::recreatePod(const std::string& ns, const std::string& name) {
  std::lock_guard lock(mu_);
  SimPod::ConstPtr prev = requirePod(ns, name);
  logs_.erasePod(prev->uid);
  publish(WatchEvent::Type::Deleted, std::make_shared<SimPod>(*prev), prev);
  auto next = std::make_shared<SimPod>(*prev);
  next->phase = "Running";
  for (auto& c : next->containers) {
    c.restartCount = 0;
    c.lastTerminated.reset();
    c.terminated.reset();
    c.state = SimContainer::State::Running;
    c.ready = true;
  }
  std::string ownerUid = next->ownerUid;
  prepareNewPod(*next);
  next->ownerUid = ownerUid;
  for (const auto& c : next->containers) logs_.setCurrent(next->uid, c.name, withNewline(c.startupLog));
  publish(WatchEvent::Type::Added, next, nullptr);
  return pods_[next->key()];
}

void ClusterState::recordEvent(const SimPod& pod, const SimContainer& c, const std::string& type,
                               const std::string& reason, const std::string& message) {
  events_.record({"Pod", pod.ns, pod.name, pod.uid, fieldPathOf(c)}, type, reason, message, timestamp(),
                 ++resourceVersion_, pod.nodeName);
}

SimPod::ConstPtr ClusterState::crashContainer(const SimAction& crash) {
  std::lock_guard lock(mu_);
  SimPod::ConstPtr prev = requirePod(crash.ns, crash.pod);
  auto next = std::make_shared<SimPod>(*prev);
  SimContainer* c = nullptr;
  if (crash.container.empty()) {
    for (auto& candidate : next->containers)
      if (!candidate.init) {
        c = &candidate;
        break;
      }
  } else {
    c = next->findContainer(crash.container);
  }
  if (!c) throw ApiError::badRequest("container " + crash.container + " is not valid for pod " + crash.pod);
  std::string now = timestamp();
  SimContainer::Termination term{crash.exitCode, crash.reason, "", c->runningSince, now, c->containerId};
  logs_.append(next->uid, c->name, crash.log);
  if (crash.unhealthy) {
    recordEvent(*next, *c, "Warning", "Unhealthy",
                "Liveness probe failed: Get \"http://" + next->podIp + ":8080/healthz\": dial tcp " + next->podIp +
                    ":8080: connect: connection refused");
    recordEvent(*next, *c, "Normal", "Killing", "Container " + c->name + " failed liveness probe, will be restarted");
  }
  c->ready = false;
  next->readyTransitionTime = now;
  if (crash.restart) {
    c->lastTerminated = term;
    c->terminated.reset();
    ++c->restartCount;
    c->state = SimContainer::State::Waiting;
    c->waitingReason = "CrashLoopBackOff";
    int backoff = std::min(300, 10 << std::min(c->restartCount - 1, 5));
    std::string backoffText = backoff >= 60 ? std::to_string(backoff / 60) + "m" + std::to_string(backoff % 60) + "s"
                                            : std::to_string(backoff) + "s";
    c->waitingMessage = "back-off " + backoffText + " restarting failed container=" + c->name + " pod=" + next->name +
                        "_" + next->ns + "(" + next->uid + ")";
    logs_.rotate(next->uid, c->name, "");
    if (c->init) next->phase = "Pending";
    recordEvent(*next, *c, "Warning", "BackOff",
                "Back-off restarting failed container " + c->name + " in pod " + next->name + "_" + next->ns + "(" +
                    next->uid + ")");
  } else {
    c->state = SimContainer::State::Terminated;
    c->terminated = term;
    bool allDone = true, anyFailed = false;
    for (const auto& other : next->containers) {
      if (other.init) continue;
      if (other.state != SimContainer::State::Terminated) allDone = false;
      if (other.terminated && other.terminated->exitCode != 0) anyFailed = true;
    }
    if (allDone) next->phase = anyFailed ? "Failed" : "Succeeded";
  }
  publish(WatchEvent::Type::Modified, next, prev);
  return pods_[next->key()];
}

SimPod::ConstPtr ClusterState::finishRestart(const std::string& ns, const std::string& name, const std::string& uid,
                                             const std::string& container) {
  std::lock_guard lock(mu_);
  auto it = pods_.find(ns + "/" + name);
  if (it == pods_.end() || it->second->uid != uid) return nullptr;
  SimPod::ConstPtr prev = it->second;
  auto next = std::make_shared<SimPod>(*prev);
  SimContainer* c = next->findContainer(container);
  if (!c || c->state != SimContainer::State::Waiting) return nullptr;
  std::string now = timestamp();
  c->containerId = "containerd://" + randomHex(64);
  c->runningSince = now;
  c->waitingReason.clear();
  c->waitingMessage.clear();
  if (c->init) {
    c->state = SimContainer::State::Terminated;
    c->terminated = SimContainer::Termination{0, "Completed", "", now, now, c->containerId};
    c->ready = true;
    next->phase = "Running";
  } else {
    c->state = SimContainer::State::Running;
    c->ready = true;
  }
  next->readyTransitionTime = now;
  logs_.setCurrent(next->uid, c->name, withNewline(c->startupLog));
  recordEvent(*next, *c, "Normal", "Started", "Started container " + c->name);
  publish(WatchEvent::Type::Modified, next, prev);
  return pods_[next->key()];
}

SimPod::ConstPtr ClusterState::updatePod(const SimAction& update) {
  std::lock_guard lock(mu_);
  SimPod::ConstPtr prev = requirePod(update.ns, update.pod);
  auto next = std::make_shared<SimPod>(*prev);
  for (const auto& [k, v] : update.labels) {
    if (v.empty()) next->labels.erase(k);
    else next->labels[k] = v;
  }
  for (const auto& [k, v] : update.annotations) {
    if (v.empty()) next->annotations.erase(k);
    else next->annotations[k] = v;
  }
  if (update.ready.has_value()) {
    for (auto& c : next->containers)
      if (!c.init && c.state == SimContainer::State::Running &&
          (update.container.empty() || c.name == update.container))
        c.ready = *update.ready;
    next->readyTransitionTime = timestamp();
  }
  publish(WatchEvent::Type::Modified, next, prev);
  return pods_[next->key()];
}

SimPod::ConstPtr ClusterState::getPod(const std::string& ns, const std::string& name) const {
  std::lock_guard lock(mu_);
  return requirePod(ns, name);
}

ClusterState::PodSnapshot ClusterState::snapshot() const { return *sharedSnapshot(); }

std::shared_ptr<const ClusterState::PodSnapshot> ClusterState::sharedSnapshot() const {
  std::lock_guard lock(mu_);
  // Events and leases move resourceVersion_ without changing a pod: the cached list stays right
  // for the pods, but its resourceVersion must be the current one, as a real list's is.
  if (snapshotCache_ && snapshotCache_->resourceVersion == resourceVersion_) return snapshotCache_;
  auto snap = std::make_shared<PodSnapshot>();
  snap->resourceVersion = resourceVersion_;
  if (snapshotCache_) {
    snap->pods = snapshotCache_->pods;
  } else {
    snap->pods.reserve(pods_.size());
    for (const auto& [key, pod] : pods_) snap->pods.push_back(pod);
  }
  snapshotCache_ = snap;
  return snapshotCache_;
}

size_t ClusterState::podCount() const {
  std::lock_guard lock(mu_);
  return pods_.size();
}

uint64_t ClusterState::currentResourceVersion() const {
  std::lock_guard lock(mu_);
  return resourceVersion_;
}

std::string ClusterState::tooOldMessage(uint64_t rv) const {
  return "too old resource version: " + std::to_string(rv) + " (" + std::to_string(compactedThrough_) + ")";
}

ClusterState::WatchCursor ClusterState::openWatch(uint64_t resourceVersion) {
  std::lock_guard lock(mu_);
  if (resourceVersion < compactedThrough_) throw ApiError::expired(tooOldMessage(resourceVersion));
  ++openWatches_;
  return WatchCursor{resourceVersion, dropGeneration_, expireGeneration_, malformedGeneration_};
}

void ClusterState::closeWatch() {
  std::lock_guard lock(mu_);
  if (openWatches_ > 0) --openWatches_;
}

size_t ClusterState::openWatches() const {
  std::lock_guard lock(mu_);
  return openWatches_;
}

ClusterState::WatchBatch ClusterState::waitForEvents(WatchCursor& cursor,
                                                     std::chrono::steady_clock::time_point deadline, size_t maxEvents) {
  std::unique_lock lock(mu_);
  auto latest = [&] { return history_.empty() ? compactedThrough_ : history_.back().resourceVersion; };
  changed_.wait_until(lock, deadline, [&] {
    return stopping_ || cursor.dropGeneration != dropGeneration_ || cursor.expireGeneration != expireGeneration_ ||
           cursor.malformedGeneration != malformedGeneration_ || latest() > cursor.resourceVersion ||
           cursor.resourceVersion < compactedThrough_;
  });
  WatchBatch batch;
  if (stopping_) {
    batch.stopping = true;
    return batch;
  }
  if (cursor.dropGeneration != dropGeneration_) {
    batch.dropped = true;
    return batch;
  }
  if (cursor.expireGeneration != expireGeneration_ || cursor.resourceVersion < compactedThrough_) {
    batch.expired = true;
    batch.expiredMessage = tooOldMessage(cursor.resourceVersion);
    return batch;
  }
  batch.malformedLines = static_cast<int>(malformedGeneration_ - cursor.malformedGeneration);
  cursor.malformedGeneration = malformedGeneration_;
  auto first = std::upper_bound(history_.begin(), history_.end(), cursor.resourceVersion,
                                [](uint64_t rv, const WatchEvent& e) { return rv < e.resourceVersion; });
  for (auto it = first; it != history_.end() && batch.events.size() < maxEvents; ++it) batch.events.push_back(*it);
  if (!batch.events.empty()) cursor.resourceVersion = batch.events.back().resourceVersion;
  // Nothing left for this watch below the global RV: it may advance (bookmarks carry it).
  if (batch.events.size() < maxEvents) cursor.resourceVersion = std::max(cursor.resourceVersion, latest());
  return batch;
}

void ClusterState::dropWatches() {
  std::lock_guard lock(mu_);
  ++dropGeneration_;
  changed_.notify_all();
}

void ClusterState::expireWatches() {
  std::lock_guard lock(mu_);
  ++expireGeneration_;
  compactedThrough_ = resourceVersion_;
  history_.clear();
  changed_.notify_all();
}

void ClusterState::compactHistory() {
  std::lock_guard lock(mu_);
  compactedThrough_ = resourceVersion_;
  history_.clear();
  changed_.notify_all();
}

void ClusterState::sendMalformedWatchLine() {
  std::lock_guard lock(mu_);
  ++malformedGeneration_;
  changed_.notify_all();
}

void ClusterState::shutdown() {
  std::lock_guard lock(mu_);
  stopping_ = true;
  changed_.notify_all();
}

std::string ClusterState::readLog(const std::string& ns, const std::string& podName, const std::string& container,
                                  bool previous) const {
  std::lock_guard lock(mu_);
  SimPod::ConstPtr pod = requirePod(ns, podName);
  std::string name = container;
  if (name.empty()) {
    auto apps = pod->containerNames(false);
    if (apps.size() == 1) {
      name = apps.front();
    } else {
      std::string msg =
          "a container name must be specified for pod " + podName + ", choose one of: [" + joinNames(apps) + "]";
      auto inits = pod->containerNames(true);
      if (!inits.empty()) msg += " or one of the init containers: [" + joinNames(inits) + "]";
      throw ApiError::badRequest(msg);
    }
  }
  const SimContainer* c = pod->findContainer(name);
  if (!c) throw ApiError::badRequest("container " + name + " is not valid for pod " + podName);
  if (previous) {
    if (!c->lastTerminated)
      throw ApiError::badRequest("previous terminated container \"" + name + "\" in pod \"" + podName + "\" not found");
    return logs_.previous(pod->uid, name);
  }
  if (c->state == SimContainer::State::Waiting) {
    // The kubelet serves the last terminated instance while the next one waits to start.
    if (c->lastTerminated) return logs_.previous(pod->uid, name);
    throw ApiError::badRequest("container \"" + name + "\" in pod \"" + podName +
                               "\" is waiting to start: " + c->waitingReason);
  }
  return logs_.current(pod->uid, name);
}

std::string ClusterState::eventsJson(const std::string& ns, const std::string& fieldSelector) const {
  std::lock_guard lock(mu_);
  return events_.listJson(ns, fieldSelector, resourceVersion_);
}

std::string ClusterState::getLease(const std::string& ns, const std::string& name) const {
  std::lock_guard lock(mu_);
  return leases_.get(ns, name);
}

std::string ClusterState::createLease(const std::string& ns, const std::string& body) {
  std::lock_guard lock(mu_);
  std::string out = leases_.create(ns, body, resourceVersion_ + 1, timestamp());
  ++resourceVersion_;
  return out;
}

std::string ClusterState::updateLease(const std::string& ns, const std::string& name, const std::string& body) {
  std::lock_guard lock(mu_);
  std::string out = leases_.update(ns, name, body, resourceVersion_ + 1);
  ++resourceVersion_;
  return out;
}

std::string ClusterState::listLeases(const std::string& ns) const {
  std::lock_guard lock(mu_);
  return leases_.list(ns, resourceVersion_);
}

std::string ClusterState::getReplicaSet(const std::string& ns, const std::string& name) const {
  std::lock_guard lock(mu_);
  auto it = replicaSets_.find(ns + "/" + name);
  if (it == replicaSets_.end()) throw ApiError::notFound("replicasets", name, "apps");
  const ReplicaSet& rs = it->second;
  std::string out;
  JsonWriter w(out);
  w.beginObject().field("kind", "ReplicaSet").field("apiVersion", "apps/v1");
  w.key("metadata")
      .beginObject()
      .field("name", name)
      .field("namespace", ns)
      .field("uid", rs.uid)
      .field("resourceVersion", std::to_string(resourceVersion_))
      .field("generation", 1)
      .field("creationTimestamp", rs.created);
  w.key("labels").beginObject();
  for (const auto& [k, v] : rs.labels) w.field(k, v);
  w.endObject();
  if (!rs.deployment.empty())
    w.key("ownerReferences")
        .beginArray()
        .beginObject()
        .field("apiVersion", "apps/v1")
        .field("kind", "Deployment")
        .field("name", rs.deployment)
        .field("uid", rs.deploymentUid)
        .field("controller", true)
        .field("blockOwnerDeletion", true)
        .endObject()
        .endArray();
  w.endObject();
  w.key("spec").beginObject().field("replicas", 1).key("selector").beginObject().key("matchLabels").beginObject();
  for (const auto& [k, v] : rs.labels) w.field(k, v);
  w.endObject().endObject().endObject();
  w.key("status").beginObject().field("replicas", 1).field("observedGeneration", 1).endObject();
  w.endObject();
  return out;
}

}  // namespace podmon::kubesim
