#!/usr/bin/env python3
"""libpysal reads the GAL and GWT files that sigmap writes: the check behind
tests/golden/weights_files/.

The two files there were written by sigmap (`sigmap report data/petitions/petition_241584.json
--to 2024 --weights-out F` with queen and knn:5 weights); tests/integration/weights.rs
checks that sigmap still writes them byte for byte. This script reads them with
libpysal.io and compares their neighbours with libpysal's own Queen and KNN(k=5) weights
on the shipped 2024 layer, then writes the verdict to libpysal_reads.json.

Run from the repository root with the golden-file venv:
    scripts/.venv/bin/python scripts/golden/check_weights_files.py
"""
import json

import geopandas
import libpysal

DIR = "tests/golden/weights_files"


def neighbours(w):
    return {str(k): sorted(str(j) for j in v) for k, v in w.neighbors.items()}


def main():
    gdf = geopandas.read_file("data/boundaries/pcon2024_bgc_20pct.geojson")
    queen = libpysal.weights.Queen.from_dataframe(gdf, ids="PCON24CD", use_index=False, silence_warnings=True)
    knn = libpysal.weights.KNN.from_dataframe(gdf, k=5, ids="PCON24CD")
    result = {"libpysal": libpysal.__version__}
    for name, reference in [("pcon2024_queen_sigmap.gal", queen), ("pcon2024_knn5_sigmap.gwt", knn)]:
        f = libpysal.io.open(f"{DIR}/{name}")
        read = f.read()
        f.close()
        result[name] = {
            "n": read.n,
            "links": sum(len(v) for v in read.neighbors.values()),
            "neighbours_equal_libpysal": neighbours(read) == neighbours(reference),
        }
    with open(f"{DIR}/libpysal_reads.json", "w") as out:
        json.dump(result, out, indent=1)
        out.write("\n")
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
