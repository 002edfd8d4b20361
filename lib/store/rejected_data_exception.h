#pragma once

#include "core/errors.h"

namespace podmon::store {

// The store refused the data itself (MySQL "Data too long", an incorrect string value, a row over
// max_allowed_packet): the same write fails the same way however often it is retried, so the
// caller must change what it writes (the crash recorder stores the crash without its log).
POCO_DECLARE_EXCEPTION(, RejectedDataException, StoreException)

}  // namespace podmon::store
