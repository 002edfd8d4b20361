#include "kube/pod_parser.h"

#include <simdjson.h>

#include "core/errors.h"

namespace podmon::kube {
namespace {

using simdjson::dom::element;
using simdjson::dom::object;

std::string str(const object& obj, const char* key) {
  std::string_view v;
  if (obj[key].get_string().get(v) == simdjson::SUCCESS) return std::string(v);
  return {};
}

std::optional<int> integer(const object& obj, const char* key) {
  int64_t v = 0;
  if (obj[key].get_int64().get(v) == simdjson::SUCCESS) return static_cast<int>(v);
  return std::nullopt;
}

bool child(const object& obj, const char* key, object& out) {
  return obj[key].get_object().get(out) == simdjson::SUCCESS;
}

ContainerState parseState(const object& status, const char* key) {
  ContainerState state;
  object holder;
  if (!child(status, key, holder)) return state;
  object inner;
  if (child(holder, "terminated", inner)) {
    state.phase = ContainerState::Phase::kTerminated;
    state.exitCode = integer(inner, "exitCode");
    state.signal = integer(inner, "signal");
    if (state.signal && *state.signal == 0) state.signal.reset();
    state.reason = str(inner, "reason");
    state.message = str(inner, "message");
    state.startedAt = str(inner, "startedAt");
    state.finishedAt = str(inner, "finishedAt");
    state.containerId = str(inner, "containerID");
  } else if (child(holder, "waiting", inner)) {
    state.phase = ContainerState::Phase::kWaiting;
    state.reason = str(inner, "reason");
    state.message = str(inner, "message");
  } else if (child(holder, "running", inner)) {
    state.phase = ContainerState::Phase::kRunning;
    state.startedAt = str(inner, "startedAt");
  }
  return state;
}

void parseStatuses(const object& status, const char* key, ContainerKind kind, std::vector<ContainerSnapshot>& out) {
  simdjson::dom::array arr;
  if (status[key].get_array().get(arr) != simdjson::SUCCESS) return;
  for (element e : arr) {
    object cs;
    if (e.get_object().get(cs) != simdjson::SUCCESS) throw KubeException(std::string(key) + " entry is not an object");
    ContainerSnapshot c;
    c.name = str(cs, "name");
    if (c.name.empty()) throw KubeException(std::string(key) + " entry without a name");
    c.kind = kind;
    c.restartCount = integer(cs, "restartCount").value_or(0);
    if (c.restartCount < 0) throw KubeException("negative restartCount for container " + c.name);
    c.image = str(cs, "image");
    c.containerId = str(cs, "containerID");
    c.state = parseState(cs, "state");
    c.lastState = parseState(cs, "lastState");
    out.push_back(std::move(c));
  }
}

PodSnapshot parsePodObject(const object& pod) {
  PodSnapshot snap;
  object meta;
  if (!child(pod, "metadata", meta)) throw KubeException("pod without metadata");
  snap.uid = str(meta, "uid");
  snap.namespace_ = str(meta, "namespace");
  snap.name = str(meta, "name");
  snap.resourceVersion = str(meta, "resourceVersion");
  if (snap.uid.empty() || snap.name.empty() || snap.namespace_.empty()) {
    throw KubeException("pod without metadata.uid, metadata.name or metadata.namespace");
  }
  object labels;
  if (child(meta, "labels", labels)) {
    for (auto field : labels) {
      std::string_view v;
      if (field.value.get_string().get(v) == simdjson::SUCCESS)
        snap.labels.emplace(std::string(field.key), std::string(v));
    }
  }
  simdjson::dom::array owners;
  if (meta["ownerReferences"].get_array().get(owners) == simdjson::SUCCESS) {
    for (element e : owners) {
      object o;
      if (e.get_object().get(o) != simdjson::SUCCESS) continue;
      bool controller = false;
      if (o["controller"].get_bool().get(controller) == simdjson::SUCCESS && controller) {
        snap.owner = OwnerReference{str(o, "kind"), str(o, "name"), str(o, "uid")};
        break;
      }
    }
  }
  object spec;
  if (child(pod, "spec", spec)) {
    snap.nodeName = str(spec, "nodeName");
    snap.restartPolicy = str(spec, "restartPolicy");
  }
  object status;
  if (child(pod, "status", status)) {
    snap.phase = str(status, "phase");
    parseStatuses(status, "initContainerStatuses", ContainerKind::kInit, snap.containers);
    parseStatuses(status, "containerStatuses", ContainerKind::kRegular, snap.containers);
    parseStatuses(status, "ephemeralContainerStatuses", ContainerKind::kEphemeral, snap.containers);
  }
  return snap;
}

object asObject(const element& e, const char* what) {
  object o;
  if (e.get_object().get(o) != simdjson::SUCCESS) throw KubeException(std::string(what) + " is not a JSON object");
  return o;
}

}  // namespace

struct PodParser::Impl {
  simdjson::dom::parser parser;
  element parse(std::string_view json) {
    element root;
    auto error = parser.parse(json.data(), json.size(), true).get(root);
    if (error) throw KubeException(std::string("invalid JSON: ") + simdjson::error_message(error));
    return root;
  }
};

PodParser::PodParser() : impl_(std::make_unique<Impl>()) {}
PodParser::~PodParser() = default;

void PodParser::releaseMemory() { impl_ = std::make_unique<Impl>(); }

PodSnapshot PodParser::parsePod(std::string_view json) { return parsePodObject(asObject(impl_->parse(json), "pod")); }

WatchEvent PodParser::parseWatchEvent(std::string_view line) {
  object root = asObject(impl_->parse(line), "watch event");
  WatchEvent event;
  std::string type = str(root, "type");
  object obj;
  if (!child(root, "object", obj)) throw KubeException("watch event without an object");
  if (type == "ADDED") {
    event.type = WatchEvent::Type::kAdded;
  } else if (type == "MODIFIED") {
    event.type = WatchEvent::Type::kModified;
  } else if (type == "DELETED") {
    event.type = WatchEvent::Type::kDeleted;
  } else if (type == "BOOKMARK") {
    event.type = WatchEvent::Type::kBookmark;
    object meta;
    if (!child(obj, "metadata", meta)) throw KubeException("BOOKMARK without metadata");
    event.resourceVersion = str(meta, "resourceVersion");
    if (event.resourceVersion.empty()) throw KubeException("BOOKMARK without resourceVersion");
    return event;
  } else if (type == "ERROR") {
    event.type = WatchEvent::Type::kError;
    event.errorCode = integer(obj, "code").value_or(0);
    event.errorMessage = str(obj, "message");
    return event;
  } else {
    throw KubeException("unknown watch event type '" + type.substr(0, 40) + "'");
  }
  event.pod = parsePodObject(obj);
  event.resourceVersion = event.pod.resourceVersion;
  return event;
}

PodParser::ListPage PodParser::parsePodList(std::string_view json) {
  object root = asObject(impl_->parse(json), "pod list");
  ListPage page;
  object meta;
  if (child(root, "metadata", meta)) {
    page.resourceVersion = str(meta, "resourceVersion");
    page.continueToken = str(meta, "continue");
  }
  simdjson::dom::array items;
  if (root["items"].get_array().get(items) == simdjson::SUCCESS) {
    for (element e : items) page.pods.push_back(parsePodObject(asObject(e, "pod list item")));
  } else if (!root["items"].is_null()) {
    throw KubeException("pod list without items");
  }
  return page;
}

std::optional<int> effectiveSignal(const ContainerState& state) {
  if (state.signal) return state.signal;
  if (state.exitCode && *state.exitCode > 128 && *state.exitCode < 128 + 65) return *state.exitCode - 128;
  return std::nullopt;
}

}  // namespace podmon::kube
