#include <cmath>
#include <iostream>

#include "core/error.h"
#include "core/text.h"
#include "engine/cli/command.h"
#include "engine/cli/command_options.h"
#include "engine/evaluator.h"
#include "reports/text_table.h"

namespace po = boost::program_options;

namespace seglab {
namespace {

// The evals recorded for a run, one line each, with their options and headline scores.
void list_evals(RunStore& store, const std::string& id) {
  const RunInfo run = store.catalog().find_run(id);
  const auto evals = store.catalog().evals(run.id);
  if (evals.empty()) {
    std::cout << "no evals of run " << run.id << " yet\n";
    return;
  }
  TextTable table({"eval", "created (UTC)", "name", "data", "ckpt", "threshold", "tta", "post", "res", "nsd_tol",
                   "images", "dice", "isic_jaccard", "hd95"});
  for (const auto& e : evals) {
    auto option = [&](const char* key) { return e.options.count(key) ? e.options.at(key) : std::string("-"); };
    auto mean = [&](const char* key) { return e.metrics.count(key) ? e.metrics.at(key).mean : NAN; };
    const std::string nsd = option("nsd_tolerance");
    table.add_row({std::to_string(e.id), e.created_at, e.name, option("data"), option("checkpoint"),
                   option("threshold") + (option("threshold_source") == "val"           ? " (val)"
                                          : option("threshold_source") == "out_of_fold" ? " (oof)"
                                                                                        : ""),
                   option("tta"),
                   option("postprocess"), option("resolution"), nsd == "none" ? std::string("-") : nsd,
                   std::to_string(e.images), format_metric(mean("dice")),
                   format_metric(mean("isic_jaccard")), format_metric(mean("hd95"), 2)});
  }
  std::cout << "evals of run " << run.id << " (means over images)\n" << table.render();
}

}  // namespace

int eval_command(const std::vector<std::string>& args) {
  std::string run_id, store;
  EvalOptions eval;
  po::options_description options("eval options");
  options.add_options()("run", po::value<std::string>(&run_id), "run id (or a unique prefix)")(
      "data", po::value<std::string>(&eval.data)->default_value("val"),
      "what to score: val | test | train | all | <experiment.ini> (all samples of its [data])")(
      "checkpoint", po::value<std::string>(&eval.checkpoint)->default_value("best"), "best | last")(
      "threshold", po::value<std::string>(&eval.threshold),
      "lesion probability threshold: a number in [0, 1], or val (maximise mean Dice on the validation split); "
      "default: the run's eval.threshold")(
      "tta", po::value<std::string>(&eval.tta)->default_value("none"),
      "test-time augmentation, probabilities averaged: none | flips | rot90 | d4 (flips and rotations)")(
      "keep-largest", "post-process: keep the largest connected component of each class")(
      "fill-holes", "post-process: fill holes enclosed by a class")(
      "min-area", po::value<int64_t>(&eval.postprocess.min_area)->default_value(0),
      "post-process: remove blobs of fewer pixels (at the scoring resolution)")(
      "resolution", po::value<std::string>(&eval.resolution)->default_value("original"),
      "score at the original image size (predictions resized back, as ISIC does) or at the model's: original | model")(
      "pixel-spacing-mm", po::value<double>(&eval.pixel_spacing_mm)->default_value(0),
      "pixel size in mm for hd95_mm/assd_mm/nsd_mm when the dataset does not give one")(
      "nsd-tolerance", po::value<double>(),
      "score the normalized surface distance (surface Dice): the fraction of both contours within this tolerance "
      "of the other, in pixels for nsd and in mm for nsd_mm (with a pixel spacing); default: not scored")(
      "boundary-iou-dilation", po::value<double>(&eval.boundary_iou_dilation)->default_value(kBoundaryIouDilationRatio),
      "Boundary IoU's band width as a fraction of the image diagonal (0.02 as in Cheng et al. 2021)")(
      "no-masks", "do not write the predicted masks and overlays")(
      "no-figures", "do not draw the figures (class metrics, confusion matrix, per-image Dice; needs gnuplot)")(
      "backend", po::value<std::string>(&eval.backend),
      "run the checkpoint on this backend instead of the run's own: libtorch | onednn (seglab list backends)")(
      "ensemble", po::value<std::vector<std::string>>(&eval.ensemble)->multitoken(),
      "more runs whose checkpoints predict with the run, probabilities averaged (e.g. the folds of a "
      "cross-validation on their shared test part; --data test or an experiment file); recorded on the first run")(
      "out-of-fold",
      "choose the threshold and the post-processing (keep largest, fill holes: on or off) on the pooled out-of-fold "
      "predictions of the run and the ensemble, the folds of one cross-validation")(
      "list", "list the evals recorded for the run instead of running one");
  add_store_option(options, store);
  po::positional_options_description positional;
  positional.add("run", 1);
  po::variables_map values;
  if (!parse_command(args,
                     "eval <run-id> [--data val|test|train|all|<experiment.ini>] [--checkpoint best|last] "
                     "[--threshold t|val] [--tta none|flips|rot90|d4] [--keep-largest] [--fill-holes] [--min-area n] "
                     "[--resolution original|model] [--nsd-tolerance tau] [--boundary-iou-dilation d] [--backend name] "
                     "[--ensemble <run-id>...] [--out-of-fold] [--no-masks] [--no-figures] [--list]",
                     options, positional, values))
    return 0;
  // `seglab eval --ensemble a b c`: the first member is the run the eval is recorded on.
  if (run_id.empty() && !eval.ensemble.empty()) {
    run_id = eval.ensemble.front();
    eval.ensemble.erase(eval.ensemble.begin());
  }
  if (run_id.empty()) throw UsageError("no run id given", "seglab eval", "see `seglab runs list`");
  eval.out_of_fold = values.count("out-of-fold") > 0;
  RunStore run_store(RunStore::resolve_path(store));
  if (values.count("list")) {
    list_evals(run_store, run_id);
    return 0;
  }
  if (values.count("nsd-tolerance")) eval.nsd_tolerance = values["nsd-tolerance"].as<double>();
  eval.save_masks = values.count("no-masks") == 0;
  eval.figures = values.count("no-figures") == 0;
  eval.postprocess.keep_largest = values.count("keep-largest") > 0;
  eval.postprocess.fill_holes = values.count("fill-holes") > 0;
  evaluate_run(run_store, run_id, eval, std::cout);
  return 0;
}

}  // namespace seglab
