#include "engine/eval_data.h"

#include <filesystem>

#include "core/error.h"
#include "core/text.h"
#include "datasets/split.h"
#include "engine/experiment.h"

namespace seglab {

EvalData select_eval_data(const Config& run_config, const std::string& run_id, const std::string& selection) {
  EvalData data;
  if (ends_with(to_lower(selection), ".ini")) {
    if (!std::filesystem::exists(selection))
      throw DataError("no such experiment file", selection, "give an INI file whose [data] section names the data");
    const Config other = load_experiment(selection);
    data.dataset = make_adapter(other);
    for (size_t i = 0; i < data.dataset->size(); ++i) data.indices.push_back(i);
    data.label = std::filesystem::path(selection).stem().string();
    data.description = "all " + std::to_string(data.indices.size()) + " samples of " + selection;
  } else {
    if (selection != "val" && selection != "test" && selection != "train" && selection != "all")
      throw UsageError("unknown data selection '" + selection + "'", "--data",
                       "use val, test, train, all or an experiment .ini file");
    if (selection == "test")
      // The split of a run has train and val parts only; held-out data is
      // scored through an experiment file that points at it.
      throw DataError("run " + run_id + " has no test split", "--data test",
                      "score held-out data with --data <experiment.ini> whose [data] section points at it");
    data.dataset = make_adapter(run_config);
    // The run's own split definition (ratio, stratified, k-fold or split file).
    const Split split = make_split(run_config, *data.dataset);
    if (selection == "val") data.indices = split.val;
    if (selection == "train") data.indices = split.train;
    if (selection == "all")
      for (size_t i = 0; i < data.dataset->size(); ++i) data.indices.push_back(i);
    data.label = selection;
    data.description = selection + " split";
  }
  if (data.indices.empty())
    throw DataError("the " + data.description + " is empty", "run " + run_id, "use --data train or --data all");
  return data;
}

}  // namespace seglab
