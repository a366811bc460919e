#pragma once
// Per-sample metadata from a CSV file (e.g. PH2's manifest.csv: id, clinical
// diagnosis, ...), keyed by sample id. Stratified splits read a column of it,
// and evaluation can group its scores by one.
#include <map>
#include <string>
#include <vector>

namespace seglab {

class SampleMetadata {
 public:
  // Reads `path`; `id_column` names the column holding sample ids. Throws
  // DataError naming the file when the column is missing or an id repeats.
  static SampleMetadata read_csv(const std::string& path, const std::string& id_column);

  const std::string& path() const { return path_; }
  const std::vector<std::string>& columns() const { return columns_; }
  bool has_column(const std::string& column) const;
  bool has_id(const std::string& id) const { return rows_.count(id) > 0; }
  // "" when the id or column is unknown.
  std::string value(const std::string& id, const std::string& column) const;
  // All columns of one id (empty when unknown).
  std::map<std::string, std::string> row(const std::string& id) const;
  // SHA-256 of the file, recorded with runs that use it.
  const std::string& sha256() const { return sha256_; }

 private:
  std::string path_;
  std::string sha256_;
  std::vector<std::string> columns_;
  std::map<std::string, std::map<std::string, std::string>> rows_;
};

}  // namespace seglab
