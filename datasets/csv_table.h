#pragma once
// A CSV file read whole: a header row and data rows of the same width
// (RFC 4180: quoted fields may hold commas, quotes and newlines).
#include <string>
#include <vector>

namespace seglab {

struct CsvTable {
  std::string path;
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
  std::vector<int> row_lines;  // 1-based line of each row, for messages

  // Index of a header column, or -1.
  int column(const std::string& name) const;
};

// Throws DataError naming the file (and line) when it is missing, empty, or a
// row has a different number of fields than the header.
CsvTable read_csv(const std::string& path);

}  // namespace seglab
