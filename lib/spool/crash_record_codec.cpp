#include "spool/crash_record_codec.h"

#include "spool/field_reader.h"
#include "spool/field_writer.h"
#include "spool/spool_exception.h"

namespace podmon::spool {

namespace {

constexpr std::string_view kCrashTag = "crash/1";

void putTermination(FieldWriter& w, const kube::ContainerState& s) {
  w.putInt(static_cast<int>(s.phase));
  w.putString(s.reason);
  w.putString(s.message);
  w.putOptionalInt(s.exitCode);
  w.putOptionalInt(s.signal);
  w.putString(s.startedAt);
  w.putString(s.finishedAt);
  w.putString(s.containerId);
}

kube::ContainerState getTermination(FieldReader& r) {
  kube::ContainerState s;
  const auto phase = r.getInt();
  if (phase < 0 || phase > static_cast<int>(kube::ContainerState::Phase::kTerminated)) {
    throw SpoolException("a spooled crash holds an unknown container phase");
  }
  s.phase = static_cast<kube::ContainerState::Phase>(phase);
  s.reason = r.getString();
  s.message = r.getString();
  s.exitCode = r.getOptionalInt();
  s.signal = r.getOptionalInt();
  s.startedAt = r.getString();
  s.finishedAt = r.getString();
  s.containerId = r.getString();
  return s;
}

void putIdentity(FieldWriter& w, const crash::CrashEvent& e) {
  w.putString(e.clusterName);
  w.putString(e.namespace_);
  w.putString(e.podName);
  w.putString(e.podUid);
  w.putString(e.containerName);
  w.putInt(static_cast<int>(e.containerKind));
  w.putInt(e.restartCount);
  w.putInt(e.restartDelta);
  w.putBool(e.restarted);
  w.putBool(e.detectedWhileDown);
}

void getIdentity(FieldReader& r, crash::CrashEvent& e) {
  e.clusterName = r.getString();
  e.namespace_ = r.getString();
  e.podName = r.getString();
  e.podUid = r.getString();
  e.containerName = r.getString();
  const auto kind = r.getInt();
  if (kind < 0 || kind > static_cast<int>(kube::ContainerKind::kEphemeral)) {
    throw SpoolException("a spooled crash holds an unknown container kind");
  }
  e.containerKind = static_cast<kube::ContainerKind>(kind);
  e.restartCount = static_cast<int>(r.getInt());
  e.restartDelta = static_cast<int>(r.getInt());
  e.restarted = r.getBool();
  e.detectedWhileDown = r.getBool();
}

void putDetails(FieldWriter& w, const crash::CrashEvent& e) {
  w.putString(e.reason);
  w.putOptionalInt(e.exitCode);
  w.putOptionalInt(e.signal);
  for (const auto* text : {&e.message, &e.startedAt, &e.finishedAt, &e.containerId, &e.terminationState,
                           &e.containerState, &e.nodeName, &e.image, &e.ownerKind, &e.ownerName}) {
    w.putString(*text);
  }
  putTermination(w, e.termination);
  w.putInt(static_cast<std::int64_t>(e.labels.size()));
  for (const auto& [name, value] : e.labels) {
    w.putString(name);
    w.putString(value);
  }
  w.putTime(e.detectedAt);
}

void getDetails(FieldReader& r, crash::CrashEvent& e) {
  e.reason = r.getString();
  e.exitCode = r.getOptionalInt();
  e.signal = r.getOptionalInt();
  for (auto* text : {&e.message, &e.startedAt, &e.finishedAt, &e.containerId, &e.terminationState, &e.containerState,
                     &e.nodeName, &e.image, &e.ownerKind, &e.ownerName}) {
    *text = r.getString();
  }
  e.termination = getTermination(r);
  const auto labels = r.getInt();
  for (std::int64_t i = 0; i < labels; ++i) {  // each label reads at least 16 bytes: bounded by the record
    std::string name = r.getString();
    e.labels[name] = r.getString();
  }
  e.detectedAt = r.getTime();
}

}  // namespace

std::string encodeCrashRecord(const store::CrashRecord& record) {
  FieldWriter w;
  w.putString(kCrashTag);
  putIdentity(w, record.event);
  putDetails(w, record.event);
  w.putString(record.logs);
  w.putString(record.logsStatus);
  w.putString(record.eventsJson);
  w.putString(record.fingerprint);
  return w.bytes();
}

store::CrashRecord decodeCrashRecord(std::string_view payload) {
  FieldReader r(payload);
  if (r.getString() != kCrashTag) throw SpoolException("a spool record that is not a crash");
  store::CrashRecord record;
  getIdentity(r, record.event);
  getDetails(r, record.event);
  record.logs = r.getString();
  record.logsStatus = r.getString();
  record.eventsJson = r.getString();
  record.fingerprint = r.getString();
  r.expectEnd();
  return record;
}

}  // namespace podmon::spool
