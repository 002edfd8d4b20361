#include "store/mysql_config.h"

#include <Poco/File.h>

namespace podmon::store {

std::string MySqlConfig::connectionString() const {
  return "host=" + host + ";port=" + std::to_string(port) + ";db=" + database + ";user=" + user +
         ";password=" + password + ";compress=true;auto-reconnect=false;character-set=utf8mb4";
}

std::string MySqlConfig::describe() const {
  return user + "@" + host + ":" + std::to_string(port) + "/" + database;
}

std::string defaultMigrationsDir() {
  const std::string installed = "/usr/share/podmon/sql";
  const std::string source = std::string(PODMON_SOURCE_DIR) + "/sql";
  // The build tree first: a developer's stale install must not shadow the migrations they edit.
  for (const auto& dir : {source, installed}) {
    Poco::File file(dir);
    if (file.exists() && file.isDirectory()) return dir;
  }
  return installed;
}

}  // namespace podmon::store
