#include <iostream>

#include "core/error.h"
#include "engine/cli/command.h"
#include "engine/cli/command_options.h"
#include "engine/report_samples.h"
#include "reports/report_writer.h"
#include "tracking/run_store.h"

namespace po = boost::program_options;

namespace seglab {

int report_command(const std::vector<std::string>& args) {
  std::string store, out_dir;
  ReportSelection selection;
  ReportOptions report;
  bool no_grid = false;
  uint64_t seed = kReportBootstrapSeed;
  po::options_description options("report options");
  options.add_options()
      ("sweep", po::value<std::string>(&selection.sweep), "the runs of this sweep")
      ("runs", po::value<std::vector<std::string>>(&selection.run_ids)->multitoken(), "these runs (ids or prefixes)")
      ("where", po::value<std::vector<std::string>>(&selection.where), "only runs with key=value (repeatable)")
      ("output,o", po::value<std::string>(&out_dir), "folder for figures, tables and report.md")
      ("pgfplots", po::bool_switch(&report.pgfplots), "also write each figure as pgfplots .tex")
      ("images", po::value<std::vector<std::string>>(&report.grid_images)->multitoken(),
       "image ids for the qualitative grid (default: best, median, worst)")
      ("no-grid", po::bool_switch(&no_grid), "leave out the qualitative grid")
      ("data", po::value<std::string>(&report.data),
       "scores of which eval: val or test (default: test when every run has a test eval, else val); asked for test, "
       "runs without a test eval are left out and named, and it is an error when none has one")
      ("eval", po::value<std::string>(&report.eval),
       "which eval of each run: the latest with this results-folder name, e.g. test-best-tta_d4 (seglab eval <id> "
       "--list; default: the latest plain eval: no TTA, no post-processing, a fixed or configured threshold, original "
       "resolution, the best checkpoint when evaluated)")
      ("baseline", po::value<std::string>(&report.baseline),
       "a variant label or run id; variants significantly worse than it get a dagger")
      ("alpha", po::value<double>(&report.comparison.alpha)->default_value(0.05, "0.05"),
       "family-wise level of the Holm-corrected Wilcoxon tests")
      ("seed", po::value<uint64_t>(&seed)->default_value(kReportBootstrapSeed),
       "seed of the bootstrap resamples (10000 per interval)");
  add_store_option(options, store);
  po::positional_options_description positional;
  po::variables_map values;
  const char* usage =
      "report --sweep <id> | --runs <id>... | --where key=value... -o <dir> [--data val|test] [--eval <name>] "
      "[--baseline <variant>] [--pgfplots]";
  if (!parse_command(args, usage, options, positional, values)) return 0;
  if (out_dir.empty()) throw UsageError("no output folder", "seglab report", std::string("give -o <dir>; usage: seglab ") + usage);
  if (selection.sweep.empty() && selection.run_ids.empty() && selection.where.empty())
    throw UsageError("no runs selected", "seglab report", "give --sweep <id>, --runs <id>... or --where key=value");
  report.out_dir = out_dir;
  report.grid = !no_grid;
  report.comparison.bootstrap.seed = seed;
  if (!(report.comparison.alpha > 0 && report.comparison.alpha < 1))
    throw UsageError("alpha must be in (0, 1)", "--alpha", "e.g. --alpha 0.05");

  RunStore run_store(RunStore::resolve_path(store));
  const auto runs = select_report_runs(run_store, selection);
  const ReportOutput output = write_report(runs, report, make_report_sample_source(run_store));
  std::cout << runs.size() << " run(s) in " << output.variants << " variant(s)\n";
  for (const auto& statement : output.statements) std::cout << statement << "\n";
  std::cout << terminal_table(output.table);
  for (const auto& note : output.notes) std::cout << "left out: " << note << "\n";
  std::cout << "wrote " << output.files.size() << " files to " << out_dir << " (index: " << out_dir << "/report.md)\n";
  return 0;
}

}  // namespace seglab
