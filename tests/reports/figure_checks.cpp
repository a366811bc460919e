#include "tests/reports/figure_checks.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include "tests/support/test_support.h"

namespace seglab::test {
namespace {

std::pair<double, double> pdf_page_size(const std::string& pdfinfo_output) {
  std::smatch m;
  if (!std::regex_search(pdfinfo_output, m, std::regex(R"(Page size:\s+([0-9.]+) x ([0-9.]+) pts)"))) return {0, 0};
  return {std::stod(m[1]), std::stod(m[2])};
}

}  // namespace

std::pair<int, int> png_size(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  unsigned char header[24] = {0};
  in.read(reinterpret_cast<char*>(header), sizeof header);
  EXPECT_EQ(std::string(reinterpret_cast<char*>(header + 1), 3), "PNG") << path;
  auto be32 = [&](int at) { return (header[at] << 24) | (header[at + 1] << 16) | (header[at + 2] << 8) | header[at + 3]; };
  return {be32(16), be32(20)};
}

void expect_thesis_figure(const std::string& base) {
  SCOPED_TRACE(base);
  for (const char* ext : {".pdf", ".svg", ".png", ".dat", ".gp"})
    ASSERT_TRUE(std::filesystem::exists(base + ext)) << base + ext;
  const auto png = png_size(base + ".png");
  const bool full_width = png.first == 1890;
  EXPECT_TRUE(png.first == 1050 || full_width) << png.first;
  EXPECT_EQ(png.second, full_width ? 900 : 780);
  const auto info = run_command("pdfinfo " + base + ".pdf");
  ASSERT_EQ(info.exit_code, 0) << info.output;
  const auto page = pdf_page_size(info.output);
  EXPECT_NEAR(page.first, full_width ? 453.6 : 252, 1.0) << info.output;
  EXPECT_NEAR(page.second, full_width ? 216 : 187.2, 1.0) << info.output;
  const auto fonts = run_command("pdffonts " + base + ".pdf");
  ASSERT_EQ(fonts.exit_code, 0);
  std::istringstream lines(fonts.output);
  std::string line;
  int font_lines = 0;
  std::getline(lines, line);
  std::getline(lines, line);
  while (std::getline(lines, line)) {
    ++font_lines;
    EXPECT_NE(line.find(" yes "), std::string::npos) << "font not embedded: " << line;
  }
  EXPECT_GT(font_lines, 0) << "no text in " << base << ".pdf";
  const std::string svg = read_text_file(base + ".svg");
  EXPECT_NE(svg.find(full_width ? "width=\"454\" height=\"216\"" : "width=\"252\" height=\"187\""), std::string::npos);
}

std::pair<int, std::string> compile_latex(const std::string& dir, const std::string& name, const std::string& body,
                                          const std::string& preamble) {
  write_text_file(dir + "/" + name + ".tex",
                  "\\documentclass{article}\n\\usepackage[T1]{fontenc}\n\\usepackage{booktabs}\n\\usepackage{pgfplots}\n"
                  "\\pgfplotsset{compat=1.16}\n\\usepgfplotslibrary{statistics}\n" + preamble + "\n\\begin{document}\n" + body +
                      "\n\\end{document}\n");
  const auto latex = run_command("cd " + dir + " && pdflatex -interaction=nonstopmode -halt-on-error " + name + ".tex");
  const std::string& out = latex.output;
  return {latex.exit_code, out.substr(out.size() > 3000 ? out.size() - 3000 : 0)};
}

std::vector<std::string> overfull_hboxes(const std::string& log_path, double tolerance_pt) {
  std::vector<std::string> found;
  std::istringstream lines(read_text_file(log_path));
  std::string line;
  const std::regex overfull(R"(^Overfull \\hbox \(([0-9.]+)pt too wide\))");
  std::smatch m;
  while (std::getline(lines, line))
    if (std::regex_search(line, m, overfull) && std::stod(m[1]) > tolerance_pt) found.push_back(line);
  return found;
}

}  // namespace seglab::test
