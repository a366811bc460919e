#include "reports/gnuplot_renderer.h"

#include <sys/wait.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <sstream>

#include "core/atomic_file.h"
#include "core/error.h"
#include "core/text.h"
#include "reports/palette.h"

namespace seglab {
namespace {

constexpr const char* kFont = "DejaVu Sans,8";

std::string quoted(const std::string& text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

std::string number(double v) {
  if (std::isnan(v)) return "NaN";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.9g", v);
  return buf;
}

double value_at(const std::vector<double>& v, size_t i, double fallback) { return i < v.size() ? v[i] : fallback; }

std::string common_settings(const Figure& f) {
  std::ostringstream s;
  s << "set encoding utf8\nset termoption noenhanced\n"
    << "set xlabel " << quoted(f.x_label) << "\n"
    << "set ylabel " << quoted(f.y_label) << "\n"
    << "set border 3 lw 0.8\nset tics nomirror out scale 0.6\n"
    << "set grid ytics lw 0.5 lc rgb '#d9d9d9'\n"
    << "set key noopaque samplen 2.5 spacing 1.1 font ',7'\n";
  if (f.y_from_zero) s << "set yrange [0:*]\n";
  if (f.x_log) s << "set logscale x\n";
  if (f.x_integer) s << "set xtics " << number(integer_tick_step(f)) << "\nset format x '%.0f'\nset mxtics 1\n";
  return s.str();
}

std::string category_tics(const std::vector<std::string>& names, const char* axis) {
  std::ostringstream s;
  s << "set " << axis << "tics (";
  for (size_t i = 0; i < names.size(); ++i) s << (i ? ", " : "") << quoted(names[i]) << " " << i;
  s << ")\n";
  return s.str();
}

// Stacked bars: the top of series i is the sum of the y columns of series 0..i.
std::string stacked_column(size_t i) {
  std::string sum = "(";
  for (size_t k = 0; k <= i; ++k) sum += (k ? "+$" : "$") + std::to_string(2 + 3 * k);
  return sum + ")";
}

}  // namespace

std::string gnuplot_data(const Figure& f) {
  std::ostringstream d;
  d << "# " << f.caption << "\n";
  switch (f.kind) {
    case FigureKind::lines:
      for (size_t s = 0; s < f.series.size(); ++s) {
        const Series& series = f.series[s];
        d << (s ? "\n\n" : "") << "# series " << s << ": " << series.label << "\n# x y low high\n";
        for (size_t i = 0; i < series.x.size(); ++i)
          d << number(series.x[i]) << " " << number(series.y[i]) << " " << number(value_at(series.low, i, series.y[i]))
            << " " << number(value_at(series.high, i, series.y[i])) << "\n";
      }
      break;
    case FigureKind::bars:
      d << "# category";
      for (const auto& series : f.series) d << " | " << series.label << ": y low high";
      d << "\n";
      for (size_t c = 0; c < f.categories.size(); ++c) {
        d << c;
        for (const auto& series : f.series)
          d << " " << number(series.y[c]) << " " << number(value_at(series.low, c, series.y[c])) << " "
            << number(value_at(series.high, c, series.y[c]));
        d << "\n";
      }
      break;
    case FigureKind::boxes: {
      d << "# x lower_quartile lower_whisker upper_whisker upper_quartile median mean n\n";
      const auto& boxes = f.series.at(0).boxes;
      for (size_t c = 0; c < boxes.size(); ++c)
        d << c << " " << number(boxes[c].lower_quartile) << " " << number(boxes[c].lower_whisker) << " "
          << number(boxes[c].upper_whisker) << " " << number(boxes[c].upper_quartile) << " "
          << number(boxes[c].median) << " " << number(boxes[c].mean) << " " << boxes[c].n << "\n";
      d << "\n\n# outliers: x value\n";
      bool any = false;
      for (size_t c = 0; c < boxes.size(); ++c)
        for (double v : boxes[c].outliers) d << c << " " << number(v) << "\n", any = true;
      if (!any) d << "NaN NaN\n";
      const Series& s0 = f.series.at(0);
      if (!s0.low.empty()) {
        d << "\n\n# interval beside each box: x median low high\n";
        for (size_t c = 0; c < boxes.size(); ++c)
          d << c << " " << number(boxes[c].median) << " " << number(value_at(s0.low, c, NAN)) << " "
            << number(value_at(s0.high, c, NAN)) << "\n";
      }
      break;
    }
    case FigureKind::scatter:
      d << "# x y label\n";
      for (const auto& series : f.series)
        for (size_t i = 0; i < series.x.size(); ++i)
          d << number(series.x[i]) << " " << number(series.y[i]) << " " << quoted(series.label) << "\n";
      break;
    case FigureKind::heatmap:
      d << "# column row value\n";
      for (size_t r = 0; r < f.matrix.size(); ++r)
        for (size_t c = 0; c < f.matrix[r].size(); ++c) d << c << " " << r << " " << number(f.matrix[r][c]) << "\n";
      break;
  }
  return d.str();
}

std::string gnuplot_script(const Figure& f) {
  const std::string dat = quoted(f.name + ".dat");
  std::ostringstream s;
  s << "# " << f.caption << "\n# Render: gnuplot -e \"set terminal pdfcairo; set output 'x.pdf'\" " << f.name
    << ".gp\n"
    << common_settings(f);
  switch (f.kind) {
    case FigureKind::lines: {
      s << "set key bottom right\nset style fill transparent solid 0.18 noborder\nplot \\\n";
      for (size_t i = 0; i < f.series.size(); ++i) {
        const std::string colour = "lc rgb '" + series_colour(i) + "'";
        const bool band = !f.series[i].low.empty();
        if (band) s << "  " << dat << " index " << i << " using 1:3:4 with filledcurves " << colour << " notitle, \\\n";
        s << "  " << dat << " index " << i << " using 1:2 with linespoints " << colour << " dt " << series_dash(i)
          << " pt " << series_point(i) << " ps 0.45 pi -1 lw 1.3 title " << quoted(f.series[i].label)
          << (i + 1 < f.series.size() ? ", \\\n" : "\n");
      }
      break;
    }
    case FigureKind::bars: {
      const size_t n = f.series.size();
      if (f.stacked) {
        // Tallest stack first, each later (shorter) one drawn over it.
        s << category_tics(f.categories, "x") << "set xrange [-0.6:" << number(f.categories.size() - 0.4) << "]\n"
          << "set yrange [0:1.0001]\nset boxwidth 0.6 absolute\nset key outside right top vertical invert\n"
          << "set xtics rotate by -25 left font ',7'\nplot \\\n";
        for (size_t i = n; i-- > 0;)
          s << "  " << dat << " using 1:" << stacked_column(i) << " with boxes fs solid 0.85 border lc rgb '#333333' lc rgb '"
            << series_colour(i) << "' title " << quoted(f.series[i].label) << (i > 0 ? ", \\\n" : "\n");
        break;
      }
      const double width = 0.8 / static_cast<double>(n);
      s << category_tics(f.categories, "x") << "set xrange [-0.6:" << number(f.categories.size() - 0.4) << "]\n"
        << "set boxwidth " << number(width) << " absolute\nset key above horizontal reverse Left\n"
        << "set xtics rotate by -25 left font ',7'\nplot \\\n";
      for (size_t i = 0; i < n; ++i) {
        const double offset = (static_cast<double>(i) - (n - 1) / 2.0) * width;
        const int col = 2 + 3 * static_cast<int>(i);
        const std::string x = "($1+" + number(offset) + ")";
        s << "  " << dat << " using " << x << ":" << col << " with boxes fs solid "
          << number(series_fill_density(i)) << " border lc rgb '#333333' lc rgb '" << series_colour(i)
          << "' title " << quoted(f.series[i].label);
        // Error bars only where the series has them (a zero-length bar still leaves a dot).
        if (!f.series[i].low.empty())
          s << ", \\\n  " << dat << " using " << x << ":" << col << ":" << col + 1 << ":" << col + 2
            << " with yerrorbars lc rgb '#000000' pt 7 ps 0 lw 0.8 notitle";
        s << (i + 1 < n ? ", \\\n" : "\n");
      }
      break;
    }
    case FigureKind::boxes:
      if (f.zero_line) {
        const auto [low, high] = zero_inclusive_y_range(f);
        s << "set arrow from graph 0, first 0 to graph 1, first 0 nohead dt 2 lw 0.8 lc rgb '#555555' back\n"
          << "set yrange [" << number(low) << ":" << number(high) << "]\n";
      }
      s << category_tics(f.categories, "x") << "set xrange [-0.6:" << number(f.categories.size() - 0.4) << "]\n"
        << "set boxwidth 0.5 absolute\nset xtics rotate by -25 left font ',7'\n"
        // With an interval beside each box a key would cover the data: the caption explains the marks.
        << (f.series.at(0).low.empty() ? "set key top right\n" : "unset key\n")
        << "set style fill solid 0.35 border lc rgb '#333333'\nplot \\\n"
        << "  " << dat << " index 0 using 1:2:3:4:5 with candlesticks whiskerbars 0.5 lc rgb '" << series_colour(0)
        << "' title 'quartiles, 1.5 IQR', \\\n"
        << "  " << dat << " index 0 using 1:6:6:6:6 with candlesticks lc rgb '#000000' lw 1.5 notitle, \\\n"
        << "  " << dat << " index 0 using 1:7 with points pt 2 ps 0.5 lc rgb '#000000' title 'mean', \\\n"
        << "  " << dat << " index 1 using 1:2 with points pt 6 ps 0.35 lc rgb '" << series_colour(3)
        << "' title 'outliers'" << (f.series.at(0).low.empty() ? "\n" : ", \\\n");
      if (!f.series.at(0).low.empty())
        s << "  " << dat << " index 2 using ($1+0.36):2:3:4 with yerrorbars pt 7 ps 0.4 lw 1.2 lc rgb '"
          << series_colour(1) << "' title '95% CI of the median'\n";
      break;
    case FigureKind::scatter:
      s << "unset key\nset offsets graph 0.12, graph 0.25, graph 0.12, graph 0.12\n"
        << "plot " << dat << " using 1:2 with points pt 7 ps 0.6 lc rgb '" << series_colour(0) << "', \\\n"
        << "  " << dat << " using 1:2:3 with labels offset char 0.4,0.55 left font ',6' notitle\n";
      break;
    case FigureKind::heatmap: {
      double max_value = 0;
      for (const auto& row : f.matrix)
        for (double v : row) max_value = std::max(max_value, v);
      if (f.value_max > 0) max_value = f.value_max;
      // Dark cells get white numbers: the large values, or the small ones
      // when the palette is reversed (significant p-values).
      const std::string dark = f.palette_reversed ? "$3 < " + number(0.4 * max_value) : "$3 > " + number(0.6 * max_value);
      // p-values print as "<0.001" below a floor, else with 3 decimals.
      const std::string text = f.cell_floor > 0 ? "($3 < " + number(f.cell_floor) + " ? '<" + number(f.cell_floor) +
                                                      "' : sprintf('%.3f', $3))"
                                                : "(sprintf('%.3g', $3))";
      s << category_tics(f.categories, "x") << category_tics(f.row_labels, "y") << "set yrange [] reverse\n"
        << "unset grid\nunset key\nset tics scale 0\nset xrange [-0.5:" << number(f.categories.size() - 0.5)
        << "]\nset yrange [" << number(f.row_labels.size() - 0.5) << ":-0.5]\n"
        << (f.palette_reversed ? "set palette defined (0 '#08306b', 1 '#6baed6', 2 '#f7fbff')\n"
                               : "set palette defined (0 '#f7fbff', 1 '#6baed6', 2 '#08306b')\n")
        << (f.value_max > 0 ? "set cbrange [0:" + number(f.value_max) + "]\n" : "")
        << "set cbtics font ',7'\n"
        << "set xtics rotate by -25 left font ',7'\nset ytics font ',7'\n"
        << "plot " << dat << " using 1:2:3 with image, \\\n"
        << "  " << dat << " using 1:2:" << text << ":(" << dark
        << " ? 0xffffff : 0x000000) with labels tc rgb variable font '," << heatmap_label_points(f) << "'\n";
      break;
    }
  }
  return s.str();
}

std::vector<std::string> render_with_gnuplot(const Figure& f, const std::string& dir) {
  std::filesystem::create_directories(dir);
  const std::string base = dir + "/" + f.name;
  write_file_atomically(base + ".dat", gnuplot_data(f));
  write_file_atomically(base + ".gp", gnuplot_script(f));
  std::vector<std::string> written{base + ".dat", base + ".gp"};
  const double w = f.size.width_in, h = f.size.height_in;
  const double scale = kPngDpi / 72.0;
  char terminals[3][256];
  std::snprintf(terminals[0], sizeof terminals[0], "set terminal pdfcairo size %.2fin,%.2fin font '%s'", w, h, kFont);
  std::snprintf(terminals[1], sizeof terminals[1], "set terminal svg size %d,%d font '%s'",
                static_cast<int>(std::lround(w * 72)), static_cast<int>(std::lround(h * 72)), kFont);
  std::snprintf(terminals[2], sizeof terminals[2],
                "set terminal pngcairo size %d,%d font '%s' fontscale %.4f linewidth %.4f pointscale %.4f",
                static_cast<int>(std::lround(w * kPngDpi)), static_cast<int>(std::lround(h * kPngDpi)), kFont,
                scale, scale, scale);
  // One gnuplot process draws all three files: the script is loaded once per
  // terminal, each output written to a temporary name and renamed when all are
  // done, so a failure never leaves a half-drawn figure behind.
  const char* extensions[3] = {"pdf", "svg", "png"};
  std::string commands;
  for (int t = 0; t < 3; ++t)
    commands += std::string(terminals[t]) + "; set output '" + f.name + "." + extensions[t] + ".tmp'; load '" +
                f.name + ".gp'; set output; reset; ";
  const std::string command = "cd '" + dir + "' && gnuplot -e \"" + commands + "\" 2>&1";
  FILE* pipe = ::popen(command.c_str(), "r");
  if (!pipe) throw Error("cannot start gnuplot", f.name, "install gnuplot-nox (scripts/setup.sh)");
  std::string output;
  char buffer[512];
  while (std::fgets(buffer, sizeof buffer, pipe)) output += buffer;
  const int status = ::pclose(pipe);
  bool complete = status == 0;
  for (const char* ext : extensions) complete = complete && std::filesystem::exists(base + "." + ext + ".tmp");
  if (!complete) {
    std::error_code ec;
    for (const char* ext : extensions) std::filesystem::remove(base + "." + ext + ".tmp", ec);
    const bool missing = WIFEXITED(status) && WEXITSTATUS(status) == 127;
    throw Error(missing ? "gnuplot is not installed" : "gnuplot failed on " + f.name + ".gp: " + trim(output),
                base + ".gp", missing ? "run scripts/setup.sh (installs gnuplot-nox)" : "");
  }
  for (const char* ext : extensions) {
    std::filesystem::rename(base + "." + ext + ".tmp", base + "." + ext);
    written.push_back(base + "." + ext);
  }
  return written;
}

}  // namespace seglab
