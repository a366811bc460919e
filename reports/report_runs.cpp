#include "reports/report_runs.h"

#include <algorithm>
#include <filesystem>
#include <set>

#include "core/error.h"
#include "core/execution_keys.h"
#include "core/text.h"

namespace seglab {
namespace {

bool matches(const ReportRun& run, const std::string& condition) {
  const auto eq = condition.find('=');
  if (eq == std::string::npos || eq == 0)
    throw UsageError("bad --where '" + condition + "'", "seglab report",
                     "write key=value, e.g. --where model.encoder=resnet34 or --where status=finished");
  const std::string key = trim(condition.substr(0, eq)), value = trim(condition.substr(eq + 1));
  if (key == "status") return run_status_name(run.info.status) == value;
  if (key == "name") return run.info.name == value;
  if (key == "sweep") return run.info.sweep_id == value;
  const auto it = run.params.find(key);
  return it != run.params.end() && it->second == value;
}

ReportRun load_run(const RunStore& store, const RunInfo& info) {
  ReportRun run;
  run.info = info;
  run.params = store.catalog().params(info.id);
  run.record = store.catalog().record(info.id);
  run.final_metrics = store.catalog().latest_metrics(info.id);
  run.bench = store.catalog().bench_records(info.id);
  run.dir = store.run_dir(info.id);
  run.evals = store.catalog().evals(info.id);
  for (auto& [source, scores] : store.catalog().image_scores(info.id))
    if (starts_with(source, "eval/")) run.eval_scores[source] = std::move(scores);
  // A run that died before its first epoch has no run.h5: it has no curves.
  if (std::filesystem::exists(store.run_file(info.id))) run.curves = read_curves(store.run_file(info.id));
  return run;
}

std::string short_key(const std::string& key, const std::vector<std::string>& keys) {
  const std::string last = key.substr(key.rfind('.') + 1);
  int same = 0;
  for (const auto& k : keys) same += k.substr(k.rfind('.') + 1) == last;
  return same == 1 ? last : key;
}

}  // namespace

std::vector<ReportRun> select_report_runs_resolved(const RunStore& store, const ReportSelection& selection);

bool is_repeat_key(const std::string& key) {
  return key == "experiment.seed" || key == "data.fold" || key == "experiment.name";
}

std::vector<ReportRun> select_report_runs(const RunStore& store, const ReportSelection& selection) {
  ReportSelection resolved = selection;
  // A sweep id may be abbreviated like a run id.
  if (!resolved.sweep.empty()) resolved.sweep = store.catalog().find_sweep(resolved.sweep).id;
  return select_report_runs_resolved(store, resolved);
}

std::vector<ReportRun> select_report_runs_resolved(const RunStore& store, const ReportSelection& selection) {
  std::vector<RunInfo> infos;
  if (!selection.run_ids.empty()) {
    std::set<std::string> seen;
    for (const auto& id : selection.run_ids) {
      RunInfo info = store.catalog().find_run(id);
      if (seen.insert(info.id).second) infos.push_back(info);
    }
  } else {
    infos = store.catalog().list_runs();
  }
  std::vector<ReportRun> runs;
  for (const auto& info : infos) {
    ReportRun run = load_run(store, info);
    bool keep = selection.sweep.empty() || matches(run, "sweep=" + selection.sweep);
    for (const auto& condition : selection.where) keep = keep && matches(run, condition);
    if (keep) runs.push_back(std::move(run));
  }
  if (runs.empty()) {
    std::string what = selection.sweep.empty() ? "" : "sweep " + selection.sweep;
    if (!selection.where.empty()) what += (what.empty() ? "" : " and ") + join(selection.where, ", ");
    throw UsageError("no runs match " + (what.empty() ? std::string("(the store is empty)") : what),
                     "store " + store.root(), "see `seglab runs list` for the runs there are");
  }
  std::stable_sort(runs.begin(), runs.end(),
                   [](const ReportRun& a, const ReportRun& b) { return a.info.created_at < b.info.created_at; });
  return runs;
}

std::vector<std::string> varied_keys(const std::vector<ReportRun>& runs) {
  std::map<std::string, std::set<std::string>> values;
  for (const auto& run : runs)
    for (const auto& [key, value] : run.params) values[key].insert(value);
  std::vector<std::string> keys;
  for (const auto& [key, seen] : values) {
    size_t present = 0;
    for (const auto& run : runs) present += run.params.count(key);
    // Workers, cache and threads do not make another experiment: a sweep
    // setting backend.threads and a plain run are one variant.
    if (is_repeat_key(key) || execution_only_key(key)) continue;
    if (seen.size() > 1 || present != runs.size()) keys.push_back(key);
  }
  return keys;
}

std::vector<Variant> group_variants(const std::vector<ReportRun>& runs, const std::vector<std::string>& keys) {
  std::vector<Variant> variants;
  std::map<std::string, size_t> index;
  for (const auto& run : runs) {
    std::vector<std::string> parts;
    for (const auto& key : keys) {
      const auto it = run.params.find(key);
      parts.push_back(short_key(key, keys) + "=" + (it == run.params.end() ? "-" : it->second));
    }
    std::string label = keys.empty() ? run.info.name : join(parts, ", ");
    auto [it, inserted] = index.emplace(label, variants.size());
    if (inserted) variants.push_back({label, {}});
    variants[it->second].runs.push_back(&run);
  }
  return variants;
}

}  // namespace seglab
