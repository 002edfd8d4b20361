#include "store/crash_key.h"

#include <Poco/DigestEngine.h>
#include <Poco/SHA2Engine.h>

#include <string>

namespace podmon::store {

std::string crashKey(const crash::CrashEvent& event) {
  // Newline-separated: none of these names can contain a newline.
  const std::string identity = event.clusterName + "\n" + event.namespace_ + "\n" + event.podUid + "\n" +
                               event.containerName + "\n" + std::to_string(event.restartCount);
  Poco::SHA2Engine sha(Poco::SHA2Engine::SHA_256);
  sha.update(identity);
  return Poco::DigestEngine::digestToHex(sha.digest());
}

}  // namespace podmon::store
