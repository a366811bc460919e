#include "engine/reproduce.h"

#include <cmath>
#include <cstring>
#include <filesystem>
#include <set>

#include "core/error.h"
#include "core/text.h"
#include "engine/run_loader.h"

namespace seglab {
namespace {

bool is_timing_metric(const std::string& key) { return ends_with(key, "images_per_second") || ends_with(key, "seconds"); }

bool same_bits(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }

std::string show(const std::string& value) { return value.empty() ? "(none)" : value; }

// A recorded encoder weights file that is gone stops the reproduction before
// anything runs, naming the file and the hash the original had; one that
// differs is reported with the other record differences (its SHA-256).
void check_encoder_weights_file(const Config& config, const RunRecord& recorded, const std::string& id) {
  const std::string& path = config.get_text("model.encoder_weights");
  const auto sha = recorded.find("model.encoder_weights_sha256");
  if (path.empty() || std::filesystem::exists(path)) return;
  throw DataError("run " + id + " imported encoder weights (model.encoder_weights) from a file that is missing now" +
                      (sha == recorded.end() ? std::string() : " (it had SHA-256 " + sha->second + ")"),
                  path, "put the same file back at model.encoder_weights, or reproduce with a copy of the run's config");
}

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
      bool any_value_differs = false;
      for (const auto& [step, value] : a[key]) steps.insert(step);
      for (const auto& [step, value] : b[key]) steps.insert(step);
      for (int64_t step : steps) {
        ++c.points;
        if (!a[key].count(step) || !b[key].count(step)) {
          ++c.differing_points;
          continue;
        }
        if (same_bits(a[key][step], b[key][step])) continue;
        ++c.differing_points;
        const double difference = std::abs(b[key][step] - a[key][step]);
        // NaN on one side only: as large as a difference can be.
        const double size = std::isnan(difference) ? INFINITY : difference;
        if (!any_value_differs || size > c.largest_difference) {
          c.largest_difference = size;
          c.largest_difference_step = step;
        }
        any_value_differs = true;
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
  check_encoder_weights_file(config, recorded, original.id);
  ReproduceResult result;
  result.original_id = original.id;
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
  for (const auto& m : result.metrics) {
    if (m.timing) continue;
    result.compared_points += m.points;
    result.differing_points += m.missing ? 1 : m.differing_points;
    if (m.differing_points > 0 &&
        (result.largest_difference_key.empty() || m.largest_difference > result.largest_difference)) {
      result.largest_difference = m.largest_difference;
      result.largest_difference_key = m.key;
      result.largest_difference_step = m.largest_difference_step;
    }
  }
  result.identical = result.differing_points == 0;
  return result;
}

}  // namespace seglab
