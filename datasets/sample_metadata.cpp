#include "datasets/sample_metadata.h"

#include <algorithm>

#include "core/error.h"
#include "core/sha256.h"
#include "core/text.h"
#include "datasets/csv_table.h"

namespace seglab {

SampleMetadata SampleMetadata::read_csv(const std::string& path, const std::string& id_column) {
  const CsvTable table = seglab::read_csv(path);
  const int id = table.column(id_column);
  if (id < 0)
    throw DataError("no column '" + id_column + "' (columns: " + join(table.header, ", ") + ")", path,
                    "set data.metadata_id_column to the column holding sample ids");
  SampleMetadata metadata;
  metadata.path_ = path;
  metadata.sha256_ = sha256_file(path);
  metadata.columns_ = table.header;
  for (size_t r = 0; r < table.rows.size(); ++r) {
    const auto& row = table.rows[r];
    std::map<std::string, std::string> values;
    for (size_t c = 0; c < row.size(); ++c) values[table.header[c]] = row[c];
    if (!metadata.rows_.emplace(row[static_cast<size_t>(id)], std::move(values)).second)
      throw DataError("id '" + row[static_cast<size_t>(id)] + "' appears twice", path + ":" + std::to_string(table.row_lines[r]),
                      "keep one row per sample");
  }
  return metadata;
}

bool SampleMetadata::has_column(const std::string& column) const {
  return std::find(columns_.begin(), columns_.end(), column) != columns_.end();
}

std::string SampleMetadata::value(const std::string& id, const std::string& column) const {
  auto row = rows_.find(id);
  if (row == rows_.end()) return {};
  auto cell = row->second.find(column);
  return cell == row->second.end() ? std::string() : cell->second;
}

std::map<std::string, std::string> SampleMetadata::row(const std::string& id) const {
  auto found = rows_.find(id);
  return found == rows_.end() ? std::map<std::string, std::string>{} : found->second;
}

}  // namespace seglab
