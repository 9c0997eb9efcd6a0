#!/usr/bin/env python3
"""Golden Fisher-Jenks breaks from mapclassify, for sigmap's `Classes::Jenks`.

Classifies real petition rates (per 1,000 voters and per 1,000 electors, from the
scipy/pyproj golden files tests/golden/metrics/petition_*.json, which hold the seats
of the 2010 layer zero-filled) with `mapclassify.FisherJenks(y, k)` and writes the
values and the bins (upper bounds of each class; the last is the maximum) to
tests/golden/classes/jenks.json. Deterministic: no timestamps, floats in repr form.

mapclassify's DP accumulates in float32 (`_fisher_jenks_means`); sigmap's in f64. The
test checks that the breaks are equal; where float32 rounding would make them differ,
the test says so with the goodness of variance fit of both.

Run from the repository root (numba not needed; the pure-Python path is used):

  scripts/.venv/bin/pip install mapclassify==2.10.0
  scripts/.venv/bin/python scripts/golden/make_golden_jenks.py
"""

import hashlib
import json
import sys
import warnings

import mapclassify
import numpy as np

CASES = [
    ("petition_241584.json", "per_1k_voters", 5),
    ("petition_241584.json", "per_1k_voters", 7),
    ("petition_241584.json", "per_1k_electors", 9),
    ("petition_105868.json", "per_1k_voters", 5),
    ("petition_105868.json", "per_1k_electors", 6),
]


def main():
    out = {
        "header": {
            "tool": "mapclassify.FisherJenks(y, k).bins",
            "mapclassify": mapclassify.__version__,
            "numpy": np.__version__,
            "python": sys.version.split()[0],
            "note": "bins are class upper bounds; the last is max(y)",
        },
        "cases": [],
    }
    for name, metric, k in CASES:
        path = f"tests/golden/metrics/{name}"
        raw = open(path, "rb").read()
        rows = json.loads(raw)["rows"]
        y = np.array([r[metric] for r in rows], dtype="f8")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            fj = mapclassify.FisherJenks(y, k=k)
        out["cases"].append(
            {
                "source": path,
                "source_sha256": hashlib.sha256(raw).hexdigest(),
                "metric": metric,
                "k": k,
                "bins": [float(b) for b in fj.bins],
                "counts": [int(c) for c in fj.counts],
                "values": [float(v) for v in y],
            }
        )
    with open("tests/golden/classes/jenks.json", "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
