#include "pod_renderer.h"

#include "json_writer.h"

namespace podmon::kubesim {
namespace {

void writeTermination(JsonWriter& w, const SimContainer::Termination& t) {
  w.beginObject().field("exitCode", t.exitCode).field("reason", t.reason);
  if (!t.message.empty()) w.field("message", t.message);
  w.field("startedAt", t.startedAt).field("finishedAt", t.finishedAt).field("containerID", t.containerId);
  w.endObject();
}

void writeContainerSpec(JsonWriter& w, const SimContainer& c) {
  w.beginObject();
  if (!c.env.empty()) {
    w.key("env").beginArray();
    for (const auto& [k, v] : c.env) w.beginObject().field("name", k).field("value", v).endObject();
    w.endArray();
  }
  w.field("image", c.image).field("imagePullPolicy", "IfNotPresent").field("name", c.name);
  w.key("resources").beginObject();
  if (!c.memoryLimit.empty()) {
    w.key("limits").beginObject().field("memory", c.memoryLimit).endObject();
    w.key("requests").beginObject().field("cpu", "100m").field("memory", c.memoryLimit).endObject();
  }
  w.endObject();
  w.field("terminationMessagePath", "/dev/termination-log").field("terminationMessagePolicy", "File");
  w.key("volumeMounts")
      .beginArray()
      .beginObject()
      .field("mountPath", "/var/run/secrets/kubernetes.io/serviceaccount")
      .field("name", "kube-api-access")
      .field("readOnly", true)
      .endObject()
      .endArray();
  w.endObject();
}

void writeContainerStatus(JsonWriter& w, const SimContainer& c) {
  w.beginObject();
  if (!c.containerId.empty()) w.field("containerID", c.containerId);
  w.field("image", c.image).field("imageID", c.imageId);
  w.key("lastState").beginObject();
  if (c.lastTerminated) {
    w.key("terminated");
    writeTermination(w, *c.lastTerminated);
  }
  w.endObject();
  w.field("name", c.name).field("ready", c.ready).field("restartCount", c.restartCount);
  w.field("started", c.state == SimContainer::State::Running);
  w.key("state").beginObject();
  switch (c.state) {
    case SimContainer::State::Running:
      w.key("running").beginObject().field("startedAt", c.runningSince).endObject();
      break;
    case SimContainer::State::Waiting:
      w.key("waiting").beginObject();
      if (!c.waitingMessage.empty()) w.field("message", c.waitingMessage);
      w.field("reason", c.waitingReason).endObject();
      break;
    case SimContainer::State::Terminated:
      w.key("terminated");
      writeTermination(w, c.terminated.value_or(SimContainer::Termination{}));
      break;
  }
  w.endObject();
  w.endObject();
}

void writeCondition(JsonWriter& w, const char* type, bool ok, const std::string& since, const std::string& reason,
                    const std::string& message) {
  w.beginObject().key("lastProbeTime").null().field("lastTransitionTime", since);
  if (!ok && !message.empty()) w.field("message", message);
  if (!ok && !reason.empty()) w.field("reason", reason);
  w.field("status", ok ? "True" : "False").field("type", type).endObject();
}

void writeManagedFields(JsonWriter& w, const SimPod& pod) {
  w.key("managedFields").beginArray();
  // What kube-controller-manager owns: metadata and spec.
  w.beginObject().field("apiVersion", "v1").field("fieldsType", "FieldsV1").key("fieldsV1").beginObject();
  w.key("f:metadata").beginObject().key("f:generateName").raw("{}");
  w.key("f:labels").beginObject().key(".").raw("{}");
  for (const auto& [k, v] : pod.labels) w.key("f:" + k).raw("{}");
  w.endObject();
  if (!pod.ownerUid.empty())
    w.key("f:ownerReferences")
        .beginObject()
        .key(".")
        .raw("{}")
        .key("k:{\"uid\":\"" + pod.ownerUid + "\"}")
        .raw("{}")
        .endObject();
  w.endObject();
  w.key("f:spec").beginObject().key("f:containers").beginObject();
  for (const auto& c : pod.containers) {
    if (c.init) continue;
    w.key("k:{\"name\":\"" + c.name + "\"}").beginObject().key(".").raw("{}");
    if (!c.env.empty()) {
      w.key("f:env").beginObject().key(".").raw("{}");
      for (const auto& [k, v] : c.env)
        w.key("k:{\"name\":\"" + k + "\"}")
            .beginObject()
            .key(".")
            .raw("{}")
            .key("f:name")
            .raw("{}")
            .key("f:value")
            .raw("{}")
            .endObject();
      w.endObject();
    }
    w.key("f:image")
        .raw("{}")
        .key("f:imagePullPolicy")
        .raw("{}")
        .key("f:name")
        .raw("{}")
        .key("f:resources")
        .raw("{}")
        .key("f:terminationMessagePath")
        .raw("{}")
        .key("f:terminationMessagePolicy")
        .raw("{}")
        .endObject();
  }
  w.endObject();
  w.key("f:dnsPolicy")
      .raw("{}")
      .key("f:enableServiceLinks")
      .raw("{}")
      .key("f:restartPolicy")
      .raw("{}")
      .key("f:schedulerName")
      .raw("{}")
      .key("f:securityContext")
      .raw("{}")
      .key("f:terminationGracePeriodSeconds")
      .raw("{}")
      .endObject();
  w.endObject();
  w.field("manager", "kube-controller-manager")
      .field("operation", "Update")
      .field("time", pod.creationTimestamp)
      .endObject();
  // What the kubelet owns: status.
  w.beginObject().field("apiVersion", "v1").field("fieldsType", "FieldsV1").key("fieldsV1").beginObject();
  w.key("f:status").beginObject().key("f:conditions").beginObject();
  for (const char* t : {"ContainersReady", "Initialized", "PodReadyToStartContainers", "Ready"})
    w.key(std::string("k:{\"type\":\"") + t + "\"}")
        .beginObject()
        .key(".")
        .raw("{}")
        .key("f:lastProbeTime")
        .raw("{}")
        .key("f:lastTransitionTime")
        .raw("{}")
        .key("f:status")
        .raw("{}")
        .key("f:type")
        .raw("{}")
        .endObject();
  w.endObject();
  w.key("f:containerStatuses")
      .raw("{}")
      .key("f:hostIP")
      .raw("{}")
      .key("f:phase")
      .raw("{}")
      .key("f:podIP")
      .raw("{}")
      .key("f:startTime")
      .raw("{}")
      .endObject();
  w.endObject();
  w.field("manager", "kubelet")
      .field("operation", "Update")
      .field("subresource", "status")
      .field("time", pod.readyTransitionTime)
      .endObject();
  w.endArray();
}

}  // namespace

std::string PodRenderer::render(const SimPod& pod) { return renderWithResourceVersion(pod, pod.resourceVersion); }

std::string PodRenderer::renderWithResourceVersion(const SimPod& pod, const std::string& resourceVersion) {
  std::string out;
  out.reserve(pod.withManagedFields ? 8192 : 3072);
  JsonWriter w(out);
  w.beginObject().field("kind", "Pod").field("apiVersion", "v1");

  // metadata
  w.key("metadata").beginObject().field("name", pod.name);
  if (!pod.generateName.empty()) w.field("generateName", pod.generateName);
  w.field("namespace", pod.ns)
      .field("uid", pod.uid)
      .field("resourceVersion", resourceVersion)
      .field("creationTimestamp", pod.creationTimestamp);
  if (!pod.labels.empty()) {
    w.key("labels").beginObject();
    for (const auto& [k, v] : pod.labels) w.field(k, v);
    w.endObject();
  }
  if (!pod.annotations.empty()) {
    w.key("annotations").beginObject();
    for (const auto& [k, v] : pod.annotations) w.field(k, v);
    w.endObject();
  }
  if (!pod.ownerKind.empty()) {
    w.key("ownerReferences")
        .beginArray()
        .beginObject()
        .field("apiVersion", pod.ownerApiVersion)
        .field("kind", pod.ownerKind)
        .field("name", pod.ownerName)
        .field("uid", pod.ownerUid)
        .field("controller", true)
        .field("blockOwnerDeletion", true)
        .endObject()
        .endArray();
  }
  if (pod.withManagedFields) writeManagedFields(w, pod);
  w.endObject();

  // spec
  w.key("spec").beginObject();
  bool hasInit = false;
  for (const auto& c : pod.containers) hasInit = hasInit || c.init;
  if (hasInit) {
    w.key("initContainers").beginArray();
    for (const auto& c : pod.containers)
      if (c.init) writeContainerSpec(w, c);
    w.endArray();
  }
  w.key("containers").beginArray();
  for (const auto& c : pod.containers)
    if (!c.init) writeContainerSpec(w, c);
  w.endArray();
  w.field("restartPolicy", pod.restartPolicy)
      .field("terminationGracePeriodSeconds", 30)
      .field("dnsPolicy", "ClusterFirst")
      .field("serviceAccountName", pod.serviceAccount)
      .field("serviceAccount", pod.serviceAccount)
      .field("nodeName", pod.nodeName)
      .emptyObject("securityContext")
      .field("schedulerName", "default-scheduler")
      .key("tolerations")
      .beginArray()
      .beginObject()
      .field("key", "node.kubernetes.io/not-ready")
      .field("operator", "Exists")
      .field("effect", "NoExecute")
      .field("tolerationSeconds", 300)
      .endObject()
      .beginObject()
      .field("key", "node.kubernetes.io/unreachable")
      .field("operator", "Exists")
      .field("effect", "NoExecute")
      .field("tolerationSeconds", 300)
      .endObject()
      .endArray()
      .field("priority", 0)
      .field("enableServiceLinks", true)
      .field("preemptionPolicy", "PreemptLowerPriority");
  w.endObject();

  // status
  bool initDone = true;
  for (const auto& c : pod.containers)
    if (c.init && !(c.state == SimContainer::State::Terminated && c.terminated && c.terminated->exitCode == 0))
      initDone = false;
  bool ready = pod.phase == "Running" && initDone && pod.allAppContainersReady();
  std::string notReady;
  for (const auto& c : pod.containers)
    if (!c.init && !c.ready) notReady += (notReady.empty() ? "" : " ") + c.name;
  std::string notReadyMessage = "containers with unready status: [" + notReady + "]";
  std::string notReadyReason =
      pod.phase == "Failed" || pod.phase == "Succeeded" ? "PodCompleted" : "ContainersNotReady";

  w.key("status").beginObject().field("phase", pod.phase);
  w.key("conditions").beginArray();
  writeCondition(w, "PodReadyToStartContainers", pod.phase == "Running" || pod.phase == "Pending", pod.startTime, "",
                 "");
  writeCondition(
      w, "Initialized", initDone, pod.startTime,
      "ContainersNotInitialized", "containers with incomplete status: [" + [&] {
        std::string s;
        for (const auto& n : pod.containerNames(true)) s += (s.empty() ? "" : " ") + n;
        return s;
      }() + "]");
  writeCondition(w, "Ready", ready, pod.readyTransitionTime, notReadyReason, notReadyMessage);
  writeCondition(w, "ContainersReady", ready, pod.readyTransitionTime, notReadyReason, notReadyMessage);
  writeCondition(w, "PodScheduled", true, pod.creationTimestamp, "", "");
  w.endArray();
  w.field("hostIP", pod.hostIp)
      .key("hostIPs")
      .beginArray()
      .beginObject()
      .field("ip", pod.hostIp)
      .endObject()
      .endArray()
      .field("podIP", pod.podIp)
      .key("podIPs")
      .beginArray()
      .beginObject()
      .field("ip", pod.podIp)
      .endObject()
      .endArray()
      .field("startTime", pod.startTime);
  if (hasInit) {
    w.key("initContainerStatuses").beginArray();
    for (const auto& c : pod.containers)
      if (c.init) writeContainerStatus(w, c);
    w.endArray();
  }
  w.key("containerStatuses").beginArray();
  for (const auto& c : pod.containers)
    if (!c.init) writeContainerStatus(w, c);
  w.endArray();
  w.field("qosClass", "Burstable");
  w.endObject();

  w.endObject();
  return out;
}

}  // namespace podmon::kubesim
