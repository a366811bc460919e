#include "engine/run_data.h"

#include <algorithm>
#include <filesystem>

#include "core/log.h"
#include "datasets/augmentation.h"
#include "datasets/sample_cache.h"
#include "datasets/split_listing.h"

namespace seglab {

std::string sample_cache_file(const Config& config, const DatasetAdapter& dataset, const std::string& store_root) {
  if (!config.get_bool("data.cache")) return {};
  const std::string& dir = config.get_text("data.cache_dir");
  return sample_cache_path(dir.empty() ? (std::filesystem::path(store_root) / "cache").string() : dir,
                           sample_cache_key(dataset, static_cast<int>(config.get_int("data.image_size"))));
}

RunData prepare_run_data(const Config& config, const std::string& store_root) {
  RunData data;
  data.dataset = make_adapter(config);
  // The split is made over every listed sample and bad ones are removed
  // afterwards, so fixing or breaking one file never moves the others.
  const Split split = make_split(config, *data.dataset);
  PrepareOptions options;
  options.image_size = static_cast<int>(config.get_int("data.image_size"));
  options.workers = std::max<int>(1, static_cast<int>(config.get_int("data.workers")));
  options.cache_path = sample_cache_file(config, *data.dataset, store_root);
  data.samples = prepare_samples(*data.dataset, options);
  if (data.samples->cache_status.rfind("rebuilt", 0) == 0)
    log::warn("sample cache " + data.samples->cache_path + " " + data.samples->cache_status);
  enforce_bad_sample_policy(*data.samples, config.get_text("data.on_bad_sample"));
  data.skipped = data.samples->problems;
  data.split.train = data.samples->usable_only(split.train);
  data.split.val = data.samples->usable_only(split.val);
  data.split.test = data.samples->usable_only(split.test);
  data.split.unused = split.unused;
  return data;
}

LoaderOptions loader_options(const Config& config, bool training) {
  LoaderOptions o;
  o.image_size = static_cast<int>(config.get_int("data.image_size"));
  o.batch_size = static_cast<int>(config.get_int("train.batch_size"));
  o.workers = static_cast<int>(config.get_int("data.workers"));
  o.normalization = normalization_from_config(config);
  o.seed = static_cast<uint64_t>(config.get_int("experiment.seed"));
  if (training) {
    o.shuffle = true;
    o.drop_last = true;
    o.augmentations = make_augmentations(config);
  }
  return o;
}

void add_split_record(const Config& config, const RunData& data, std::map<std::string, std::string>& record) {
  const SplitIds ids = split_ids(data.split, *data.dataset);
  record["data.split_ids.train"] = join_ids(ids.train);
  record["data.split_ids.val"] = join_ids(ids.val);
  record["data.split_ids.test"] = join_ids(ids.test);
  record["data.split_sha256"] = split_sha256(ids);
  record["data.test_sha256"] = test_sha256(ids);
  int fold = 0, folds = 0;
  if (resolve_fold(config, fold, folds)) {
    record["data.fold_index"] = std::to_string(fold);
    record["data.fold_count"] = std::to_string(folds);
  }
}

void add_data_record(const Config& config, const RunData& data, std::map<std::string, std::string>& record) {
  record["data.split"] = describe_split(config);
  record["data.train_samples"] = std::to_string(data.split.train.size());
  record["data.val_samples"] = std::to_string(data.split.val.size());
  record["data.test_samples"] = std::to_string(data.split.test.size());
  add_split_record(config, data, record);
  if (const SampleMetadata* metadata = data.dataset->metadata_table()) record["data.metadata_sha256"] = metadata->sha256();
  if (!data.samples->cache_status.empty()) record["data.cache"] = data.samples->cache_status;
  record["data.skipped"] = std::to_string(data.skipped.size());
  for (size_t i = 0; i < data.skipped.size(); ++i)
    record["data.skipped." + std::to_string(i + 1)] =
        data.skipped[i].id + ": " + data.skipped[i].path + ": " + data.skipped[i].problem;
}

}  // namespace seglab
