#!/usr/bin/python3
"""Independent reference values for netscore's uncertainty intervals.

Writes
  internal/metrics/testdata/wilson.csv   k,n,low,high: scipy's Wilson score interval
      (scipy.stats.binomtest(k, n).proportion_ci(confidence_level=0.95, method='wilson'))
  internal/bench/testdata/median_bootstrap.json   latency samples and the EXACT
      percentile-bootstrap interval of their median (the limit of infinitely many
      resamples), which needs no random numbers: for odd n and distinct values
      x_(1) < ... < x_(n), a resample's median is x_(J), and J <= j exactly when at
      least m = (n+1)/2 of the n draws fall among the j smallest values, so
      P(J <= j) = P(Binomial(n, j/n) >= m) = binom.sf(m-1, n, j/n). The q-quantile of
      the bootstrap distribution is x_(j) for the smallest j with P(J <= j) >= q.
      Also the classical distribution-free (order-statistic) 95 % interval of the
      median, [x_(r), x_(n+1-r)] with r the largest index with
      P(Binomial(n, 1/2) < r) <= 0.025, for comparison.

Run with Debian's python3-scipy (scipy 1.10.1, numpy 1.24.2 used for the committed files):
  /usr/bin/python3 testdata/gen/make_intervals.py
"""
import csv
import json
import os

import numpy as np
from scipy.stats import binom, binomtest

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")


def wilson():
    cases = [(0, 10), (1, 10), (5, 10), (9, 10), (10, 10), (7, 100), (71, 100),
             (761, 1000), (999, 1000), (38065, 50000), (45028, 50000), (50000, 50000),
             (0, 50000), (1, 1), (0, 1), (3, 7), (80123, 100000), (12, 13)]
    path = os.path.join(ROOT, "internal/metrics/testdata/wilson.csv")
    with open(path, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        f.write("# scipy.stats.binomtest(k, n).proportion_ci(confidence_level=0.95, method='wilson'); testdata/gen/make_intervals.py\n")
        w.writerow(["k", "n", "low", "high"])
        for k, n in cases:
            ci = binomtest(k, n).proportion_ci(confidence_level=0.95, method="wilson")
            w.writerow([k, n, repr(float(ci.low)), repr(float(ci.high))])


def exact_bootstrap(x):
    x = np.sort(np.asarray(x))
    n = len(x)
    assert n % 2 == 1 and len(np.unique(x)) == n
    m = (n + 1) // 2
    cdf = [binom.sf(m - 1, n, j / n) for j in range(1, n + 1)]  # P(J <= j)
    def q(level):
        j = next(j for j in range(1, n + 1) if cdf[j - 1] >= level)
        return j
    jlo, jhi = q(0.025), q(0.975)
    r = max(r for r in range(1, m + 1) if binom.cdf(r - 1, n, 0.5) <= 0.025)
    return {
        "samples": [float(v) for v in x],
        "median": float(np.median(x)),
        "exact_bootstrap_low_index": jlo, "exact_bootstrap_high_index": jhi,  # 1-based order statistics
        "exact_bootstrap_low": float(x[jlo - 1]), "exact_bootstrap_high": float(x[jhi - 1]),
        "order_statistic_low_index": r, "order_statistic_high_index": n + 1 - r,
    }


def bootstrap():
    rng = np.random.default_rng(20240612)
    sets = []
    for n, sigma in [(101, 0.05), (301, 0.2), (1001, 0.1)]:
        while True:
            x = np.round(3.0 * rng.lognormal(0.0, sigma, n), 6)  # ms, to the nanosecond
            if len(np.unique(x)) == n:
                break
        sets.append(exact_bootstrap(x))
    path = os.path.join(ROOT, "internal/bench/testdata/median_bootstrap.json")
    with open(path, "w") as f:
        json.dump({"generator": "testdata/gen/make_intervals.py", "level": 0.95, "sets": sets}, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    wilson()
    bootstrap()
