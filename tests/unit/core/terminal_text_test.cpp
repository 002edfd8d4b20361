#include "core/terminal_text.h"

#include <gtest/gtest.h>

namespace podmon {
namespace {

TEST(TerminalSafeTextTest, OscAndCsiSequencesBecomeHarmlessText) {
  // OSC 0 (window title) ended by BEL, and by ST (ESC \).
  EXPECT_EQ(terminalSafeText("a\x1b]0;evil title\x07z"), "a?]0;evil title?z");
  EXPECT_EQ(terminalSafeText("\x1b]2;t\x1b\\"), "?]2;t?\\");
  // CSI screen clear and cursor home.
  EXPECT_EQ(terminalSafeText("\x1b[2J\x1b[Hhello"), "?[2J?[Hhello");
}

TEST(TerminalSafeTextTest, OtherC0AndC1ControlsButNewlineAndTab) {
  EXPECT_EQ(terminalSafeText("line\r\nx\ty\bz\x7f"), "line?\nx\ty?z?");
  EXPECT_EQ(terminalSafeText(std::string("nul\0here", 8)), "nul?here");
  // U+009B (a one-character CSI) and U+009D (OSC) as UTF-8; U+00A0 and beyond are text.
  EXPECT_EQ(terminalSafeText("\xc2\x9b"
                             "2J \xc2\x9d"
                             "0;t \xc2\xa0 \xc3\xa9 \xf0\x9f\x9a\x80"),
            "?2J ?0;t \xc2\xa0 \xc3\xa9 \xf0\x9f\x9a\x80");
  const std::string plain = "2024-05-01 INFO ok\n\tat Main.java:42\n";
  EXPECT_EQ(terminalSafeText(plain), plain);
}

}  // namespace
}  // namespace podmon
