#include <iostream>

#include "core/error.h"
#include "core/text.h"
#include "engine/cli/command.h"
#include "engine/cli/command_options.h"
#include "engine/reproduce.h"
#include "engine/trainer.h"
#include "reports/text_table.h"

namespace po = boost::program_options;

namespace seglab {
namespace {

// "12 of 45 differ, by up to 0.0031 (step 6)"; without the size when the
// differing points are steps that only one run has.
std::string differing_points_text(size_t differing, size_t points, double largest, int64_t step) {
  const std::string count = std::to_string(differing) + " of " + std::to_string(points) + " differ";
  if (largest == 0) return count;
  return count + ", by up to " + format_number(largest) + " (step " + std::to_string(step) + ")";
}

// The reproduction against the original, metric by metric, then the verdict.
void show_reproduction(const ReproduceResult& result, std::ostream& out) {
  const std::string& copy = result.run.run_id;
  TextTable table({"metric", result.original_id, copy, "difference", "points"});
  for (const auto& m : result.metrics) {
    std::string verdict;
    if (m.timing) verdict = "timing, not compared";
    else if (m.missing) verdict = "only in one run";
    else if (m.differing_points == 0) verdict = "identical (" + std::to_string(m.points) + ")";
    else verdict = differing_points_text(m.differing_points, m.points, m.largest_difference, m.largest_difference_step);
    const double delta = m.reproduced - m.original;
    table.add_row({m.key, format_metric(m.original, 6), format_metric(m.reproduced, 6),
                   m.timing || m.missing ? "-" : (delta == 0 ? "0" : format_number(delta)), verdict});
  }
  out << "metric by metric (last values; every point compared bit for bit):\n" << table.render();
  if (result.identical) {
    out << "bitwise identical: all " << result.compared_points << " metric points";
  } else {
    out << result.differing_points << " of " << result.compared_points << " metric points differ";
    if (!result.largest_difference_key.empty())
      out << "; largest difference " << format_number(result.largest_difference) << " in "
          << result.largest_difference_key << " at step " << result.largest_difference_step;
  }
  out << "; reproduction is run " << copy << " (parent " << result.original_id << ")\n";
}

}  // namespace

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
  if (result.run.status == RunStatus::finished) show_reproduction(result, std::cout);
  return result.run.status == RunStatus::finished ? 0 : 130;
}

}  // namespace seglab
