#include "reports/rank_stability.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <string>

#include "core/error.h"
#include "reports/score_summary.h"

namespace seglab {
namespace {

// The scores restricted to images every variant has a score for.
std::vector<std::vector<double>> complete_images(const std::vector<std::vector<double>>& scores, size_t& n_nan) {
  const size_t n = scores[0].size();
  std::vector<std::vector<double>> kept(scores.size());
  n_nan = 0;
  for (size_t i = 0; i < n; ++i) {
    bool complete = true;
    for (size_t v = 0; v < scores.size(); ++v) {
      if (std::isinf(scores[v][i]))
        throw DataError("variant " + std::to_string(v) + " has an infinite score on image " + std::to_string(i),
                        "rank stability", "check the metric that produced it");
      complete = complete && !std::isnan(scores[v][i]);
    }
    if (!complete) {
      ++n_nan;
      continue;
    }
    for (size_t v = 0; v < scores.size(); ++v) kept[v].push_back(scores[v][i]);
  }
  return kept;
}

void check_same_images(const std::vector<std::vector<double>>& scores) {
  if (scores.empty()) throw DataError("no variants to rank", "rank stability", "pass at least one variant's scores");
  for (size_t v = 1; v < scores.size(); ++v)
    if (scores[v].size() != scores[0].size())
      throw DataError("variant " + std::to_string(v) + " has " + std::to_string(scores[v].size()) +
                          " scores, variant 0 has " + std::to_string(scores[0].size()),
                      "rank stability", "rank variants scored on the same images");
}

}  // namespace

void add_rank_shares(const std::vector<double>& means, Better better, std::vector<std::vector<double>>& counts) {
  std::vector<size_t> order(means.size());
  std::iota(order.begin(), order.end(), 0);
  const auto ahead = [&](size_t a, size_t b) { return better == Better::higher ? means[a] > means[b] : means[a] < means[b]; };
  std::stable_sort(order.begin(), order.end(), ahead);
  for (size_t start = 0; start < order.size();) {
    size_t end = start + 1;
    while (end < order.size() && means[order[end]] == means[order[start]]) ++end;
    const double share = 1.0 / static_cast<double>(end - start);
    for (size_t k = start; k < end; ++k)
      for (size_t rank = start; rank < end; ++rank) counts[order[k]][rank] += share;
    start = end;
  }
}

RankStability bootstrap_rank_stability(const std::vector<std::vector<double>>& scores, Better better,
                                       const BootstrapOptions& options) {
  check_same_images(scores);
  RankStability r;
  const auto kept = complete_images(scores, r.n_nan_images);
  r.n_images = kept[0].size();
  check_bootstrap_input(r.n_images, options, "rank stability");
  const size_t k = scores.size();
  std::vector<std::vector<double>> counts(k, std::vector<double>(k, 0.0));
  std::vector<double> means(k);
  // One resample of images for all variants: the ranking compares them on
  // the same images.
  for_each_resample(r.n_images, options, [&](const std::vector<size_t>& idx) {
    for (size_t v = 0; v < k; ++v) means[v] = mean_at(kept[v], idx);
    add_rank_shares(means, better, counts);
  });
  for (auto& row : counts)
    for (auto& c : row) c /= static_cast<double>(options.resamples);
  r.frequency = std::move(counts);
  r.bootstrap = options;
  return r;
}

}  // namespace seglab
