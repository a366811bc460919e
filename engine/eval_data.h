#pragma once
// Which samples `seglab eval --data` scores: a split of the run's own data
// (val, test, train, all) or every sample of another experiment file's [data]
// section (an external test set, e.g. PH2 for a model trained on ISIC).
// Bad samples are found and handled as in training (engine/run_data.h): under
// data.on_bad_sample = skip (the run's, or the other experiment's for an INI
// file) they are left out and listed in `skipped`; under error the eval stops
// naming the first one.
#include <memory>
#include <string>
#include <vector>

#include "core/config.h"
#include "datasets/dataset_adapter.h"
#include "datasets/sample.h"

namespace seglab {

struct EvalData {
  std::unique_ptr<DatasetAdapter> dataset;
  std::vector<size_t> indices;
  std::string label;        // "val", "test", ..., or the INI file's stem
  std::string description;  // "val split", "all 90 samples of ph2.ini"
  std::vector<SampleProblem> skipped;  // bad samples of the selection left out
  std::string on_bad_sample;           // the policy that applied
};

// `selection`: val | test | train | all, or a path to an experiment INI file.
// Throws DataError when the selection is empty or missing, or holds a bad
// sample under on_bad_sample = error. `store_root` locates the sample cache.
EvalData select_eval_data(const Config& run_config, const std::string& run_id, const std::string& selection,
                          const std::string& store_root);

}  // namespace seglab
