#pragma once

#include <string>
#include <string_view>

namespace podmon {

// Appends `text` to `out` escaped for a JSON string (without the quotes). Bytes below 0x20 and
// 0x7f become \uXXXX (or \n, \t, ...); other bytes are copied, so UTF-8 passes through unchanged.
void appendJsonEscaped(std::string_view text, std::string& out);

}  // namespace podmon
