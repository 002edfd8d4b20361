#pragma once

#include <string>

struct st_mysql;

namespace podmon::store {

// SQL_TLS: how a MySQL connection is encrypted and what of the server's certificate is checked.
enum class MySqlTlsMode { kDisabled, kPreferred, kRequired, kVerifyCa, kVerifyIdentity };

// Throws ConfigException naming the accepted words for anything else.
MySqlTlsMode parseMySqlTlsMode(const std::string& text);
std::string toString(MySqlTlsMode mode);

// What podmon sets on every MySQL connection before it connects. Poco 1.11's connection string has
// no words for read/write timeouts or TLS, and its MySQL SessionImpl initialises the MYSQL handle
// and connects inside its constructor, so there is no hook between the two. podmon therefore
// defines mysql_real_connect itself (mysql_connect_options.cpp): the executable's definition takes
// precedence over libmariadb's for Poco's call, applies the options of the MySqlConnectScope open
// on the calling thread, and calls the client library's own function (dlsym RTLD_NEXT). Without
// an open scope it only passes the call through.
struct MySqlConnectOptions {
  unsigned int timeoutSeconds = 10;  // MYSQL_OPT_CONNECT_TIMEOUT, _READ_TIMEOUT, _WRITE_TIMEOUT
  MySqlTlsMode tls = MySqlTlsMode::kDisabled;
  std::string tlsCa;  // MYSQL_OPT_SSL_CA for verify-ca and verify-identity

  // Sets the options on a handle that is not connected yet (mysql_options never throws).
  void applyTo(st_mysql* mysql) const;
  // Throws ConfigException (podmon exits at start-up) when the mode requires TLS and `mysql`'s
  // connection has none (MariaDB Connector/C 3.3 falls back to plain text when the server offers
  // no TLS, unless it verifies the certificate).
  void checkConnected(st_mysql* mysql, const std::string& where) const;
};

// Makes `options` the ones applied to the connections opened on this thread while it lives.
class MySqlConnectScope {
 public:
  explicit MySqlConnectScope(const MySqlConnectOptions& options);
  ~MySqlConnectScope();
  MySqlConnectScope(const MySqlConnectScope&) = delete;
  MySqlConnectScope& operator=(const MySqlConnectScope&) = delete;

  // The options of the innermost scope open on this thread, or null.
  static const MySqlConnectOptions* current();

 private:
  const MySqlConnectOptions* previous_;
};

}  // namespace podmon::store
