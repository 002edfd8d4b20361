#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace podmon::spool {

// Reads back what FieldWriter wrote, in the same order. Every method throws SpoolException when the
// payload ends early or a length runs past it (a record of another layout), never reads out of
// bounds.
class FieldReader {
 public:
  explicit FieldReader(std::string_view bytes) : bytes_(bytes) {}

  std::int64_t getInt();
  bool getBool() { return getInt() != 0; }
  std::string getString();
  std::optional<int> getOptionalInt();
  std::chrono::system_clock::time_point getTime();
  std::optional<std::chrono::system_clock::time_point> getOptionalTime();
  // Throws SpoolException when bytes are left over (the record is not the layout read).
  void expectEnd() const;

 private:
  std::string_view take(std::size_t count);

  std::string_view bytes_;
  std::size_t at_ = 0;
};

}  // namespace podmon::spool
