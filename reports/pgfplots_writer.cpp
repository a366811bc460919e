#include "reports/pgfplots_writer.h"

#include <cmath>
#include <cstdio>
#include <sstream>

#include "core/atomic_file.h"
#include "reports/latex_text.h"
#include "reports/palette.h"

namespace seglab {
namespace {

std::string num(double v) {
  if (std::isnan(v)) return "nan";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  return buf;
}

// pgfplots colours from the palette: "0072B2" -> "{rgb,255:red,0;green,114;blue,178}".
std::string colour(size_t i) {
  const std::string hex = series_colour(i).substr(1);
  const auto part = [&](int k) { return std::to_string(std::stoi(hex.substr(k * 2, 2), nullptr, 16)); };
  return "{rgb,255:red," + part(0) + ";green," + part(1) + ";blue," + part(2) + "}";
}

const char* dash(size_t i) {
  static const char* styles[] = {"solid", "dashed", "dotted", "dashdotted", "densely dashed"};
  return styles[i % 5];
}

const char* mark(size_t i) {
  static const char* marks[] = {"*", "square*", "triangle*", "diamond*", "pentagon*", "o"};
  return marks[i % 6];
}

// A heatmap cell's text: fixed 3 decimals (pgfplots would print a small
// p-value as 1.2·10^-5, wider than its cell), "<floor" below the floor.
std::string cell_label(const Figure& f) {
  const std::string value = "\\pgfmathprintnumber[fixed, zerofill, precision=3]{\\pgfplotspointmeta}";
  if (f.cell_floor <= 0) return value;
  // The meta value is in pgf's float format: to fixed first, then compare as a length.
  return "\\pgfmathfloattofixed{\\pgfplotspointmeta}\\ifdim\\pgfmathresult pt<" + num(f.cell_floor) + "pt $<$" +
         num(f.cell_floor) + "\\else " + value + "\\fi";
}

std::string symbolic(const std::vector<std::string>& names) {
  std::string out;
  for (size_t i = 0; i < names.size(); ++i) out += (i ? "," : "") + std::to_string(i);
  std::string labels;
  for (size_t i = 0; i < names.size(); ++i) labels += (i ? "," : "") + std::string("{") + latex_escape(names[i]) + "}";
  return "xtick={" + out + "}, xticklabels={" + labels + "}, x tick label style={rotate=25, anchor=east, font=\\scriptsize},\n";
}

}  // namespace

std::string pgfplots_text(const Figure& f) {
  std::ostringstream t;
  t << "% " << f.caption << "\n% seglab figure; preamble: \\usepackage{pgfplots} \\pgfplotsset{compat=1.16}"
    << (f.kind == FigureKind::boxes ? " \\usepgfplotslibrary{statistics}" : "") << "\n"
    << "\\begin{tikzpicture}\n\\begin{" << (f.x_log ? "semilogxaxis" : "axis") << "}[\n"
    << "  width=" << num(f.size.width_in) << "in, height=" << num(f.size.height_in) << "in,\n"
    << "  xlabel={" << latex_escape(f.x_label) << "}, ylabel={" << latex_escape(f.y_label) << "},\n"
    << "  ymajorgrids, grid style={gray!25}, tick label style={font=\\footnotesize},\n"
    << "  legend style={font=\\scriptsize, draw=none, fill=none}, legend cell align=left,\n";
  if (f.y_from_zero) t << "  ymin=0,\n";
  if (f.x_integer)
    t << "  xtick distance=" << num(integer_tick_step(f)) << ", minor x tick num=0, x tick label style={/pgf/number format/precision=0},\n";
  if (f.zero_line && f.kind == FigureKind::boxes) {
    const auto [low, high] = zero_inclusive_y_range(f);
    t << "  ymin=" << num(low) << ", ymax=" << num(high) << ",\n";
  }
  if (f.zero_line) t << "  extra y ticks={0}, extra y tick labels={}, extra y tick style={grid=major, grid style={dashed, black!60}},\n";
  switch (f.kind) {
    case FigureKind::lines:
      t << "  legend pos=south east,\n]\n";
      for (size_t i = 0; i < f.series.size(); ++i) {
        const Series& s = f.series[i];
        if (!s.low.empty()) {
          t << "\\addplot[draw=none, fill=" << colour(i) << ", fill opacity=0.18, forget plot] coordinates {";
          for (size_t k = 0; k < s.x.size(); ++k) t << " (" << num(s.x[k]) << "," << num(s.low[k]) << ")";
          for (size_t k = s.x.size(); k-- > 0;) t << " (" << num(s.x[k]) << "," << num(s.high[k]) << ")";
          t << "} -- cycle;\n";
        }
        t << "\\addplot[color=" << colour(i) << ", " << dash(i) << ", mark=" << mark(i)
          << ", mark size=1pt, thick] coordinates {";
        for (size_t k = 0; k < s.x.size(); ++k) t << " (" << num(s.x[k]) << "," << num(s.y[k]) << ")";
        t << "};\n\\addlegendentry{" << latex_escape(s.label) << "}\n";
      }
      break;
    case FigureKind::bars:
      if (f.stacked) {
        t << symbolic(f.categories) << "  ybar stacked, bar width=0.6cm, ymin=0, ymax=1, enlarge x limits=0.15,\n"
          // The legend in one row above the axis: beside it, it would widen the figure past its size.
          << "  legend style={at={(0.5,1.03)}, anchor=south, legend columns=-1},\n]\n";
        for (size_t i = 0; i < f.series.size(); ++i) {
          t << "\\addplot[fill=" << colour(i) << ", draw=black!70] coordinates {";
          for (size_t k = 0; k < f.categories.size(); ++k) t << " (" << k << "," << num(f.series[i].y[k]) << ")";
          t << "};\n\\addlegendentry{" << latex_escape(f.series[i].label) << "}\n";
        }
        break;
      }
      t << symbolic(f.categories) << "  ybar, bar width=" << num(0.8 / std::max<size_t>(1, f.series.size()) * 0.9)
        << "cm, enlarge x limits=0.15, legend pos=north east,\n]\n";
      for (size_t i = 0; i < f.series.size(); ++i) {
        const Series& s = f.series[i];
        t << "\\addplot[fill=" << colour(i) << ", fill opacity=" << num(f.series.size() > 1 ? series_fill_density(i) : 1)
          << ", draw=black!70, error bars/.cd, y dir=both, y explicit] coordinates {";
        for (size_t k = 0; k < f.categories.size(); ++k) {
          const double lo = k < s.low.size() ? s.y[k] - s.low[k] : 0, hi = k < s.high.size() ? s.high[k] - s.y[k] : 0;
          t << " (" << k << "," << num(s.y[k]) << ") +- (0," << num(std::max(lo, hi)) << ")";
        }
        t << "};\n\\addlegendentry{" << latex_escape(s.label) << "}\n";
      }
      break;
    case FigureKind::boxes:
      t << symbolic(f.categories) << "  boxplot/draw direction=y,\n]\n";
      for (size_t k = 0; k < f.series.at(0).boxes.size(); ++k) {
        const BoxStats& b = f.series[0].boxes[k];
        t << "\\addplot[fill=" << colour(0) << ", fill opacity=0.35, draw=black, boxplot prepared={draw position="
          << k << ", lower whisker=" << num(b.lower_whisker) << ", lower quartile=" << num(b.lower_quartile)
          << ", median=" << num(b.median) << ", upper quartile=" << num(b.upper_quartile)
          << ", upper whisker=" << num(b.upper_whisker) << ", average=" << num(b.mean) << "}] coordinates {";
        for (double v : b.outliers) t << " (0," << num(v) << ")";
        t << "};\n";
      }
      if (!f.series[0].low.empty()) {
        // The interval beside each box, as gnuplot draws it.
        t << "\\addplot[only marks, mark=*, mark size=1pt, color=" << colour(1)
          << ", error bars/.cd, y dir=both, y explicit] coordinates {";
        for (size_t k = 0; k < f.series[0].boxes.size(); ++k) {
          const double m = f.series[0].boxes[k].median;
          t << " (" << num(k + 0.5) << "," << num(m) << ") += (0," << num(f.series[0].high[k] - m) << ") -= (0,"
            << num(m - f.series[0].low[k]) << ")";
        }
        t << "};\n";
      }
      break;
    case FigureKind::scatter:
      t << "  nodes near coords, point meta=explicit symbolic, every node near coord/.append style={font=\\tiny, anchor=south west},\n"
        << "  enlarge x limits=0.2, enlarge y limits=0.2,\n]\n\\addplot[only marks, mark=*, color=" << colour(0)
        << "] coordinates {";
      for (const auto& s : f.series)
        for (size_t k = 0; k < s.x.size(); ++k)
          t << " (" << num(s.x[k]) << "," << num(s.y[k]) << ") [" << latex_escape(s.label) << "]";
      t << "};\n";
      break;
    case FigureKind::heatmap: {
      std::string rows;
      for (size_t i = 0; i < f.row_labels.size(); ++i) rows += (i ? "," : "") + std::string("{") + latex_escape(f.row_labels[i]) + "}";
      t << symbolic(f.categories) << "  ytick={0,...," << (f.row_labels.size() - 1) << "}, yticklabels={" << rows
        << "}, y dir=reverse, colorbar, "
        << (f.palette_reversed ? "colormap={blues}{rgb255=(8,48,107) rgb255=(107,174,214) rgb255=(247,251,255)},\n"
                               : "colormap={blues}{rgb255=(247,251,255) rgb255=(107,174,214) rgb255=(8,48,107)},\n")
        << (f.value_max > 0 ? "  point meta min=0, point meta max=" + num(f.value_max) + ",\n" : "")
        << "  nodes near coords={" << cell_label(f) << "},\n"
        << "  every node near coord/.append style={font=\\fontsize{" << heatmap_label_points(f) << "}{"
        << heatmap_label_points(f) + 1 << "}\\selectfont, anchor=center}, enlargelimits=false,\n]\n"
        << "\\addplot[matrix plot*, mesh/cols=" << f.categories.size() << ", point meta=explicit] coordinates {\n";
      for (size_t r = 0; r < f.matrix.size(); ++r) {
        for (size_t c = 0; c < f.matrix[r].size(); ++c)
          t << " (" << c << "," << r << ") [" << num(f.matrix[r][c]) << "]";
        t << "\n\n";
      }
      t << "};\n";
      break;
    }
  }
  t << "\\end{" << (f.x_log ? "semilogxaxis" : "axis") << "}\n\\end{tikzpicture}\n";
  return t.str();
}

std::string write_pgfplots(const Figure& figure, const std::string& dir) {
  const std::string path = dir + "/" + figure.name + ".tex";
  write_file_atomically(path, pgfplots_text(figure));
  return path;
}

}  // namespace seglab
