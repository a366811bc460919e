#include <cmath>
#include <iostream>

#include "core/error.h"
#include "engine/cli/command.h"
#include "engine/cli/command_options.h"
#include "reports/text_table.h"
#include "tracking/run_store.h"

namespace po = boost::program_options;

namespace seglab {

int runs_command(const std::vector<std::string>& args) {
  std::string action, store;
  po::options_description options("runs options");
  options.add_options()("action", po::value<std::string>(&action)->default_value("list"), "list");
  add_store_option(options, store);
  po::positional_options_description positional;
  positional.add("action", 1);
  po::variables_map values;
  if (!parse_command(args, "runs list [--store dir]", options, positional, values)) return 0;
  if (action != "list") throw UsageError("unknown action '" + action + "'", "seglab runs", "use: seglab runs list");

  RunStore run_store(RunStore::resolve_path(store));
  const auto runs = run_store.catalog().list_runs();
  if (runs.empty()) {
    std::cout << "no runs in " << run_store.root() << "\n";
    return 0;
  }
  TextTable table({"id", "name", "status", "created (UTC)", "epochs", "val.dice", "train.loss"});
  for (const auto& run : runs) {
    const auto latest = run_store.catalog().latest_metrics(run.id);
    auto value = [&](const char* key) { return latest.count(key) ? latest.at(key) : NAN; };
    const auto points = run_store.catalog().metrics(run.id, "train.epoch_loss");
    table.add_row({run.id, run.name, run_status_name(run.status), run.created_at, std::to_string(points.size()),
                   format_metric(value("val.dice")), format_metric(value("train.epoch_loss"))});
  }
  std::cout << table.render();
  return 0;
}

}  // namespace seglab
