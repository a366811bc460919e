#pragma once
// A figure described independently of how it is drawn, so the same figure is
// rendered by gnuplot (PDF, SVG, PNG) and written as pgfplots (.tex) from one
// description, with the data the reader can check in `<name>.dat` files.
#include <algorithm>
#include <cmath>
#include <string>
#include <utility>
#include <vector>

#include "reports/statistics.h"

namespace seglab {

// Thesis sizes: a single column is about 3.5 in wide, the full text width 6.3 in.
struct FigureSize {
  double width_in = 3.5;
  double height_in = 2.6;
};
constexpr FigureSize kSingleColumn{3.5, 2.6};
constexpr FigureSize kFullWidth{6.3, 3.0};

enum class FigureKind {
  lines,    // y over x per series; optional band (low/high) around each line
  bars,     // categories on x, one bar per series in each group, error bars
  boxes,    // categories on x, one box per category (series[0].boxes)
  scatter,  // one labelled point per category (series[i].x/y, labels = categories)
  heatmap,  // matrix (rows x columns) with the value written in each cell
};

struct Series {
  std::string label;
  std::vector<double> x, y;
  std::vector<double> low, high;  // lines: band; bars: error bar ends; may be empty
  std::vector<BoxStats> boxes;    // boxes
  // boxes: low/high (when given) are an interval drawn beside each box, e.g.
  // the bootstrap interval of the median.
};

struct Figure {
  std::string name;     // file stem: curves_val_dice
  std::string caption;  // one line, for report.md and the LaTeX caption
  FigureKind kind = FigureKind::lines;
  FigureSize size = kSingleColumn;
  std::string x_label, y_label;             // with units, e.g. "epoch", "Dice"
  std::vector<std::string> categories;      // bars/boxes/scatter: x tick labels; heatmap: columns
  std::vector<std::string> row_labels;      // heatmap rows
  std::vector<std::vector<double>> matrix;  // heatmap values [row][column]
  std::vector<Series> series;
  bool y_from_zero = false;
  bool x_log = false;
  bool x_integer = false;        // lines: ticks on whole numbers only (epochs)
  bool stacked = false;          // bars: the series stack (shares summing to 1)
  bool zero_line = false;        // a dashed line at y = 0 (differences)
  bool palette_reversed = false; // heatmap: small values dark (p-values)
  double value_max = 0;          // heatmap: colour range [0, value_max]; 0 = the data's range
  double cell_floor = 0;         // heatmap: values below it print as "<floor" (p-values); 0 = all as numbers
};

// Distance between ticks on an integer axis: 1, 2, 5, 10, 20, 50, ... so that
// at most 8 ticks span the lines' x values (epochs 1..3 get 1, 2, 3, never 1.5).
double integer_tick_step(const Figure& figure);

// The y range of a box figure with a zero line: its whiskers, outliers and
// intervals, and 0, padded by 5 % each side. Without 0 in the range the
// dashed line would fall outside the frame (all differences of one sign).
// {NaN, NaN} for any other figure: the renderer's autoscale stands.
std::pair<double, double> zero_inclusive_y_range(const Figure& figure);

// The point size of a heatmap's cell labels: 7 pt while "<0.001" fits its
// cell, smaller as more columns share the plot's width (at least 4 pt).
int heatmap_label_points(const Figure& figure);

}  // namespace seglab
