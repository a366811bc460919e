#pragma once
// methods.tex: the protocol of a report as a paragraph for a thesis' methods
// chapter, every fact read from the runs' records, params and evals (none
// written in here): data set and fingerprint, split sizes and seeds,
// stratification, folds, seeds per variant, checkpoint, threshold and
// post-processing choice, the metric definitions, the tests, and the seglab,
// LibTorch and oneDNN versions. Where a fact is not recorded it says what
// was used instead.
#include <string>
#include <vector>

#include "reports/variant_comparison.h"

namespace seglab {

struct MethodsInput {
  const std::vector<ReportRun>* runs = nullptr;
  const ScoreSelection* selection = nullptr;
  std::vector<std::string> metrics;  // reported, in table order
  ComparisonOptions options;
  size_t images = 0;  // n compared
};

// LaTeX text (no preamble; needs nothing beyond a plain article) to \input.
std::string methods_tex(const MethodsInput& input);

}  // namespace seglab
