#include "spool/spool_exception.h"

#include <typeinfo>

namespace podmon::spool {

POCO_IMPLEMENT_EXCEPTION(SpoolException, PodmonException, "Spool error")

}  // namespace podmon::spool
