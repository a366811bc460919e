#pragma once
// `seglab eval <id> --ensemble <id>...`: several runs' checkpoints predict
// together, their probabilities averaged (after each one's test-time
// augmentation), e.g. the K fold models of a cross-validation on the test
// split. The members must share the data (data.fingerprint), the image size,
// the classes and the held-out test part (data.test_sha256), and an ensemble
// is scored only on data none of them trained or validated on: the test part,
// or an experiment file's data.
#include <string>
#include <vector>

#include "engine/run_loader.h"

namespace seglab {

// The members besides `first` (already loaded), each at `checkpoint` on
// `backend` ("" = its own). Throws UsageError naming the runs that differ,
// or when `data` is val, train or all.
std::vector<LoadedRun> load_ensemble_members(RunStore& store, const LoadedRun& first, const std::vector<std::string>& ids,
                                             const std::string& checkpoint, const std::string& backend,
                                             const std::string& data);

// The mean of the members' probabilities (`first` included) for a batch.
Tensor predict_ensemble(LoadedRun& first, std::vector<LoadedRun>& members, const Tensor& images, const std::string& tta);

}  // namespace seglab
