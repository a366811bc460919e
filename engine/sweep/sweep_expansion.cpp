#include "engine/sweep/sweep_expansion.h"

#include <algorithm>
#include <cstdlib>
#include <optional>
#include <map>

#include "core/error.h"
#include "core/rng.h"
#include "core/text.h"

namespace seglab {

std::string SweepJob::label() const {
  std::vector<std::string> parts;
  for (const auto& [key, value] : assignments) parts.push_back(key + "=" + (value.find(',') != std::string::npos || value.empty() ? "[" + value + "]" : value));
  return join(parts, " ");
}

namespace {

using Assignments = std::vector<std::pair<std::string, std::string>>;

struct Origins {
  std::map<std::string, std::string> of;  // key -> "file:line" of its [sweep] line
};

Config resolve_job(const RawConfig& base, const Assignments& assignments, const Origins& origins,
                   const ConfigSchema& schema) {
  RawConfig raw = base;
  for (const auto& [key, value] : assignments) raw.set(key, value, origins.of.at(key));
  return schema.resolve(raw);
}

// The grid: every combination, first dimension slowest.
std::vector<Assignments> grid_cells(const std::vector<SweepDimension>& dimensions) {
  std::vector<Assignments> cells{{}};
  for (const auto& d : dimensions) {
    if (d.is_distribution())
      throw ConfigError(d.written + " is a distribution, but sweep.method = grid", d.origin + " sweep." + d.key,
                        "list the values (" + d.key + " = a, b), or set sweep.method = random");
    std::vector<Assignments> grown;
    for (const auto& cell : cells)
      for (const auto& value : d.values) {
        Assignments next = cell;
        next.emplace_back(d.key, value);
        grown.push_back(std::move(next));
      }
    cells = std::move(grown);
  }
  return cells;
}

// Random search: trial t draws each key from its own stream, so adding a key or
// a trial never changes what the other keys and earlier trials drew.
std::vector<Assignments> random_cells(const std::vector<SweepDimension>& dimensions, int64_t trials, uint64_t seed) {
  std::vector<Assignments> cells;
  for (int64_t t = 0; t < trials; ++t) {
    const Rng trial(derive_seed(seed, static_cast<uint64_t>(t)));
    Assignments cell;
    for (const auto& d : dimensions) {
      Rng rng = trial.fork(d.key);
      cell.emplace_back(d.key, d.sample(rng));
    }
    cells.push_back(std::move(cell));
  }
  return cells;
}

// Cross-validation as one dimension: data.folds = K in the experiment, with
// data.fold neither written nor varied, runs every fold (data.fold = 1..K) of
// every configuration (each grid cell, each random trial), as a last grid
// dimension data.fold = 1, ..., K would.
std::optional<SweepDimension> implied_fold_dimension(const SweepSpec& spec) {
  const RawEntry* folds = spec.base.find("data.folds");
  if (!folds || spec.base.find("data.fold")) return std::nullopt;
  for (const auto& d : spec.dimensions)
    if (d.key == "data.fold" || d.key == "data.folds") return std::nullopt;
  char* end = nullptr;
  const long count = std::strtol(folds->value.c_str(), &end, 10);
  if (*end != '\0' || count < 1) return std::nullopt;  // the schema names the bad value
  std::string values;
  for (long k = 1; k <= count; ++k) values += (k > 1 ? ", " : "") + std::to_string(k);
  return parse_sweep_dimension("data.fold", values, folds->origin);
}

std::vector<Assignments> over_folds(const std::vector<Assignments>& cells, const SweepDimension& folds) {
  std::vector<Assignments> out;
  for (const auto& cell : cells)
    for (const auto& fold : folds.values) {
      Assignments next = cell;
      next.emplace_back(folds.key, fold);
      out.push_back(std::move(next));
    }
  return out;
}

}  // namespace

SweepPlan expand_sweep(const SweepSpec& spec, const Config& controls, const ConfigSchema& schema) {
  const std::string file = spec.base.source.empty() ? std::string("sweep file") : spec.base.source;
  auto control_origin = [&](const std::string& key) {
    const RawEntry* entry = spec.controls.find(key);
    return (entry ? entry->origin : file) + " " + key;
  };
  Origins origins;
  SweepPlan plan;
  for (const auto& d : spec.dimensions) {
    if (origins.of.count(d.key))
      throw ConfigError("sweep varies " + d.key + " twice", d.origin + " sweep." + d.key, "keep one line for it");
    origins.of[d.key] = d.origin;
    plan.varied_keys.push_back(d.key);
  }
  const std::optional<SweepDimension> folds = implied_fold_dimension(spec);
  if (folds) {
    origins.of[folds->key] = folds->origin;
    plan.varied_keys.push_back(folds->key);
  }

  // Seeds that repeat every configuration.
  const int64_t repeats = controls.get_int("sweep.repeats");
  const std::vector<std::string> seed_list = controls.get_list("sweep.seeds");
  const bool repeated = repeats > 1 || !seed_list.empty();
  if (repeats > 1 && !seed_list.empty())
    throw ConfigError("sweep.repeats and sweep.seeds both given", control_origin("sweep.seeds"),
                      "keep one: repeats = N runs seeds experiment.seed .. +N-1; seeds lists them");
  if (repeated && origins.of.count("experiment.seed"))
    throw ConfigError("experiment.seed is varied and repeated at once", origins.of["experiment.seed"] + " sweep.experiment.seed",
                      "drop sweep.repeats/sweep.seeds, or the experiment.seed line");
  if (repeated) {
    plan.varied_keys.push_back("experiment.seed");
    origins.of["experiment.seed"] = control_origin(seed_list.empty() ? "sweep.repeats" : "sweep.seeds");
    // The origin above already names the key; strip it so messages read "file:line key".
    const std::string& o = origins.of["experiment.seed"];
    origins.of["experiment.seed"] = o.substr(0, o.rfind(' '));
  }
  if (spec.dimensions.empty() && !folds && !repeated)
    throw ConfigError("the [sweep] section varies nothing", file,
                      "add a key with values (model.encoder = plain, resnet18) or sweep.repeats = N");

  // The configurations, before repeats.
  const bool random = controls.get_text("sweep.method") == "random";
  std::vector<Assignments> cells;
  if (random) {
    const int64_t trials = controls.get_int("sweep.trials");
    if (trials < 1)
      throw ConfigError("sweep.method = random needs sweep.trials", control_origin("sweep.method"),
                        "add sweep.trials = N (the number of configurations to draw)");
    cells = random_cells(spec.dimensions, trials, static_cast<uint64_t>(controls.get_int("sweep.seed")));
  } else {
    if (spec.controls.find("sweep.trials"))
      throw ConfigError("sweep.trials is for sweep.method = random", control_origin("sweep.trials"),
                        "remove it, or set sweep.method = random");
    cells = grid_cells(spec.dimensions);
  }
  if (folds) cells = over_folds(cells, *folds);

  // Every value a distribution may produce must pass its option's checks: try
  // both ends (and each choice) in the first configuration's context.
  if (!cells.empty()) {
    for (size_t i = 0; i < spec.dimensions.size(); ++i) {
      const SweepDimension& d = spec.dimensions[i];
      if (!random && !d.is_distribution()) continue;  // grid values are all resolved below
      for (const auto& value : d.values_to_check()) {
        Assignments probe = cells.front();
        probe[i].second = value;
        resolve_job(spec.base, probe, origins, schema);
      }
    }
  }

  std::map<std::string, size_t> index_of_key;
  for (const auto& cell : cells) {
    std::vector<Assignments> repeated_cells;
    if (!repeated) {
      repeated_cells.push_back(cell);
    } else if (!seed_list.empty()) {
      for (const auto& seed : seed_list) {
        Assignments a = cell;
        a.emplace_back("experiment.seed", seed);
        repeated_cells.push_back(std::move(a));
      }
    } else {
      const int64_t first = resolve_job(spec.base, cell, origins, schema).get_int("experiment.seed");
      for (int64_t r = 0; r < repeats; ++r) {
        Assignments a = cell;
        a.emplace_back("experiment.seed", std::to_string(first + r));
        repeated_cells.push_back(std::move(a));
      }
    }
    for (auto& assignments : repeated_cells) {
      SweepJob job;
      job.config = resolve_job(spec.base, assignments, origins, schema);
      job.key = job.config.short_hash();
      job.assignments = std::move(assignments);
      auto [it, inserted] = index_of_key.emplace(job.key, plan.jobs.size());
      if (!inserted) {
        if (random) {
          ++plan.duplicates_dropped;
          continue;
        }
        throw ConfigError("two cells of the grid are the same configuration: " + plan.jobs[it->second].label() +
                              " and " + job.label(),
                          file, "remove the repeated value from its list");
      }
      plan.jobs.push_back(std::move(job));
    }
  }
  return plan;
}

}  // namespace seglab
