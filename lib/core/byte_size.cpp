#include "core/byte_size.h"

#include <cctype>
#include <map>

#include "core/errors.h"

namespace podmon {

namespace {

constexpr std::uint64_t kMaxByteSize = 1ULL << 40;  // 1 TiB: anything larger is a typo

const std::map<std::string, std::uint64_t>& units() {
  static const std::map<std::string, std::uint64_t> kUnits = {{"", 1},
                                                              {"b", 1},
                                                              {"k", 1000},
                                                              {"kb", 1000},
                                                              {"ki", 1ULL << 10},
                                                              {"kib", 1ULL << 10},
                                                              {"m", 1000000},
                                                              {"mb", 1000000},
                                                              {"mi", 1ULL << 20},
                                                              {"mib", 1ULL << 20},
                                                              {"g", 1000000000},
                                                              {"gb", 1000000000},
                                                              {"gi", 1ULL << 30},
                                                              {"gib", 1ULL << 30}};
  return kUnits;
}

}  // namespace

std::uint64_t parseByteSize(const std::string& text, const std::string& settingName) {
  auto fail = [&](const std::string& why) -> std::uint64_t {
    throw ConfigException(settingName + ": '" + text.substr(0, 40) + "' " + why);
  };
  std::size_t i = 0;
  while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) ++i;
  if (i == 0 || i > 13) return fail("is not a byte size (examples: 268435456, 256Mi, 1Gi, 500MB)");
  std::string unit;
  for (std::size_t j = i; j < text.size(); ++j)
    unit += static_cast<char>(std::tolower(static_cast<unsigned char>(text[j])));
  const auto found = units().find(unit);
  if (found == units().end()) return fail("is not a byte size (examples: 268435456, 256Mi, 1Gi, 500MB)");
  const std::uint64_t number = std::stoull(text.substr(0, i));
  if (number == 0) return fail("must be above 0");
  if (number > kMaxByteSize / found->second) return fail("is too large (at most 1Ti)");
  return number * found->second;
}

}  // namespace podmon
