#include "core/locale_warmup.h"

#include <array>
#include <locale>

namespace podmon {

void warmLocaleCaches() {
  // The range form of narrow() fills the whole per-character table (ctype<char>::_M_narrow_init).
  std::array<char, 256> in{};
  std::array<char, 256> out{};
  for (int i = 0; i < 256; ++i) in[i] = static_cast<char>(i);
  for (const std::locale& locale : {std::locale(), std::locale::classic()}) {
    const auto& ctype = std::use_facet<std::ctype<char>>(locale);
    ctype.narrow(in.data(), in.data() + in.size(), '\0', out.data());
    ctype.widen(in.data(), in.data() + in.size(), out.data());
  }
}

}  // namespace podmon
