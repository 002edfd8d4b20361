#pragma once

#include <string>
#include <vector>

#include "core/settings.h"

namespace podmon::daemon {

// What podmon's transport set-up reveals only at run time (the kubeconfig is read after Settings).
struct TransportFacts {
  bool kubeInsecureSkipTlsVerify = false;  // the kubeconfig's cluster sets insecure-skip-tls-verify
};

// The start-up warnings about the settings: what reading them found (unknown keys in the
// original's application.yml, an ELASTICSEARCH_PORT the URL overrides), the original's settings
// podmon does not need (one line, each with why), and settings that expose a secret: a secret
// given as a command-line flag (readable in /proc/PID/cmdline), a Kubernetes API whose certificate
// is not checked, and credentials sent over plain http:// (Elasticsearch, Slack). Each names the
// setting, never its value. Pure, so each case is a unit test; the daemon logs them before it connects. Throws nothing.
std::vector<std::string> startupWarnings(const Settings& settings, const TransportFacts& facts);

}  // namespace podmon::daemon
