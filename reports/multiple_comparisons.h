#pragma once
// Holm's step-down correction of a family of p-values (Holm 1979, "A simple
// sequentially rejective multiple test procedure"): it controls the
// family-wise error rate like Bonferroni's, under any dependence between the
// tests, and rejects at least as much.
#include <vector>

namespace seglab {

// Holm-adjusted p-values, in the order given: with p sorted ascending as
// p(1) <= ... <= p(m), p~(i) = min(1, max over j <= i of (m - j + 1) p(j)).
// Monotone in p, at least p, at most 1; equals statsmodels'
// multipletests(p, method="holm")[1]. Rejecting where p~ <= alpha is Holm's
// test at family-wise level alpha. Throws DataError for a p-value that is
// NaN or outside [0, 1]; an empty family gives an empty result.
std::vector<double> holm_adjusted(const std::vector<double>& p_values);

}  // namespace seglab
