#include "reports/report_writer.h"

#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <opencv2/imgcodecs.hpp>
#include <sstream>

#include "core/atomic_file.h"
#include "core/error.h"
#include "core/text.h"
#include "reports/gnuplot_renderer.h"
#include "reports/pgfplots_writer.h"
#include "reports/report_figures.h"
#include "reports/statistics_table.h"
#include "reports/variant_scores.h"

namespace seglab {
namespace {

class ReportBuilder {
 public:
  ReportBuilder(const ReportOptions& options, ReportOutput& output) : options_(options), output_(output) {}

  void figure(const Figure& f) {
    for (const auto& path : render_with_gnuplot(f, options_.out_dir)) add(path, f.caption);
    if (options_.pgfplots) add(write_pgfplots(f, options_.out_dir), f.caption);
  }
  void text(const std::string& name, const std::string& content, const std::string& caption) {
    const std::string path = options_.out_dir + "/" + name;
    write_file_atomically(path, content);
    add(path, caption);
  }
  void add(const std::string& path, const std::string& caption) { output_.files.push_back({path, caption}); }
  void note(const std::string& why) { output_.notes.push_back(why); }

 private:
  const ReportOptions& options_;
  ReportOutput& output_;
};

std::string grid_script(const std::string& png, int width, int height) {
  std::ostringstream s;
  s << "# The qualitative grid (a raster image) as a vector document page.\n"
    << "unset border\nunset tics\nunset key\nset margins 0,0,0,0\n"
    << "set xrange [0:" << width << "]\nset yrange [0:" << height << "]\n"
    << "plot '" << png << "' binary filetype=png with rgbimage\n";
  return s.str();
}

void write_grid(ReportBuilder& report, const ReportOptions& options, const std::vector<Variant>& variants,
                const std::vector<std::vector<EvalResults>>& evals, const SampleSource& source) {
  std::vector<std::string> labels;
  std::vector<const ReportRun*> runs;
  std::vector<const EvalResults*> chosen_evals;
  std::vector<std::string> without_masks;  // runs evaluated with --no-masks
  std::vector<std::string> left_out;       // variants none of whose evals has masks
  for (size_t v = 0; v < variants.size(); ++v) {
    if (evals[v].empty()) continue;
    const EvalResults* chosen = nullptr;
    for (const auto& e : evals[v]) {
      if (has_masks(e)) {
        if (!chosen) chosen = &e;
      } else {
        without_masks.push_back(e.run ? e.run->info.id : e.dir);
      }
    }
    if (!chosen) {
      left_out.push_back(variants[v].label);
      continue;
    }
    labels.push_back(variants[v].label);
    runs.push_back(chosen->run ? chosen->run : variants[v].runs.front());
    chosen_evals.push_back(chosen);
  }
  if (!without_masks.empty())
    report.note("qualitative grid: the evals of runs " + join(without_masks, ", ") +
                " have no predicted masks (seglab eval --no-masks)" +
                (chosen_evals.empty()     ? std::string("; the grid is left out")
                 : left_out.empty()       ? std::string("; the grid shows other runs of their variants")
                                          : "; the grid leaves out " + join(left_out, ", ")) +
                "; run `seglab eval <id>` without --no-masks to draw them");
  if (chosen_evals.empty()) return;
  const auto rows = pick_grid_rows(chosen_evals, options.grid_images);
  if (rows.empty()) {
    report.note("qualitative grid: no image is in every variant's evaluation");
    return;
  }
  // Full text width at 300 dpi.
  const int columns = 2 + static_cast<int>(labels.size());
  const int tile = std::max(96, static_cast<int>(6.3 * 300 / (columns + 0.5)));
  const cv::Mat grid = compose_grid(rows, labels, runs, chosen_evals, source, tile);
  const std::string png = options.out_dir + "/qualitative_grid.png";
  std::vector<std::string> ids;
  for (const auto& row : rows) ids.push_back(row.id + " (" + row.tag + ")");
  const std::string caption = "Image | ground truth | prediction of each variant (contours: ground truth white, "
                              "prediction coloured) for " + join(ids, ", ") + ".";
  if (!cv::imwrite(png + ".tmp.png", grid)) throw Error("cannot write the qualitative grid", png);
  std::filesystem::rename(png + ".tmp.png", png);
  report.add(png, caption);
  const double width_in = grid.cols / 300.0, height_in = grid.rows / 300.0;
  const std::string script = options.out_dir + "/qualitative_grid.gp";
  write_file_atomically(script, grid_script("qualitative_grid.png", grid.cols, grid.rows));
  for (const char* ext : {"pdf", "svg"}) {
    char terminal[160];
    if (std::string(ext) == "pdf")
      std::snprintf(terminal, sizeof terminal, "set terminal pdfcairo size %.3fin,%.3fin", width_in, height_in);
    else
      std::snprintf(terminal, sizeof terminal, "set terminal svg size %d,%d", static_cast<int>(width_in * 72),
                    static_cast<int>(height_in * 72));
    const std::string command = "cd '" + options.out_dir + "' && gnuplot -e \"" + terminal +
                                "; set output 'qualitative_grid." + ext + "'\" qualitative_grid.gp 2>&1";
    if (std::system(command.c_str()) != 0) throw Error("gnuplot failed on qualitative_grid.gp", script);
    report.add(options.out_dir + "/qualitative_grid." + ext, caption);
  }
}

// The statistics' figures and files (the table is written with the others).
void write_statistics(ReportBuilder& report, const ReportStatistics& s) {
  for (const auto& f : s.figures) report.figure(f);
  const std::string part = data_part_text(s.selection.data);
  report.text("per_image_" + s.comparisons.front().metric + ".csv", s.per_image_csv,
              "Per-image " + score_header(s.comparisons.front().metric) + " of each variant on the " + part +
                  " (mean over the variant's runs that scored the image): the numbers every statistic is computed from.");
  report.text("pairwise.csv", s.pairwise_csv,
              "Every pair of variants per metric: n images, two-sided Wilcoxon signed-rank p, Holm-adjusted p, and the "
              "median per-image difference with its percentile bootstrap interval.");
  if (!s.folds_csv.empty())
    report.text("folds.csv", s.folds_csv, "Mean score of each fold (over its images and seeds) per variant, beside the pooled results.");
  report.text("methods.tex", s.methods_tex,
              "Methods paragraph built from the runs' records (data, split, seeds, checkpoint, threshold, metrics, "
              "tests, versions); \\input it into the methods chapter.");
}

std::string index_text(const ReportOutput& output, const std::vector<Variant>& variants, const std::string& dir,
                       const std::string& options_eval) {
  std::ostringstream s;
  s << "# seglab report\n\n";
  for (const auto& statement : output.statements) s << statement << "\n\n";
  s << variants.size() << " variant(s):\n\n";
  for (const auto& v : variants) {
    std::vector<std::string> ids;
    for (const ReportRun* run : v.runs) ids.push_back(run->info.id);
    s << "- " << v.label << ": runs " << join(ids, ", ") << "\n";
  }
  if (!output.evals_used.empty()) {
    s << "\nEvals used (" << (options_eval.empty() ? "each run's latest plain eval: no TTA, no post-processing, a fixed or "
                                                     "configured threshold; choose another with --eval <name>"
                                                   : "each run's latest eval named " + options_eval)
      << "):\n\n";
    for (const auto& e : output.evals_used) s << "- " << e << "\n";
  }
  s << "\n## Files\n\n";
  // One line per figure: "curves_val_dice.{dat,gp,pdf,svg,png}".
  std::vector<std::pair<std::string, std::vector<std::string>>> stems;
  std::map<std::string, std::string> captions;
  for (const auto& f : output.files) {
    const std::filesystem::path path = std::filesystem::path(f.path).lexically_relative(dir);
    const std::string stem = (path.parent_path() / path.stem()).string();
    if (stems.empty() || stems.back().first != stem) stems.push_back({stem, {}});
    stems.back().second.push_back(path.extension().string().substr(1));
    captions[stem] = f.caption;
  }
  for (const auto& [stem, extensions] : stems) {
    const std::string names = extensions.size() == 1 ? stem + "." + extensions[0]
                                                     : stem + ".{" + join(extensions, ",") + "}";
    s << "- `" << names << "`: " << captions[stem] << "\n";
  }
  s << "- `report.md`: this index.\n";
  if (!output.notes.empty()) {
    s << "\n## Left out\n\n";
    for (const auto& n : output.notes) s << "- " << n << "\n";
  }
  return s.str();
}

}  // namespace

bool read_confusion_matrix(const std::string& path, std::vector<std::vector<double>>& counts,
                           std::vector<std::string>& classes) {
  std::ifstream in(path);
  if (!in) return false;
  std::string line;
  std::getline(in, line);
  auto header = split_list(line, ',');
  if (header.size() < 3) throw StoreError("the confusion matrix has fewer than two classes", path, "run `seglab eval` again");
  classes.assign(header.begin() + 1, header.end());
  counts.clear();
  while (std::getline(in, line)) {
    if (trim(line).empty()) continue;
    const auto cells = split_list(line, ',');
    if (cells.size() != header.size())
      throw StoreError("a row of the confusion matrix has " + std::to_string(cells.size()) + " fields, not " +
                           std::to_string(header.size()),
                       path, "run `seglab eval` again");
    std::vector<double> row;
    for (size_t i = 1; i < cells.size(); ++i) row.push_back(std::stod(cells[i]));
    counts.push_back(row);
  }
  if (counts.size() != classes.size())
    throw StoreError("the confusion matrix is not square", path, "run `seglab eval` again");
  return true;
}

ReportOutput write_report(const std::vector<ReportRun>& runs, const ReportOptions& options, const SampleSource& source) {
  if (runs.empty()) throw UsageError("no runs to report on", "seglab report", "select runs with --runs, --sweep or --where");
  std::filesystem::create_directories(options.out_dir);
  ReportOutput output;
  ReportBuilder report(options, output);
  const std::vector<Variant> variants = group_variants(runs, varied_keys(runs));
  output.variants = variants.size();

  for (const std::string key : {"train.epoch_loss", "val.dice", "val.iou"}) {
    if (auto f = curves_figure(variants, key)) report.figure(*f);
    else report.note("curves of " + key + ": no run has recorded it");
  }

  // The data part the statistics use; the per-image figures show the same evals.
  const std::string data = choose_data_part(variants, options.data, options.eval);
  std::vector<std::vector<EvalResults>> evals(variants.size());
  size_t evaluated = 0;
  const std::string part = data == "test" ? "test" : "validation";
  for (size_t v = 0; v < variants.size(); ++v)
    for (const ReportRun* run : variants[v].runs) {
      const EvalRecord* used = latest_eval(*run, data, options.eval);
      std::string what = used ? describe_eval(*used) : "no " + eval_kind(options.eval) + " on the " + part + " part";
      if (auto e = find_eval_results(*run, data, options.eval)) {
        if (!used) what = e->label + " (a results folder without an eval row in the catalog)";
        evals[v].push_back(std::move(*e)), ++evaluated;
      }
      output.evals_used.push_back(run->info.id + ": " + what);
    }

  if (variants.size() < 2) {
    report.note("variant comparison, efficiency plots: the selection holds one variant (" + variants[0].label +
                "); select runs that differ in a setting");
  } else {
    if (auto f = comparison_figure(variants, {"dice", "iou"})) report.figure(*f);
    else report.note("variant comparison: no run has validation scores");
    const auto efficiency = efficiency_figures(variants);
    for (const auto& f : efficiency) report.figure(f);
    if (efficiency.size() < 3) report.note("some efficiency plots: runs lack model size, GFLOPs or inference time in their record");
  }

  if (evaluated == 0) {
    report.note("per-image distributions, class metrics, confusion matrices and the qualitative grid: no run has "
                "been evaluated; run `seglab eval <id>` first");
  } else {
    if (auto f = distribution_figure(variants, evals, "dice", data == "test" ? "test" : "validation")) report.figure(*f);
    for (size_t v = 0; v < variants.size(); ++v) {
      if (evals[v].empty()) continue;
      std::vector<std::vector<double>> total;
      std::vector<std::string> classes;
      for (const auto& e : evals[v]) {
        std::vector<std::vector<double>> counts;
        if (!read_confusion_matrix(e.dir + "/confusion_matrix.csv", counts, classes)) continue;
        if (total.empty()) total.assign(counts.size(), std::vector<double>(counts.size(), 0));
        for (size_t i = 0; i < counts.size() && i < total.size(); ++i)
          for (size_t j = 0; j < counts[i].size() && j < total.size(); ++j) total[i][j] += counts[i][j];
      }
      if (total.empty()) {
        report.note("class metrics of " + variants[v].label + ": its evaluation has no confusion_matrix.csv");
        continue;
      }
      const std::string suffix = variants.size() > 1 ? "_" + std::to_string(v + 1) : "";
      report.figure(class_metrics_figure("class_metrics" + suffix, variants[v].label, total, classes));
      report.figure(confusion_figure("confusion_matrix" + suffix, variants[v].label, total, classes));
      std::ostringstream csv;
      csv << "true\\predicted," << join(classes, ",") << "\n";
      for (size_t i = 0; i < total.size(); ++i) {
        csv << classes[i];
        for (double c : total[i]) csv << "," << format_number(c);
        csv << "\n";
      }
      report.text("confusion_matrix" + suffix + ".csv", csv.str(),
                  variants[v].label + ": pixel confusion matrix (counts, rows = true class) summed over its runs.");
    }
    if (options.grid) write_grid(report, options, variants, evals, source);
  }

  StatisticsOptions statistics;
  statistics.data = options.data;
  statistics.baseline = options.baseline;
  statistics.eval = options.eval;
  statistics.comparison = options.comparison;
  statistics.metrics = options.scores;
  output.statistics = report_statistics(runs, variants, statistics);
  if (output.statistics && !output.statistics->comparisons.empty()) {
    write_statistics(report, *output.statistics);
    output.statements = output.statistics->statements;
    output.table = output.statistics->table;
  } else {
    if (output.statistics) output.statements = output.statistics->statements;
    report.note("intervals and paired tests: no run has per-image scores of any " + eval_kind(options.eval) + " on the " + part +
                " part in the catalog; run `seglab eval <id> --data " + data +
                "`; the table gives means over seeds of the final validation scores of training, not of an eval");
    // Training records no boundary scores: without this, their columns would be all dashes.
    output.table = without_empty_columns(results_table(variants, options.scores));
  }
  if (output.statistics)
    for (const auto& n : output.statistics->notes) report.note(n);
  report.text("results.tex", latex_table(output.table), output.table.caption + " (LaTeX, booktabs; \\input it)");
  report.text("results.md", markdown_table(output.table), output.table.caption + " (Markdown)");
  report.text("results.csv", csv_table(output.table), output.table.caption + " (CSV)");

  const std::string index = options.out_dir + "/report.md";
  write_file_atomically(index, index_text(output, variants, options.out_dir, options.eval));
  output.files.push_back({index, "this index"});
  return output;
}

}  // namespace seglab
