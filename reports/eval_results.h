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
  std::map<std::string, std::map<std::string, double>> per_image;  // id -> metric -> value
  std::string mask_path(const std::string& id) const { return dir + "/masks/" + id + ".png"; }
};

// The preferred evaluation of the run: of the data part the report uses
// ("val" or "test": <data>-best, then <data>-last), else val-best, val-last,
// all-best, all-last; nothing when it was never evaluated. Throws StoreError
// naming the file when per_image.csv is malformed.
std::optional<EvalResults> find_eval_results(const ReportRun& run, const std::string& data = "val");

}  // namespace seglab
