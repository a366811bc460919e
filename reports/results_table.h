#pragma once
// A results table: one row per variant, one column per metric, each cell the
// mean ± standard deviation over the variant's runs; the best mean of each
// column is marked (bold in LaTeX and Markdown). Written as LaTeX (booktabs,
// ready for \input), Markdown and CSV, and printable in the terminal.
#include <string>
#include <vector>

#include "reports/bootstrap.h"
#include "reports/statistics.h"

namespace seglab {

struct ResultsColumn {
  std::string key;     // "val.dice"
  std::string header;  // "Dice"
  bool higher_is_better = true;
};

struct ResultsTable {
  std::string caption;
  std::string label;  // LaTeX \label, e.g. "tab:seglab-results"
  std::string row_header = "Variant";
  std::vector<ResultsColumn> columns;
  std::vector<std::string> row_labels;
  std::vector<std::vector<MeanStd>> cells;  // [row][column]
  int decimals = 3;
  // Filled when the table comes from per-image statistics
  // (reports/statistics_table.h); empty for a table of means over seeds.
  std::vector<std::vector<Interval>> intervals;  // [row][column]: 95 % CI of the mean, printed after it
  // [row][column]: median over images; CSV and Markdown only (the LaTeX
  // table has no room for a third number per cell).
  std::vector<std::vector<double>> medians;
  std::vector<std::vector<bool>> bold;           // [row][column]: replaces best_rows' choice when given
  std::vector<std::vector<bool>> dagger;         // [row][column]: significantly worse than the baseline
};

// The rows marked best in a column. Without `bold`: the best mean, ties
// going to every row whose rounded mean equals the best, so the bold is
// honest at the printed precision. With `bold`: exactly those cells (the
// statistics decide).
std::vector<bool> best_rows(const ResultsTable& table, size_t column);

// The table without the columns no row has a value in.
ResultsTable without_empty_columns(ResultsTable table);

std::string latex_table(const ResultsTable& table);
std::string markdown_table(const ResultsTable& table);
std::string csv_table(const ResultsTable& table);
// Plain text for the terminal; the best mean of each column is starred.
std::string terminal_table(const ResultsTable& table);

}  // namespace seglab
