#pragma once
// Writes a Figure as a pgfplots picture (`<name>.tex`) so that a thesis can
// `\input` it and typeset it in its own fonts. Needs \usepackage{pgfplots}
// (and \usepgfplotslibrary{statistics} for box plots) in the preamble; the
// file says so in its first lines.
#include <string>

#include "reports/figure.h"

namespace seglab {

std::string pgfplots_text(const Figure& figure);
// Returns the path written.
std::string write_pgfplots(const Figure& figure, const std::string& dir);

}  // namespace seglab
