#include <cmath>
#include <iostream>
#include <set>

#include "core/error.h"
#include "engine/cli/command_options.h"
#include "engine/cli/runs_actions.h"
#include "engine/trainer.h"
#include "reports/report_figures.h"
#include "reports/report_runs.h"
#include "reports/report_writer.h"
#include "reports/results_table.h"
#include "reports/text_table.h"
#include "tracking/run_query.h"
#include "tracking/run_store.h"

namespace po = boost::program_options;

namespace seglab {

int runs_compare(const std::vector<std::string>& args) {
  std::vector<std::string> ids;
  std::string store;
  po::options_description options("runs compare options");
  options.add_options()("run", po::value<std::vector<std::string>>(&ids), "run ids (or unique prefixes)")(
      "all-params", "show every param, not only those that differ");
  add_store_option(options, store);
  po::positional_options_description positional;
  positional.add("run", -1);
  po::variables_map values;
  if (!parse_command(args, "runs compare <id> <id>... [--all-params]", options, positional, values)) return 0;
  if (ids.size() < 2) throw UsageError("compare needs at least two run ids", "seglab runs compare", "see `seglab runs list`");

  RunStore run_store(RunStore::resolve_path(store));
  const Catalog& catalog = run_store.catalog();
  std::vector<RunSummary> runs;
  std::vector<std::map<std::string, std::string>> records;
  std::vector<std::string> headers{"key"};
  for (const auto& id : ids) {
    runs.push_back(summarise_run(catalog, catalog.find_run(id)));
    records.push_back(catalog.record(runs.back().info.id));
    headers.push_back(runs.back().info.id);
  }
  auto table_of = [&](const std::set<std::string>& keys, auto cell, bool only_differing) {
    TextTable table(headers);
    for (const auto& key : keys) {
      std::vector<std::string> row{key};
      for (size_t i = 0; i < runs.size(); ++i) row.push_back(cell(i, key));
      bool differs = false;
      for (size_t i = 2; i < row.size(); ++i) differs |= row[i] != row[1];
      if (differs || !only_differing) table.add_row(row);
    }
    return table;
  };

  std::set<std::string> param_keys, record_keys, metric_keys;
  for (size_t i = 0; i < runs.size(); ++i) {
    for (const auto& [key, value] : runs[i].params) param_keys.insert(key);
    for (const auto& [key, value] : records[i])
      if (record_key_affects_results(key) && key != "config.hash") record_keys.insert(key);
    for (const auto& [key, value] : runs[i].metrics) metric_keys.insert(key);
  }
  const bool all = values.count("all-params") > 0;
  std::cout << "runs: ";
  for (size_t i = 0; i < runs.size(); ++i)
    std::cout << (i ? ", " : "") << runs[i].info.id << " \"" << runs[i].info.name << "\" ("
              << run_status_name(runs[i].info.status) << ")";
  std::cout << "\n";
  const TextTable params = table_of(
      param_keys, [&](size_t i, const std::string& key) { return runs[i].params.count(key) ? runs[i].params.at(key) : "-"; }, !all);
  std::cout << "\n" << (all ? "params" : "params that differ") << ":\n"
            << (params.rows() ? params.render() : "  none: the same resolved config\n");
  const TextTable record = table_of(
      record_keys, [&](size_t i, const std::string& key) { return records[i].count(key) ? records[i].at(key) : "-"; }, true);
  std::cout << "\nrecord entries that differ (code, data, libraries, backend, threads):\n"
            << (record.rows() ? record.render() : "  none\n");
  metric_keys.insert("epochs");
  const TextTable metrics = table_of(
      metric_keys,
      [&](size_t i, const std::string& key) {
        if (key == "epochs") return std::to_string(runs[i].epochs);
        return runs[i].metrics.count(key) ? format_metric(runs[i].metrics.at(key)) : std::string("-");
      },
      false);
  std::cout << "\nfinal metrics:\n" << metrics.render();

  // Runs that differ only in seeds are one variant (mean ± std over them).
  // This is the report's fallback table of headline scores, not the per-image
  // statistics `seglab report` writes when the runs have evals: the label
  // says so, so nobody quotes it as the report's numbers.
  ReportSelection selection;
  for (const auto& run : runs) selection.run_ids.push_back(run.info.id);
  const auto report_runs = select_report_runs(run_store, selection);
  const auto variants = group_variants(report_runs, varied_keys(report_runs));
  std::cout << "\nmeans over seeds of each run's headline scores (seglab report gives per-image statistics):\n"
            << terminal_table(without_empty_columns(results_table(variants, ReportOptions{}.scores)));
  return 0;
}

}  // namespace seglab
