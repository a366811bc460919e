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
  // Left-aligns numbers too: for columns that mix "0.800" and
  // "0.875 ± 0.035", whose means should start in one column.
  void left_align_numbers() { numbers_right_ = false; }

 private:
  bool numbers_right_ = true;
  std::vector<std::string> headers_;
  std::vector<std::vector<std::string>> rows_;
};

// "0.9123", or "-" for a missing value.
std::string format_metric(double value, int decimals = 4);

}  // namespace seglab
