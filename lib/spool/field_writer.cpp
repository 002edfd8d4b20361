#include "spool/field_writer.h"

namespace podmon::spool {

void FieldWriter::putInt(std::int64_t value) {
  const auto v = static_cast<std::uint64_t>(value);
  for (int i = 0; i < 8; ++i) bytes_.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

void FieldWriter::putString(std::string_view value) {
  putInt(static_cast<std::int64_t>(value.size()));
  bytes_.append(value);
}

void FieldWriter::putOptionalInt(const std::optional<int>& value) {
  putBool(value.has_value());
  putInt(value.value_or(0));
}

void FieldWriter::putTime(std::chrono::system_clock::time_point value) {
  putInt(std::chrono::duration_cast<std::chrono::microseconds>(value.time_since_epoch()).count());
}

void FieldWriter::putOptionalTime(const std::optional<std::chrono::system_clock::time_point>& value) {
  putBool(value.has_value());
  putTime(value.value_or(std::chrono::system_clock::time_point{}));
}

}  // namespace podmon::spool
