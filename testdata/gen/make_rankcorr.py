#!/usr/bin/python3
"""Fixtures for internal/metrics/rankcorr_test.go: Kendall's tau-b and
Spearman's rho as scipy computes them, on hand-made cases (ties, reversals,
constants) and seeded random ones (continuous and heavily tied).

Run with Debian's python3 and python3-scipy (apt-get install -y python3-scipy):

    /usr/bin/python3 testdata/gen/make_rankcorr.py

Writes testdata/rankcorr/inputs.csv (case,i,x,y) and
testdata/rankcorr/expected.csv (case,n,kendall_tau_b,spearman_rho), floats
as repr (shortest round-trip), nan where scipy gives nan.
"""
import csv
import os
import random

import numpy as np
import scipy
from scipy import stats

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "rankcorr")


def cases():
    yield "identity", [1, 2, 3, 4, 5], [1, 2, 3, 4, 5]
    yield "reversed", [1, 2, 3, 4, 5], [5, 4, 3, 2, 1]
    yield "two", [0.5, 1.5], [2.0, 1.0]
    yield "ties_x", [1, 1, 2, 2, 3, 3], [1, 2, 3, 4, 5, 6]
    yield "ties_both", [1, 1, 2, 2, 3, 3, 4], [2, 1, 2, 2, 5, 4, 4]
    yield "joint_ties", [1, 1, 1, 2, 2, 3], [1, 1, 2, 2, 2, 3]
    yield "one_swap", [1, 2, 3, 4, 5, 6, 7, 8], [1, 2, 3, 5, 4, 6, 7, 8]
    yield "constant_y", [1, 2, 3, 4], [7, 7, 7, 7]
    yield "netscore_like", [77.77, 75.05, 74.21, 74.20, 73.66, 70.71], [76.2, 75.05, 73.9, 74.4, 71.0, 70.71]
    rng = random.Random(12)
    for k, n in enumerate([3, 10, 37, 100, 500]):
        x = [rng.gauss(0, 1) for _ in range(n)]
        y = [xi + rng.gauss(0, 1) for xi in x]
        yield "random_%d" % n, x, y
    for k, n in enumerate([12, 60, 300]):
        x = [rng.randint(0, 5) for _ in range(n)]
        y = [rng.randint(0, 4) + (x[i] // 2) for i in range(n)]
        yield "random_ties_%d" % n, x, y
    n = 2000
    x = [rng.random() for _ in range(n)]
    y = [0.8 * x[i] + 0.2 * rng.random() for i in range(n)]
    yield "random_2000", x, y


def num(v):
    v = float(v)
    return "nan" if np.isnan(v) else repr(v)


def main():
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, "inputs.csv"), "w", newline="") as fi, \
            open(os.path.join(OUT, "expected.csv"), "w", newline="") as fe:
        wi, we = csv.writer(fi, lineterminator="\n"), csv.writer(fe, lineterminator="\n")
        wi.writerow(["case", "i", "x", "y"])
        we.writerow(["case", "n", "kendall_tau_b", "spearman_rho"])
        for name, x, y in cases():
            x, y = [float(v) for v in x], [float(v) for v in y]
            for i, (a, b) in enumerate(zip(x, y)):
                wi.writerow([name, i, repr(a), repr(b)])
            with np.errstate(all="ignore"):
                import warnings
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    tau = stats.kendalltau(x, y).statistic  # variant="b", the default
                    rho = stats.spearmanr(x, y).statistic
            we.writerow([name, len(x), num(tau), num(rho)])
    print("scipy", scipy.__version__, "numpy", np.__version__, "->", OUT)


if __name__ == "__main__":
    main()
