#include <algorithm>
#include <cmath>
#include <iostream>

#include "core/error.h"
#include "core/text.h"
#include "engine/cli/command_options.h"
#include "engine/cli/runs_actions.h"
#include "reports/text_table.h"
#include "tracking/run_query.h"
#include "tracking/run_store.h"

namespace po = boost::program_options;

namespace seglab {

int runs_list(const std::vector<std::string>& args) {
  std::string store, sort;
  std::vector<std::string> where;
  size_t limit = 0;
  po::options_description options("runs list options");
  options.add_options()("where", po::value<std::vector<std::string>>(&where)->composing(),
                        "keep runs where key<op>value (op = != < <= > >=); keys: params (model.encoder), final "
                        "metrics (val.dice), status, name, tag, parent, epochs; repeat to combine")(
      "sort", po::value<std::string>(&sort), "sort by a key: metrics best first (*loss lowest first), others ascending")(
      "reverse", "reverse the sort order")("limit", po::value<size_t>(&limit), "show at most this many runs");
  add_store_option(options, store);
  po::positional_options_description positional;
  po::variables_map values;
  if (!parse_command(args, "runs list [--where key=value]... [--sort key] [--reverse] [--limit n]", options, positional,
                     values))
    return 0;
  std::vector<RunCondition> conditions;
  for (const auto& w : where) conditions.push_back(parse_condition(w));

  RunStore run_store(RunStore::resolve_path(store));
  run_store.catalog().mark_dead_runs();
  std::vector<RunSummary> runs;
  for (const auto& info : run_store.catalog().list_runs()) {
    RunSummary summary = summarise_run(run_store.catalog(), info);
    if (std::all_of(conditions.begin(), conditions.end(), [&](const RunCondition& c) { return c.matches(summary); }))
      runs.push_back(std::move(summary));
  }
  if (!sort.empty()) sort_runs(runs, sort, values.count("reverse") > 0);
  else if (values.count("reverse")) std::reverse(runs.begin(), runs.end());
  if (limit > 0 && runs.size() > limit) runs.resize(limit);
  if (runs.empty()) {
    std::cout << (conditions.empty() ? "no runs in " + run_store.display() : std::string("no runs match")) << "\n";
    return 0;
  }

  // The filter and sort keys become columns, so the list shows why a run is in it.
  std::vector<std::string> extra;
  auto add_extra = [&](const std::string& key) {
    static const char* const shown[] = {"id", "name", "status", "created", "epochs", "val.dice", "train.epoch_loss", "tag"};
    if (std::find(std::begin(shown), std::end(shown), key) == std::end(shown) &&
        std::find(extra.begin(), extra.end(), key) == extra.end())
      extra.push_back(key);
  };
  for (const auto& c : conditions) add_extra(c.key);
  if (!sort.empty()) add_extra(sort);
  const bool any_tags = std::any_of(runs.begin(), runs.end(), [](const RunSummary& r) { return !r.tags.empty(); });
  const bool any_parent = std::any_of(runs.begin(), runs.end(), [](const RunSummary& r) { return !r.info.parent_id.empty(); });

  std::vector<std::string> headers{"id", "name", "status", "created (UTC)", "epochs", "val.dice", "train.loss"};
  for (const auto& key : extra) headers.push_back(key);
  if (any_parent) headers.push_back("parent");
  if (any_tags) headers.push_back("tags");
  TextTable table(headers);
  for (const auto& run : runs) {
    auto metric = [&](const char* key) { return run.metrics.count(key) ? run.metrics.at(key) : NAN; };
    std::vector<std::string> row{run.info.id, run.info.name, run_status_name(run.info.status), run.info.created_at,
                                 std::to_string(run.epochs), format_metric(metric("val.dice")),
                                 format_metric(metric("train.epoch_loss"))};
    for (const auto& key : extra) {
      if (run.metrics.count(key)) row.push_back(format_metric(run.metrics.at(key)));
      else row.push_back(run.text(key).value_or("-"));
    }
    if (any_parent) row.push_back(run.info.parent_id.empty() ? "-" : run.info.parent_id);
    if (any_tags) row.push_back(run.tags.empty() ? "-" : join(run.tags, ","));
    table.add_row(row);
  }
  std::cout << table.render();
  return 0;
}

}  // namespace seglab
