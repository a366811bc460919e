#include <iostream>

#include "core/error.h"
#include "engine/cli/command.h"
#include "engine/cli/command_options.h"
#include "engine/experiment.h"
#include "engine/trainer.h"

namespace po = boost::program_options;

namespace seglab {

int train_command(const std::vector<std::string>& args) {
  std::string experiment, store, resume_id, sweep_id, job_key;
  std::vector<std::string> overrides;
  po::options_description options("train options");
  options.add_options()("experiment", po::value<std::string>(&experiment), "experiment file (.ini)")(
      "set", po::value<std::vector<std::string>>(&overrides)->composing(), "override a key: --set train.epochs=20")(
      "resume", po::value<std::string>(&resume_id), "continue an interrupted run instead (same as seglab resume <id>)");
  add_store_option(options, store);
  // Set by `seglab sweep` on the runs it launches: links the run to its sweep cell.
  po::options_description hidden;
  hidden.add_options()("sweep-id", po::value<std::string>(&sweep_id), "")("job-key", po::value<std::string>(&job_key), "");
  po::positional_options_description positional;
  positional.add("experiment", 1);
  po::variables_map values;
  if (!parse_command(args, "train <experiment.ini> [--set section.key=value]... [--store dir] | train --resume <run-id>",
                     options, positional, values, &hidden))
    return 0;
  if (!resume_id.empty()) {
    if (!experiment.empty() || !overrides.empty())
      throw UsageError("--resume continues a run with its recorded config", "seglab train --resume " + resume_id,
                       "drop the experiment file and --set, or start a new run without --resume");
    return resume_run(resume_id, store);
  }
  if (experiment.empty()) throw UsageError("no experiment file given", "seglab train", "e.g. seglab train experiments/quickstart.ini");
  if (sweep_id.empty() != job_key.empty())
    throw UsageError("--sweep-id and --job-key go together", "seglab train", "they are set by `seglab sweep`");

  const Config config = load_experiment(experiment, overrides);
  RunStore run_store(RunStore::resolve_path(store));
  if (!sweep_id.empty() && !run_store.catalog().has_sweep(sweep_id))
    throw UsageError("no sweep with id '" + sweep_id + "'", run_store.display(), "start runs of a sweep with `seglab sweep`");
  TrainOptions train_options;
  train_options.command_line = command_line();
  train_options.sweep_id = sweep_id;
  train_options.job_key = job_key;
  const TrainResult result = train(config, run_store, train_options);
  return result.status == RunStatus::finished ? 0 : 130;
}

}  // namespace seglab
