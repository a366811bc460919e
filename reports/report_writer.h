#pragma once
// `seglab report`: every figure and table of a selection of runs written into
// one folder, with report.md listing each file and its caption.
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "reports/qualitative_grid.h"
#include "reports/report_statistics.h"
#include "reports/report_runs.h"
#include "reports/results_table.h"

namespace seglab {

struct ReportOptions {
  std::string out_dir;
  bool pgfplots = false;                 // also write each figure as pgfplots .tex
  bool grid = true;                      // the qualitative grid (needs the runs' data)
  std::vector<std::string> grid_images;  // ids; empty = best, median and worst
  // The boundary scores are there only when the evals computed them
  // (`seglab eval` with a tolerance); tables leave out a score no run has.
  std::vector<std::string> scores{"dice",   "iou",      "isic_jaccard", "precision", "recall",
                                  "specificity", "accuracy", "boundary_iou", "nsd"};
  // The statistics over images (reports/report_statistics.h).
  std::string data;      // --data val|test; "" = test when every run has a test eval, else val
  std::string baseline;  // --baseline: a variant label or run id
  std::string eval;      // --eval: "" = each run's latest plain eval, else its latest eval of this name
  ComparisonOptions comparison;  // --seed, --alpha, resamples
};

struct ReportFile {
  std::string path;
  std::string caption;
};

struct ReportOutput {
  std::vector<ReportFile> files;   // every file written, report.md last
  std::vector<std::string> notes;  // figures left out, and why
  ResultsTable table;
  size_t variants = 0;
  std::vector<std::string> statements;  // the data part used, and its warning
  std::vector<std::string> evals_used;  // per run: "<run id>: <eval name> (options)" or why none
  std::optional<ReportStatistics> statistics;  // nothing when no run has an eval
};

ReportOutput write_report(const std::vector<ReportRun>& runs, const ReportOptions& options, const SampleSource& source);

// Reads runs/<id>/eval/<...>/confusion_matrix.csv: a header "true\predicted"
// then class names, then one row of pixel counts per true class. Empty when
// the file does not exist.
bool read_confusion_matrix(const std::string& path, std::vector<std::vector<double>>& counts,
                           std::vector<std::string>& classes);

}  // namespace seglab
