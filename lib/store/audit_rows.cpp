#include "store/audit_rows.h"

#include <Poco/Nullable.h>

#include <string>

#include "store/utf8_text.h"

using namespace Poco::Data::Keywords;

namespace podmon::store::audit_rows {

namespace {

using NString = Poco::Nullable<std::string>;

constexpr std::size_t kActorChars = 255;
constexpr std::size_t kTargetChars = 512;
constexpr std::size_t kClusterChars = 255;
constexpr std::size_t kValueChars = 16000;

NString nullable(const std::optional<std::string>& value) {
  if (!value) return NString();
  return NString(fitText(*value, kValueChars));
}

}  // namespace

void insert(Poco::Data::Session& session, const SqlBackend& sql, const AuditEntry& entry,
            std::chrono::system_clock::time_point at) {
  std::string actor = fitText(entry.actor, kActorChars);
  std::string action = entry.action;
  std::string cluster = fitText(entry.cluster, kClusterChars);
  std::string target = fitText(entry.target, kTargetChars);
  NString oldValue = nullable(entry.oldValue);
  NString newValue = nullable(entry.newValue);
  session << "INSERT INTO `podmon_audit` (`at`, `actor`, `action`, `cluster`, `target`, `old_value`, `new_value`) "
             "VALUES (?, ?, ?, ?, ?, ?, ?)",
      sql.bindTime(at), use(actor), use(action), use(cluster), use(target), use(oldValue), use(newValue), now;
}

}  // namespace podmon::store::audit_rows
