#pragma once

#include <optional>
#include <string>

namespace Poco {
class Exception;
}

// Poco 1.11's MySQL connector always sets Exception::code() to 0; the server's error number is
// only in the message text ("[mysql_stmt_errno]: 2006"). Retrying, rebuilding the pool and
// telling "already exists" apart all depend on reading it from there.
namespace podmon::store {

enum class MySqlErrorKind {
  kConnection,  // server gone, connection lost or refused: rebuild the pool and retry
  kTransient,   // deadlock or lock wait timeout: retry the transaction
  kRejected,    // the data can never be stored as it is (too long, bad value, packet too big)
  kOther,       // the statement itself is wrong: do not retry
};

// The MySQL error number in a connector message, if there is one.
std::optional<int> mysqlErrno(const std::string& message);

MySqlErrorKind classifyMySqlError(const Poco::Exception& error);

}  // namespace podmon::store
