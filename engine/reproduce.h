#pragma once
// `seglab reproduce <id>`: re-runs a recorded run from its record (the
// resolved config it stored) into a new run whose parent is the original;
// before training it reports every difference in code version, data
// fingerprint, libraries, backend, device or threads, and afterwards it
// compares every metric point of the two runs (the CLI shows the comparison).
#include <ostream>
#include <string>
#include <vector>

#include "engine/trainer.h"

namespace seglab {

struct RecordDifference {
  std::string key;
  std::string recorded;  // "" when absent
  std::string now;
};

// Keys that can change a run's numbers and differ between two records.
std::vector<RecordDifference> record_differences(const RunRecord& recorded, const RunRecord& now);

struct MetricComparison {
  std::string key;
  double original = 0, reproduced = 0;  // last values
  size_t points = 0;                    // points compared
  size_t differing_points = 0;          // points whose values are not bitwise equal
  double largest_difference = 0;        // largest |reproduced - original| over points both runs have
  int64_t largest_difference_step = 0;  // the step where it is
  bool timing = false;                  // wall-clock figures, never compared
  bool missing = false;                 // only one run has the key
};

// Compares two runs' metric points key by key (matched by key and step).
std::vector<MetricComparison> compare_run_metrics(const Catalog& catalog, const std::string& original,
                                                  const std::string& reproduced);

struct ReproduceResult {
  std::string original_id;
  TrainResult run;
  std::vector<RecordDifference> differences;
  std::vector<MetricComparison> metrics;
  size_t compared_points = 0;   // over every metric but timing ones
  size_t differing_points = 0;  // not bitwise equal, or in one run only
  // The metric point that moved most (by |reproduced - original|); "" when none differ.
  std::string largest_difference_key;
  int64_t largest_difference_step = 0;
  double largest_difference = 0;
  bool identical = false;  // every compared point bitwise equal
};

// Trains the reproduction; the record's differences are written to `out`
// before training starts (as the trainer writes its progress), the metric
// comparison is returned.
ReproduceResult reproduce(RunStore& store, const std::string& id_or_prefix, const TrainOptions& options,
                          std::ostream& out);

}  // namespace seglab
