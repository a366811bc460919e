#include <algorithm>
#include <cmath>
#include <filesystem>
#include <iostream>
#include <set>

#include "core/error.h"
#include "core/text.h"
#include "engine/cli/command_options.h"
#include "engine/cli/runs_actions.h"
#include "reports/sparkline.h"
#include "reports/text_table.h"
#include "tracking/run_file.h"
#include "tracking/run_query.h"
#include "tracking/run_store.h"

namespace po = boost::program_options;

namespace seglab {
namespace {

std::string human_bytes(int64_t bytes) {
  char text[32];
  if (bytes >= 1 << 20) std::snprintf(text, sizeof text, "%.1f MB", bytes / 1048576.0);
  else if (bytes >= 1 << 10) std::snprintf(text, sizeof text, "%.1f kB", bytes / 1024.0);
  else std::snprintf(text, sizeof text, "%lld B", static_cast<long long>(bytes));
  return text;
}

std::string pad(const std::string& s, size_t width) { return s.size() < width ? s + std::string(width - s.size(), ' ') : s; }

// The split's id lists are long (one id per line); the hashes and counts
// beside them identify the split, so the lists show their size and first ids.
std::string shown_record_value(const std::string& key, const std::string& value) {
  if (!starts_with(key, "data.split_ids.")) return value;
  if (value.empty()) return "(none)";
  const size_t count = static_cast<size_t>(std::count(value.begin(), value.end(), '\n')) + 1;
  std::string head;
  size_t start = 0;
  for (int i = 0; i < 3 && start < value.size(); ++i) {
    size_t end = value.find('\n', start);
    if (end == std::string::npos) end = value.size();
    head += (i ? ", " : "") + value.substr(start, end - start);
    start = end + 1;
  }
  return std::to_string(count) + " ids: " + head + (count > 3 ? ", ..." : "");
}

}  // namespace

int runs_show(const std::vector<std::string>& args) {
  std::string run_id, store;
  po::options_description options("runs show options");
  options.add_options()("run", po::value<std::string>(&run_id), "run id (or a unique prefix)");
  add_store_option(options, store);
  po::positional_options_description positional;
  positional.add("run", 1);
  po::variables_map values;
  if (!parse_command(args, "runs show <id>", options, positional, values)) return 0;
  if (run_id.empty()) throw UsageError("no run id given", "seglab runs show", "see `seglab runs list`");

  RunStore run_store(RunStore::resolve_path(store));
  run_store.catalog().mark_dead_runs();
  const Catalog& catalog = run_store.catalog();
  const RunInfo run = catalog.find_run(run_id);
  const RunSummary summary = summarise_run(catalog, run);
  std::ostream& out = std::cout;

  out << "run " << run.id << " \"" << run.name << "\"  " << run_status_name(run.status) << "\n";
  out << "  created " << run.created_at << (run.ended_at.empty() ? "" : ", ended " + run.ended_at) << ", host "
      << run.host << ", pid " << run.pid << ", resumed " << run.resumes << " time(s)\n";
  if (!run.error.empty()) out << "  error: " << run.error << "\n";
  if (!run.parent_id.empty()) out << "  reproduces run " << run.parent_id << "\n";
  const auto children = catalog.children(run.id);
  if (!children.empty()) out << "  reproduced by " << join(children, ", ") << "\n";
  if (!summary.tags.empty()) out << "  tags: " << join(summary.tags, ", ") << "\n";
  for (const auto& note : catalog.notes(run.id)) out << "  note " << note.created_at << ": " << note.text << "\n";

  out << "\nconfig (hash " << run.config_hash.substr(0, 12) << "):\n";
  for (const auto& [key, value] : summary.params) out << "  " << key << " = " << value << "\n";
  out << "\nrecord:\n";
  for (const auto& [key, value] : catalog.record(run.id)) out << "  " << key << " = " << shown_record_value(key, value) << "\n";

  // Final metrics with the best epoch of each, and the curves as sparklines.
  std::map<std::string, std::vector<MetricPoint>> by_key;
  for (const auto& p : catalog.metrics(run.id))
    if (p.key != "train.loss") by_key[p.key].push_back(p);
  if (!by_key.empty()) {
    out << "\nmetrics over " << summary.epochs << " epoch(s):\n";
    size_t width = 6;
    for (const auto& [key, points] : by_key) width = std::max(width, key.size());
    out << "  " << pad("metric", width) << "  " << pad("final", 8) << "  " << pad("best", 8) << "  epoch  curve\n";
    for (const auto& [key, points] : by_key) {
      const bool lower = ends_with(key, "loss");
      const MetricPoint* best = &points.front();
      std::vector<double> curve;
      for (const auto& p : points) {
        curve.push_back(p.value);
        if (lower ? p.value < best->value : p.value > best->value) best = &p;
      }
      const bool ranked = key.rfind("val.", 0) == 0 || lower;
      out << "  " << pad(key, width) << "  " << pad(format_metric(points.back().value), 8) << "  "
          << pad(ranked ? format_metric(best->value) : "", 8) << "  "
          << pad(ranked ? std::to_string(best->epoch) : "", 5) << "  " << sparkline(curve) << "\n";
    }
  }
  const auto losses = catalog.metrics(run.id, "train.loss");
  if (!losses.empty()) {
    std::vector<double> curve;
    for (const auto& p : losses) curve.push_back(p.value);
    out << "  train.loss per step (" << losses.size() << " steps): " << sparkline(curve, 60) << "\n";
  }

  const std::string file = run_store.run_file(run.id);
  std::error_code ec;
  if (std::filesystem::exists(file, ec)) {
    try {
      out << "\ncheckpoints in run.h5: " << join(list_checkpoints(file), ", ") << "\n";
    } catch (const StoreError& e) {
      out << "\ncheckpoints: " << e.describe() << "\n";
    }
  }
  const auto artifacts = catalog.artifacts(run.id);
  if (!artifacts.empty()) {
    out << "artifacts:";
    for (const auto& a : artifacts) out << " " << a.path << " (" << human_bytes(a.bytes) << ")";
    out << "\n";
  }
  // Per-image scores by source: validation (val_best, val_last) and each eval (eval/<name>).
  const auto image_scores = catalog.image_scores(run.id);
  if (!image_scores.empty()) {
    out << "per-image scores:";
    for (const auto& [source, rows] : image_scores) {
      std::set<std::string> images;
      for (const auto& row : rows) images.insert(row.image_id);
      out << " " << source << " (" << images.size() << " images)";
    }
    out << "\n";
  }
  return 0;
}

}  // namespace seglab
