#!/usr/bin/env python3
"""Writes data/crosswalk/pcon2010_pcon2024.csv, the 2010 -> 2024 constituency crosswalk that
ships with sigmap, from mySociety's overlap table (../shared/data/pcon2010_to_pcon2024_overlap.csv).

Only columns are dropped and renamed; every number is copied as published. sigmap computes the
weights itself (src/crosswalk.rs): population weight = overlap_pop / (sum of overlap_pop over
the old seat's rows), area weight likewise from overlap_area_m2.

Usage: python3 scripts/make_crosswalk.py [SHARED_DATA_DIR]
"""
import csv
import pathlib
import sys

root = pathlib.Path(__file__).resolve().parent.parent
src = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else root.parent / "shared" / "data")
src = src / "pcon2010_to_pcon2024_overlap.csv"
dst = root / "data" / "crosswalk" / "pcon2010_pcon2024.csv"
dst.parent.mkdir(parents=True, exist_ok=True)

with open(src, newline="") as f:
    rows = list(csv.DictReader(f))
rows.sort(key=lambda r: (r["PARL10"], r["PCON24CD"]))
with open(dst, "w", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["pcon10cd", "pcon24cd", "pcon24nm", "overlap_pop", "overlap_area_m2"])
    for r in rows:
        w.writerow([r["PARL10"], r["PCON24CD"], r["PCON24NM"], r["overlap_pop"], r["overlap_area"]])
print(f"{dst}: {len(rows)} rows from {src}")
