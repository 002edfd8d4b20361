#include "store/store_factory.h"

#include <cstddef>
#include <utility>

#include "core/config.h"

namespace podmon::store {

MySqlConfig mySqlConfigFrom(const Config& config) {
  MySqlConfig c;
  c.host = config.get("SQL_HOST");
  c.port = config.getInt("SQL_PORT");
  c.user = config.get("SQL_USERNAME");
  c.password = config.get("SQL_PASSWORD");
  c.database = config.get("SQL_DBNAME");
  return c;
}

CrashStoreOptions crashStoreOptionsFrom(const Config& config) {
  CrashStoreOptions options;
  options.maxLogBytes = static_cast<std::size_t>(config.getInt("MAX_CRASHLOG_LENGTH")) + 1024;
  // An outbox row only for the sinks that are on: rows for a sink nobody drains would pile up.
  options.outboxSinks.clear();
  if (config.isSet("ELASTICSEARCH_URL")) options.outboxSinks.push_back(Sink::kElasticsearch);
  if (config.getBool("SLACK_NOTIFY")) options.outboxSinks.push_back(Sink::kSlack);
  return options;
}

std::shared_ptr<MySqlCrashStore> makeMySqlCrashStore(const Config& config, Clock::Ptr clock) {
  return std::make_shared<MySqlCrashStore>(mySqlConfigFrom(config), std::move(clock), crashStoreOptionsFrom(config));
}

}  // namespace podmon::store
