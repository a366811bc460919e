#pragma once
// `seglab eval`: scores a recorded run's checkpoint on a split of its data or
// on another experiment's data, with optional test-time augmentation, a
// threshold fixed or chosen on validation, post-processing, and scoring at the
// original image resolution (as the ISIC challenge does). Writes a results
// folder runs/<id>/eval/<name>/ (see eval_results.h) and records the eval with
// its options in the catalog's evals table, its per-image scores (source
// "eval/<name>") and its files as artifacts. Bad samples are left out and
// listed as in training (data.on_bad_sample, eval_data.h).
#include <map>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "core/confusion_matrix.h"
#include "core/segmentation_metrics.h"
#include "datasets/sample.h"
#include "engine/mask_postprocess.h"
#include "tracking/run_store.h"

namespace seglab {

struct EvalOptions {
  std::string data = "val";         // val | test | train | all | <experiment.ini>
  std::string checkpoint = "best";  // best | last
  // "" (the run's eval.threshold), a number in [0, 1], or "val": the threshold
  // that maximises mean Dice on the run's validation split (binary runs).
  std::string threshold;
  std::string tta = "none";             // none | flips | rot90 | d4
  PostprocessOptions postprocess;
  std::string resolution = "original";  // original (masks resized back) | model (data.image_size)
  double pixel_spacing_mm = 0;          // > 0 overrides the adapter's pixel spacing
  // tau of the normalized surface distance: pixels for `nsd`, mm for `nsd_mm`.
  // None by default: a tolerance belongs to the task (what deviation a reader
  // accepts), so seglab does not invent one.
  std::optional<double> nsd_tolerance;
  double boundary_iou_dilation = kBoundaryIouDilationRatio;  // d of Boundary IoU
  bool save_masks = true;               // masks/ and overlays/
  bool figures = true;                  // class metrics, confusion matrix, Dice distribution (eval_figures.h)
  std::string backend;                  // "" (the run's backend.name), or the backend to run the checkpoint on
  // Other runs whose checkpoints predict with this one, probabilities averaged
  // (engine/ensemble.h): e.g. the K folds of a cross-validation on its test
  // part. The eval is recorded on this run, its members in option "ensemble".
  std::vector<std::string> ensemble;
  // The threshold and post-processing chosen on the pooled out-of-fold
  // predictions of this run and the ensemble, the folds of one
  // cross-validation (engine/out_of_fold_choice.h); recorded with the eval.
  bool out_of_fold = false;
};

struct EvalResult {
  std::string run_id;
  std::string name;        // results folder name under runs/<id>/eval/
  std::string output_dir;
  int64_t eval_id = 0;     // row in the catalog's evals table
  int64_t checkpoint_epoch = 0;
  double threshold = 0.5;
  std::map<std::string, std::string> options;  // as recorded in the catalog
  std::vector<std::string> ids;                // per image, in loader order
  std::vector<SampleProblem> skipped;          // bad samples left out (data.on_bad_sample = skip)
  std::vector<Scores> per_image;
  std::map<std::string, Aggregate> mean;       // over images
  Scores pooled;                               // from the summed confusion matrix
  ConfusionMatrix confusion{2};
  size_t images = 0;
  double seconds = 0;                          // wall time of the eval
};

// The eval's results-folder name (and catalog name): `label` (the data part:
// "val", "test", ...) and the checkpoint, then every option that differs from
// its default: "val-best", "test-best-tval-tta_d4-largest+holes",
// "val-best-nsd2-biou0.05-px0.1mm".
std::string eval_name(const EvalOptions& options, const std::string& label);

EvalResult evaluate_run(RunStore& store, const std::string& id, const EvalOptions& options, std::ostream& out);

}  // namespace seglab
