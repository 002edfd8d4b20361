#pragma once

#include <cstddef>
#include <cstdint>
#include <ostream>
#include <string>
#include <utility>
#include <variant>
#include <vector>

// What a command prints, built once and rendered two ways: aligned text for people and JSON for
// scripts, so the two outputs cannot disagree. Pure (no I/O beyond the given stream).
namespace podmon::cli {

// One field: null, text, integer or boolean. In tables null shows as "-".
using Value = std::variant<std::nullptr_t, std::string, std::int64_t, bool>;

// Fields in display order: key (JSON name) and value.
struct Record {
  std::vector<std::pair<std::string, Value>> fields;
  Record& add(std::string key, Value value) {
    fields.emplace_back(std::move(key), std::move(value));
    return *this;
  }
};

struct Column {
  std::string key;     // the Record key
  std::string header;  // shown above the column
};

struct Table {
  std::vector<Column> columns;
  std::vector<Record> rows;
};

// Text of a value as a table cell or field shows it (null as "-", bools as yes/no). Control
// characters become spaces so one value never breaks the alignment.
std::string displayText(const Value& value);

// Text for a terminal: valid UTF-8, and control characters other than newline and tab (an
// escape sequence in a container log could rewrite the screen) replaced by '?' (terminalSafeText).
std::string terminalSafe(const std::string& text);

// Header line, then one line per row, columns separated by two spaces and padded to their widest
// cell (counted in UTF-8 characters). An empty table prints `emptyMessage` instead.
void renderTable(const Table& table, const std::string& emptyMessage, std::ostream& out);
// "label: value" lines with the values aligned; labels are the keys with '_' as ' '.
void renderRecord(const Record& record, std::ostream& out);

// A JSON array of objects (every row with all its fields) and a JSON object, each on one line.
// Invalid UTF-8 bytes become U+FFFD.
void renderJson(const Table& table, std::ostream& out);
void renderJson(const Record& record, std::ostream& out);

}  // namespace podmon::cli
