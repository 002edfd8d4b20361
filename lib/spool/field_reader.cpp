#include "spool/field_reader.h"

#include <limits>

#include "spool/spool_exception.h"

namespace podmon::spool {

std::string_view FieldReader::take(std::size_t count) {
  if (count > bytes_.size() - at_) {
    throw SpoolException("a spool record ends early (byte " + std::to_string(at_) + " of " +
                         std::to_string(bytes_.size()) + ")");
  }
  const auto part = bytes_.substr(at_, count);
  at_ += count;
  return part;
}

std::int64_t FieldReader::getInt() {
  const auto part = take(8);
  std::uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v |= static_cast<std::uint64_t>(static_cast<unsigned char>(part[i])) << (8 * i);
  return static_cast<std::int64_t>(v);
}

std::string FieldReader::getString() {
  const std::int64_t length = getInt();
  if (length < 0) throw SpoolException("a spool record holds a negative length");
  return std::string(take(static_cast<std::size_t>(length)));
}

std::optional<int> FieldReader::getOptionalInt() {
  const bool present = getBool();
  const std::int64_t value = getInt();
  if (value < std::numeric_limits<int>::min() || value > std::numeric_limits<int>::max()) {
    throw SpoolException("a spool record holds an integer out of range");
  }
  if (!present) return std::nullopt;
  return static_cast<int>(value);
}

std::chrono::system_clock::time_point FieldReader::getTime() {
  return std::chrono::system_clock::time_point(
      std::chrono::duration_cast<std::chrono::system_clock::duration>(std::chrono::microseconds(getInt())));
}

std::optional<std::chrono::system_clock::time_point> FieldReader::getOptionalTime() {
  const bool present = getBool();
  const auto value = getTime();
  if (!present) return std::nullopt;
  return value;
}

void FieldReader::expectEnd() const {
  if (at_ != bytes_.size()) {
    throw SpoolException("a spool record has " + std::to_string(bytes_.size() - at_) + " bytes left over");
  }
}

}  // namespace podmon::spool
