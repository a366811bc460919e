#!/usr/bin/python3
"""Independent reference for seglab's statistics over images (reports/):
scipy.stats.wilcoxon, Holm's correction in numpy, and percentile bootstrap
intervals in numpy from the same resample indices seglab drew.

  statistics_reference.py wilcoxon CASES.txt
      CASES.txt holds cases of three lines: "NAME ALTERNATIVE", the x values,
      the y values (space-separated; "nan" allowed). Prints per case:
      NAME statistic pvalue method z n_used
      with scipy.stats.wilcoxon's defaults (zero_method="wilcox",
      correction=False, method="auto") and nan_policy="omit", except that
      ties among the non-zero |x - y| select method="approx" (seglab's rule:
      the exact distribution holds only without ties; scipy 1.10's "auto"
      would run its exact branch on truncated half-integer rank sums). method
      is "exact" or "approx" as scipy chose it; z is scipy's zstatistic,
      asked for with method="approx" (nan for exact).
  statistics_reference.py holm FAMILIES.txt
      One family of p-values per line; prints the Holm-adjusted p-values per
      line, by statsmodels' multipletests(method="holm") formula in numpy.
  statistics_reference.py bootstrap DIR
      DIR/indices.bin: the B x n resample indices (int64, row-major), with
      DIR/shape.txt "B n"; DIR/a.txt and DIR/b.txt: n scores each (one
      variant, and a second one paired with it); DIR/variants.txt: K lines of
      n scores. Prints:
        mean_ci LOW HIGH           percentile CI of the mean of a
        median_diff MEDIAN LOW HIGH  median of a - b and its percentile CI
        scipy_mean_ci LOW HIGH     scipy.stats.bootstrap(method="percentile")
                                   of the mean of a, its own resamples
        rank ROW...                K lines: variant v's share of each rank,
                                   higher mean better, ties share ranks
      all at 95 %.
"""
import os
import sys
import warnings

import numpy as np
from scipy import stats


def read_floats(line):
    return np.array([float(v) for v in line.split()], dtype=np.float64)


def wilcoxon_case(name, alternative, x, y):
    keep = ~(np.isnan(x) | np.isnan(y))
    d = x[keep] - y[keep]
    nonzero = d[d != 0]
    has_zeros = nonzero.size < d.size
    has_ties = np.unique(np.abs(nonzero)).size < nonzero.size
    if nonzero.size == 0:
        print(name, 'nan nan none nan 0')
        return
    method = 'approx' if has_ties else 'auto'
    res = stats.wilcoxon(x, y, alternative=alternative, method=method, nan_policy='omit')
    # scipy's "auto": exact for at most 50 pairs without zeros.
    chosen = 'exact' if method == 'auto' and d.size <= 50 and not has_zeros else 'approx'
    z = float('nan')
    if chosen == 'approx':
        z = stats.wilcoxon(x, y, alternative=alternative, method='approx', nan_policy='omit').zstatistic
    print(name, repr(float(res.statistic)), repr(float(res.pvalue)), chosen, repr(float(z)), nonzero.size)


def wilcoxon(path):
    with open(path) as f:
        lines = [line.rstrip('\n') for line in f if line.strip()]
    for i in range(0, len(lines), 3):
        name, alternative = lines[i].split()
        wilcoxon_case(name, alternative, read_floats(lines[i + 1]), read_floats(lines[i + 2]))


def holm_adjusted(p):
    # statsmodels.stats.multitest.multipletests(p, method="holm")[1]
    p = np.asarray(p, dtype=np.float64)
    order = np.argsort(p)
    corrected = np.maximum.accumulate(p[order] * np.arange(p.size, 0, -1))
    corrected = np.minimum(corrected, 1.0)
    out = np.empty_like(corrected)
    out[order] = corrected
    return out


def holm(path):
    with open(path) as f:
        for line in f:
            if line.strip():
                print(' '.join(repr(float(v)) for v in holm_adjusted(read_floats(line))))


def percentile_ci(replicates):
    low, high = np.percentile(replicates, [2.5, 97.5])
    return float(low), float(high)


def rank_shares(means_b):
    """means_b: B x K. Share of each rank per variant, ties splitting ranks."""
    B, K = means_b.shape
    counts = np.zeros((K, K))
    for means in means_b:
        order = np.argsort(-means, kind='stable')
        start = 0
        while start < K:
            end = start + 1
            while end < K and means[order[end]] == means[order[start]]:
                end += 1
            for v in order[start:end]:
                counts[v, start:end] += 1.0 / (end - start)
            start = end
    return counts / B


def bootstrap(directory):
    B, n = (int(v) for v in open(os.path.join(directory, 'shape.txt')).read().split())
    idx = np.fromfile(os.path.join(directory, 'indices.bin'), dtype='<i8').reshape(B, n)
    a = read_floats(open(os.path.join(directory, 'a.txt')).read())
    b = read_floats(open(os.path.join(directory, 'b.txt')).read())
    print('mean_ci %r %r' % percentile_ci(a[idx].mean(axis=1)))
    d = a - b
    print('median_diff %r %r %r' % ((float(np.median(d)),) + percentile_ci(np.median(d[idx], axis=1))))
    scipy_ci = stats.bootstrap((a,), np.mean, n_resamples=10000, method='percentile', random_state=1).confidence_interval
    print('scipy_mean_ci %r %r' % (float(scipy_ci.low), float(scipy_ci.high)))
    with open(os.path.join(directory, 'variants.txt')) as f:
        variants = np.array([read_floats(line) for line in f if line.strip()])
    means_b = np.stack([v[idx].mean(axis=1) for v in variants], axis=1)
    for row in rank_shares(means_b):
        print('rank ' + ' '.join(repr(float(v)) for v in row))


def main():
    # scipy warns about small samples and the switch away from "exact"; the
    # test reads stdout and stderr together, and the method is printed anyway.
    warnings.simplefilter('ignore')
    {'wilcoxon': wilcoxon, 'holm': holm, 'bootstrap': bootstrap}[sys.argv[1]](sys.argv[2])


if __name__ == '__main__':
    main()
