#include "daemon/podmon_help.h"

#include "core/config.h"

namespace podmon::daemon {

std::string podmonHelp() {
  return std::string("podmon ") + PODMON_VERSION + ": Kubernetes pod crash watcher\n\n" +
         "Commands:\n  (none)    watch pods and record crashes until SIGTERM\n"
         "  migrate   apply the SQL migrations and exit\n"
         "  demo [--seconds N]  run against a simulated cluster with crashing pods for N seconds (30),\n"
         "            with the embedded store (./podmon-demo.db) and alerts on the console\n\n"
         "With no settings at all podmon watches the current kubectl context's cluster, records crashes\n"
         "in ./podmon.db (SQLite) and prints alerts; SQL_HOST, ELASTICSEARCH_URL and SLACK_TOKEN switch\n"
         "to MySQL, Elasticsearch and Slack.\n\n" +
         Config::helpText("podmon");
}

}  // namespace podmon::daemon
