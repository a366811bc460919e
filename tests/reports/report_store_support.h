#pragma once
// A store made by code for report tests: two variants (encoder plain and
// resnet34) with two seeds each, curves, evaluations with per-image scores,
// confusion matrices and predicted masks, all with known values.
#include <map>
#include <opencv2/core.hpp>
#include <string>
#include <vector>

#include "reports/qualitative_grid.h"
#include "tracking/run_store.h"

namespace seglab::test {

struct FakeRun {
  std::string id, encoder;
  int seed;
  double final_dice;  // val.dice of the last epoch and eval.val.dice
};
// Runs: plain seeds 1, 2 -> dice 0.80, 0.84; resnet34 seeds 1, 2 -> 0.90, 0.92.
const std::vector<FakeRun>& fake_runs();

// Fills `root` with the runs above (catalog, run.h5 curves, eval folders).
void make_report_store(const std::string& root);

// A run whose validation Dice curve is `dice` (epochs 1, 2, ...), in run.h5
// only: no final metrics, record or evaluation, so a report on such runs draws
// the curves and little else.
struct CurveRun {
  std::string id, encoder;
  int seed;
  std::vector<double> dice;
};
void make_curve_store(const std::string& root, const std::vector<CurveRun>& runs);

// Images and circular ground truth for ids "img0".."img4".
SampleSource fake_sample_source();
cv::Mat fake_truth(int index);

}  // namespace seglab::test

namespace seglab::test {

// A run with recorded per-image scores of one plain `seglab eval` (threshold
// 0.45 from the config, no TTA, no post-processing), written to the catalog
// as the evaluator writes them (an eval row and source "eval/<data>-best"),
// with a full record for methods.tex.
struct ScoredRun {
  std::string id, encoder;
  int seed = 1;
  std::string fold;                      // "" or "2 of 3"
  std::string data = "test";             // the eval's data part
  std::map<std::string, double> dice;    // image id -> Dice; IoU is Dice * 0.9
  bool boundary = false;                 // also Boundary IoU (Dice * 0.8) and NSD (Dice * 0.95)
  // > 0: also a later tuned eval of the same part, named
  // "<data>-best-tval-tta_d4-largest" (threshold chosen on val, TTA d4, keep
  // largest), scoring every image's Dice `tuned_gain` higher.
  double tuned_gain = 0;
};
void make_scored_store(const std::string& root, const std::vector<ScoredRun>& runs);

// The record every scored run carries (numbers methods.tex must show).
const std::map<std::string, std::string>& scored_record();

}  // namespace seglab::test
