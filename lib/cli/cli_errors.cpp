#include "cli/cli_errors.h"

#include <typeinfo>

namespace podmon::cli {

POCO_IMPLEMENT_EXCEPTION(CliException, PodmonException, "podmonctl error")
POCO_IMPLEMENT_EXCEPTION(UsageException, CliException, "Usage error")

}  // namespace podmon::cli
