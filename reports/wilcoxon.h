#pragma once
// The Wilcoxon signed-rank test for paired samples (Wilcoxon 1945), as
// scipy.stats.wilcoxon computes it with its defaults (scipy 1.10:
// zero_method="wilcox", correction=False, method="auto"): zero differences
// are dropped, the statistic is the rank sum of the positive or of the
// negative differences, and the p-value is
//   - exact (the null distribution of W+ by the recursion scipy uses) when
//     at most 50 differences remain and there are neither zeros nor ties
//     among their absolute values;
//   - otherwise the normal approximation, with the tie correction of the
//     variance and no continuity correction.
// One difference from scipy 1.10's "auto": ties without zeros select the
// approximation here, as the exact distribution holds only without ties
// (scipy 1.10 would run its exact branch on half-integer rank sums truncated
// to integers). Such cases equal scipy's method="approx".
#include <cstddef>
#include <vector>

namespace seglab {

// The alternative hypothesis about d = x - y.
enum class Alternative {
  two_sided,  // d is not symmetric about zero
  greater,    // d is stochastically greater (x tends to be larger)
  less,       // d is stochastically less
};

enum class WilcoxonMethod {
  exact,
  normal_approximation,
  no_differences,  // every pair equal: nothing to test; p = 1
};
const char* to_string(WilcoxonMethod method);

struct WilcoxonResult {
  // Two-sided: min(W+, W-), as scipy returns; one-sided: W+.
  double statistic = 0;
  double p_value = 1;
  // The standardized statistic of the normal approximation; NaN when exact.
  double z = 0;
  WilcoxonMethod method = WilcoxonMethod::exact;
  size_t n_used = 0;       // non-zero differences ranked
  size_t n_zeros = 0;      // pairs with x == y, dropped
  size_t n_nan_pairs = 0;  // pairs with a NaN on either side, dropped
  bool ties = false;       // equal |d| among the ranked differences
};

// Pairs with a NaN on either side are dropped first (scipy's
// nan_policy="omit" for paired samples). Throws DataError when x and y differ
// in length, when no pair is left, or for an infinite value.
WilcoxonResult wilcoxon_signed_rank(const std::vector<double>& x, const std::vector<double>& y,
                                    Alternative alternative = Alternative::two_sided);

// P(W+ = k) for k = 0 .. n(n+1)/2 under the null hypothesis with n distinct
// non-zero differences, built as scipy's _get_wilcoxon_distr builds it: each
// rank k joins the sum or not with probability 1/2.
std::vector<double> wilcoxon_null_distribution(size_t n);

}  // namespace seglab
