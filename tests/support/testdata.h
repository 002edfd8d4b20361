#pragma once

#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

namespace podmon::testing {

// Reads a file under tests/testdata.
inline std::string readTestdata(const std::string& relative) {
  std::ifstream in(std::string(PODMON_TESTDATA) + "/" + relative, std::ios::binary);
  if (!in) throw std::runtime_error("missing test data file " + relative);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

}  // namespace podmon::testing
