#pragma once
// Escaping text for LaTeX (tables, pgfplots labels and captions).
#include <string>

namespace seglab {

// "val_dice & 50%" -> "val\_dice \& 50\%".
std::string latex_escape(const std::string& text);

}  // namespace seglab
