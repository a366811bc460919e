#pragma once
// The runs a report is made from, read from the store only (catalog.db and
// each run's run.h5), and their grouping into variants: runs whose
// configurations differ only in experiment.seed and data.fold are the seeds
// and folds of one variant (issue 24: a variant is the config less fold and
// seed, and its folds are pooled).
#include <map>
#include <string>
#include <vector>

#include "tracking/eval_record.h"
#include "tracking/bench_record.h"
#include "tracking/run_file.h"
#include "tracking/run_info.h"
#include "tracking/run_store.h"

namespace seglab {

struct ReportSelection {
  std::vector<std::string> run_ids;  // ids or unique prefixes
  std::vector<std::string> where;    // "key=value": a param, or status/name
  std::string sweep;                 // a sweep id ("" = none)
};

struct ReportRun {
  RunInfo info;
  std::map<std::string, std::string> params;
  std::map<std::string, std::string> record;
  std::map<std::string, Curve> curves;          // by epoch, from run.h5
  std::map<std::string, double> final_metrics;  // last value of each key
  std::vector<EvalRecord> evals;                // `seglab eval`s, oldest first
  // Per-image scores of each eval, by source "eval/<name>" (training's
  // "val@epoch<k>" sources are not loaded: reports use evals only).
  std::map<std::string, std::vector<ImageScore>> eval_scores;
  std::vector<BenchRecord> bench;               // `seglab bench` measurements, oldest first
  std::string dir;                              // runs/<id>
};

// Runs matching the selection, in creation order. Throws UsageError when the
// selection is empty or names an unknown run.
std::vector<ReportRun> select_report_runs(const RunStore& store, const ReportSelection& selection);

// Keys that make variants: params whose values differ between runs, except
// experiment.seed, data.fold and experiment.name (which only repeat a
// variant or split it into folds). Other seeds (data.split_seed,
// data.synthetic_seed) change the images and so make variants.
std::vector<std::string> varied_keys(const std::vector<ReportRun>& runs);
bool is_repeat_key(const std::string& key);

struct Variant {
  std::string label;  // "encoder=resnet34, lr=0.001" (short keys), or the run name
  std::vector<const ReportRun*> runs;
};
// Groups runs by their values of `keys`, in order of first appearance.
std::vector<Variant> group_variants(const std::vector<ReportRun>& runs, const std::vector<std::string>& keys);

}  // namespace seglab
