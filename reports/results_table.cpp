#include "reports/results_table.h"

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

std::string latex_table(const ResultsTable& t) {
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
      if (!t.intervals.empty() && m.n > 0) text += " {\\scriptsize" + interval_text(t, r, c) + "}";
      if (has_dagger(t, r, c)) text += "$^{\\dagger}$";
      s << " & " << text;
    }
    s << " \\\\\n";
  }
  s << "\\bottomrule\n\\end{tabular}\n\\end{table}\n";
  return s.str();
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
      s << " | " << (best[c][r] ? "**" + text + "**" : text) << interval_text(t, r, c)
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
