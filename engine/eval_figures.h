#pragma once
// The figures of an evaluation chapter, written by `seglab eval` into its
// results folder with the report's figure code (reports/report_figures.h,
// gnuplot_renderer.h, pgfplots_writer.h), so they have the report's sizes,
// fonts and files: <name>.{dat,gp,pdf,svg,png,tex}.
//   class_metrics     per-class IoU, recall (pixel accuracy) and precision bars
//   confusion_matrix  the pixel confusion matrix, each row normalised
//   dice_distribution per-image Dice: box (quartiles, 1.5 IQR whiskers), mean, outliers
#include <string>
#include <vector>

#include "engine/evaluator.h"

namespace seglab {

// `class_names` names the classes where the data does (LabelMe); otherwise
// binary runs get "background", "lesion" and others "class<k>". Returns the
// files written. Throws Error when gnuplot is missing or fails.
std::vector<std::string> write_eval_figures(const EvalResult& result, const std::vector<std::string>& class_names,
                                            const std::string& dir);

}  // namespace seglab
