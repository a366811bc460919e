#include "reports/wilcoxon.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <string>

#include "core/error.h"
#include "reports/paired_samples.h"

namespace seglab {
namespace {

// scipy's method="auto" takes the exact distribution up to this many pairs.
constexpr size_t kExactMaxPairs = 50;

struct SignedRanks {
  double w_plus = 0, w_minus = 0;
  // Sizes of the groups of equal |d| (2 or more), for the variance correction.
  std::vector<size_t> tie_groups;
};

// Ranks of |d| from 1, ties given their average rank (scipy.stats.rankdata's
// "average"); W+ and W- are the rank sums of the positive and negative d.
SignedRanks signed_ranks(const std::vector<double>& d) {
  std::vector<size_t> order(d.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return std::abs(d[a]) < std::abs(d[b]); });
  SignedRanks s;
  for (size_t start = 0; start < order.size();) {
    size_t end = start + 1;
    while (end < order.size() && std::abs(d[order[end]]) == std::abs(d[order[start]])) ++end;
    const double rank = 0.5 * static_cast<double>(start + 1 + end);  // mean of ranks start+1 .. end
    for (size_t k = start; k < end; ++k) (d[order[k]] > 0 ? s.w_plus : s.w_minus) += rank;
    if (end - start > 1) s.tie_groups.push_back(end - start);
    start = end;
  }
  return s;
}

double normal_sf(double z) { return 0.5 * std::erfc(z / std::sqrt(2.0)); }
double normal_cdf(double z) { return 0.5 * std::erfc(-z / std::sqrt(2.0)); }

// Normal approximation of W: mean n(n+1)/4, variance n(n+1)(2n+1)/24 less
// sum t(t^2 - 1)/48 over groups of t tied ranks; no continuity correction
// (scipy's correction=False).
void approximate(const SignedRanks& ranks, size_t n, Alternative alternative, WilcoxonResult& r) {
  const double count = static_cast<double>(n);
  const double mean = count * (count + 1) * 0.25;
  double var24 = count * (count + 1) * (2 * count + 1);
  for (size_t t : ranks.tie_groups) {
    const double tt = static_cast<double>(t);
    var24 -= 0.5 * tt * (tt * tt - 1);
  }
  const double se = std::sqrt(var24 / 24);
  r.z = (r.statistic - mean) / se;
  if (alternative == Alternative::two_sided) r.p_value = 2 * normal_sf(std::abs(r.z));
  else if (alternative == Alternative::greater) r.p_value = normal_sf(r.z);
  else r.p_value = normal_cdf(r.z);
  r.method = WilcoxonMethod::normal_approximation;
}

double sum_range(const std::vector<double>& pmf, size_t from, size_t to) {  // [from, to)
  double s = 0;
  for (size_t k = from; k < to; ++k) s += pmf[k];
  return s;
}

// Exact p-value from the null distribution of W+ (integer without ties).
void exact(const SignedRanks& ranks, size_t n, Alternative alternative, WilcoxonResult& r) {
  const std::vector<double> pmf = wilcoxon_null_distribution(n);
  const size_t w_plus = static_cast<size_t>(ranks.w_plus);
  const double p_at_most = sum_range(pmf, 0, w_plus + 1), p_at_least = sum_range(pmf, w_plus, pmf.size());
  if (alternative == Alternative::two_sided)
    r.p_value = w_plus == (pmf.size() - 1) / 2 ? 1.0 : 2 * std::min(p_at_most, p_at_least);
  else if (alternative == Alternative::greater) r.p_value = p_at_least;
  else r.p_value = p_at_most;
  r.p_value = std::clamp(r.p_value, 0.0, 1.0);
  r.z = NAN;
  r.method = WilcoxonMethod::exact;
}

}  // namespace

const char* to_string(WilcoxonMethod method) {
  switch (method) {
    case WilcoxonMethod::exact: return "exact";
    case WilcoxonMethod::normal_approximation: return "normal approximation";
    case WilcoxonMethod::no_differences: return "no differences";
  }
  return "?";
}

std::vector<double> wilcoxon_null_distribution(size_t n) {
  std::vector<double> c{1.0};
  for (size_t k = 1; k <= n; ++k) {
    std::vector<double> next(k * (k + 1) / 2 + 1, 0.0);
    const size_t m = c.size();
    for (size_t i = 0; i < m; ++i) next[i] = c[i] * 0.5;             // rank k not in the sum
    for (size_t i = 0; i < m; ++i) next[next.size() - m + i] += c[i] * 0.5;  // rank k in it
    c.swap(next);
  }
  return c;
}

WilcoxonResult wilcoxon_signed_rank(const std::vector<double>& x, const std::vector<double>& y,
                                    Alternative alternative) {
  const PairedDifferences p = paired_differences(x, y, "Wilcoxon signed-rank test");
  if (p.d.empty())
    throw DataError("no pair to test (" + std::to_string(p.n_nan_pairs) + " pairs with a NaN)",
                    "Wilcoxon signed-rank test", "compare variants scored on the same, non-empty set of images");
  WilcoxonResult r;
  r.n_nan_pairs = p.n_nan_pairs;
  std::vector<double> nonzero;
  for (double v : p.d)
    if (v != 0) nonzero.push_back(v);
  r.n_zeros = p.d.size() - nonzero.size();
  r.n_used = nonzero.size();
  if (nonzero.empty()) {
    // scipy raises here; two variants that score every image alike show no
    // difference, which a report states as p = 1.
    r.statistic = 0;
    r.p_value = 1;
    r.z = NAN;
    r.method = WilcoxonMethod::no_differences;
    return r;
  }
  const SignedRanks ranks = signed_ranks(nonzero);
  r.ties = !ranks.tie_groups.empty();
  r.statistic = alternative == Alternative::two_sided ? std::min(ranks.w_plus, ranks.w_minus) : ranks.w_plus;
  // scipy decides on the pair count before dropping zeros (len(d) <= 50).
  if (p.d.size() <= kExactMaxPairs && r.n_zeros == 0 && !r.ties) exact(ranks, r.n_used, alternative, r);
  else approximate(ranks, r.n_used, alternative, r);
  return r;
}

}  // namespace seglab
