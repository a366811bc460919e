#include "datasets/split.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <map>
#include <numeric>

#include "core/error.h"
#include "core/rng.h"
#include "core/text.h"
#include "datasets/csv_table.h"
#include "datasets/dataset_adapter.h"

namespace seglab {
namespace {

void shuffle(std::vector<size_t>& items, Rng& rng) {
  for (size_t i = items.size(); i > 1; --i) std::swap(items[i - 1], items[rng.uniform_int(i)]);
}

// Group name -> member indices (ascending), groups in name order.
std::map<std::string, std::vector<size_t>> by_group(const std::vector<std::string>& groups) {
  std::map<std::string, std::vector<size_t>> members;
  for (size_t i = 0; i < groups.size(); ++i) members[groups[i]].push_back(i);
  return members;
}

void sort_parts(Split& split) {
  std::sort(split.train.begin(), split.train.end());
  std::sort(split.val.begin(), split.val.end());
  std::sort(split.test.begin(), split.test.end());
  std::sort(split.unused.begin(), split.unused.end());
}

}  // namespace

void add_split_options(OptionList& o) {
  o.add_real("val_ratio", 0.2, "fraction of all samples held out for validation (ignored for a fold)").range(0, 0.9);
  o.add_real("test_ratio", 0, "fraction of all samples held out as the test part, drawn first and independent of "
                              "val_ratio and the fold (0: no test part)").range(0, 0.9);
  o.add_int("split_seed", 42, "seed of the train/validation/test split (independent of experiment.seed)").at_least(0);
  o.add_text("stratify", "", "metadata column whose groups keep their share in train, val and test (e.g. clinical_diagnosis)");
  o.add_text("fold", "", "k-fold cross-validation: \"k of n\" (or k with data.folds = n) makes fold k the validation "
                         "part of the non-test samples");
  o.add_int("folds", 0, "k-fold cross-validation over the non-test samples in this many folds; data.fold picks one "
                        "(a sweep varies it: data.fold = 1, 2, ..., n); 0: no folds").at_least(0);
  o.add_text("split_file", "", "CSV with columns id and split (train | val | test); replaces ratios and folds");
}

Split split_by_ratio(size_t count, double val_ratio, uint64_t seed) {
  std::vector<size_t> order(count);
  std::iota(order.begin(), order.end(), 0);
  Rng rng = Rng(seed).fork("split");
  shuffle(order, rng);
  size_t val_count = static_cast<size_t>(std::llround(val_ratio * static_cast<double>(count)));
  if (val_ratio > 0 && count >= 2) val_count = std::clamp<size_t>(val_count, 1, count - 1);
  Split split;
  split.val.assign(order.begin(), order.begin() + static_cast<long>(val_count));
  split.train.assign(order.begin() + static_cast<long>(val_count), order.end());
  sort_parts(split);
  return split;
}

Split split_stratified(const std::vector<std::string>& groups, double val_ratio, uint64_t seed) {
  Split split;
  const Rng base = Rng(seed).fork("split/stratified");
  for (auto& [group, members] : by_group(groups)) {
    Rng rng = base.fork(group);
    shuffle(members, rng);
    const auto val_count = static_cast<size_t>(std::llround(val_ratio * static_cast<double>(members.size())));
    split.val.insert(split.val.end(), members.begin(), members.begin() + static_cast<long>(val_count));
    split.train.insert(split.train.end(), members.begin() + static_cast<long>(val_count), members.end());
  }
  // Tiny groups may round to no validation sample at all; keep the promise of
  // split_by_ratio (one each way) by moving the first training sample.
  if (val_ratio > 0 && split.val.empty() && split.train.size() >= 2) {
    split.val.push_back(split.train.front());
    split.train.erase(split.train.begin());
  }
  sort_parts(split);
  return split;
}

Split split_k_fold(const std::vector<std::string>& groups, int fold, int folds, uint64_t seed) {
  Split split;
  const Rng base = Rng(seed).fork("split/kfold");
  size_t position = 0;
  for (auto& [group, members] : by_group(groups)) {
    Rng rng = base.fork(group);
    shuffle(members, rng);
    for (size_t member : members) {
      (static_cast<int>(position % static_cast<size_t>(folds)) == fold - 1 ? split.val : split.train).push_back(member);
      ++position;
    }
  }
  sort_parts(split);
  return split;
}

std::vector<size_t> draw_test_part(const std::vector<std::string>& groups, double test_ratio, uint64_t seed) {
  std::vector<size_t> test;
  if (test_ratio <= 0) return test;
  // Its own stream: the test part never moves when val_ratio or the fold does.
  const Rng base = Rng(seed).fork("split/test");
  std::vector<size_t> rest;
  for (auto& [group, members] : by_group(groups)) {
    Rng rng = base.fork(group);
    shuffle(members, rng);
    const auto count = static_cast<size_t>(std::llround(test_ratio * static_cast<double>(members.size())));
    test.insert(test.end(), members.begin(), members.begin() + static_cast<long>(count));
    rest.insert(rest.end(), members.begin() + static_cast<long>(count), members.end());
  }
  // Small groups may all round to none; one test sample keeps the promise.
  if (test.empty() && rest.size() >= 2) test.push_back(rest.front());
  std::sort(test.begin(), test.end());
  return test;
}

void parse_fold(const std::string& text, int& fold, int& folds) {
  std::string t = to_lower(trim(text));
  size_t sep = t.find(" of ");
  size_t sep_len = 4;
  if (sep == std::string::npos) {
    sep = t.find('/');
    sep_len = 1;
  }
  char* end_k = nullptr;
  char* end_n = nullptr;
  const std::string k_text = sep == std::string::npos ? "" : trim(t.substr(0, sep));
  const std::string n_text = sep == std::string::npos ? "" : trim(t.substr(sep + sep_len));
  const long k = std::strtol(k_text.c_str(), &end_k, 10);
  const long n = std::strtol(n_text.c_str(), &end_n, 10);
  if (k_text.empty() || n_text.empty() || *end_k || *end_n)
    throw ConfigError("'" + text + "' is not a fold", "data.fold", "write it as \"k of n\", e.g. data.fold = 2 of 5");
  if (n < 2 || k < 1 || k > n)
    throw ConfigError("fold '" + text + "' is out of range", "data.fold", "n must be at least 2 and k from 1 to n");
  fold = static_cast<int>(k);
  folds = static_cast<int>(n);
}

bool resolve_fold(const Config& config, int& fold, int& folds) {
  const std::string text = trim(config.get_text("data.fold"));
  const int count = static_cast<int>(config.get_int("data.folds"));
  if (text.empty()) {
    if (count > 0)
      throw ConfigError("data.folds = " + std::to_string(count) + " needs data.fold to say which fold this run is",
                        "data.fold", "set data.fold = k (1 to " + std::to_string(count) +
                                         "), or vary it in a sweep: data.fold = 1, 2, ..., " + std::to_string(count));
    return false;
  }
  char* end = nullptr;
  std::strtol(text.c_str(), &end, 10);
  if (*end == '\0') {  // a bare k: fold k of data.folds
    if (count <= 0)
      throw ConfigError("data.fold = " + text + " needs data.folds", "data.fold",
                        "set data.folds = n, or write data.fold = " + text + " of n");
    parse_fold(text + " of " + std::to_string(count), fold, folds);
    return true;
  }
  parse_fold(text, fold, folds);
  if (count > 0 && count != folds)
    throw ConfigError("data.fold = " + text + " disagrees with data.folds = " + std::to_string(count), "data.folds",
                      "write data.fold = k, or make data.folds = " + std::to_string(folds));
  return true;
}

namespace {

std::vector<std::string> groups_of(const Config& config, const DatasetAdapter& dataset) {
  const std::string& column = config.get_text("data.stratify");
  std::vector<std::string> groups(dataset.size());
  if (column.empty()) return groups;
  const SampleMetadata* metadata = dataset.metadata_table();
  if (!metadata)
    throw ConfigError("data.stratify = " + column + " needs per-sample metadata", "data.stratify",
                      "set data.metadata to a CSV with an id column and a '" + column + "' column");
  if (!metadata->has_column(column))
    throw ConfigError("no column '" + column + "' in the metadata (columns: " + join(metadata->columns(), ", ") + ")",
                      "data.stratify", "use one of the metadata's columns");
  for (size_t i = 0; i < dataset.size(); ++i) {
    const std::string id = dataset.id(i);
    if (!metadata->has_id(id))
      throw DataError("sample '" + id + "' has no row, so it cannot be stratified", metadata->path(),
                      "add a row for it (column " + config.get_text("data.metadata_id_column") + ")");
    groups[i] = metadata->value(id, column);
  }
  return groups;
}

Split split_from_file(const std::string& path, const DatasetAdapter& dataset) {
  const CsvTable table = read_csv(path);
  const int id_column = table.column("id"), split_column = table.column("split");
  if (id_column < 0 || split_column < 0)
    throw DataError("a split file needs the columns id and split (has: " + join(table.header, ", ") + ")", path);
  std::map<std::string, size_t> index_of;
  for (size_t i = 0; i < dataset.size(); ++i) index_of[dataset.id(i)] = i;
  std::vector<int> part(dataset.size(), -1);
  for (size_t r = 0; r < table.rows.size(); ++r) {
    const std::string where = path + ":" + std::to_string(table.row_lines[r]);
    const std::string& id = table.rows[r][static_cast<size_t>(id_column)];
    const std::string which = to_lower(table.rows[r][static_cast<size_t>(split_column)]);
    auto found = index_of.find(id);
    if (found == index_of.end())
      throw DataError("the split file names sample '" + id + "', which the dataset does not have", where,
                      "fix the id or remove the row (see `seglab data check`)");
    if (which != "train" && which != "val" && which != "test")
      throw DataError("unknown split '" + which + "' for sample '" + id + "'", where, "use train, val or test");
    if (part[found->second] >= 0) throw DataError("sample '" + id + "' is listed twice", where, "keep one row");
    part[found->second] = which == "train" ? 0 : which == "val" ? 1 : 2;
  }
  Split split;
  std::vector<size_t>* parts[] = {&split.train, &split.val, &split.test};
  for (size_t i = 0; i < part.size(); ++i) (part[i] < 0 ? split.unused : *parts[part[i]]).push_back(i);
  if (split.train.empty())
    throw DataError("the split file puts no sample in train", path, "mark some rows train");
  return split;
}

// The validation part (a fold, or a ratio of all samples) over `rest`, the
// non-test samples; indices come back in the dataset's numbering.
Split split_rest(const Config& config, const std::vector<std::string>& groups, const std::vector<size_t>& rest,
                 size_t total, uint64_t seed) {
  std::vector<std::string> rest_groups;
  for (size_t i : rest) rest_groups.push_back(groups[i]);
  int k = 0, n = 0;
  Split inner;
  if (resolve_fold(config, k, n)) {
    if (static_cast<size_t>(n) > rest.size())
      throw ConfigError(std::to_string(n) + " folds are more than the " + std::to_string(rest.size()) +
                            (rest.size() == total ? " samples" : " non-test samples"),
                        config.get_int("data.folds") > 0 ? "data.folds" : "data.fold",
                        rest.size() == total ? "use fewer folds" : "use fewer folds or lower data.test_ratio");
    inner = split_k_fold(rest_groups, k, n, seed);
  } else {
    // val_ratio is a share of all samples; over the rest it is a larger one.
    // Without a test part it is used as given, so splits made before
    // test_ratio existed stay the same to the last bit.
    double val_ratio = config.get_real("data.val_ratio");
    if (rest.size() != total) val_ratio = val_ratio * static_cast<double>(total) / static_cast<double>(rest.size());
    inner = config.get_text("data.stratify").empty() ? split_by_ratio(rest.size(), val_ratio, seed)
                                                     : split_stratified(rest_groups, val_ratio, seed);
  }
  Split split;
  for (size_t i : inner.train) split.train.push_back(rest[i]);
  for (size_t i : inner.val) split.val.push_back(rest[i]);
  return split;
}

void check_test_ratio(const Config& config) {
  const double test_ratio = config.get_real("data.test_ratio");
  const double val_ratio = config.get_real("data.val_ratio");
  if (test_ratio > 0 && config.get_text("data.fold").empty() && test_ratio + val_ratio >= 1)
    throw ConfigError("data.test_ratio = " + format_number(test_ratio) + " and data.val_ratio = " +
                          format_number(val_ratio) + " leave nothing to train on (their sum must be below 1)",
                      "data.test_ratio", "lower data.test_ratio or data.val_ratio");
}

}  // namespace

Split make_split(const Config& config, const DatasetAdapter& dataset) {
  const std::string& file = config.get_text("data.split_file");
  const std::string& fold = config.get_text("data.fold");
  const std::string& stratify = config.get_text("data.stratify");
  const double test_ratio = config.get_real("data.test_ratio");
  const auto seed = static_cast<uint64_t>(config.get_int("data.split_seed"));
  if (!file.empty()) {
    if (!fold.empty() || !stratify.empty() || config.get_int("data.folds") > 0)
      throw ConfigError("data.split_file cannot be combined with data.fold, data.folds or data.stratify",
                        "data.split_file", "remove data.fold, data.folds and data.stratify, or the split file");
    if (test_ratio > 0)
      throw ConfigError("data.split_file cannot be combined with data.test_ratio", "data.test_ratio",
                        "list the test samples in the split file (split = test), or remove data.test_ratio");
    return split_from_file(file, dataset);
  }
  check_test_ratio(config);
  const std::vector<std::string> groups = groups_of(config, dataset);
  Split split;
  split.test = draw_test_part(groups, test_ratio, seed);
  if (test_ratio > 0 && split.test.empty())
    throw ConfigError("data.test_ratio = " + format_number(test_ratio) + " leaves the test part empty (" +
                          std::to_string(dataset.size()) + " samples)",
                      "data.test_ratio", "raise data.test_ratio, add samples, or set it to 0");
  std::vector<size_t> rest;
  for (size_t i = 0, t = 0; i < dataset.size(); ++i) {
    if (t < split.test.size() && split.test[t] == i) ++t;
    else rest.push_back(i);
  }
  if (rest.empty())
    throw ConfigError("data.test_ratio = " + format_number(test_ratio) + " leaves no sample to train on",
                      "data.test_ratio", "lower data.test_ratio");
  const Split rest_split = split_rest(config, groups, rest, dataset.size(), seed);
  split.train = rest_split.train;
  split.val = rest_split.val;
  if (split.train.empty())
    throw ConfigError("no sample is left for training (" + std::to_string(split.val.size()) + " val, " +
                          std::to_string(split.test.size()) + " test)",
                      test_ratio > 0 ? "data.test_ratio" : "data.val_ratio", "lower data.test_ratio or data.val_ratio");
  if (test_ratio > 0 && split.val.empty() && (config.get_real("data.val_ratio") > 0 || !fold.empty()))
    throw ConfigError("data.test_ratio = " + format_number(test_ratio) + " leaves the validation part empty",
                      "data.test_ratio", "lower data.test_ratio or add samples");
  sort_parts(split);
  return split;
}

std::string describe_split(const Config& config) {
  if (!config.get_text("data.split_file").empty()) return "split file " + config.get_text("data.split_file");
  int k = 0, n = 0;
  std::string text = resolve_fold(config, k, n) ? "fold " + std::to_string(k) + " of " + std::to_string(n)
                                                : "ratio " + format_number(config.get_real("data.val_ratio"));
  if (config.get_real("data.test_ratio") > 0) text += ", test ratio " + format_number(config.get_real("data.test_ratio"));
  text += ", seed " + std::to_string(config.get_int("data.split_seed"));
  if (!config.get_text("data.stratify").empty()) text += ", stratified by " + config.get_text("data.stratify");
  return text;
}

}  // namespace seglab
