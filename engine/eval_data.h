#pragma once
// Which samples `seglab eval --data` scores: a split of the run's own data
// (val, test, train, all) or every sample of another experiment file's [data]
// section (an external test set, e.g. PH2 for a model trained on ISIC).
#include <memory>
#include <string>
#include <vector>

#include "core/config.h"
#include "datasets/dataset_adapter.h"

namespace seglab {

struct EvalData {
  std::unique_ptr<DatasetAdapter> dataset;
  std::vector<size_t> indices;
  std::string label;        // "val", "test", ..., or the INI file's stem
  std::string description;  // "val split", "all 90 samples of ph2.ini"
};

// `selection`: val | test | train | all, or a path to an experiment INI file.
// Throws DataError when the selection is empty or missing.
EvalData select_eval_data(const Config& run_config, const std::string& run_id, const std::string& selection);

}  // namespace seglab
