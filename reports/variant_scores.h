#pragma once
// Each variant's per-image scores on one data part, as the report's
// statistics take them. A run contributes the per-image scores of its latest
// plain `seglab eval` on that part (read from the catalog: source
// "eval/<name>"), or with an eval name (`report --eval <name>`) of its latest
// eval of that results-folder name. Plain: no TTA, no post-processing, a fixed
// or configured threshold (not chosen on validation or out of fold), scored at
// the original resolution, on the run's own backend, not an ensemble; the best
// checkpoint's when there is one, else the last one's.
// A variant's score of an image is the mean over the variant's runs that
// scored it: for k-fold runs on their validation parts that is the pooled
// out-of-fold score (each image once per seed, averaged over the seeds); for
// runs that all score the same images (a test split) it is the mean over
// seeds (and folds). Images are then the unit every statistic resamples.
#include <map>
#include <string>
#include <vector>

#include "reports/report_runs.h"

namespace seglab {

struct FoldScores {
  std::string fold;                        // "2 of 3" as data.fold says
  size_t images = 0;                       // images of the fold (per seed)
  std::map<std::string, double> mean;      // metric -> mean over the fold's images and seeds
};

struct VariantScores {
  std::string label;
  std::vector<const ReportRun*> runs;     // runs with an eval on the part
  std::vector<const ReportRun*> missing;  // runs of the variant without one
  std::vector<std::string> seeds;         // experiment.seed values, in order of appearance
  std::vector<FoldScores> folds;          // empty unless the runs are k-fold runs
  // metric -> image id -> mean over the runs that scored the image.
  std::map<std::string, std::map<std::string, double>> per_image;
  // Every image id the variant's runs scored (any metric).
  std::vector<std::string> image_ids;
};

struct ScoreSelection {
  std::string data;                    // "val" or "test"
  bool defaulted = false;              // chosen by the rule, not by --data
  std::vector<VariantScores> variants; // only variants with at least one evaluated run
  // Variants without any chosen eval on the part, as "label (runs a, b)".
  std::vector<std::string> left_out;
  std::string eval;                    // "" (the latest plain eval) or the eval name asked for
};

// The data part to report: `requested` ("val" or "test"), or when empty,
// "test" if every run has a chosen eval (see `eval` of latest_eval) on test,
// else "val". Throws UsageError for another value, and DataError naming the
// runs when none of them has a chosen eval on the part although one was asked
// for: --data test, or an eval name (then on any part).
std::string choose_data_part(const std::vector<Variant>& variants, const std::string& requested,
                             const std::string& eval = "");

// True for a plain eval: tta none, postprocess none, threshold_source fixed or
// config (or not recorded), resolution original, no backend, ensemble or
// out-of-fold choice.
bool is_plain_eval(const EvalRecord& e);

// The eval of `run`'s own model on `data` ("val", "test") the report reads, or
// nullptr: with `eval` empty the latest plain eval (of the best checkpoint when
// there is one, else of the last), else the latest eval named `eval` (its
// results folder, e.g. "test-best-tta_d4"). Ensemble evals recorded on the run
// (option "ensemble") are never its own.
const EvalRecord* latest_eval(const ReportRun& run, const std::string& data, const std::string& eval = "");

// "test-best (checkpoint best, threshold 0.5 config, tta none, postprocess
// none)": the eval's name and the options that change its scores.
std::string describe_eval(const EvalRecord& e);

// What the report reads, for messages: "plain eval" or "eval named X".
std::string eval_kind(const std::string& eval);

// Reads the scores. Throws DataError naming the runs when a k-fold variant
// scores one image twice for one seed (its folds overlap).
ScoreSelection collect_variant_scores(const std::vector<Variant>& variants, const std::string& data, bool defaulted,
                                      const std::string& eval = "");

// Throws DataError naming the runs of the first two variants whose image sets
// differ (paired statistics need the same images, paired by id).
void check_same_images(const std::vector<VariantScores>& variants);

// The metrics of `preferred` that every variant has a score for on at least
// one image, in that order.
std::vector<std::string> common_metrics(const std::vector<VariantScores>& variants,
                                        const std::vector<std::string>& preferred);

// The run ids of a variant, "a1b2c3d4, e5f6a7b8", for messages.
std::string run_ids(const std::vector<const ReportRun*>& runs);

}  // namespace seglab
