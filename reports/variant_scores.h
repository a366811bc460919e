#pragma once
// Each variant's per-image scores on one data part, as the report's
// statistics take them. A run contributes the per-image scores of its latest
// `seglab eval` on that part (read from the catalog: source "eval/<name>").
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
  std::vector<std::string> left_out;   // variants without any eval on the part
};

// The data part to report: `requested` ("val" or "test"), or when empty,
// "test" if every run has an eval on test, else "val". Throws UsageError for
// another value.
std::string choose_data_part(const std::vector<Variant>& variants, const std::string& requested);

// The latest eval of `run`'s own model on `data` ("val", "test"), or nullptr;
// ensemble evals recorded on the run (option "ensemble") are not its own.
const EvalRecord* latest_eval(const ReportRun& run, const std::string& data);

// Reads the scores. Throws DataError naming the runs when a k-fold variant
// scores one image twice for one seed (its folds overlap).
ScoreSelection collect_variant_scores(const std::vector<Variant>& variants, const std::string& data, bool defaulted);

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
