// Fuzzes the kubeconfig parser with arbitrary YAML. File references resolve against the test
// data directory (so the seed's certs/... paths are found). Bad input may only raise
// ConfigException, and its message must never quote a credential of the document.
#include <cstddef>
#include <cstdint>
#include <cstdio>
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
    // A token in the document must not come back in the error (errors are logged).
    const std::string marker = "fuzz-secret-token-0f9e";
    if (yaml.find(marker) != std::string::npos && e.message().find(marker) != std::string::npos) {
      std::fprintf(stderr, "error message quotes a secret: %s\n", e.message().c_str());
      std::abort();
    }
  }
  return 0;
}
