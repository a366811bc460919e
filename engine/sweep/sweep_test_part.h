#pragma once
// Runs of one sweep are compared image by image on one held-out test part, so
// a sweep whose runs would hold out different test images (it varies
// data.test_ratio, data.split_seed, data.stratify, data.split_file or the
// data itself while a test part is asked for) is refused before anything runs.
// The test part never depends on data.val_ratio or the fold (datasets/split.h),
// so cross-validation sweeps pass.
#include "engine/sweep/sweep_expansion.h"

namespace seglab {

// The SHA-256 of the test listing every job holds out ("" when there is no
// test part; no data is read when no job asks for a test part, a split file
// or folds).
// Each distinct data setup is split once, so bad split keys (too many folds)
// are errors before anything runs. Throws ConfigError
// naming two jobs whose test parts differ and the keys they differ in.
std::string check_shared_test_part(const SweepPlan& plan);

}  // namespace seglab
