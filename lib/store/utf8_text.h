#pragma once

#include <cstddef>
#include <string>
#include <string_view>

// Text going into the database must be valid UTF-8 (container logs are arbitrary bytes) and must fit its
// column: a value that is too long fails the whole insert in strict mode, and a crash must never
// go unrecorded because its message was long. Cuts never split a character.
namespace podmon::store {

// Replaces each invalid sequence (bad lead byte, truncated sequence, overlong form, surrogate,
// code point above U+10FFFF) with U+FFFD.
std::string sanitizeUtf8(std::string_view bytes);

// The first at most maxChars characters of valid UTF-8 text.
std::string headUtf8Chars(std::string_view text, std::size_t maxChars);

// The last at most maxBytes bytes of valid UTF-8 text, starting on a character boundary.
std::string tailUtf8Bytes(std::string_view text, std::size_t maxBytes);

// Valid UTF-8 of at most maxChars characters: sanitizeUtf8 then headUtf8Chars.
std::string fitText(std::string_view bytes, std::size_t maxChars);

// Logs for storage: valid UTF-8 of at most maxBytes bytes. When cut, the newest part is kept
// (the end of a log says why the container died) behind a one-line marker.
std::string fitLogs(std::string_view bytes, std::size_t maxBytes);

}  // namespace podmon::store
