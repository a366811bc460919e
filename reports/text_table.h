#pragma once
// Plain-text tables for the terminal: columns sized to their content, numbers
// right-aligned.
#include <string>
#include <vector>

namespace seglab {

class TextTable {
 public:
  explicit TextTable(std::vector<std::string> headers);
  void add_row(std::vector<std::string> cells);
  std::string render() const;
  size_t rows() const { return rows_.size(); }

 private:
  std::vector<std::string> headers_;
  std::vector<std::vector<std::string>> rows_;
};

// "0.9123", or "-" for a missing value.
std::string format_metric(double value, int decimals = 4);

}  // namespace seglab
