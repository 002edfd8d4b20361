#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

namespace podmon::kube {

// Splits a watch stream into event lines. Chunks arrive at arbitrary boundaries (inside a JSON
// value or a UTF-8 character), so bytes are buffered until a '\n'. A line longer than `maxLine`
// is reported as overflow and skipped up to its end instead of growing without bound.
class LineSplitter {
 public:
  using LineHandler = std::function<void(std::string_view line)>;
  using OverflowHandler = std::function<void(std::size_t droppedBytes)>;

  explicit LineSplitter(std::size_t maxLine = 16 * 1024 * 1024) : maxLine_(maxLine) {}

  // Calls onLine for every complete non-empty line (without the '\n' or a trailing '\r').
  void feed(std::string_view chunk, const LineHandler& onLine, const OverflowHandler& onOverflow = {});
  // Bytes of an unfinished line held back (a stream that ends here was cut mid-event).
  std::size_t pending() const { return buffer_.size(); }
  void reset() {
    buffer_.clear();
    skipping_ = false;
    skipped_ = 0;
  }

 private:
  void emit(std::string_view line, const LineHandler& onLine);
  std::size_t maxLine_;
  std::string buffer_;
  bool skipping_ = false;
  std::size_t skipped_ = 0;
};

}  // namespace podmon::kube
