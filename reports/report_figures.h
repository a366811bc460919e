#pragma once
// The figures of a report, built from recorded runs grouped into variants.
// Each builder returns nothing when the runs lack the data it needs, and says
// why in `skipped` so report.md can tell the user what to run.
#include <optional>
#include <string>
#include <vector>

#include "reports/eval_results.h"
#include "reports/figure.h"
#include "reports/report_runs.h"
#include "reports/results_table.h"

namespace seglab {

// The value a run reports for a score: its evaluation of the validation split
// (`eval.val.<name>`) when it was evaluated, else its last validation epoch
// (`val.<name>`). NaN when neither exists.
double final_score(const ReportRun& run, const std::string& name);

// Training curves of `key` (e.g. "val.dice"): mean over each variant's runs
// per epoch, with a ± std band when a variant has repeats.
std::optional<Figure> curves_figure(const std::vector<Variant>& variants, const std::string& key);

// Final scores of each variant as grouped bars, error bars = std over repeats.
std::optional<Figure> comparison_figure(const std::vector<Variant>& variants, const std::vector<std::string>& scores);

// Box plot of per-image `score` per variant (all images of all repeats);
// `part` names the images in the caption ("validation", "test").
std::optional<Figure> distribution_figure(const std::vector<Variant>& variants,
                                          const std::vector<std::vector<EvalResults>>& evals, const std::string& score,
                                          const std::string& part = "validation");

// Dice against model size, compute and inference time, one point per variant.
// Inference time is the median batch-1 latency `seglab bench` recorded, on the
// setup that measured the most runs (named in the caption; runs without a
// record there are left out and named); where no run was benchmarked it is
// 1000 / the validation throughput during training, labelled as such.
std::vector<Figure> efficiency_figures(const std::vector<Variant>& variants);

// Per-class IoU, pixel accuracy (recall), precision and their means, from a
// confusion matrix of pixel counts [true][predicted].
Figure class_metrics_figure(const std::string& name, const std::string& title,
                            const std::vector<std::vector<double>>& confusion, const std::vector<std::string>& classes);
// The confusion matrix normalised by row (each true class sums to 1).
Figure confusion_figure(const std::string& name, const std::string& title,
                        const std::vector<std::vector<double>>& confusion, const std::vector<std::string>& classes);

// Table of final scores per variant (mean ± std over repeats).
ResultsTable results_table(const std::vector<Variant>& variants, const std::vector<std::string>& scores);

std::string score_header(const std::string& name);  // "dice" -> "Dice"

}  // namespace seglab
