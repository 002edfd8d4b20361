#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace podmon::spool {

// Builds a spool record's payload field by field (little-endian integers, length-prefixed
// strings), so each record type is written by one short function and read back by FieldReader in
// the same order.
class FieldWriter {
 public:
  void putInt(std::int64_t value);
  void putBool(bool value) { putInt(value ? 1 : 0); }
  void putString(std::string_view value);
  void putOptionalInt(const std::optional<int>& value);
  void putTime(std::chrono::system_clock::time_point value);
  void putOptionalTime(const std::optional<std::chrono::system_clock::time_point>& value);
  const std::string& bytes() const { return bytes_; }

 private:
  std::string bytes_;
};

}  // namespace podmon::spool
