#include "engine/eval_data.h"

#include <algorithm>
#include <filesystem>
#include <optional>

#include "core/error.h"
#include "core/text.h"
#include "datasets/split.h"
#include "engine/experiment.h"
#include "engine/run_data.h"

namespace seglab {

namespace {

// Every sample of the data set checked (or read from the sample cache) as
// training does; the bad ones of the selection are left out and listed, or
// refused under on_bad_sample = error.
void leave_out_bad_samples(const Config& run_config, const Config& data_config, const std::string& store_root,
                           EvalData& data) {
  PrepareOptions options;
  options.image_size = static_cast<int>(run_config.get_int("data.image_size"));
  options.workers = std::max<int>(1, static_cast<int>(data_config.get_int("data.workers")));
  options.cache_path = sample_cache_file(data_config, *data.dataset, store_root);
  const auto samples = prepare_samples(*data.dataset, options);
  data.on_bad_sample = data_config.get_text("data.on_bad_sample");
  enforce_bad_sample_policy(*samples, data.on_bad_sample);
  std::vector<size_t> usable;
  for (size_t index : data.indices) {
    if (samples->usable[index]) {
      usable.push_back(index);
      continue;
    }
    const std::string& id = samples->ids[index];
    bool listed = false;
    for (const auto& problem : samples->problems)
      if (problem.id == id) {
        data.skipped.push_back(problem);
        listed = true;
      }
    if (!listed) data.skipped.push_back({id, data.dataset->describe(), "unusable sample"});
  }
  data.indices = std::move(usable);
}

}  // namespace

EvalData select_eval_data(const Config& run_config, const std::string& run_id, const std::string& selection,
                          const std::string& store_root) {
  EvalData data;
  std::optional<Config> other;
  if (ends_with(to_lower(selection), ".ini")) {
    if (!std::filesystem::exists(selection))
      throw DataError("no such experiment file", selection, "give an INI file whose [data] section names the data");
    other = load_experiment(selection);
    data.dataset = make_adapter(*other);
    for (size_t i = 0; i < data.dataset->size(); ++i) data.indices.push_back(i);
    data.label = std::filesystem::path(selection).stem().string();
    data.description = "all " + std::to_string(data.indices.size()) + " samples of " + selection;
  } else {
    if (selection != "val" && selection != "test" && selection != "train" && selection != "all")
      throw UsageError("unknown data selection '" + selection + "'", "--data",
                       "use val, test, train, all or an experiment .ini file");
    data.dataset = make_adapter(run_config);
    // The run's own split definition (ratio, stratified, k-fold or split file).
    const Split split = make_split(run_config, *data.dataset);
    if (selection == "test" && split.test.empty())
      throw DataError("run " + run_id + " has no test part (data.test_ratio = " +
                          format_number(run_config.get_real("data.test_ratio")) + ", no split = test rows)",
                      "--data test",
                      "train with data.test_ratio > 0 (or a split file with test rows), or score held-out data "
                      "with --data <experiment.ini> whose [data] section points at it");
    if (selection == "val") data.indices = split.val;
    if (selection == "train") data.indices = split.train;
    if (selection == "test") data.indices = split.test;
    if (selection == "all")
      for (size_t i = 0; i < data.dataset->size(); ++i) data.indices.push_back(i);
    data.label = selection;
    data.description = selection + " split";
  }
  leave_out_bad_samples(run_config, other ? *other : run_config, store_root, data);
  if (data.indices.empty())
    throw DataError("the " + data.description + " is empty", "run " + run_id, "use --data train or --data all");
  return data;
}

}  // namespace seglab
