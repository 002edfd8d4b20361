#include "core/terminal_text.h"

namespace podmon {

std::string terminalSafeText(std::string_view utf8) {
  std::string safe;
  safe.reserve(utf8.size());
  for (std::size_t i = 0; i < utf8.size(); ++i) {
    const auto c = static_cast<unsigned char>(utf8[i]);
    if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7f) {
      safe += '?';
    } else if (c == 0xc2 && i + 1 < utf8.size() && static_cast<unsigned char>(utf8[i + 1]) >= 0x80 &&
               static_cast<unsigned char>(utf8[i + 1]) <= 0x9f) {
      safe += '?';  // a C1 control: U+009B is CSI and U+009D is OSC on some terminals
      ++i;
    } else {
      safe += static_cast<char>(c);
    }
  }
  return safe;
}

}  // namespace podmon
