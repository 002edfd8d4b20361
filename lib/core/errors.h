#pragma once

#include <Poco/Exception.h>

// One exception hierarchy for podmon, rooted in Poco::Exception like the library we call.
// Each component throws its own subclass so a pipeline stage can tell them apart at its boundary.
namespace podmon {

POCO_DECLARE_EXCEPTION(, PodmonException, Poco::Exception)
POCO_DECLARE_EXCEPTION(, ConfigException, PodmonException)
POCO_DECLARE_EXCEPTION(, KubeException, PodmonException)
POCO_DECLARE_EXCEPTION(, StoreException, PodmonException)
POCO_DECLARE_EXCEPTION(, SinkException, PodmonException)

}  // namespace podmon
