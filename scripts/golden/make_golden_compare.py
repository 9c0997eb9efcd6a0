#!/usr/bin/env python3
"""Golden values for `sigmap compare` (src/compare.rs, src/stats/bivariate.rs): two petitions'
signatures per 1,000 GE2019 voters on the shipped 2010 layer, compared with

  pearson   scipy.stats.pearsonr(x, y).statistic
  spearman  scipy.stats.spearmanr(x, y).statistic
  moran_bv  esda.Moran_BV(x, y, w, transformation="r", permutations=9999) after
            np.random.seed(12345): I and p_sim (p_sim is only checked to Monte Carlo error)

with w = libpysal.weights.Queen.from_dataframe(layer, use_index=False) in feature order.
Rates are computed from the raw files: petition JSON (zero-filled) and ge2019_results.csv.

Writes tests/golden/compare/pairs.json. Run: scripts/.venv/bin/python scripts/golden/make_golden_compare.py
"""
import csv
import json
import pathlib
import warnings

import esda
import geopandas as gpd
import libpysal
import numpy as np
import scipy
import scipy.stats
from libpysal.weights import Queen
from shapely.geometry import shape

ROOT = pathlib.Path(__file__).resolve().parents[2]
PAIRS = [("241584", "619781"), ("241584", "105991"), ("619781", "105991"), ("105991", "105868")]
PERMUTATIONS = 9999


def main():
    with open(ROOT / "data/boundaries/pcon2010_bgc_20pct.geojson", encoding="utf-8") as f:
        features = json.load(f)["features"]
    codes = [ft["properties"]["PCON19CD"] for ft in features]
    gdf = gpd.GeoDataFrame({"code": codes}, geometry=[shape(ft["geometry"]) for ft in features])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        w = Queen.from_dataframe(gdf, use_index=False)
    with open(ROOT / "data/elections/ge2019_results.csv", newline="", encoding="utf-8-sig") as f:
        voters = {r["ONS ID"]: int(r["Valid votes"]) for r in csv.DictReader(f)}

    def rates(pid):
        with open(ROOT / f"data/petitions/petition_{pid}.json", encoding="utf-8") as f:
            attrs = json.load(f)["data"]["attributes"]
        counts = {e["ons_code"]: int(e["signature_count"]) for e in attrs["signatures_by_constituency"]}
        return np.array([1000.0 * counts.get(c, 0) / voters[c] for c in codes])

    out = []
    for a, b in PAIRS:
        x, y = rates(a), rates(b)
        np.random.seed(12345)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            bv = esda.Moran_BV(x, y, w, transformation="r", permutations=PERMUTATIONS)
        out.append({
            "a": a, "b": b,
            "pearson": float(scipy.stats.pearsonr(x, y).statistic),
            "spearman": float(scipy.stats.spearmanr(x, y).statistic),
            "moran_bv_I": float(bv.I),
            "moran_bv_p_sim": float(bv.p_sim),
            "permutations": PERMUTATIONS,
        })
        print(out[-1])
    doc = {
        "header": {
            "generator": "scripts/golden/make_golden_compare.py",
            "layer": "data/boundaries/pcon2010_bgc_20pct.geojson", "weights": "queen, row-standardised",
            "variable": "1000 * signatures / GE2019 valid votes",
            "esda": esda.__version__, "libpysal": libpysal.__version__, "scipy": scipy.__version__,
            "numpy": np.__version__,
        },
        "pairs": out,
    }
    path = ROOT / "tests/golden/compare/pairs.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(doc, indent=1) + "\n")


if __name__ == "__main__":
    main()
