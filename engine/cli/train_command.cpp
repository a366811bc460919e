#include <iostream>

#include "core/error.h"
#include "engine/cli/command.h"
#include "engine/cli/command_options.h"
#include "engine/experiment.h"
#include "engine/trainer.h"

namespace po = boost::program_options;

namespace seglab {

int train_command(const std::vector<std::string>& args) {
  std::string experiment, store, resume_id;
  std::vector<std::string> overrides;
  po::options_description options("train options");
  options.add_options()("experiment", po::value<std::string>(&experiment), "experiment file (.ini)")(
      "set", po::value<std::vector<std::string>>(&overrides)->composing(), "override a key: --set train.epochs=20")(
      "resume", po::value<std::string>(&resume_id), "continue an interrupted run instead (same as seglab resume <id>)");
  add_store_option(options, store);
  po::positional_options_description positional;
  positional.add("experiment", 1);
  po::variables_map values;
  if (!parse_command(args, "train <experiment.ini> [--set section.key=value]... [--store dir] | train --resume <run-id>", options, positional,
                     values))
    return 0;
  if (!resume_id.empty()) {
    if (!experiment.empty() || !overrides.empty())
      throw UsageError("--resume continues a run with its recorded config", "seglab train --resume " + resume_id,
                       "drop the experiment file and --set, or start a new run without --resume");
    return resume_run(resume_id, store);
  }
  if (experiment.empty()) throw UsageError("no experiment file given", "seglab train", "e.g. seglab train experiments/quickstart.ini");

  const Config config = load_experiment(experiment, overrides);
  RunStore run_store(RunStore::resolve_path(store));
  TrainOptions train_options;
  train_options.command_line = command_line();
  const TrainResult result = train(config, run_store, train_options);
  return result.status == RunStatus::finished ? 0 : 130;
}

}  // namespace seglab
