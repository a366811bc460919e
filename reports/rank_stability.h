#pragma once
// How stable a ranking of variants is under resampling of the images
// (bootstrap rank stability, as in the Medical Segmentation Decathlon and
// challengeR's ranking-robustness plots; Wiesenfarth et al., Scientific
// Reports 2021): on each bootstrap resample (reports/bootstrap.h) the K
// variants are ranked by their mean score over the resampled images, and
// the result counts how often each variant takes each rank.
#include <cstddef>
#include <vector>

#include "reports/bootstrap.h"

namespace seglab {

enum class Better { higher, lower };  // Dice: higher; HD95: lower

struct RankStability {
  // frequency[v][r]: the share of resamples in which variant v took rank r
  // (0 = best). Each row and each column sums to 1. Variants whose means tie
  // on a resample share the ranks they span equally (two tied for first:
  // 1/2 of rank 0 and 1/2 of rank 1 each).
  std::vector<std::vector<double>> frequency;
  size_t n_images = 0;      // images resampled
  size_t n_nan_images = 0;  // images left out: NaN for some variant
  BootstrapOptions bootstrap;
};

// scores[v][i]: variant v's score on image i; every variant scored the same
// images in the same order. Images with a NaN score for any variant are left
// out (the ranking compares variants on the same images). Throws DataError
// for no variants, variants of different lengths, fewer than 2 images left,
// an infinite score, or bad options.
RankStability bootstrap_rank_stability(const std::vector<std::vector<double>>& scores, Better better,
                                       const BootstrapOptions& options = {});

// The rank-share row of each variant for one set of means: k variants tied
// over ranks [r, r + k) get 1/k of each of those ranks, added into `counts`.
void add_rank_shares(const std::vector<double>& means, Better better, std::vector<std::vector<double>>& counts);

}  // namespace seglab
