#pragma once

#include <ostream>

#include "core/errors.h"

// podmonctl's two ways to fail, so the boundary can pick the exit code: a command that was used
// wrongly (exit 2: unknown command, missing argument, invalid name) and one that was fine but
// could not be done (exit 1: removing a route that does not exist). Store and config errors keep
// their own classes.
namespace podmon::cli {

POCO_DECLARE_EXCEPTION(, CliException, PodmonException)
POCO_DECLARE_EXCEPTION(, UsageException, CliException)

// Call in a catch block: writes "podmonctl: <message>" for the exception being handled (with a
// hint where there is one; never a password, which store errors have already scrubbed) and
// returns the exit code: 2 for usage and configuration errors, 1 for everything else.
int reportCurrentException(std::ostream& err);

}  // namespace podmon::cli
