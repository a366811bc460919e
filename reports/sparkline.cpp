#include "reports/sparkline.h"

#include <algorithm>
#include <cmath>

namespace seglab {

std::string sparkline(const std::vector<double>& values, size_t width) {
  static const char* const kBlocks[] = {"▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"};
  if (values.empty() || width == 0) return "";
  const size_t columns = std::min(width, values.size());
  std::vector<double> column(columns, NAN);
  for (size_t c = 0; c < columns; ++c) {
    const size_t begin = c * values.size() / columns, end = (c + 1) * values.size() / columns;
    double sum = 0;
    size_t n = 0;
    for (size_t i = begin; i < end; ++i)
      if (std::isfinite(values[i])) {
        sum += values[i];
        ++n;
      }
    if (n > 0) column[c] = sum / static_cast<double>(n);
  }
  double low = INFINITY, high = -INFINITY;
  for (double v : column)
    if (std::isfinite(v)) {
      low = std::min(low, v);
      high = std::max(high, v);
    }
  std::string out;
  for (double v : column) {
    if (!std::isfinite(v)) {
      out += ' ';
      continue;
    }
    const int level = high > low ? static_cast<int>(std::lround((v - low) / (high - low) * 7.0)) : 3;
    out += kBlocks[std::clamp(level, 0, 7)];
  }
  return out;
}

}  // namespace seglab
