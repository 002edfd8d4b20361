#include "store/mysql_connect_options.h"

#include <dlfcn.h>
#include <mysql.h>

#include "core/errors.h"

namespace podmon::store {

namespace {

thread_local const MySqlConnectOptions* currentOptions = nullptr;

using RealConnect = MYSQL* (*)(MYSQL*, const char*, const char*, const char*, const char*, unsigned int, const char*,
                               unsigned long);

RealConnect realConnect() {
  static const auto real = reinterpret_cast<RealConnect>(dlsym(RTLD_NEXT, "mysql_real_connect"));
  return real;
}

}  // namespace

MySqlTlsMode parseMySqlTlsMode(const std::string& text) {
  if (text == "disabled") return MySqlTlsMode::kDisabled;
  if (text == "preferred") return MySqlTlsMode::kPreferred;
  if (text == "required") return MySqlTlsMode::kRequired;
  if (text == "verify-ca") return MySqlTlsMode::kVerifyCa;
  if (text == "verify-identity") return MySqlTlsMode::kVerifyIdentity;
  throw ConfigException("SQL_TLS: '" + text +
                        "' is not one of disabled, preferred, required, verify-ca, verify-identity");
}

std::string toString(MySqlTlsMode mode) {
  switch (mode) {
    case MySqlTlsMode::kDisabled: return "disabled";
    case MySqlTlsMode::kPreferred: return "preferred";
    case MySqlTlsMode::kRequired: return "required";
    case MySqlTlsMode::kVerifyCa: return "verify-ca";
    case MySqlTlsMode::kVerifyIdentity: return "verify-identity";
  }
  return "disabled";
}

void MySqlConnectOptions::applyTo(MYSQL* mysql) const {
  const unsigned int seconds = timeoutSeconds == 0 ? 1 : timeoutSeconds;
  mysql_options(mysql, MYSQL_OPT_CONNECT_TIMEOUT, &seconds);
  mysql_options(mysql, MYSQL_OPT_READ_TIMEOUT, &seconds);
  mysql_options(mysql, MYSQL_OPT_WRITE_TIMEOUT, &seconds);
  if (tls == MySqlTlsMode::kDisabled) return;
  const my_bool on = 1;
  mysql_options(mysql, MYSQL_OPT_SSL_ENFORCE, &on);
  if (tls == MySqlTlsMode::kVerifyCa || tls == MySqlTlsMode::kVerifyIdentity) {
    if (!tlsCa.empty()) mysql_options(mysql, MYSQL_OPT_SSL_CA, tlsCa.c_str());
    // Connector/C 3.3 checks the chain and the host name together under this one option.
    mysql_options(mysql, MYSQL_OPT_SSL_VERIFY_SERVER_CERT, &on);
  }
}

void MySqlConnectOptions::checkConnected(MYSQL* mysql, const std::string& where) const {
  if (tls == MySqlTlsMode::kDisabled || tls == MySqlTlsMode::kPreferred) return;
  if (mysql != nullptr && mysql_get_ssl_cipher(mysql) != nullptr) return;
  throw ConfigException("MySQL at " + where + " answered without TLS, but SQL_TLS is " + toString(tls) +
                        ": enable TLS on the server (ssl_cert, ssl_key) or set SQL_TLS=preferred or disabled");
}

MySqlConnectScope::MySqlConnectScope(const MySqlConnectOptions& options) : previous_(currentOptions) {
  currentOptions = &options;
}

MySqlConnectScope::~MySqlConnectScope() { currentOptions = previous_; }

const MySqlConnectOptions* MySqlConnectScope::current() { return currentOptions; }

}  // namespace podmon::store

// Poco's SessionHandle::connect calls this one (see MySqlConnectOptions).
extern "C" MYSQL* STDCALL mysql_real_connect(MYSQL* mysql, const char* host, const char* user, const char* passwd,
                                             const char* db, unsigned int port, const char* unixSocket,
                                             unsigned long clientFlag) {
  const auto real = podmon::store::realConnect();
  if (real == nullptr) return nullptr;
  if (const auto* options = podmon::store::MySqlConnectScope::current()) options->applyTo(mysql);
  return real(mysql, host, user, passwd, db, port, unixSocket, clientFlag);
}
