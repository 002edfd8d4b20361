#include "cli/cli_errors.h"

#include <exception>
#include <typeinfo>

#include "store/mysql_error.h"

namespace podmon::cli {

POCO_IMPLEMENT_EXCEPTION(CliException, PodmonException, "podmonctl error")
POCO_IMPLEMENT_EXCEPTION(UsageException, CliException, "Usage error")

int reportCurrentException(std::ostream& err) {
  try {
    throw;
  } catch (const UsageException& e) {
    err << "podmonctl: " << e.message() << " (see podmonctl --help)\n";
    return 2;
  } catch (const ConfigException& e) {
    err << "podmonctl: configuration error: " << e.message() << "\n";
    return 2;
  } catch (const CliException& e) {
    err << "podmonctl: " << e.message() << "\n";
    return 1;
  } catch (const Poco::Exception& e) {
    std::string message = e.message().empty() ? e.displayText() : e.message();
    // MySQL 1146, SQLite "no such table": a table is missing.
    if (store::mysqlErrno(message) == 1146 || message.find("no such table") != std::string::npos) {
      message += " (the database schema is older than podmonctl: run `podmonctl migrate`)";
    }
    err << "podmonctl: " << message << "\n";
    return 1;
  } catch (const std::exception& e) {
    err << "podmonctl: " << e.what() << "\n";
    return 1;
  } catch (...) {
    err << "podmonctl: unexpected error\n";
    return 1;
  }
}

}  // namespace podmon::cli
