#include <iostream>

#include "core/error.h"
#include "engine/cli/command.h"
#include "engine/cli/command_options.h"
#include "engine/sweep/sweep_runner.h"

namespace po = boost::program_options;

namespace seglab {

int sweep_command(const std::vector<std::string>& args) {
  std::string first, id, store;
  int jobs = 0;
  po::options_description options("sweep options");
  options.add_options()("dry-run", po::bool_switch(), "print the runs it would launch; launch nothing")(
      "jobs,j", po::value<int>(&jobs), "runs at once (sets sweep.jobs of the local launcher)")(
      "new", po::bool_switch(), "start a new sweep even if this file already has one in the store");
  add_store_option(options, store);
  po::options_description hidden;
  hidden.add_options()("first", po::value<std::string>(&first), "")("id", po::value<std::string>(&id), "");
  po::positional_options_description positional;
  positional.add("first", 1).add("id", 1);
  po::variables_map values;
  const char* usage = "sweep <sweep.ini> [--dry-run] [--jobs N] [--new] | sweep resume <id> [--jobs N] | sweep status <id>";
  if (!parse_command(args, usage, options, positional, values, &hidden)) return 0;
  if (first.empty())
    throw UsageError("no sweep file given", "seglab sweep", "e.g. seglab sweep experiments/augmentation_ablation.ini --dry-run");
  if (values.count("jobs") && jobs < 1) throw UsageError("--jobs must be at least 1", "seglab sweep --jobs");

  SweepRequest request;
  request.store = RunStore::resolve_path(store);
  request.dry_run = values["dry-run"].as<bool>();
  request.new_sweep = values["new"].as<bool>();
  if (values.count("jobs")) request.jobs = jobs;
  if (first == "status" || first == "resume") {
    if (id.empty()) throw UsageError("no sweep id given", "seglab sweep " + first, "the id is printed when a sweep starts");
    if (first == "status") {
      RunStore run_store(request.store);
      print_sweep_status(run_store, id, std::cout);
      return 0;
    }
    request.resume_id = id;
  } else {
    if (!id.empty()) throw UsageError("unexpected argument '" + id + "'", "seglab sweep", usage);
    request.file = first;
  }
  return run_sweep(request);
}

}  // namespace seglab
