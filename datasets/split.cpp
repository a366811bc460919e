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
  std::sort(split.unused.begin(), split.unused.end());
}

}  // namespace

void add_split_options(OptionList& o) {
  o.add_real("val_ratio", 0.2, "fraction of samples held out for validation").range(0, 0.9);
  o.add_int("split_seed", 42, "seed of the train/validation split (independent of experiment.seed)").at_least(0);
  o.add_text("stratify", "", "metadata column whose groups keep their share in train and val (e.g. clinical_diagnosis)");
  o.add_text("fold", "", "k-fold cross-validation: \"k of n\" makes fold k of n the validation part");
  o.add_text("split_file", "", "CSV with columns id and split (train | val); replaces ratio and folds");
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
    if (which != "train" && which != "val")
      throw DataError("unknown split '" + which + "' for sample '" + id + "'", where, "use train or val");
    if (part[found->second] >= 0) throw DataError("sample '" + id + "' is listed twice", where, "keep one row");
    part[found->second] = which == "val" ? 1 : 0;
  }
  Split split;
  for (size_t i = 0; i < part.size(); ++i) (part[i] < 0 ? split.unused : part[i] ? split.val : split.train).push_back(i);
  return split;
}

}  // namespace

Split make_split(const Config& config, const DatasetAdapter& dataset) {
  const std::string& file = config.get_text("data.split_file");
  const std::string& fold = config.get_text("data.fold");
  const std::string& stratify = config.get_text("data.stratify");
  const auto seed = static_cast<uint64_t>(config.get_int("data.split_seed"));
  if (!file.empty()) {
    if (!fold.empty() || !stratify.empty())
      throw ConfigError("data.split_file cannot be combined with data.fold or data.stratify", "data.split_file",
                        "remove data.fold and data.stratify, or the split file");
    return split_from_file(file, dataset);
  }
  const std::vector<std::string> groups = groups_of(config, dataset);
  if (!fold.empty()) {
    int k = 0, n = 0;
    parse_fold(fold, k, n);
    if (static_cast<size_t>(n) > dataset.size())
      throw ConfigError("data.fold = " + fold + " asks for more folds than there are samples (" +
                            std::to_string(dataset.size()) + ")",
                        "data.fold", "use fewer folds");
    return split_k_fold(groups, k, n, seed);
  }
  if (stratify.empty()) return split_by_ratio(dataset.size(), config.get_real("data.val_ratio"), seed);
  return split_stratified(groups, config.get_real("data.val_ratio"), seed);
}

std::string describe_split(const Config& config) {
  if (!config.get_text("data.split_file").empty()) return "split file " + config.get_text("data.split_file");
  std::string text = config.get_text("data.fold").empty()
                         ? "ratio " + format_number(config.get_real("data.val_ratio"))
                         : "fold " + config.get_text("data.fold");
  text += ", seed " + std::to_string(config.get_int("data.split_seed"));
  if (!config.get_text("data.stratify").empty()) text += ", stratified by " + config.get_text("data.stratify");
  return text;
}

}  // namespace seglab
