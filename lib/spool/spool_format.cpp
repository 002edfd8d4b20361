#include "spool/spool_format.h"

#include <Poco/Checksum.h>

#include <stdexcept>

namespace podmon::spool {

namespace {

constexpr std::string_view kMagic = "PODMSPL1";

void putU32(std::string& out, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

std::uint32_t getU32(std::string_view in, std::size_t at) {
  std::uint32_t v = 0;
  for (int i = 0; i < 4; ++i) v |= static_cast<std::uint32_t>(static_cast<unsigned char>(in[at + i])) << (8 * i);
  return v;
}

std::uint32_t crc32(std::string_view payload) {
  Poco::Checksum checksum(Poco::Checksum::TYPE_CRC32);
  checksum.update(payload.data(), static_cast<unsigned>(payload.size()));
  return checksum.checksum();
}

}  // namespace

std::string encodeSpoolHeader() {
  std::string out(kMagic);
  putU32(out, kSpoolFormatVersion);
  return out;
}

std::string encodeSpoolRecord(std::string_view payload) {
  if (payload.size() > kMaxSpoolRecordBytes) throw std::length_error("spool record too long");
  std::string out;
  out.reserve(kSpoolRecordOverhead + payload.size());
  putU32(out, static_cast<std::uint32_t>(payload.size()));
  putU32(out, crc32(payload));
  out.append(payload);
  return out;
}

SpoolContents decodeSpool(std::string_view bytes) {
  SpoolContents contents;
  if (bytes.size() < kSpoolHeaderBytes || bytes.substr(0, kMagic.size()) != kMagic) {
    contents.problem = bytes.empty() ? "" : "not a podmon spool file (bad header)";
    return contents;
  }
  if (const auto version = getU32(bytes, kMagic.size()); version != kSpoolFormatVersion) {
    contents.problem =
        "spool format version " + std::to_string(version) + " is not " + std::to_string(kSpoolFormatVersion);
    return contents;
  }
  contents.headerValid = true;
  std::size_t at = kSpoolHeaderBytes;
  while (at < bytes.size()) {
    const std::size_t left = bytes.size() - at;
    const std::string where = "at byte " + std::to_string(at) + ", " + std::to_string(left) + " bytes skipped";
    if (left < kSpoolRecordOverhead) {
      contents.problem = "a truncated record header " + where;
      break;
    }
    const std::uint32_t length = getU32(bytes, at);
    if (length > kMaxSpoolRecordBytes || length > left - kSpoolRecordOverhead) {
      contents.problem = "a truncated record (length " + std::to_string(length) + ") " + where;
      break;
    }
    const std::string_view payload = bytes.substr(at + kSpoolRecordOverhead, length);
    if (crc32(payload) != getU32(bytes, at + 4)) {
      contents.problem = "a record with a wrong checksum " + where;
      break;
    }
    contents.records.emplace_back(payload);
    at += kSpoolRecordOverhead + length;
  }
  contents.validBytes = at;
  return contents;
}

}  // namespace podmon::spool
