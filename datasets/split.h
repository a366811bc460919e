#pragma once
// Train/validation splits: by ratio and seed (optionally stratified by a
// metadata column, so each group keeps its share in both parts), k-fold
// (data.fold = k of n: fold k is validation), or an explicit split file
// (CSV with columns id and split = train | val). The same inputs always give
// the same split, whatever order files were listed in (adapters list samples
// sorted by id). All parts come out sorted.
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
// Reads "k of n" (or "k/n"); throws ConfigError naming data.fold.
void parse_fold(const std::string& text, int& fold, int& folds);

// The split the config asks for (data.val_ratio, data.split_seed,
// data.stratify, data.fold, data.split_file) over the dataset's samples.
// Throws ConfigError/DataError naming the key or file at fault.
Split make_split(const Config& config, const DatasetAdapter& dataset);
// "ratio 0.2, seed 42, stratified by clinical_diagnosis" for logs.
std::string describe_split(const Config& config);

// Options of [data] that define the split.
void add_split_options(OptionList& options);

}  // namespace seglab
