#pragma once

#include "core/errors.h"

namespace podmon::spool {

// The spool cannot be read or written (a record that does not decode, a full or read-only disk).
POCO_DECLARE_EXCEPTION(, SpoolException, PodmonException)

}  // namespace podmon::spool
