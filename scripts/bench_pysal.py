#!/usr/bin/env python3
"""Times the PySAL side of sigmap's benchmarks on the same data (data/boundaries/
pcon2024_bgc_20pct.geojson, GE2024 turnout), best of N runs, and prints JSON seconds.

Run from the repository root with the golden-file venv:
    scripts/.venv/bin/python scripts/bench_pysal.py [--repeat 5]
scripts/bench_vs_pysal.sh runs it beside `cargo bench` and prints the ratios.
"""
import argparse
import csv
import json
import time
import warnings

import esda
import geopandas
import libpysal
import numpy as np

warnings.filterwarnings("ignore")


def best(f, repeat):
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        f()
        times.append(time.perf_counter() - t)
    return min(times)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5)
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
    timings = {
        "weights/queen/650": best(queen, args.repeat),
        "stats/moran/999/650": best(lambda: esda.Moran(y, w, permutations=999), args.repeat),
        "stats/local_moran/999/650": best(
            lambda: esda.Moran_Local(y, w, permutations=999, seed=12345, n_jobs=1), args.repeat
        ),
        "stats/local_moran+gi_star/999/650": best(
            lambda: (
                esda.Moran_Local(y, w, permutations=999, seed=12345, n_jobs=1),
                esda.G_Local(y, wb, transform="B", star=True, permutations=999, seed=12345, n_jobs=1),
            ),
            args.repeat,
        ),
    }
    print(json.dumps({"esda": esda.__version__, "libpysal": libpysal.__version__, "seconds": timings}, indent=1))


if __name__ == "__main__":
    main()
