# All dependencies come from Debian packages (see ../shared/STACK.md and tools/dev/deps).
find_package(PkgConfig REQUIRED)
pkg_check_modules(MARIADB REQUIRED IMPORTED_TARGET libmariadb)
# Debian's PocoDataMySQLTargets.cmake links MySQL::client but nothing defines it.
if(NOT TARGET MySQL::client)
  add_library(MySQL::client INTERFACE IMPORTED)
  target_link_libraries(MySQL::client INTERFACE PkgConfig::MARIADB)
endif()
find_package(Poco REQUIRED COMPONENTS Foundation Net NetSSL Crypto JSON XML Util Data DataMySQL DataSQLite)
find_package(spdlog REQUIRED)
find_package(yaml-cpp REQUIRED)
find_package(simdjson REQUIRED)
# Command-line parsing (lib/core/flag_parser.cpp), header-only.
find_package(CLI11 REQUIRED)
find_package(Threads REQUIRED)
