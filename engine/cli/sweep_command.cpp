#include <iostream>

#include "core/error.h"
#include "engine/cli/command.h"
#include "engine/cli/command_options.h"
#include "engine/sweep/sweep_cell.h"
#include "engine/sweep/sweep_runner.h"

namespace po = boost::program_options;

namespace seglab {

int sweep_command(const std::vector<std::string>& args) {
  std::string first, id, key, store;
  int jobs = 0;
  po::options_description options("sweep options");
  options.add_options()("dry-run", po::bool_switch(), "print the runs it would launch; launch nothing")(
      "jobs,j", po::value<int>(&jobs), "runs at once (sets sweep.jobs of the local launcher)")(
      "new", po::bool_switch(), "start a new sweep even if this file already has one in the store")(
      "wait", po::bool_switch(), "launcher = slurm: wait until the job array has left the queue (sets slurm.wait)");
  add_store_option(options, store);
  po::options_description hidden;
  hidden.add_options()("first", po::value<std::string>(&first), "")("id", po::value<std::string>(&id), "")(
      "key", po::value<std::string>(&key), "");
  po::positional_options_description positional;
  positional.add("first", 1).add("id", 1).add("key", 1);
  po::variables_map values;
  const char* usage =
      "sweep <sweep.ini> [--dry-run] [--jobs N] [--new] | sweep resume <id> [--jobs N] [--wait] | sweep status <id> | "
      "sweep cancel <id>";
  if (!parse_command(args, usage, options, positional, values, &hidden)) return 0;
  if (first.empty())
    throw UsageError("no sweep file given", "seglab sweep", "e.g. seglab sweep experiments/augmentation_ablation.ini --dry-run");
  if (values.count("jobs") && jobs < 1) throw UsageError("--jobs must be at least 1", "seglab sweep --jobs");

  SweepRequest request;
  request.store = RunStore::resolve_path(store);
  request.dry_run = values["dry-run"].as<bool>();
  request.new_sweep = values["new"].as<bool>();
  request.wait = values["wait"].as<bool>();
  if (values.count("jobs")) request.jobs = jobs;
  // run-cell is what a Slurm array task runs: one cell, by its job key.
  if (first == "run-cell") {
    if (id.empty() || key.empty())
      throw UsageError("run-cell needs a sweep id and a job key", "seglab sweep run-cell",
                       "it is started by the Slurm launcher's batch script: seglab sweep run-cell <sweep-id> <key>");
    return run_sweep_cell(request.store, id, key, command_line(), std::cout);
  }
  if (!key.empty()) throw UsageError("unexpected argument '" + key + "'", "seglab sweep", usage);
  if (first == "status" || first == "resume" || first == "cancel") {
    if (id.empty()) throw UsageError("no sweep id given", "seglab sweep " + first, "the id is printed when a sweep starts");
    if (first == "status") {
      RunStore run_store(request.store);
      print_sweep_status(run_store, id, std::cout);
      return 0;
    }
    if (first == "cancel") {
      RunStore run_store(request.store);
      return cancel_sweep(run_store, id, std::cout);
    }
    request.resume_id = id;
  } else {
    if (!id.empty()) throw UsageError("unexpected argument '" + id + "'", "seglab sweep", usage);
    request.file = first;
  }
  return run_sweep(request);
}

}  // namespace seglab
