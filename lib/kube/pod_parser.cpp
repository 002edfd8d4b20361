#include "kube/pod_parser.h"

#include <simdjson.h>

#include "core/errors.h"

namespace podmon::kube {
namespace {

// simdjson on-demand: one pass over the text, reading only the fields below and skipping the rest
// (managedFields, spec.containers, annotations) without building anything for them. Structural
// errors surface as simdjson_error, turned into KubeException at the entry points.
using simdjson::SUCCESS;
using simdjson::ondemand::array;
using simdjson::ondemand::object;
using simdjson::ondemand::value;

struct Field {
  simdjson::ondemand::raw_json_string key;  // compared as written: the API server escapes no key it sends
  value v;
};
// One field of an object being iterated: its key and its value (read or skipped).
Field open(simdjson::simdjson_result<simdjson::ondemand::field> result) {
  simdjson::ondemand::raw_json_string key = result.key().value();
  return {key, result.value().value()};
}

// The string value, or "" when it is another type (as the API leaves optional fields out).
std::string str(value v) {
  std::string_view s;
  if (v.get_string().get(s) == SUCCESS) return std::string(s);
  return {};
}

std::optional<int> integer(value v) {
  int64_t i = 0;
  if (v.get_int64().get(i) == SUCCESS) return static_cast<int>(i);
  return std::nullopt;
}

bool asObject(value v, object& out) { return v.get_object().get(out) == SUCCESS; }

// `terminated` wins over `waiting` over `running`, whatever their order in the text.
ContainerState parseState(value stateValue) {
  ContainerState terminated, waiting, running;
  object holder;
  if (!asObject(stateValue, holder)) return {};
  for (auto result : holder) {
    auto [key, v] = open(result);
    object inner;
    if (!asObject(v, inner)) continue;
    ContainerState* target = key == "terminated" ? &terminated
                             : key == "waiting"  ? &waiting
                             : key == "running"  ? &running
                                                 : nullptr;
    if (!target) continue;
    target->phase = key == "terminated" ? ContainerState::Phase::kTerminated
                    : key == "waiting"  ? ContainerState::Phase::kWaiting
                                        : ContainerState::Phase::kRunning;
    for (auto result2 : inner) {
      auto [k, fv] = open(result2);
      if (k == "exitCode") target->exitCode = integer(fv);
      else if (k == "signal") target->signal = integer(fv);
      else if (k == "reason") target->reason = str(fv);
      else if (k == "message") target->message = str(fv);
      else if (k == "startedAt") target->startedAt = str(fv);
      else if (k == "finishedAt") target->finishedAt = str(fv);
      else if (k == "containerID") target->containerId = str(fv);
    }
  }
  ContainerState state = terminated.phase != ContainerState::Phase::kNone ? terminated
                         : waiting.phase != ContainerState::Phase::kNone  ? waiting
                                                                          : running;
  // Each phase keeps only the fields the API defines for it.
  if (state.phase == ContainerState::Phase::kTerminated) {
    if (state.signal && *state.signal == 0) state.signal.reset();
  } else {
    state.exitCode.reset();
    state.signal.reset();
    state.finishedAt.clear();
    state.containerId.clear();
    if (state.phase == ContainerState::Phase::kRunning) {
      state.reason.clear();
      state.message.clear();
    } else {
      state.startedAt.clear();
    }
  }
  return state;
}

ContainerSnapshot parseStatus(value entry, std::string_view listName, ContainerKind kind) {
  object cs;
  if (!asObject(entry, cs)) throw KubeException(std::string(listName) + " entry is not an object");
  ContainerSnapshot c;
  c.kind = kind;
  for (auto result : cs) {
    auto [k, v] = open(result);
    if (k == "name") c.name = str(v);
    else if (k == "restartCount") c.restartCount = integer(v).value_or(0);
    else if (k == "image") c.image = str(v);
    else if (k == "containerID") c.containerId = str(v);
    else if (k == "state") c.state = parseState(v);
    else if (k == "lastState") c.lastState = parseState(v);
  }
  if (c.name.empty()) throw KubeException(std::string(listName) + " entry without a name");
  if (c.restartCount < 0) throw KubeException("negative restartCount for container " + c.name);
  return c;
}

void parseStatuses(value v, std::string_view listName, ContainerKind kind, std::vector<ContainerSnapshot>& out) {
  array arr;
  if (v.get_array().get(arr) != SUCCESS) return;
  for (auto entry : arr) out.push_back(parseStatus(entry.value(), listName, kind));
}

void parseStatusObject(value v, PodSnapshot& snap) {
  object status;
  if (!asObject(v, status)) return;
  std::vector<ContainerSnapshot> regular, ephemeral;
  for (auto result : status) {
    auto [k, fv] = open(result);
    if (k == "phase") snap.phase = str(fv);
    else if (k == "initContainerStatuses")
      parseStatuses(fv, "initContainerStatuses", ContainerKind::kInit, snap.containers);
    else if (k == "containerStatuses") parseStatuses(fv, "containerStatuses", ContainerKind::kRegular, regular);
    else if (k == "ephemeralContainerStatuses")
      parseStatuses(fv, "ephemeralContainerStatuses", ContainerKind::kEphemeral, ephemeral);
  }
  // Init, then regular, then ephemeral, whatever the order in the text.
  for (auto* list : {&regular, &ephemeral})
    snap.containers.insert(snap.containers.end(), std::make_move_iterator(list->begin()),
                           std::make_move_iterator(list->end()));
}

std::optional<OwnerReference> controllerOwner(value v) {
  array owners;
  if (v.get_array().get(owners) != SUCCESS) return std::nullopt;
  std::optional<OwnerReference> found;
  for (auto entry : owners) {
    object o;
    if (!asObject(entry.value(), o)) continue;
    OwnerReference ref;
    bool controller = false;
    for (auto result : o) {
      auto [k, fv] = open(result);
      if (k == "kind") ref.kind = str(fv);
      else if (k == "name") ref.name = str(fv);
      else if (k == "uid") ref.uid = str(fv);
      else if (k == "controller") {
        bool b = false;
        controller = fv.get_bool().get(b) == SUCCESS && b;
      }
    }
    if (controller && !found) found = std::move(ref);
  }
  return found;
}

void parseMetadata(value v, PodSnapshot& snap) {
  object meta;
  if (!asObject(v, meta)) throw KubeException("pod without metadata");
  for (auto result : meta) {
    auto [k, fv] = open(result);
    if (k == "uid") snap.uid = str(fv);
    else if (k == "namespace") snap.namespace_ = str(fv);
    else if (k == "name") snap.name = str(fv);
    else if (k == "resourceVersion") snap.resourceVersion = str(fv);
    else if (k == "ownerReferences") snap.owner = controllerOwner(fv);
    else if (k == "labels") {
      object labels;
      if (!asObject(fv, labels)) continue;
      for (auto result2 : labels) {
        const std::string key(result2.unescaped_key().value());
        value lv = result2.value().value();
        std::string_view s;
        if (lv.get_string().get(s) == SUCCESS) snap.labels.emplace(std::string(key), std::string(s));
      }
    }
  }
}

void parseSpec(value v, PodSnapshot& snap) {
  object spec;
  if (!asObject(v, spec)) return;
  for (auto result : spec) {
    auto [k, fv] = open(result);
    if (k == "nodeName") snap.nodeName = str(fv);
    else if (k == "restartPolicy") snap.restartPolicy = str(fv);
  }
}

PodSnapshot parsePodObject(object pod) {
  PodSnapshot snap;
  bool metadata = false;
  for (auto result : pod) {
    auto [k, v] = open(result);
    if (k == "metadata") {
      parseMetadata(v, snap);
      metadata = true;
    } else if (k == "spec") {
      parseSpec(v, snap);
    } else if (k == "status") {
      parseStatusObject(v, snap);
    }
  }
  if (!metadata) throw KubeException("pod without metadata");
  if (snap.uid.empty() || snap.name.empty() || snap.namespace_.empty()) {
    throw KubeException("pod without metadata.uid, metadata.name or metadata.namespace");
  }
  return snap;
}

object rootObject(simdjson::ondemand::document& doc, const char* what) {
  object o;
  if (doc.get_object().get(o) != SUCCESS) throw KubeException(std::string(what) + " is not a JSON object");
  return o;
}

void requireEnd(simdjson::ondemand::document& doc) {
  // current_location() is OUT_OF_BOUNDS exactly when the whole text was read.
  if (doc.current_location().error() != simdjson::OUT_OF_BOUNDS) {
    throw KubeException("invalid JSON: content after the document");
  }
}

}  // namespace

struct PodParser::Impl {
  simdjson::ondemand::parser parser;
  std::string buffer;  // the input with simdjson's padding after it
  simdjson::ondemand::document iterate(std::string_view json) {
    buffer.reserve(json.size() + simdjson::SIMDJSON_PADDING);
    buffer.assign(json);
    buffer.append(simdjson::SIMDJSON_PADDING, '\0');
    simdjson::ondemand::document doc;
    auto error = parser.iterate(buffer.data(), json.size(), buffer.size()).get(doc);
    if (error) throw KubeException(std::string("invalid JSON: ") + simdjson::error_message(error));
    return doc;
  }
};

namespace {

// Runs a parse, turning simdjson's errors (a malformed or truncated text found on the way) into
// KubeException; the parser stays usable.
template <typename F>
auto guarded(F&& parse) -> decltype(parse()) {
  try {
    return parse();
  } catch (const simdjson::simdjson_error& e) {
    throw KubeException(std::string("invalid JSON: ") + simdjson::error_message(e.error()));
  }
}

WatchEvent::Type eventType(std::string_view type) {
  if (type == "ADDED") return WatchEvent::Type::kAdded;
  if (type == "MODIFIED") return WatchEvent::Type::kModified;
  if (type == "DELETED") return WatchEvent::Type::kDeleted;
  if (type == "BOOKMARK") return WatchEvent::Type::kBookmark;
  if (type == "ERROR") return WatchEvent::Type::kError;
  throw KubeException("unknown watch event type '" + std::string(type.substr(0, 40)) + "'");
}

// The watch event's object, once its type is known.
void parseEventObject(value v, WatchEvent& event) {
  object obj;
  if (!asObject(v, obj)) throw KubeException("watch event without an object");
  if (event.type == WatchEvent::Type::kBookmark) {
    for (auto result : obj) {
      auto [k, fv] = open(result);
      if (k != "metadata") continue;
      object meta;
      if (!asObject(fv, meta)) break;
      for (auto result2 : meta) {
        auto [mk, mv] = open(result2);
        if (mk == "resourceVersion") event.resourceVersion = str(mv);
      }
    }
    if (event.resourceVersion.empty()) throw KubeException("BOOKMARK without resourceVersion");
  } else if (event.type == WatchEvent::Type::kError) {
    for (auto result : obj) {
      auto [k, fv] = open(result);
      if (k == "code") event.errorCode = integer(fv).value_or(0);
      else if (k == "message") event.errorMessage = str(fv);
    }
  } else {
    event.pod = parsePodObject(obj);
    event.resourceVersion = event.pod.resourceVersion;
  }
}

}  // namespace

PodParser::PodParser() : impl_(std::make_unique<Impl>()) {}
PodParser::~PodParser() = default;

void PodParser::releaseMemory() { impl_ = std::make_unique<Impl>(); }

PodSnapshot PodParser::parsePod(std::string_view json) {
  return guarded([&] {
    auto doc = impl_->iterate(json);
    PodSnapshot pod = parsePodObject(rootObject(doc, "pod"));
    requireEnd(doc);
    return pod;
  });
}

WatchEvent PodParser::parseWatchEvent(std::string_view line) {
  return guarded([&] {
    auto doc = impl_->iterate(line);
    WatchEvent event;
    std::optional<std::string> type;
    std::string_view laterObject;  // the object's text when it came before the type
    bool sawObject = false;
    for (auto result : rootObject(doc, "watch event")) {
      auto [k, v] = open(result);
      if (k == "type") {
        type = str(v);
        event.type = eventType(*type);
      } else if (k == "object" && !sawObject) {
        sawObject = true;
        if (type) {
          parseEventObject(v, event);
        } else {
          object later;
          if (!asObject(v, later)) throw KubeException("watch event without an object");
          laterObject = later.raw_json().value();
        }
      }
    }
    requireEnd(doc);
    if (!type) throw KubeException("unknown watch event type ''");
    if (!sawObject) throw KubeException("watch event without an object");
    if (!laterObject.empty()) {
      // Rare (the API server writes the type first): the object is read again on its own.
      auto again = impl_->iterate(std::string(laterObject));
      parseEventObject(again.get_value().value(), event);
    }
    return event;
  });
}

PodParser::ListInfo PodParser::parsePodList(std::string_view json, const std::function<void(PodSnapshot&&)>& onPod) {
  return guarded([&] {
    auto doc = impl_->iterate(json);
    ListInfo info;
    bool items = false;
    for (auto result : rootObject(doc, "pod list")) {
      auto [k, v] = open(result);
      if (k == "metadata") {
        object meta;
        if (!asObject(v, meta)) continue;
        for (auto result2 : meta) {
          auto [mk, mv] = open(result2);
          if (mk == "resourceVersion") info.resourceVersion = str(mv);
          else if (mk == "continue") info.continueToken = str(mv);
        }
      } else if (k == "items" && !items) {
        items = true;
        if (v.is_null()) continue;
        array arr;
        if (v.get_array().get(arr) != SUCCESS) throw KubeException("pod list without items");
        for (auto entry : arr) {
          object pod;
          if (!asObject(entry.value(), pod)) throw KubeException("pod list item is not a JSON object");
          onPod(parsePodObject(pod));
          ++info.items;
        }
      }
    }
    requireEnd(doc);
    if (!items) throw KubeException("pod list without items");
    return info;
  });
}

PodParser::ListPage PodParser::parsePodList(std::string_view json) {
  ListPage page;
  ListInfo info = parsePodList(json, [&](PodSnapshot&& pod) { page.pods.push_back(std::move(pod)); });
  page.resourceVersion = std::move(info.resourceVersion);
  page.continueToken = std::move(info.continueToken);
  return page;
}

std::optional<int> effectiveSignal(const ContainerState& state) {
  if (state.signal) return state.signal;
  if (state.exitCode && *state.exitCode > 128 && *state.exitCode < 128 + 65) return *state.exitCode - 128;
  return std::nullopt;
}

}  // namespace podmon::kube
