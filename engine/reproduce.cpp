#include "engine/reproduce.h"

#include <cmath>
#include <cstring>
#include <set>

#include "core/error.h"
#include "core/text.h"
#include "engine/run_loader.h"
#include "reports/text_table.h"

namespace seglab {
namespace {

bool is_timing_metric(const std::string& key) { return ends_with(key, "images_per_second") || ends_with(key, "seconds"); }

bool same_bits(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }

std::string show(const std::string& value) { return value.empty() ? "(none)" : value; }

}  // namespace

std::vector<RecordDifference> record_differences(const RunRecord& recorded, const RunRecord& now) {
  std::set<std::string> keys;
  for (const auto& [key, value] : recorded) keys.insert(key);
  for (const auto& [key, value] : now) keys.insert(key);
  std::vector<RecordDifference> out;
  for (const auto& key : keys) {
    if (!record_key_affects_results(key)) continue;
    const std::string a = recorded.count(key) ? recorded.at(key) : "";
    const std::string b = now.count(key) ? now.at(key) : "";
    if (a != b) out.push_back({key, a, b});
  }
  return out;
}

std::vector<MetricComparison> compare_run_metrics(const Catalog& catalog, const std::string& original,
                                                  const std::string& reproduced) {
  std::map<std::string, std::map<int64_t, double>> a, b;
  for (const auto& p : catalog.metrics(original)) a[p.key][p.step] = p.value;
  for (const auto& p : catalog.metrics(reproduced)) b[p.key][p.step] = p.value;
  std::set<std::string> keys;
  for (const auto& [key, points] : a) keys.insert(key);
  for (const auto& [key, points] : b) keys.insert(key);
  std::vector<MetricComparison> out;
  for (const auto& key : keys) {
    MetricComparison c;
    c.key = key;
    c.timing = is_timing_metric(key);
    c.missing = !a.count(key) || !b.count(key);
    c.original = a.count(key) ? a[key].rbegin()->second : NAN;
    c.reproduced = b.count(key) ? b[key].rbegin()->second : NAN;
    if (!c.timing && !c.missing) {
      std::set<int64_t> steps;
      for (const auto& [step, value] : a[key]) steps.insert(step);
      for (const auto& [step, value] : b[key]) steps.insert(step);
      for (int64_t step : steps) {
        ++c.points;
        if (!a[key].count(step) || !b[key].count(step) || !same_bits(a[key][step], b[key][step])) ++c.differing_points;
      }
    }
    out.push_back(c);
  }
  return out;
}

ReproduceResult reproduce(RunStore& store, const std::string& id_or_prefix, const TrainOptions& options,
                          std::ostream& out) {
  const RunInfo original = store.catalog().find_run(id_or_prefix);
  if (original.status == RunStatus::running)
    throw StoreError("run " + original.id + " is still running", store.catalog().path(),
                     "reproduce it once it has finished");
  const Config config = recorded_config(store, original.id);
  const RunRecord recorded = store.catalog().record(original.id);
  ReproduceResult result;
  TrainOptions train_options = options;
  train_options.parent_id = original.id;
  train_options.on_record = [&](const RunRecord& now) {
    result.differences = record_differences(recorded, now);
    if (config.hash() != original.config_hash)
      result.differences.push_back({"config.hash (re-resolved)", original.config_hash, config.hash()});
    out << "reproducing run " << original.id << " \"" << original.name << "\" (" << run_status_name(original.status)
        << ")\n";
    if (result.differences.empty()) {
      out << "same code, data, libraries, backend, device and threads as the original\n";
    } else {
      out << result.differences.size() << " difference(s) from the original's record; numbers may differ:\n";
      for (const auto& d : result.differences)
        out << "  " << d.key << ": " << show(d.recorded) << " -> " << show(d.now) << "\n";
    }
    out.flush();
  };
  result.run = train(config, store, train_options);
  if (result.run.status != RunStatus::finished) return result;

  result.metrics = compare_run_metrics(store.catalog(), original.id, result.run.run_id);
  TextTable table({"metric", original.id, result.run.run_id, "difference", "points"});
  size_t compared = 0, differing = 0;
  for (const auto& m : result.metrics) {
    std::string verdict;
    if (m.timing) verdict = "timing, not compared";
    else if (m.missing) verdict = "only in one run";
    else if (m.differing_points == 0) verdict = "identical (" + std::to_string(m.points) + ")";
    else verdict = std::to_string(m.differing_points) + " of " + std::to_string(m.points) + " differ";
    if (!m.timing) {
      compared += m.points;
      differing += m.missing ? 1 : m.differing_points;
    }
    const double delta = m.reproduced - m.original;
    table.add_row({m.key, format_metric(m.original, 6), format_metric(m.reproduced, 6),
                   m.timing || m.missing ? "-" : (delta == 0 ? "0" : format_number(delta)), verdict});
  }
  out << "metric by metric (last values; every point compared bit for bit):\n" << table.render();
  result.identical = differing == 0;
  out << (result.identical ? "bitwise identical: all " + std::to_string(compared) + " metric points"
                           : std::to_string(differing) + " of " + std::to_string(compared) + " metric points differ")
      << "; reproduction is run " << result.run.run_id << " (parent " << original.id << ")\n";
  return result;
}

}  // namespace seglab
