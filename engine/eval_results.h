#pragma once
// The results folder of one eval (runs/<id>/eval/<name>/), as the labelme
// tutorial's test.py leaves it:
//   per_image.csv         id and every score of each image
//   summary.csv           metric, mean, std (over images), pooled (over pixels)
//   summary.json          the same with the run, options, threshold and conventions
//   confusion_matrix.csv  pixels pooled over images, rows = ground truth class
//   per_class.csv         per class: iou, accuracy, recall, precision (pooled);
//                         the data of the per-class bar charts
//   skipped.csv           id, path, problem of each bad sample left out
//                         (data.on_bad_sample = skip); only when there are any
//   masks/<id>.png        predicted masks (0/255 for binary runs)
//   overlays/<id>.png     the mask outlined on its image
// Chart hook: per_class.csv is written in the layout the reports module's bar
// charts read (one row per class, one column per metric); figures are made
// from it by the reports module, not here.
#include <string>

#include "engine/evaluator.h"

namespace seglab {

// Writes the tables into `dir` (which exists); masks and overlays are written
// by the evaluator as it goes.
void write_eval_tables(const EvalResult& result, const std::string& dir);

// The names of the metrics in the order tables list them.
std::vector<std::string> eval_metric_names(const EvalResult& result);

}  // namespace seglab
