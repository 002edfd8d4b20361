#pragma once

#include <string>
#include <string_view>

namespace podmon {

// Text for a terminal, shared by podmonctl and the console alerts: container logs, termination
// messages and event texts are hostile input, and an escape sequence in them (an OSC title
// change, a CSI screen clear, a cursor move) could rewrite the screen of whoever reads them. Every
// C0 control other than newline and tab, DEL, and every C1 control (U+0080 to U+009F, written as
// UTF-8) becomes '?', so the sequence shows as text and does nothing. Pure; never throws.
// `utf8` should be valid UTF-8 (store::sanitizeUtf8): bytes of a broken sequence are kept.
std::string terminalSafeText(std::string_view utf8);

}  // namespace podmon
