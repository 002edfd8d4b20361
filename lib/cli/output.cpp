#include "cli/output.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Stringifier.h>

#include <algorithm>

#include "core/terminal_text.h"
#include "store/utf8_text.h"

namespace podmon::cli {

namespace {

// Characters, not bytes: a namespace or log line may hold multi-byte UTF-8.
std::size_t displayWidth(const std::string& text) {
  std::size_t n = 0;
  for (unsigned char c : text) {
    if ((c & 0xC0) != 0x80) ++n;
  }
  return n;
}

void pad(std::ostream& out, const std::string& text, std::size_t width) {
  out << text;
  for (std::size_t w = displayWidth(text); w < width; ++w) out << ' ';
}

Poco::Dynamic::Var jsonValue(const Value& value) {
  if (std::holds_alternative<std::nullptr_t>(value)) return Poco::Dynamic::Var();
  if (const auto* b = std::get_if<bool>(&value)) return *b;
  if (const auto* i = std::get_if<std::int64_t>(&value)) return static_cast<Poco::Int64>(*i);
  // JSON must be valid UTF-8; container logs and messages may not be.
  return store::sanitizeUtf8(std::get<std::string>(value));
}

Poco::JSON::Object::Ptr jsonObject(const Record& record) {
  Poco::JSON::Object::Ptr object = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
  for (const auto& [key, value] : record.fields) object->set(key, jsonValue(value));
  return object;
}

}  // namespace

std::string displayText(const Value& value) {
  if (std::holds_alternative<std::nullptr_t>(value)) return "-";
  if (const auto* b = std::get_if<bool>(&value)) return *b ? "yes" : "no";
  if (const auto* i = std::get_if<std::int64_t>(&value)) return std::to_string(*i);
  std::string text = store::sanitizeUtf8(std::get<std::string>(value));
  for (auto& c : text) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = ' ';
  }
  return text.empty() ? "-" : text;
}

std::string terminalSafe(const std::string& text) { return terminalSafeText(store::sanitizeUtf8(text)); }

void renderTable(const Table& table, const std::string& emptyMessage, std::ostream& out) {
  if (table.rows.empty()) {
    out << emptyMessage << "\n";
    return;
  }
  std::vector<std::vector<std::string>> cells;
  std::vector<std::size_t> widths;
  for (const auto& column : table.columns) widths.push_back(displayWidth(column.header));
  for (const auto& row : table.rows) {
    std::vector<std::string> line;
    for (std::size_t c = 0; c < table.columns.size(); ++c) {
      Value value = nullptr;
      for (const auto& [key, v] : row.fields) {
        if (key == table.columns[c].key) value = v;
      }
      line.push_back(displayText(value));
      widths[c] = std::max(widths[c], displayWidth(line.back()));
    }
    cells.push_back(std::move(line));
  }
  auto printLine = [&](const std::vector<std::string>& line) {
    for (std::size_t c = 0; c < line.size(); ++c) {
      if (c + 1 == line.size()) {
        out << line[c];  // no trailing blanks
      } else {
        pad(out, line[c], widths[c]);
        out << "  ";
      }
    }
    out << "\n";
  };
  std::vector<std::string> headers;
  for (const auto& column : table.columns) headers.push_back(column.header);
  printLine(headers);
  for (const auto& line : cells) printLine(line);
}

void renderRecord(const Record& record, std::ostream& out) {
  std::size_t width = 0;
  for (const auto& field : record.fields) width = std::max(width, displayWidth(field.first) + 1);
  for (const auto& [key, value] : record.fields) {
    std::string label = key;
    std::replace(label.begin(), label.end(), '_', ' ');
    pad(out, label + ":", width + 1);
    out << displayText(value) << "\n";
  }
}

void renderJson(const Table& table, std::ostream& out) {
  Poco::JSON::Array array;
  for (const auto& row : table.rows) array.add(jsonObject(row));
  Poco::JSON::Stringifier::condense(array, out);
  out << "\n";
}

void renderJson(const Record& record, std::ostream& out) {
  Poco::JSON::Stringifier::condense(jsonObject(record), out);
  out << "\n";
}

}  // namespace podmon::cli
