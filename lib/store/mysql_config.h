#pragma once

#include <memory>
#include <string>

#include "store/mysql_connect_options.h"
#include "store/store_progress.h"

namespace podmon::store {

// Where MySQL is and how podmon talks to it. Filled from podmon's configuration.
struct MySqlConfig {
  std::string host = "127.0.0.1";  // "localhost" would make the client use the Unix socket
  int port = 3306;
  std::string user;
  std::string password;  // never appears in messages or logs
  std::string database = "kubernetes_pod_monitor";
  int maxSessions = 16;
  int idleSeconds = 60;         // idle pooled sessions are closed after this (the pool keeps none)
  int maxAttempts = 3;          // per operation, when the connection was lost or a deadlock hit
  MySqlConnectOptions connect;  // timeouts and TLS, set on every connection before it connects
  StoreProgress::Ptr progress;  // told about every operation when set (/readyz)
  std::string migrationsDir;    // "" = defaultMigrationsDir() (store/migration.h)
  // "" = ask the server (SELECT VERSION(), once). Not a setting: tests name an older server here
  // to take the statements chosen for it (claims without SKIP LOCKED) on a newer one.
  std::string serverVersion;

  // The Poco connection string: utf8mb4 (4-byte characters would fail otherwise), no
  // auto-reconnect (it silently drops transaction state; the store rebuilds its pool instead).
  std::string connectionString() const;
  // "user@host:port/database", for messages.
  std::string describe() const;
};

}  // namespace podmon::store
