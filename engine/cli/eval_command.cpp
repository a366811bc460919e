#include <iostream>

#include "core/error.h"
#include "engine/cli/command.h"
#include "engine/cli/command_options.h"
#include "engine/evaluator.h"

namespace po = boost::program_options;

namespace seglab {

int eval_command(const std::vector<std::string>& args) {
  std::string run_id, store;
  EvalOptions eval;
  po::options_description options("eval options");
  options.add_options()("run", po::value<std::string>(&run_id), "run id (or a unique prefix)")(
      "data", po::value<std::string>(&eval.data)->default_value("val"), "split to score: val | train | all")(
      "checkpoint", po::value<std::string>(&eval.checkpoint)->default_value("best"), "best | last")(
      "no-masks", "do not write the predicted masks");
  add_store_option(options, store);
  po::positional_options_description positional;
  positional.add("run", 1);
  po::variables_map values;
  if (!parse_command(args, "eval <run-id> [--data val|train|all] [--checkpoint best|last]", options, positional, values))
    return 0;
  if (run_id.empty()) throw UsageError("no run id given", "seglab eval", "see `seglab runs list`");
  eval.save_masks = values.count("no-masks") == 0;
  RunStore run_store(RunStore::resolve_path(store));
  evaluate_run(run_store, run_id, eval, std::cout);
  return 0;
}

}  // namespace seglab
