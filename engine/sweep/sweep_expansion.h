#pragma once
// Expands a sweep into its runs ("jobs"): the grid's combinations (first key
// slowest) or the random trials, each repeated over seeds. Every job's config is
// resolved through the experiment schema, and every value a distribution can
// produce is checked at its ends, so bad values are errors before anything runs.
// A job's key is the first 12 hex digits of its resolved config's hash: the
// same cell of a sweep has the same key however the file is reordered, and an
// added value adds a key.
#include <string>
#include <utility>
#include <vector>

#include "core/config.h"
#include "core/config_schema.h"
#include "engine/sweep/sweep_spec.h"

namespace seglab {

struct SweepJob {
  std::vector<std::pair<std::string, std::string>> assignments;  // varied key -> value, in dimension order
  Config config;
  std::string key;

  // "model.encoder=resnet18 experiment.seed=2"
  std::string label() const;
};

struct SweepPlan {
  std::vector<std::string> varied_keys;  // columns of the run table
  std::vector<SweepJob> jobs;
  int duplicates_dropped = 0;  // random trials that drew a configuration already drawn
};

// `controls` is resolve_sweep_controls(spec).
SweepPlan expand_sweep(const SweepSpec& spec, const Config& controls, const ConfigSchema& schema);

}  // namespace seglab
