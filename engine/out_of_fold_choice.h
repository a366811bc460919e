#pragma once
// The threshold and the post-processing of a cross-validated binary model,
// chosen on its pooled out-of-fold predictions, as nnU-Net does: every fold's
// checkpoint predicts the images it held out (its validation part), and over
// all of them together (each non-test image once per seed) the threshold with
// the highest mean Dice is taken (engine/threshold_search.h), then the
// post-processing (keep the largest component, fill holes: each on or off)
// with the highest mean Dice at that threshold. Test images take no part: the
// folds are over the non-test samples. The choice is then used on the test
// split (`seglab eval --ensemble ... --out-of-fold`), which records it.
#include <map>
#include <string>
#include <vector>

#include "engine/mask_postprocess.h"
#include "tracking/run_store.h"

namespace seglab {

struct OutOfFoldChoice {
  std::vector<std::string> run_ids;  // the folds, by seed, then fold
  size_t predictions = 0;            // out-of-fold images scored (images x seeds)
  std::string tta;                   // as the predictions were made
  double threshold = 0.5;
  PostprocessOptions postprocess;    // keep_largest and fill_holes as chosen
  double mean_dice = 0;              // at the chosen threshold and post-processing
  // Mean Dice at the chosen threshold per post-processing: "none", "largest",
  // "holes", "largest+holes".
  std::map<std::string, double> postprocess_dice;
};

// `run_ids`: every fold of every seed of one variant (checked as
// pooled_out_of_fold_scores checks them; tracking/out_of_fold.h). Throws
// StoreError naming the runs at fault, UsageError for a multi-class run.
// A tie in mean Dice goes to the simpler post-processing (none first).
OutOfFoldChoice choose_on_out_of_fold(RunStore& store, const std::vector<std::string>& run_ids,
                                      const std::string& tta = "none", const std::string& checkpoint = "best");

}  // namespace seglab
