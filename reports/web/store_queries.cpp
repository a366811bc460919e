#include "reports/web/store_queries.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>

#include "core/text.h"
#include "reports/web/http_error.h"
#include "reports/web/store_files.h"
#include "tracking/run_store.h"

namespace fs = std::filesystem;
using nlohmann::json;

namespace seglab {
namespace {

// Catalog values are numbers where they parse as one, so pages can sort them.
json param_value(const std::string& text) {
  try {
    size_t used = 0;
    const double value = std::stod(text, &used);
    if (used == text.size()) return value;
  } catch (const std::exception&) {
  }
  return text;
}

std::vector<std::string> split_csv_line(const std::string& line) {
  std::vector<std::string> cells;
  std::stringstream in(line);
  std::string cell;
  while (std::getline(in, cell, ',')) cells.push_back(cell);
  if (!line.empty() && line.back() == ',') cells.emplace_back();
  return cells;
}

// A CSV written by `seglab eval` as {"columns": [...], "rows": [[...], ...]}.
json read_csv(const std::string& path) {
  std::ifstream in(path);
  json table = {{"columns", json::array()}, {"rows", json::array()}};
  std::string line;
  if (!std::getline(in, line)) return table;
  for (const auto& name : split_csv_line(line)) table["columns"].push_back(name);
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    json row = json::array();
    for (const auto& cell : split_csv_line(line)) row.push_back(param_value(cell));
    table["rows"].push_back(row);
  }
  return table;
}

json run_json(const RunInfo& r) {
  return {{"id", r.id},           {"name", r.name},       {"status", run_status_name(r.status)},
          {"created_at", r.created_at}, {"ended_at", r.ended_at}, {"error", r.error},
          {"config_hash", r.config_hash}, {"command", r.command}, {"host", r.host},
          {"pid", r.pid}, {"sweep", r.sweep_id}};
}

bool valid_id_text(const std::string& id) {
  return !id.empty() && id.size() <= 64 &&
         std::all_of(id.begin(), id.end(), [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_'; });
}

}  // namespace

StoreQueries::StoreQueries(std::string store_root) : root_(std::move(store_root)) {}

RunStore& StoreQueries::store() const {
  thread_local std::map<std::string, std::unique_ptr<RunStore>> stores;
  auto& slot = stores[root_];
  if (!slot) slot = std::make_unique<RunStore>(root_);
  return *slot;
}

std::string StoreQueries::resolve_run_id(const std::string& id) const {
  if (!valid_id_text(id)) throw HttpError(400, "bad run id", id, "run ids are letters, digits, '-' and '_'");
  if (store().catalog().has_run(id)) return id;
  try {
    return store().catalog().find_run(id).id;
  } catch (const StoreError& e) {
    throw HttpError(404, e.reason(), "run " + id, "see /api/runs for the runs in this store");
  }
}

std::string StoreQueries::run_status(const std::string& id) const {
  return run_status_name(store().catalog().find_run(id).status);
}

json StoreQueries::runs() const {
  auto& catalog = store().catalog();
  json list = json::array();
  for (const auto& info : catalog.list_runs()) {
    json run = run_json(info);
    run["epochs"] = catalog.metrics(info.id, "train.epoch_loss").size();
    json metrics = json::object();
    for (const auto& [key, value] : catalog.latest_metrics(info.id)) metrics[key] = value;
    run["metrics"] = metrics;
    json params = json::object();
    for (const auto& [key, value] : catalog.params(info.id)) params[key] = param_value(value);
    run["params"] = params;
    list.push_back(run);
  }
  return {{"store", root_}, {"runs", list}};
}

json StoreQueries::run(const std::string& requested) const {
  const std::string id = resolve_run_id(requested);
  auto& catalog = store().catalog();
  const RunInfo info = catalog.find_run(id);
  json run = run_json(info);
  json params = json::object(), record = json::object(), metrics = json::object();
  for (const auto& [key, value] : catalog.params(id)) params[key] = param_value(value);
  for (const auto& [key, value] : catalog.record(id)) record[key] = value;
  for (const auto& [key, value] : catalog.latest_metrics(id)) metrics[key] = value;
  run["params"] = params;
  run["record"] = record;
  run["metrics"] = metrics;
  run["epochs"] = catalog.metrics(id, "train.epoch_loss").size();

  // Evaluations written by `seglab eval`: runs/<id>/eval/<data>-<checkpoint>/.
  json evals = json::array();
  const fs::path eval_root = fs::path(store().run_dir(id)) / "eval";
  std::error_code ec;
  std::vector<fs::path> eval_dirs;
  if (fs::is_directory(eval_root, ec))
    for (const auto& entry : fs::directory_iterator(eval_root, ec))
      if (entry.is_directory()) eval_dirs.push_back(entry.path());
  std::sort(eval_dirs.begin(), eval_dirs.end());
  for (const auto& dir : eval_dirs) {
    json eval = {{"name", dir.filename().string()}};
    eval["summary"] = read_csv((dir / "summary.csv").string());
    eval["per_image"] = read_csv((dir / "per_image.csv").string());
    json masks = json::array();
    std::vector<std::string> names;
    if (fs::is_directory(dir / "masks", ec))
      for (const auto& entry : fs::directory_iterator(dir / "masks", ec))
        if (entry.is_regular_file()) names.push_back(entry.path().filename().string());
    std::sort(names.begin(), names.end());
    for (const auto& name : names) masks.push_back("eval/" + dir.filename().string() + "/masks/" + name);
    eval["masks"] = masks;
    evals.push_back(eval);
  }
  run["evals"] = evals;
  json files = json::array();
  for (const char* name : {"config.ini", "log.txt", "run.h5"})
    if (fs::is_regular_file(fs::path(store().run_dir(id)) / name, ec)) files.push_back(name);
  run["files"] = files;
  return run;
}

json StoreQueries::metrics(const std::string& requested, const std::string& key) const {
  const std::string id = resolve_run_id(requested);
  json by_key = json::object();
  for (const auto& point : store().catalog().metrics(id, key)) {
    json& series = by_key[point.key];
    if (series.is_null()) series = {{"step", json::array()}, {"epoch", json::array()}, {"value", json::array()}, {"wall_time", json::array()}};
    series["step"].push_back(point.step);
    series["epoch"].push_back(point.epoch);
    series["value"].push_back(point.value);
    series["wall_time"].push_back(point.wall_time);
  }
  return {{"run", id}, {"status", run_status(id)}, {"metrics", by_key}};
}

json StoreQueries::sweep(const std::string& requested) const {
  if (!valid_id_text(requested)) throw HttpError(400, "bad sweep id", requested, "sweep ids are letters, digits, '-' and '_'");
  auto& catalog = store().catalog();
  SweepInfo info;
  try {
    info = catalog.find_sweep(requested);
  } catch (const StoreError& e) {
    throw HttpError(404, e.reason(), "sweep " + requested, "the runs table's sweep column lists this store's sweeps");
  }
  json runs = json::array();
  json counts = json::object();
  for (const auto& r : catalog.sweep_runs(info.id)) {
    json run = run_json(r);
    run["job_key"] = r.job_key;
    json metrics = json::object();
    for (const auto& [key, value] : catalog.latest_metrics(r.id)) metrics[key] = value;
    run["metrics"] = metrics;
    runs.push_back(run);
    const std::string status = run_status_name(r.status);
    counts[status] = counts.value(status, 0) + 1;
  }
  return {{"id", info.id}, {"name", info.name}, {"file", info.file}, {"created_at", info.created_at},
          {"spec", info.spec}, {"status_counts", counts}, {"runs", runs}};
}

std::string StoreQueries::run_file(const std::string& requested, const std::string& relative) const {
  const std::string id = resolve_run_id(requested);
  return file_inside(store().run_dir(id), relative);
}

}  // namespace seglab
