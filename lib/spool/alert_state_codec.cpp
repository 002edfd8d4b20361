#include "spool/alert_state_codec.h"

#include "spool/field_reader.h"
#include "spool/field_writer.h"
#include "spool/spool_exception.h"

namespace podmon::spool {

namespace {
constexpr std::string_view kAlertTag = "alert-state/2";    // with groupMembers
constexpr std::string_view kAlertTagV1 = "alert-state/1";  // before crash-storm groups
}  // namespace

std::string encodeAlertState(const JournaledAlertState& entry) {
  const store::AlertState& s = entry.state;
  FieldWriter w;
  w.putString(kAlertTag);
  w.putInt(entry.outboxId);
  w.putString(s.key);
  w.putString(s.channel);
  w.putString(s.threadTs);
  w.putTime(s.firstAlertAt);
  w.putTime(s.lastMessageAt);
  w.putTime(s.lastCrashAt);
  w.putInt(s.foldedCount);
  w.putOptionalTime(s.foldedSince);
  w.putString(s.lastReason);
  w.putOptionalInt(s.lastExitCode);
  w.putInt(s.lastOutboxId);
  w.putInt(s.carrierOutboxId);
  w.putString(s.groupMembers);
  return w.bytes();
}

JournaledAlertState decodeAlertState(std::string_view payload) {
  FieldReader r(payload);
  const std::string tag = r.getString();
  if (tag != kAlertTag && tag != kAlertTagV1) throw SpoolException("a journal record that is not an alert state");
  JournaledAlertState entry;
  store::AlertState& s = entry.state;
  entry.outboxId = r.getInt();
  s.key = r.getString();
  s.channel = r.getString();
  s.threadTs = r.getString();
  s.firstAlertAt = r.getTime();
  s.lastMessageAt = r.getTime();
  s.lastCrashAt = r.getTime();
  s.foldedCount = static_cast<int>(r.getInt());
  s.foldedSince = r.getOptionalTime();
  s.lastReason = r.getString();
  s.lastExitCode = r.getOptionalInt();
  s.lastOutboxId = r.getInt();
  s.carrierOutboxId = r.getInt();
  if (tag == kAlertTag) s.groupMembers = r.getString();
  r.expectEnd();
  return entry;
}

}  // namespace podmon::spool
