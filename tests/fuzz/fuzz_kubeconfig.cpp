// Fuzzes the kubeconfig parser with arbitrary YAML. File references resolve against the test
// data directory (so the seed's certs/... paths are found). Bad input may only raise
// ConfigException, with a message.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "core/clock.h"
#include "core/errors.h"
#include "kube/kube_config.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string yaml(reinterpret_cast<const char*>(data), size);
  static const std::string path = std::string(PODMON_TESTDATA) + "/kubeconfig/fuzz-config";
  try {
    auto connection = podmon::kube::parseKubeConfig(yaml, path, "");
    (void)connection.server.size();
  } catch (const podmon::ConfigException& e) {
    // Bad input is a configuration error with a message. (Whether the message may quote a field
    // depends on the field: a server URL is quoted, a token never; the unit tests check that.)
    if (e.message().empty()) std::abort();
  }
  return 0;
}
