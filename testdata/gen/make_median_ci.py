#!/usr/bin/python3
"""Fixture for internal/fleet/stats_test.go: the distribution-free 95%
confidence interval of a median from order statistics, as scipy's binomial
distribution gives it.

For n samples sorted x(1) <= ... <= x(n), the interval [x(k), x(n-k+1)]
holds the population median with probability 1 - 2*P(B <= k-1), B ~
Binomial(n, 1/2); k is the largest index whose two tails together stay at or
under alpha = 0.05 (k = 0: no such index, n too small for an interval).

Run with Debian's python3 and python3-scipy (apt-get install -y python3-scipy):

    /usr/bin/python3 testdata/gen/make_median_ci.py

Writes internal/fleet/testdata/median_ci.csv (n,alpha,k,coverage), coverage as
repr (shortest round-trip), 0 where k is 0.
"""
import csv
import os

from scipy.stats import binom

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..",
                   "internal", "fleet", "testdata", "median_ci.csv")

NS = list(range(1, 41)) + [50, 60, 75, 99, 100, 101, 150, 200, 333, 500, 1000, 2500, 10000, 100000]


def lower_index(n, alpha):
    k = 0
    for j in range(1, n // 2 + 1):
        if 2 * binom.cdf(j - 1, n, 0.5) <= alpha:
            k = j
        else:
            break
    return k


def main():
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["n", "alpha", "k", "coverage"])
        for alpha in (0.05, 0.01):
            for n in NS:
                if n > 2500 and alpha != 0.05:
                    continue
                k = lower_index(n, alpha) if n <= 2500 else None
                if k is None:  # large n: binary search on the cdf, as above
                    lo, hi = 1, n // 2
                    while lo < hi:
                        mid = (lo + hi + 1) // 2
                        if 2 * binom.cdf(mid - 1, n, 0.5) <= alpha:
                            lo = mid
                        else:
                            hi = mid - 1
                    k = lo
                cov = 1 - 2 * binom.cdf(k - 1, n, 0.5) if k > 0 else 0.0
                w.writerow([n, repr(alpha), k, repr(float(cov))])


if __name__ == "__main__":
    main()
