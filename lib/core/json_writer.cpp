#include "core/json_writer.h"

#include <array>
#include <charconv>
#include <cstdint>
#include <cstring>

namespace podmon {

namespace {

// For each byte: 0 = copied as is, 'u' = \u00XX, else the letter after the backslash.
constexpr std::array<char, 256> escapeTable() {
  std::array<char, 256> table{};
  for (int c = 0; c < 0x20; ++c) table[c] = 'u';
  table['\b'] = 'b';
  table['\t'] = 't';
  table['\n'] = 'n';
  table['\f'] = 'f';
  table['\r'] = 'r';
  table['"'] = '"';
  table['\\'] = '\\';
  return table;
}

constexpr std::array<char, 256> kEscape = escapeTable();

void appendEscape(std::string& out, unsigned char byte) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  const char kind = kEscape[byte];
  if (kind == 'u') {
    const char escaped[] = {'\\', 'u', '0', '0', kHex[byte >> 4], kHex[byte & 0xf]};
    out.append(escaped, sizeof escaped);
  } else {
    const char escaped[] = {'\\', kind};
    out.append(escaped, sizeof escaped);
  }
}

constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
constexpr std::uint64_t kHighBits = 0x8080808080808080ULL;

bool hasZeroByte(std::uint64_t word) { return ((word - kOnes) & ~word & kHighBits) != 0; }

// Whether any of the eight bytes needs escaping: below 0x20, '"' or '\\' (bit tricks, exact).
bool needsEscape(std::uint64_t word) {
  return ((word - kOnes * 0x20) & ~word & kHighBits) != 0 || hasZeroByte(word ^ (kOnes * '"')) ||
         hasZeroByte(word ^ (kOnes * '\\'));
}

}  // namespace

void JsonWriter::separator() {
  if (needComma_) out_.push_back(',');
  needComma_ = false;
}

JsonWriter& JsonWriter::beginObject() {
  separator();
  out_.push_back('{');
  return *this;
}

JsonWriter& JsonWriter::endObject() {
  out_.push_back('}');
  needComma_ = true;
  return *this;
}

JsonWriter& JsonWriter::beginArray() {
  separator();
  out_.push_back('[');
  return *this;
}

JsonWriter& JsonWriter::endArray() {
  out_.push_back(']');
  needComma_ = true;
  return *this;
}

JsonWriter& JsonWriter::key(std::string_view name) {
  separator();
  appendString(out_, name);
  out_.push_back(':');
  return *this;
}

JsonWriter& JsonWriter::value(std::string_view text) {
  separator();
  appendString(out_, text);
  needComma_ = true;
  return *this;
}

JsonWriter& JsonWriter::value(std::int64_t number) {
  separator();
  char digits[24];
  const auto result = std::to_chars(digits, digits + sizeof digits, number);
  out_.append(digits, result.ptr);
  needComma_ = true;
  return *this;
}

JsonWriter& JsonWriter::value(bool flag) {
  separator();
  out_ += flag ? "true" : "false";
  needComma_ = true;
  return *this;
}

JsonWriter& JsonWriter::raw(std::string_view json) {
  separator();
  out_.append(json);
  needComma_ = true;
  return *this;
}

void JsonWriter::appendString(std::string& out, std::string_view text) {
  out.reserve(out.size() + text.size() + 2);
  out.push_back('"');
  const char* run = text.data();
  const char* const end = text.data() + text.size();
  for (const char* p = run; p != end; ++p) {
    // Most of a log needs no escaping: skip it eight bytes at a time.
    for (std::uint64_t word = 0; end - p >= 8; p += 8) {
      std::memcpy(&word, p, sizeof word);
      if (needsEscape(word)) break;
    }
    if (p == end) break;
    const auto byte = static_cast<unsigned char>(*p);
    if (kEscape[byte] == 0) continue;
    out.append(run, p);
    appendEscape(out, byte);
    run = p + 1;
  }
  out.append(run, end);
  out.push_back('"');
}

}  // namespace podmon
