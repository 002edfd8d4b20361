#include "store/mysql_error.h"

#include <Poco/Data/DataException.h>
#include <Poco/Data/SessionPool.h>
#include <Poco/Exception.h>

#include <cctype>
#include <cstdlib>

namespace podmon::store {

namespace {

bool isConnectionErrno(int code) {
  switch (code) {
    case 1040:  // too many connections
    case 1053:  // server shutdown in progress
    case 1927:  // MariaDB: connection killed
    case 2002:  // can't connect through socket
    case 2003:  // can't connect to server
    case 2006:  // server has gone away
    case 2013:  // lost connection during query
    case 2026:  // SSL connection error
    case 2055:  // lost connection at '...'
    case 4031:  // MySQL 8: disconnected for inactivity
      return true;
    default: return false;
  }
}

bool isRejectedDataErrno(int code) {
  switch (code) {
    case 1048:  // column cannot be null
    case 1118:  // row size too large
    case 1153:  // packet bigger than max_allowed_packet
    case 1264:  // out of range value
    case 1292:  // truncated incorrect value
    case 1366:  // incorrect string value
    case 1406:  // data too long for column
    case 3140:  // invalid JSON text
    case 4025:  // MariaDB: CHECK constraint failed
      return true;
    default: return false;
  }
}

bool contains(const std::string& text, const char* part) { return text.find(part) != std::string::npos; }

}  // namespace

std::optional<int> mysqlErrno(const std::string& message) {
  // "[mysql_stmt_errno]: 2006" from statements, "[mysql_errno]: 2003" from sessions.
  for (const char* tag : {"[mysql_stmt_errno]:", "[mysql_errno]:"}) {
    const auto at = message.find(tag);
    if (at == std::string::npos) continue;
    std::size_t i = at + std::char_traits<char>::length(tag);
    while (i < message.size() && message[i] == ' ') ++i;
    std::size_t end = i;
    while (end < message.size() && std::isdigit(static_cast<unsigned char>(message[end]))) ++end;
    if (end == i) continue;
    const int code = std::atoi(message.substr(i, end - i).c_str());
    if (code != 0) return code;
  }
  return std::nullopt;
}

MySqlErrorKind classifyMySqlError(const Poco::Exception& error) {
  if (dynamic_cast<const Poco::Data::ConnectionFailedException*>(&error) != nullptr) {
    return MySqlErrorKind::kConnection;
  }
  const std::string text = error.displayText();
  if (const auto code = mysqlErrno(text)) {
    if (isConnectionErrno(*code)) return MySqlErrorKind::kConnection;
    if (*code == 1205 || *code == 1213) return MySqlErrorKind::kTransient;
    if (isRejectedDataErrno(*code)) return MySqlErrorKind::kRejected;
    return MySqlErrorKind::kOther;
  }
  if (contains(text, "server has gone away") || contains(text, "Lost connection") || contains(text, "Can't connect") ||
      contains(text, "not connected") || contains(text, "Connection refused")) {
    return MySqlErrorKind::kConnection;
  }
  return MySqlErrorKind::kOther;
}

}  // namespace podmon::store
