#pragma once
// A curve as one line of block characters (▁▂▃▄▅▆▇█) for the terminal, e.g.
// `seglab runs show`. Long curves are resampled to `width` columns by taking
// the mean of each column's points; NaNs print as spaces.
#include <string>
#include <vector>

namespace seglab {

std::string sparkline(const std::vector<double>& values, size_t width = 40);

}  // namespace seglab
