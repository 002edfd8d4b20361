#pragma once

#include <cstdint>
#include <string>

namespace podmon {

// Parses a byte size setting: a plain number of bytes ("1048576") or a number with a unit, binary
// (Ki, Mi, Gi, also KiB, MiB, GiB) or decimal (K, M, G, also KB, MB, GB), in any case ("256Mi",
// "1gb"). Throws ConfigException naming `settingName` for anything else, for 0 and for sizes
// beyond 1 TiB.
std::uint64_t parseByteSize(const std::string& text, const std::string& settingName);

}  // namespace podmon
