#pragma once
// Draws a Figure with gnuplot (Debian's gnuplot-nox, cairo terminals): writes
// `<name>.dat` (the numbers plotted, readable and checkable) and `<name>.gp`
// (a terminal-neutral script a user can edit and re-run), then renders
// `<name>.pdf` (vector, fonts embedded), `<name>.svg` and a 300-dpi
// `<name>.png` at the figure's physical size.
#include <string>
#include <vector>

#include "reports/figure.h"

namespace seglab {

constexpr int kPngDpi = 300;

// Returns the paths written. Throws Error when gnuplot is missing or fails,
// with its message.
std::vector<std::string> render_with_gnuplot(const Figure& figure, const std::string& dir);

// The data file's text and the script body, exposed for tests.
std::string gnuplot_data(const Figure& figure);
std::string gnuplot_script(const Figure& figure);

}  // namespace seglab
