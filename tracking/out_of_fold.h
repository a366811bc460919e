#pragma once
// Cross-validation as one object: the out-of-fold per-image scores of one
// variant (runs whose config is equal except data.fold and experiment.seed),
// pooled over its K folds. Each fold's validation part is its out-of-fold
// part, so the scores are the folds' recorded per-image validation scores
// (catalog image_scores, source "val_best" by default: the checkpoint chosen
// on that fold). Read from the catalog alone (record keys data.fold_index,
// data.fold_count, data.split_ids.*, data.test_sha256 of engine/run_data.h),
// so it works the same on SQLite and PostgreSQL catalogs.
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "tracking/catalog.h"

namespace seglab {

struct FoldRun {
  std::string run_id;
  int64_t seed = 0;  // experiment.seed
  int fold = 0;      // 1-based
  std::vector<std::string> val_ids;  // its out-of-fold images, sorted
};

struct OutOfFoldScores {
  int folds = 0;                    // K
  std::vector<int64_t> seeds;       // experiment.seed of the runs, ascending
  std::vector<FoldRun> runs;        // by seed, then fold
  std::string source;               // the image_scores source read ("val_best")
  std::string test_sha256;          // of the held-out test part every run shares ("" recorded when none)
  std::vector<std::string> image_ids;  // every non-test image, sorted by id; each is out of fold once per seed
  std::vector<std::string> metrics;    // metrics every run recorded for every image, sorted
  // seed -> metric -> one value per image_ids entry (the score from the fold
  // that held the image out).
  std::map<int64_t, std::map<std::string, std::vector<double>>> by_seed;
  // metric -> per image, the mean over seeds (with one seed: that seed's scores).
  std::map<std::string, std::vector<double>> pooled;
};

// Pools the out-of-fold scores of `run_ids` (every fold of every seed of one
// variant). Throws StoreError naming the runs at fault when a run is unfinished
// or not a fold, the runs differ in config beyond data.fold and
// experiment.seed (experiment.name, a label, may differ too), in fold count or
// in their test part, a seed lacks a fold or has one twice, the folds of a
// seed do not hold every non-test image out exactly once, or a run lacks a
// per-image score of one of its validation images.
OutOfFoldScores pooled_out_of_fold_scores(const Catalog& catalog, const std::vector<std::string>& run_ids,
                                          const std::string& source = "val_best");

// The variant a run belongs to for pooling: its params less data.fold,
// experiment.seed and experiment.name, as one text ("key = value" lines).
// Runs with equal keys (and a data.fold_index in their record) pool together.
std::string cross_validation_variant_key(const std::map<std::string, std::string>& params);

// The fold runs among `run_ids` (those whose record has data.fold_index),
// grouped by cross_validation_variant_key; runs that are not folds are left
// out. Each group is what pooled_out_of_fold_scores takes; ids in input order.
std::map<std::string, std::vector<std::string>> group_folds_by_variant(const Catalog& catalog,
                                                                       const std::vector<std::string>& run_ids);

}  // namespace seglab
