#pragma once
// `seglab eval`: scores a recorded run's checkpoint on a split of its data,
// writes per-image scores, a summary and the predicted masks under
// runs/<id>/eval/<data>-<checkpoint>/, and records the figures in the catalog
// as eval.<data>.<metric>.
#include <ostream>
#include <string>

#include "engine/validation.h"
#include "tracking/run_store.h"

namespace seglab {

struct EvalOptions {
  std::string data = "val";         // val | train | all
  std::string checkpoint = "best";  // best | last
  bool save_masks = true;
};

struct EvalResult {
  std::string run_id;
  ValidationResult scores;
  std::string output_dir;
};

EvalResult evaluate_run(RunStore& store, const std::string& id, const EvalOptions& options, std::ostream& out);

}  // namespace seglab
