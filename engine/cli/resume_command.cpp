#include <iostream>

#include "core/error.h"
#include "engine/cli/command.h"
#include "engine/cli/command_options.h"
#include "engine/reproduce.h"
#include "engine/trainer.h"

namespace po = boost::program_options;

namespace seglab {

int resume_run(const std::string& run_id, const std::string& store) {
  RunStore run_store(RunStore::resolve_path(store));
  TrainOptions options;
  options.command_line = command_line();
  const RunRecord recorded = run_store.catalog().record(run_store.catalog().find_run(run_id).id);
  options.on_record = [&](const RunRecord& now) {
    const auto differences = record_differences(recorded, now);
    if (differences.empty()) return;
    std::cout << "warning: this process differs from the run's record; the resumed run may not match an "
                 "uninterrupted one:\n";
    for (const auto& d : differences) std::cout << "  " << d.key << ": " << d.recorded << " -> " << d.now << "\n";
  };
  const TrainResult result = resume(run_store, run_id, options);
  return result.status == RunStatus::finished ? 0 : 130;
}

int resume_command(const std::vector<std::string>& args) {
  std::string run_id, store;
  po::options_description options("resume options");
  options.add_options()("run", po::value<std::string>(&run_id), "run id (or a unique prefix)");
  add_store_option(options, store);
  po::positional_options_description positional;
  positional.add("run", 1);
  po::variables_map values;
  if (!parse_command(args, "resume <run-id> [--store dir]", options, positional, values)) return 0;
  if (run_id.empty()) throw UsageError("no run id given", "seglab resume", "see `seglab runs list --where status=interrupted`");
  return resume_run(run_id, store);
}

int reproduce_command(const std::vector<std::string>& args) {
  std::string run_id, store;
  po::options_description options("reproduce options");
  options.add_options()("run", po::value<std::string>(&run_id), "run id (or a unique prefix)");
  add_store_option(options, store);
  po::positional_options_description positional;
  positional.add("run", 1);
  po::variables_map values;
  if (!parse_command(args, "reproduce <run-id> [--store dir]", options, positional, values)) return 0;
  if (run_id.empty()) throw UsageError("no run id given", "seglab reproduce", "see `seglab runs list`");
  RunStore run_store(RunStore::resolve_path(store));
  TrainOptions train_options;
  train_options.command_line = command_line();
  const ReproduceResult result = reproduce(run_store, run_id, train_options, std::cout);
  return result.run.status == RunStatus::finished ? 0 : 130;
}

}  // namespace seglab
