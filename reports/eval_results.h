#pragma once
// What `seglab eval` left under a run (runs/<id>/eval/<data>-<checkpoint>/):
// per-image scores and predicted masks. Reports use the evaluation of the
// data part they report (validation or test) with the best checkpoint when
// there is one.
#include <map>
#include <optional>
#include <string>

#include "reports/report_runs.h"

namespace seglab {

struct EvalResults {
  std::string dir;    // runs/<id>/eval/val-best
  std::string label;  // "val-best"
  const ReportRun* run = nullptr;  // whose eval it is
  std::map<std::string, std::map<std::string, double>> per_image;  // id -> metric -> value
  std::string mask_path(const std::string& id) const { return dir + "/masks/" + id + ".png"; }
};

// The evaluation of the run the report reads on the data part it uses ("val"
// or "test"): the results folder of the eval latest_eval(run, data, eval)
// chooses (variant_scores.h: the latest plain eval, or the latest named
// `eval`). Runs without eval rows in the catalog (older stores): the folder
// <data>-best, then <data>-last, and for "val" also all-best, all-last; never
// another part's. Nothing when there is none. Throws StoreError naming the
// file when per_image.csv is malformed.
std::optional<EvalResults> find_eval_results(const ReportRun& run, const std::string& data = "val",
                                             const std::string& eval = "");

// True when the eval wrote a predicted mask for each of its images (not
// `seglab eval --no-masks`).
bool has_masks(const EvalResults& e);

}  // namespace seglab
