#pragma once
// One `seglab eval` of a run as the catalog keeps it: the options it ran with
// (so evals with and without TTA, post-processing or another threshold can be
// told apart and compared), where its results folder is, and its summary.
#include <cstdint>
#include <map>
#include <string>

namespace seglab {

struct EvalSummaryValue {
  double mean = 0;
  double std = 0;     // population std over images
  double pooled = 0;  // over all pixels; NaN where pooling means nothing (HD95)
};

struct EvalRecord {
  int64_t id = 0;  // assigned by the catalog
  std::string run_id;
  std::string name;        // the results folder, runs/<id>/eval/<name>
  std::string created_at;  // ISO 8601, UTC
  int64_t images = 0;
  std::map<std::string, std::string> options;  // data, checkpoint, threshold, tta, postprocess, ...
  std::map<std::string, EvalSummaryValue> metrics;
};

}  // namespace seglab
