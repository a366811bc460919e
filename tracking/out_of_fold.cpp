#include "tracking/out_of_fold.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <set>

#include "core/error.h"

namespace seglab {
namespace {

// Keys a variant's folds may differ in.
bool varies_within_variant(const std::string& key) {
  return key == "data.fold" || key == "experiment.seed" || key == "experiment.name";
}

std::vector<std::string> id_lines(const std::string& text) {
  std::vector<std::string> ids;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    ids.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  std::sort(ids.begin(), ids.end());
  return ids;
}

std::string recorded(const std::map<std::string, std::string>& record, const std::string& key, const std::string& id) {
  const auto found = record.find(key);
  if (found == record.end())
    throw StoreError("run " + id + " has no " + key + " in its record, so it is not a fold of a cross-validation",
                     "run " + id, "pool runs trained with data.fold (and data.folds) by this version of seglab");
  return found->second;
}

struct LoadedFold {
  FoldRun run;
  std::map<std::string, std::string> params;
  std::set<std::string> non_test;  // its train and val ids
  std::string test_sha256;
  int folds = 0;
};

LoadedFold load_fold(const Catalog& catalog, const std::string& id_or_prefix) {
  const RunInfo info = catalog.find_run(id_or_prefix);
  if (info.status != RunStatus::finished)
    throw StoreError("run " + info.id + " is " + run_status_name(info.status) + ", not finished", "run " + info.id,
                     "pool the folds once every one has finished");
  const auto record = catalog.record(info.id);
  LoadedFold f;
  f.run.run_id = info.id;
  f.params = catalog.params(info.id);
  f.run.seed = std::strtoll(f.params["experiment.seed"].c_str(), nullptr, 10);
  f.run.fold = std::atoi(recorded(record, "data.fold_index", info.id).c_str());
  f.folds = std::atoi(recorded(record, "data.fold_count", info.id).c_str());
  f.run.val_ids = id_lines(recorded(record, "data.split_ids.val", info.id));
  for (const auto& id : f.run.val_ids) f.non_test.insert(id);
  for (const auto& id : id_lines(recorded(record, "data.split_ids.train", info.id))) f.non_test.insert(id);
  f.test_sha256 = recorded(record, "data.test_sha256", info.id);
  return f;
}

void check_same_variant(const LoadedFold& first, const LoadedFold& other) {
  std::set<std::string> keys;
  for (const auto& [key, value] : first.params) keys.insert(key);
  for (const auto& [key, value] : other.params) keys.insert(key);
  for (const auto& key : keys) {
    if (varies_within_variant(key)) continue;
    const auto a = first.params.find(key), b = other.params.find(key);
    const std::string va = a == first.params.end() ? "(none)" : a->second;
    const std::string vb = b == other.params.end() ? "(none)" : b->second;
    if (va != vb)
      throw StoreError("runs " + first.run.run_id + " and " + other.run.run_id + " are not folds of one variant: " +
                           key + " = " + va + " vs " + vb,
                       "runs " + first.run.run_id + ", " + other.run.run_id,
                       "pool runs whose config differs only in data.fold and experiment.seed");
  }
  if (first.folds != other.folds)
    throw StoreError("runs " + first.run.run_id + " and " + other.run.run_id + " have different fold counts (" +
                         std::to_string(first.folds) + " vs " + std::to_string(other.folds) + ")",
                     "runs " + first.run.run_id + ", " + other.run.run_id);
  if (first.test_sha256 != other.test_sha256)
    throw StoreError("runs " + first.run.run_id + " and " + other.run.run_id + " held out different test parts",
                     "runs " + first.run.run_id + ", " + other.run.run_id, "compare data.test_sha256 in their records");
  if (first.non_test != other.non_test)
    throw StoreError("runs " + first.run.run_id + " and " + other.run.run_id + " split different non-test images",
                     "runs " + first.run.run_id + ", " + other.run.run_id, "compare data.split_ids.* in their records");
}

// The folds of one seed hold every non-test image out exactly once.
void check_partition(const std::vector<const LoadedFold*>& folds, int count, int64_t seed) {
  std::map<int, const LoadedFold*> by_fold;
  for (const LoadedFold* f : folds) {
    auto [at, inserted] = by_fold.emplace(f->run.fold, f);
    if (!inserted)
      throw StoreError("seed " + std::to_string(seed) + " has fold " + std::to_string(f->run.fold) + " twice: runs " +
                           at->second->run.run_id + " and " + f->run.run_id,
                       "run " + f->run.run_id, "pool one run per fold and seed");
  }
  for (int k = 1; k <= count; ++k)
    if (!by_fold.count(k))
      throw StoreError("seed " + std::to_string(seed) + " lacks fold " + std::to_string(k) + " of " +
                           std::to_string(count),
                       "runs of seed " + std::to_string(seed), "train the missing fold or leave the seed out");
  std::map<std::string, std::string> held_out_by;
  for (const LoadedFold* f : folds)
    for (const auto& id : f->run.val_ids) {
      auto [at, inserted] = held_out_by.emplace(id, f->run.run_id);
      if (!inserted)
        throw StoreError("image " + id + " is out of fold in two runs of seed " + std::to_string(seed) + ": " +
                             at->second + " and " + f->run.run_id,
                         "run " + f->run.run_id);
    }
  for (const auto& id : folds.front()->non_test)
    if (!held_out_by.count(id))
      throw StoreError("image " + id + " is out of fold in no run of seed " + std::to_string(seed),
                       "run " + folds.front()->run.run_id, "the folds do not cover the non-test images");
}

// One fold's scores of the images it held out into its seed's columns
// (metric -> value per image, NaN until some fold scores the image); counts
// the metrics it scored for every one of them in `complete`.
void add_fold_scores(const Catalog& catalog, const FoldRun& run, const std::string& source,
                     const std::map<std::string, size_t>& position,
                     std::map<std::string, std::vector<double>>& columns, std::map<std::string, size_t>& complete) {
  const auto scores = catalog.image_scores(run.run_id);
  const auto found = scores.find(source);
  if (found == scores.end() || found->second.empty())
    throw StoreError("run " + run.run_id + " has no per-image scores '" + source + "'", "run " + run.run_id,
                     "its validation per-image scores are written when training finishes");
  std::map<std::string, std::map<std::string, double>> by_metric;  // metric -> image -> value
  for (const auto& s : found->second) by_metric[s.metric][s.image_id] = s.value;
  for (const auto& [metric, values] : by_metric) {
    auto& column = columns[metric];
    column.resize(position.size(), NAN);
    bool every_image = true;
    for (const auto& id : run.val_ids) {
      const auto value = values.find(id);
      if (value == values.end()) every_image = false;
      else column[position.at(id)] = value->second;
    }
    if (every_image) ++complete[metric];
  }
}

std::vector<double> mean_over_seeds(const std::map<int64_t, std::map<std::string, std::vector<double>>>& by_seed,
                                    const std::string& metric, size_t images) {
  std::vector<double> mean(images, 0.0);
  for (const auto& [seed, metrics] : by_seed)
    for (size_t i = 0; i < images; ++i) mean[i] += metrics.at(metric)[i];
  for (double& value : mean) value /= static_cast<double>(by_seed.size());
  return mean;
}

}  // namespace

std::string cross_validation_variant_key(const std::map<std::string, std::string>& params) {
  std::string key;
  for (const auto& [name, value] : params)
    if (!varies_within_variant(name)) key += name + " = " + value + "\n";
  return key;
}

std::map<std::string, std::vector<std::string>> group_folds_by_variant(const Catalog& catalog,
                                                                       const std::vector<std::string>& run_ids) {
  std::map<std::string, std::vector<std::string>> groups;
  for (const auto& id_or_prefix : run_ids) {
    const std::string id = catalog.find_run(id_or_prefix).id;
    if (!catalog.record(id).count("data.fold_index")) continue;
    groups[cross_validation_variant_key(catalog.params(id))].push_back(id);
  }
  return groups;
}

OutOfFoldScores pooled_out_of_fold_scores(const Catalog& catalog, const std::vector<std::string>& run_ids,
                                          const std::string& source) {
  if (run_ids.empty()) throw StoreError("no runs to pool", "pooled out-of-fold scores", "give the runs of one variant");
  std::vector<LoadedFold> loaded;
  for (const auto& id : run_ids) loaded.push_back(load_fold(catalog, id));
  for (size_t i = 1; i < loaded.size(); ++i) check_same_variant(loaded.front(), loaded[i]);
  std::sort(loaded.begin(), loaded.end(), [](const LoadedFold& a, const LoadedFold& b) {
    return a.run.seed != b.run.seed ? a.run.seed < b.run.seed : a.run.fold < b.run.fold;
  });

  OutOfFoldScores out;
  out.folds = loaded.front().folds;
  out.source = source;
  out.test_sha256 = loaded.front().test_sha256;
  out.image_ids.assign(loaded.front().non_test.begin(), loaded.front().non_test.end());
  std::map<int64_t, std::vector<const LoadedFold*>> by_seed;
  for (const auto& f : loaded) by_seed[f.run.seed].push_back(&f);
  for (const auto& [seed, folds] : by_seed) {
    check_partition(folds, out.folds, seed);
    out.seeds.push_back(seed);
  }

  std::map<std::string, size_t> position;
  for (size_t i = 0; i < out.image_ids.size(); ++i) position[out.image_ids[i]] = i;
  std::map<std::string, size_t> complete;  // metric -> runs that scored every image they held out
  for (const auto& f : loaded) {
    out.runs.push_back(f.run);
    add_fold_scores(catalog, f.run, source, position, out.by_seed[f.run.seed], complete);
  }
  for (const auto& [metric, runs] : complete)
    if (runs == loaded.size()) out.metrics.push_back(metric);
  if (out.metrics.empty())
    throw StoreError("no metric has a per-image score for every out-of-fold image in every run",
                     "runs " + loaded.front().run.run_id + ", ...", "check the runs' per-image tables");
  for (auto& [seed, metrics] : out.by_seed)
    for (auto it = metrics.begin(); it != metrics.end();)
      it = std::find(out.metrics.begin(), out.metrics.end(), it->first) == out.metrics.end() ? metrics.erase(it) : ++it;
  for (const auto& metric : out.metrics) out.pooled[metric] = mean_over_seeds(out.by_seed, metric, out.image_ids.size());
  return out;
}

}  // namespace seglab
