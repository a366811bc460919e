#pragma once
// Train/validation/test splits: by ratio and seed (optionally stratified by a
// metadata column, so each group keeps its share in every part), k-fold
// (data.fold = k of n, or data.folds = n with data.fold = k: fold k is
// validation), or an explicit split file (CSV with columns id and split =
// train | val | test). The same inputs always give the same split, whatever
// order files were listed in (adapters list samples sorted by id). All parts
// come out sorted.
//
// The test part (data.test_ratio > 0) is drawn first, from all samples, with
// a stream of data.split_seed of its own, so it depends only on the data,
// test_ratio, split_seed and stratify: never on val_ratio or the fold. Every
// run of a sweep and every fold of a cross-validation holds out the same test
// images, and their test scores are paired image by image. Validation and
// folds are then made over the remaining (non-test) samples.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "core/config.h"
#include "core/option_spec.h"

namespace seglab {

class DatasetAdapter;

struct Split {
  std::vector<size_t> train;
  std::vector<size_t> val;
  std::vector<size_t> test;    // held out: no part in training or any choice made on val
  std::vector<size_t> unused;  // samples a split file does not list
};

// At least one sample goes to validation when val_ratio > 0 and there are two
// or more samples, and at least one to training.
Split split_by_ratio(size_t count, double val_ratio, uint64_t seed);
// `groups[i]` is sample i's group; each group is split by the ratio on its own.
Split split_stratified(const std::vector<std::string>& groups, double val_ratio, uint64_t seed);
// Samples are shuffled within their group, then dealt to n folds in turn, group
// after group, so every fold holds each group's share. `fold` is 1-based.
Split split_k_fold(const std::vector<std::string>& groups, int fold, int folds, uint64_t seed);
// The test part: each group (all one group when `groups` are equal) gives
// round(test_ratio * its size) samples; at least one in all when test_ratio > 0
// and there are two or more samples. Sorted.
std::vector<size_t> draw_test_part(const std::vector<std::string>& groups, double test_ratio, uint64_t seed);
// Reads "k of n" (or "k/n"); throws ConfigError naming data.fold.
void parse_fold(const std::string& text, int& fold, int& folds);
// The fold the config asks for: data.fold = "k of n", or data.folds = n with
// data.fold = "k". False when the run is not a fold. Throws ConfigError naming
// data.fold or data.folds when they disagree or one is missing.
bool resolve_fold(const Config& config, int& fold, int& folds);

// The split the config asks for (data.test_ratio, data.val_ratio,
// data.split_seed, data.stratify, data.fold, data.folds, data.split_file)
// over the dataset's samples. data.val_ratio is a share of all samples, so
// test_ratio 0.2 and val_ratio 0.2 give 60/20/20.
// Throws ConfigError/DataError naming the key or file at fault.
Split make_split(const Config& config, const DatasetAdapter& dataset);
// "ratio 0.2, seed 42, stratified by clinical_diagnosis" for logs.
std::string describe_split(const Config& config);

// Options of [data] that define the split.
void add_split_options(OptionList& options);

}  // namespace seglab
