#!/usr/bin/env python3
"""Times the PySAL side of sigmap's benchmarks on the same data (data/boundaries/
pcon2024_bgc_20pct.geojson, GE2024 turnout; queen weights also on the full-resolution
../shared/data/pcon2024_bgc.geojson when it exists), best of N runs after warm-up runs, and prints
JSON seconds.

Run from the repository root with the golden-file venv (esda without numba), or with a
venv that also has numba (esda's conditional permutations are then JIT-compiled; the
warm-up runs pay the compilation, 10-20 s, so the timings are esda "with numba (warm)"):
    scripts/.venv/bin/python scripts/bench_pysal.py [--repeat 5] [--warmup 1]
scripts/bench_vs_pysal.sh runs it in both venvs beside `cargo bench` and prints the ratios.
"""
import argparse
import csv
import json
import os
import time
import warnings

import esda
import esda.crand
import geopandas
import libpysal
import numpy as np

warnings.filterwarnings("ignore")

try:
    import numba

    NUMBA = numba.__version__
except ImportError:
    NUMBA = None


def best(f, repeat, warmup):
    for _ in range(warmup):
        f()
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        f()
        times.append(time.perf_counter() - t)
    return min(times)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--warmup", type=int, default=1,
                        help="untimed runs of each benchmark first (numba compiles on the first)")
    args = parser.parse_args()
    gdf = geopandas.read_file("data/boundaries/pcon2024_bgc_20pct.geojson")
    with open("data/elections/ge2024_results.csv", newline="") as f:
        rows = list(csv.reader(f))[2:]
    header, data = rows[0], rows[1:]
    col = {name: i for i, name in enumerate(header)}
    num = lambda s: float(s.replace(",", ""))
    turnout = {r[col["ONS ID"]]: num(r[col["Valid votes"]]) / num(r[col["Electorate"]]) for r in data if r and r[0]}
    y = np.array([turnout[c] for c in gdf["PCON24CD"]])

    queen = lambda: libpysal.weights.Queen.from_dataframe(gdf, use_index=False, silence_warnings=True)
    w = queen()
    w.transform = "r"
    wb = queen()
    wb.transform = "b"
    t = lambda f: best(f, args.repeat, args.warmup)  # noqa: E731
    timings = {
        "weights/queen/650": t(queen),
        "stats/moran/999/650": t(lambda: esda.Moran(y, w, permutations=999)),
        "stats/local_moran/999/650": t(
            lambda: esda.Moran_Local(y, w, permutations=999, seed=12345, n_jobs=1)
        ),
        "stats/local_moran+gi_star/999/650": t(
            lambda: (
                esda.Moran_Local(y, w, permutations=999, seed=12345, n_jobs=1),
                esda.G_Local(y, wb, transform="B", star=True, permutations=999, seed=12345, n_jobs=1),
            )
        ),
    }
    # DESIGN's reference layer: the full-resolution BGC boundaries (506k vertices), when
    # ../shared is beside the repository
    full = "../shared/data/pcon2024_bgc.geojson"
    if os.path.exists(full):
        gdf_full = geopandas.read_file(full)
        timings["weights/queen/650_full"] = t(
            lambda: libpysal.weights.Queen.from_dataframe(gdf_full, use_index=False, silence_warnings=True)
        )
    print(json.dumps({
        "esda": esda.__version__,
        "libpysal": libpysal.__version__,
        "numba": NUMBA,
        # CPUDispatcher when numba compiled esda's permutation kernel, function without it
        "esda_crand_compute_chunk": type(esda.crand.compute_chunk).__name__,
        "repeat": args.repeat,
        "warmup": args.warmup,
        "seconds": timings,
    }, indent=1))


if __name__ == "__main__":
    main()
