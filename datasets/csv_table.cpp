#include "datasets/csv_table.h"

#include <fstream>
#include <sstream>

#include "core/error.h"
#include "core/text.h"

namespace seglab {

int CsvTable::column(const std::string& name) const {
  for (size_t i = 0; i < header.size(); ++i)
    if (header[i] == name) return static_cast<int>(i);
  return -1;
}

CsvTable read_csv(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw DataError("cannot open CSV file", path, "check the path (relative paths start at the current directory)");
  std::stringstream buffer;
  buffer << in.rdbuf();
  const std::string text = buffer.str();

  CsvTable table;
  table.path = path;
  std::vector<std::string> row;
  std::string field;
  bool quoted = false, field_started = false;
  int line = 1, row_line = 1;
  auto end_row = [&] {
    row.push_back(trim(field));
    field.clear();
    field_started = false;
    const bool blank = row.size() == 1 && row[0].empty();
    if (!blank) {
      if (table.header.empty()) {
        table.header = row;
      } else {
        if (row.size() != table.header.size())
          throw DataError("row has " + std::to_string(row.size()) + " fields but the header has " +
                              std::to_string(table.header.size()),
                          path + ":" + std::to_string(row_line), "quote fields that contain commas");
        table.rows.push_back(row);
        table.row_lines.push_back(row_line);
      }
    }
    row.clear();
    row_line = line;
  };
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        field += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        if (c == '\n') ++line;
        field += c;
      }
    } else if (c == '"' && !field_started) {
      quoted = field_started = true;
    } else if (c == ',') {
      row.push_back(trim(field));
      field.clear();
      field_started = false;
    } else if (c == '\n') {
      ++line;
      end_row();
    } else if (c != '\r') {
      if (c == '\xEF' && i == 0 && text.compare(0, 3, "\xEF\xBB\xBF") == 0) {
        i += 2;  // UTF-8 byte-order mark from spreadsheet exports
        continue;
      }
      field += c;
      if (c != ' ' && c != '\t') field_started = true;
    }
  }
  if (quoted) throw DataError("a quoted field is not closed", path + ":" + std::to_string(row_line));
  if (!field.empty() || !row.empty()) end_row();
  if (table.header.empty()) throw DataError("CSV file is empty", path, "it needs a header row");
  return table;
}

}  // namespace seglab
