#include "store/mysql_config.h"

namespace podmon::store {

std::string MySqlConfig::connectionString() const {
  return "host=" + host + ";port=" + std::to_string(port) + ";db=" + database + ";user=" + user +
         ";password=" + password + ";compress=true;auto-reconnect=false;character-set=utf8mb4";
}

std::string MySqlConfig::describe() const { return user + "@" + host + ":" + std::to_string(port) + "/" + database; }

}  // namespace podmon::store
