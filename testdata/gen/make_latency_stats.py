#!/usr/bin/python3
"""Write the latency figures that internal/bench's tests check against.

Run from the repository root (Debian 12: python3-numpy from apt):

    /usr/bin/python3 testdata/gen/make_latency_stats.py

Writes internal/bench/testdata/latency_stats.json: a list of cases, each
with seeded latencies in whole nanoseconds (as Go's time.Duration holds
them) and numpy's figures for them in milliseconds: min, max, mean,
np.percentile at 50/90/99 (its default, linear interpolation between order
statistics) and np.std with ddof=1 (the sample standard deviation).
"""
import json
import pathlib

import numpy as np

rng = np.random.default_rng(20261204)
samples = {
    "one run": [1_234_567],
    "two runs": [2_000_000, 1_000_001],
    "seven runs": rng.integers(800_000, 1_200_000, 7).tolist(),
    "ties": [5_000_000] * 4 + [6_000_000] * 3,
    "lognormal 100": np.round(rng.lognormal(np.log(3e6), 0.3, 100)).astype(np.int64).tolist(),
    "long tail 1001": np.round(np.concatenate([rng.normal(2e6, 5e4, 990), rng.uniform(5e6, 4e7, 11)])).astype(np.int64).tolist(),
}
cases = []
for name, ns in samples.items():
    ms = np.array(ns, dtype=np.float64) / 1e6
    cases.append({
        "name": name,
        "ns": [int(x) for x in ns],
        "min": float(ms.min()),
        "p50": float(np.percentile(ms, 50)),
        "p90": float(np.percentile(ms, 90)),
        "p99": float(np.percentile(ms, 99)),
        "max": float(ms.max()),
        "mean": float(ms.mean()),
        "stdev": float(ms.std(ddof=1)) if len(ms) > 1 else 0.0,
    })
out = pathlib.Path(__file__).resolve().parents[2] / "internal/bench/testdata/latency_stats.json"
out.write_text(json.dumps({"numpy": np.__version__, "cases": cases}, indent=1) + "\n")
print(f"wrote {out} ({len(cases)} cases, numpy {np.__version__})")
