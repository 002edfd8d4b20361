#include "core/errors.h"

#include <typeinfo>

namespace podmon {

POCO_IMPLEMENT_EXCEPTION(PodmonException, Poco::Exception, "podmon error")
POCO_IMPLEMENT_EXCEPTION(ConfigException, PodmonException, "Configuration error")
POCO_IMPLEMENT_EXCEPTION(KubeException, PodmonException, "Kubernetes API error")
POCO_IMPLEMENT_EXCEPTION(StoreException, PodmonException, "Store error")
POCO_IMPLEMENT_EXCEPTION(SinkException, PodmonException, "Sink error")

}  // namespace podmon
