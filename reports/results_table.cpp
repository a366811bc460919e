#include "reports/results_table.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>

#include "core/text.h"
#include "reports/latex_text.h"
#include "reports/text_table.h"

namespace seglab {
namespace {

std::string fixed(double v, int decimals) {
  if (std::isnan(v)) return "";
  char buf[48];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

// "0.912 ± 0.004", or "0.912" for a single run, or "-" when missing.
std::string cell_text(const MeanStd& m, int decimals, const std::string& pm) {
  if (m.n == 0) return "-";
  if (m.n == 1) return fixed(m.mean, decimals);
  return fixed(m.mean, decimals) + pm + fixed(m.std, decimals);
}

std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

// " [0.890, 0.931]" after a cell of a table with intervals; "" otherwise.
std::string interval_text(const ResultsTable& t, size_t r, size_t c) {
  if (t.intervals.empty() || t.cells[r][c].n == 0) return "";
  const Interval& i = t.intervals[r][c];
  return " [" + fixed(i.low, t.decimals) + ", " + fixed(i.high, t.decimals) + "]";
}

// "; median 0.915" after a cell of a table with medians; "" otherwise.
std::string median_text(const ResultsTable& t, size_t r, size_t c) {
  if (t.medians.empty() || t.cells[r][c].n == 0) return "";
  return "; median " + fixed(t.medians[r][c], t.decimals);
}

bool has_dagger(const ResultsTable& t, size_t r, size_t c) { return !t.dagger.empty() && t.dagger[r][c]; }

}  // namespace

std::vector<bool> best_rows(const ResultsTable& table, size_t column) {
  std::vector<bool> best(table.row_labels.size(), false);
  if (!table.bold.empty()) {
    for (size_t r = 0; r < best.size(); ++r) best[r] = table.bold[r][column];
    return best;
  }
  const bool higher = table.columns[column].higher_is_better;
  double best_value = NAN;
  for (const auto& row : table.cells) {
    const MeanStd& m = row[column];
    if (m.n == 0) continue;
    const double v = std::stod(fixed(m.mean, table.decimals));
    if (std::isnan(best_value) || (higher ? v > best_value : v < best_value)) best_value = v;
  }
  if (std::isnan(best_value) || table.row_labels.size() < 2) return best;
  for (size_t r = 0; r < table.cells.size(); ++r) {
    const MeanStd& m = table.cells[r][column];
    best[r] = m.n > 0 && std::stod(fixed(m.mean, table.decimals)) == best_value;
  }
  return best;
}

ResultsTable without_empty_columns(ResultsTable t) {
  for (size_t c = t.columns.size(); c-- > 0;) {
    bool any = false;
    for (const auto& row : t.cells) any = any || row[c].n > 0;
    if (any) continue;
    t.columns.erase(t.columns.begin() + static_cast<std::ptrdiff_t>(c));
    for (auto& row : t.cells) row.erase(row.begin() + static_cast<std::ptrdiff_t>(c));
  }
  return t;
}

namespace {

// Rough width in pt of text set in \small (9 pt): the average glyph of
// digits and lowercase letters is about half an em. Only to choose the
// table's orientation, so a few pt either way do not matter.
double small_text_pt(const std::string& text) { return 4.6 * static_cast<double>(text.size()); }

// The first line of a statistics cell: mean ± std, bold where best, dagger
// where worse than the baseline.
std::string latex_mean_line(const ResultsTable& t, size_t r, size_t c, bool best) {
  const MeanStd& m = t.cells[r][c];
  if (m.n == 0) return "--";
  std::string text = m.n == 1 ? fixed(m.mean, t.decimals) : fixed(m.mean, t.decimals) + " \\pm " + fixed(m.std, t.decimals);
  text = best ? "$\\mathbf{" + text + "}$" : "$" + text + "$";
  return text + (has_dagger(t, r, c) ? "$^{\\dagger}$" : "");
}

// The second line: the interval, smaller.
std::string latex_interval_line(const ResultsTable& t, size_t r, size_t c) {
  const std::string i = interval_text(t, r, c);
  return i.empty() ? "" : "{\\footnotesize" + i + "}";
}

// "encoder=plain (2 seeds)" -> {"encoder=plain", "(2 seeds)"}: the repeats
// go on the second line, under the name, where the interval takes the room.
std::pair<std::string, std::string> split_row_label(const std::string& label) {
  const size_t open = label.rfind(" (");
  if (open == std::string::npos || label.back() != ')') return {label, ""};
  return {label.substr(0, open), label.substr(open + 1)};
}

// The parts of a variant label, "encoder=resnet34, lr=0.001" -> both keys.
std::vector<std::string> label_parts(const std::string& label) {
  std::vector<std::string> parts;
  size_t from = 0;
  for (size_t at; (at = label.find(", ", from)) != std::string::npos; from = at + 2) parts.push_back(label.substr(from, at - from));
  parts.push_back(label.substr(from));
  return parts;
}

// A variant label as a column header, one key=value per line: a header of
// several keys on one line is wider than the numbers under it.
std::string stacked_header(const std::string& label) {
  std::vector<std::string> parts = label_parts(label);
  if (parts.size() == 1) return latex_escape(label);
  for (auto& p : parts) p = latex_escape(p);
  return "\\begin{tabular}[b]{@{}c@{}}" + join(parts, ",\\\\ ") + "\\end{tabular}";
}

double widest_part_pt(const std::string& label) {
  double widest = 0;
  for (const auto& p : label_parts(label)) widest = std::max(widest, small_text_pt(p));
  return widest;
}

std::string metric_header(const ResultsColumn& c) {
  return latex_escape(c.header) + (c.higher_is_better ? " $\\uparrow$" : " $\\downarrow$");
}

// Widths of the two orientations: variants as rows (metrics as columns), or
// transposed. A cell is as wide as its mean ± std line.
bool transpose_fits_better(const ResultsTable& t) {
  double cell = 0, label = 0, header = 0, stacked = 0;
  for (size_t r = 0; r < t.row_labels.size(); ++r) {
    label = std::max(label, small_text_pt(split_row_label(t.row_labels[r]).first));
    stacked = std::max(stacked, widest_part_pt(split_row_label(t.row_labels[r]).first));
    for (size_t c = 0; c < t.columns.size(); ++c) cell = std::max(cell, small_text_pt(cell_text(t.cells[r][c], t.decimals, " +- ")));
  }
  for (const auto& c : t.columns) header = std::max(header, small_text_pt(c.header) + 10);
  const double sep = 8;  // 2 \tabcolsep of 4 pt
  const double rows = label + sep + static_cast<double>(t.columns.size()) * (std::max(cell, header) + sep);
  const double transposed = header + sep + static_cast<double>(t.row_labels.size()) * (std::max(cell, stacked) + sep);
  return transposed < rows;
}

void latex_opening(std::ostringstream& s, const ResultsTable& t, size_t columns) {
  s << "% seglab results table; needs \\usepackage{booktabs}. Each cell: mean \\pm{} std, below it the interval.\n"
    << "\\begin{table}[t]\n\\centering\n\\caption{" << latex_escape(t.caption) << "}\n\\label{" << t.label << "}\n"
    // Small type and narrow gaps keep up to about 7 metrics within a 6.3 in text block.
    << "\\small\n\\setlength{\\tabcolsep}{4pt}\n"
    << "\\begin{tabular}{l" << std::string(columns, 'c') << "}\n\\toprule\n";
}

// Variants as rows: two lines each (mean ± std; repeats and interval).
void latex_variant_rows(std::ostringstream& s, const ResultsTable& t, const std::vector<std::vector<bool>>& best) {
  s << latex_escape(t.row_header);
  for (const auto& c : t.columns) s << " & " << metric_header(c);
  s << " \\\\\n\\midrule\n";
  for (size_t r = 0; r < t.row_labels.size(); ++r) {
    const auto [name, repeats] = split_row_label(t.row_labels[r]);
    s << latex_escape(name);
    for (size_t c = 0; c < t.columns.size(); ++c) s << " & " << latex_mean_line(t, r, c, best[c][r]);
    s << " \\\\\n" << (repeats.empty() ? "" : "{\\footnotesize " + latex_escape(repeats) + "}");
    for (size_t c = 0; c < t.columns.size(); ++c) s << " & " << latex_interval_line(t, r, c);
    s << " \\\\" << (r + 1 < t.row_labels.size() ? "[3pt]" : "") << "\n";
  }
}

// Metrics as rows, variants as columns (many metrics, few variants).
void latex_metric_rows(std::ostringstream& s, const ResultsTable& t, const std::vector<std::vector<bool>>& best) {
  s << "Metric";
  bool any_repeats = false;
  for (const auto& label : t.row_labels) {
    s << " & " << stacked_header(split_row_label(label).first);
    any_repeats = any_repeats || !split_row_label(label).second.empty();
  }
  s << " \\\\\n";
  if (any_repeats) {
    for (const auto& label : t.row_labels) s << " & {\\footnotesize " << latex_escape(split_row_label(label).second) << "}";
    s << " \\\\\n";
  }
  s << "\\midrule\n";
  for (size_t c = 0; c < t.columns.size(); ++c) {
    s << metric_header(t.columns[c]);
    for (size_t r = 0; r < t.row_labels.size(); ++r) s << " & " << latex_mean_line(t, r, c, best[c][r]);
    s << " \\\\\n";
    for (size_t r = 0; r < t.row_labels.size(); ++r) s << " & " << latex_interval_line(t, r, c);
    s << " \\\\" << (c + 1 < t.columns.size() ? "[3pt]" : "") << "\n";
  }
}

// The per-image statistics table: the interval on a second line under each
// mean ± std (on one line it made the table 655 pt wider than the article's
// text), transposed when that is narrower.
std::string latex_statistics_table(const ResultsTable& t) {
  std::vector<std::vector<bool>> best;
  for (size_t c = 0; c < t.columns.size(); ++c) best.push_back(best_rows(t, c));
  const bool transposed = transpose_fits_better(t);
  std::ostringstream s;
  latex_opening(s, t, transposed ? t.row_labels.size() : t.columns.size());
  if (transposed) latex_metric_rows(s, t, best);
  else latex_variant_rows(s, t, best);
  s << "\\bottomrule\n\\end{tabular}\n\\end{table}\n";
  return s.str();
}

// A table of means over seeds: one line per variant.
std::string latex_means_table(const ResultsTable& t) {
  std::ostringstream s;
  s << "% seglab results table; needs \\usepackage{booktabs}\n"
    << "\\begin{table}[t]\n\\centering\n\\caption{" << latex_escape(t.caption) << "}\n\\label{" << t.label << "}\n"
    << "\\begin{tabular}{l" << std::string(t.columns.size(), 'c') << "}\n\\toprule\n" << latex_escape(t.row_header);
  for (const auto& c : t.columns) s << " & " << latex_escape(c.header) << (c.higher_is_better ? " $\\uparrow$" : " $\\downarrow$");
  s << " \\\\\n\\midrule\n";
  std::vector<std::vector<bool>> best;
  for (size_t c = 0; c < t.columns.size(); ++c) best.push_back(best_rows(t, c));
  for (size_t r = 0; r < t.row_labels.size(); ++r) {
    s << latex_escape(t.row_labels[r]);
    for (size_t c = 0; c < t.columns.size(); ++c) {
      const MeanStd& m = t.cells[r][c];
      std::string text = m.n == 0 ? "--" : m.n == 1 ? fixed(m.mean, t.decimals)
                                                     : fixed(m.mean, t.decimals) + " \\pm " + fixed(m.std, t.decimals);
      if (m.n > 0) text = best[c][r] ? "$\\mathbf{" + text + "}$" : "$" + text + "$";
      if (has_dagger(t, r, c)) text += "$^{\\dagger}$";
      s << " & " << text;
    }
    s << " \\\\\n";
  }
  s << "\\bottomrule\n\\end{tabular}\n\\end{table}\n";
  return s.str();
}

}  // namespace

std::string latex_table(const ResultsTable& t) {
  return t.intervals.empty() ? latex_means_table(t) : latex_statistics_table(t);
}

std::string markdown_table(const ResultsTable& t) {
  std::ostringstream s;
  s << "| " << t.row_header;
  for (const auto& c : t.columns) s << " | " << c.header;
  s << " |\n|---";
  for (size_t c = 0; c < t.columns.size(); ++c) s << "|---:";
  s << "|\n";
  std::vector<std::vector<bool>> best;
  for (size_t c = 0; c < t.columns.size(); ++c) best.push_back(best_rows(t, c));
  for (size_t r = 0; r < t.row_labels.size(); ++r) {
    s << "| " << t.row_labels[r];
    for (size_t c = 0; c < t.columns.size(); ++c) {
      const std::string text = cell_text(t.cells[r][c], t.decimals, " ± ");
      s << " | " << (best[c][r] ? "**" + text + "**" : text) << interval_text(t, r, c) << median_text(t, r, c)
        << (has_dagger(t, r, c) ? " †" : "");
    }
    s << " |\n";
  }
  s << "\n" << t.caption << "\n";
  return s.str();
}

std::string csv_table(const ResultsTable& t) {
  std::ostringstream s;
  s << csv_field(t.row_header);
  const bool stats = !t.intervals.empty();
  for (const auto& c : t.columns) {
    s << "," << csv_field(c.key + " mean") << "," << csv_field(c.key + " std") << "," << csv_field(c.key + " n");
    if (!t.medians.empty()) s << "," << csv_field(c.key + " median");
    if (stats)
      s << "," << csv_field(c.key + " ci_low") << "," << csv_field(c.key + " ci_high") << "," << csv_field(c.key + " best")
        << "," << csv_field(c.key + " worse_than_baseline");
  }
  s << "\n";
  for (size_t r = 0; r < t.row_labels.size(); ++r) {
    s << csv_field(t.row_labels[r]);
    const auto best = [&](size_t c) { return !t.bold.empty() && t.bold[r][c]; };
    for (size_t c = 0; c < t.cells[r].size(); ++c) {
      const MeanStd& m = t.cells[r][c];
      s << "," << (m.n ? format_number(m.mean) : "") << "," << (m.n ? format_number(m.std) : "") << "," << m.n;
      if (!t.medians.empty()) s << "," << (m.n ? format_number(t.medians[r][c]) : "");
      if (stats)
        s << "," << (m.n ? format_number(t.intervals[r][c].low) : "") << ","
          << (m.n ? format_number(t.intervals[r][c].high) : "") << "," << (best(c) ? 1 : 0) << ","
          << (has_dagger(t, r, c) ? 1 : 0);
    }
    s << "\n";
  }
  return s.str();
}

std::string terminal_table(const ResultsTable& t) {
  std::vector<std::string> headers{t.row_header};
  for (const auto& c : t.columns) headers.push_back(c.header);
  TextTable table(headers);
  table.left_align_numbers();
  std::vector<std::vector<bool>> best;
  bool any_best = false;
  for (size_t c = 0; c < t.columns.size(); ++c) {
    best.push_back(best_rows(t, c));
    for (bool b : best.back()) any_best = any_best || b;
  }
  for (size_t r = 0; r < t.row_labels.size(); ++r) {
    std::vector<std::string> row{t.row_labels[r]};
    // A terminal has no bold: the best mean of a column gets a star instead.
    for (size_t c = 0; c < t.columns.size(); ++c)
      row.push_back(cell_text(t.cells[r][c], t.decimals, " ± ") + interval_text(t, r, c) + (best[c][r] ? " *" : "") +
                    (has_dagger(t, r, c) ? " †" : ""));
    table.add_row(row);
  }
  const char* star = t.bold.empty() ? "* best mean of its column\n"
                                    : "* significantly better than every other variant (Holm-corrected)\n";
  bool any_dagger = false;
  for (const auto& row : t.dagger)
    for (bool d : row) any_dagger = any_dagger || d;
  return table.render() + (any_best ? star : "") +
         (any_dagger ? "† significantly worse than the baseline (Holm-corrected)\n" : "");
}

}  // namespace seglab
