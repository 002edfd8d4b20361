#pragma once

#include "core/errors.h"

// podmonctl's two ways to fail, so the boundary can pick the exit code: a command that was used
// wrongly (exit 2: unknown command, missing argument, invalid name) and one that was fine but
// could not be done (exit 1: removing a route that does not exist). Store and config errors keep
// their own classes.
namespace podmon::cli {

POCO_DECLARE_EXCEPTION(, CliException, PodmonException)
POCO_DECLARE_EXCEPTION(, UsageException, CliException)

}  // namespace podmon::cli
