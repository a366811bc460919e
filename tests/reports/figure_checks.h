#pragma once
// The checks every report figure must pass (as report_writer_test applies
// them): PDF, SVG and PNG at a thesis size (3.5 in x 2.6 in or 6.3 in x
// 3.0 in; 300 dpi PNG), fonts embedded in the PDF.
#include <string>
#include <utility>
#include <vector>

namespace seglab::test {

// Width and height from a PNG's IHDR chunk (a gtest failure when it is no PNG).
std::pair<int, int> png_size(const std::string& path);

// `base`: the figure's path without extension. Adds gtest failures.
void expect_thesis_figure(const std::string& base);

// Compiles `body` in a minimal article with booktabs, pgfplots (statistics
// library) and T1 fonts, inside `dir`; returns pdflatex's exit code and its
// output's tail.
// `preamble` goes before \begin{document} (e.g. "\\setlength{\\textwidth}{6.3in}").
std::pair<int, std::string> compile_latex(const std::string& dir, const std::string& name, const std::string& body,
                                          const std::string& preamble = "");

// The "Overfull \hbox (12.3pt too wide) ..." lines of a pdflatex log whose
// excess is above `tolerance_pt`: text running into the margin.
std::vector<std::string> overfull_hboxes(const std::string& log_path, double tolerance_pt);

}  // namespace seglab::test
