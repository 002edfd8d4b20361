#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace podmon::spool {

// The bytes of a spool file, apart from any I/O so they can be unit tested and fuzzed. A file is a
// header (8-byte magic "PODMSPL1", a little-endian u32 format version) followed by records: a
// little-endian u32 payload length, a u32 CRC-32 of the payload, the payload. A process killed in
// the middle of an append leaves a short or garbled last record: decodeSpool() finds it by its
// length or checksum, keeps every record before it and says what it skipped.

inline constexpr std::uint32_t kSpoolFormatVersion = 1;
inline constexpr std::size_t kSpoolHeaderBytes = 12;
inline constexpr std::size_t kSpoolRecordOverhead = 8;
// Larger than any record podmon writes (a crash log is at most 16 MiB): a longer length is damage.
inline constexpr std::uint32_t kMaxSpoolRecordBytes = 64u << 20;

// What a spool file holds.
struct SpoolContents {
  std::vector<std::string> records;  // the payloads, in the order appended
  std::size_t validBytes = 0;        // header and intact records: where the next append goes
  std::string problem;               // "" when the whole file was read; else what was skipped and why
  bool headerValid = false;          // false: not a spool file of this version (nothing was read)
};

std::string encodeSpoolHeader();
// Throws std::length_error when the payload is longer than kMaxSpoolRecordBytes.
std::string encodeSpoolRecord(std::string_view payload);
// Never throws on any input: damage ends the reading and is described in `problem`.
SpoolContents decodeSpool(std::string_view bytes);

}  // namespace podmon::spool
