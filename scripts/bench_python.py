#!/usr/bin/env python3
"""sigmap from Python against the Python tools a journalist would use otherwise, timed in
the same run on the same data (issue #16 point 6):

  join    sigmap.join_points of N seeded numpy points (default 10^6) vs geopandas: read
          the layer, points_from_xy, sjoin(predicate="within"), value_counts; both
          include reading the layer; the counts per seat must be equal.
  stats   sigmap.stats (queen weights, Moran, local Moran, Gi*, 999 permutations) vs
          libpysal Queen.from_dataframe + esda Moran, Moran_Local and G_Local(star=True),
          999 permutations each, on the same GeoDataFrame (petition 241584's signatures
          per valid vote on the layer's seats). Both start from the GeoDataFrame in memory.
  report  sigmap.report(P).write(DIR) in this process vs the CLI `sigmap report P --out
          DIR` as a process (start-up, reading, analysis, the four files: the same work).
  batch   where one machine stops: sigmap.batch over a folder of petitions (--corpus,
          default ../shared/data/petitions, 269 files), with the default statistics and
          with permutations=0, rank_draws=0: petitions a second and peak memory, each in a
          fresh process; the CLI's `sigmap batch` beside it.

Each timing is the best of --repeat runs after one warm-up run. Prints a table and the
ratios, and the whole as JSON with --json. Run from the repository root in a venv with
sigmap and the test requirements (python/requirements-test.txt):

    python scripts/bench_python.py [--layer data/boundaries/pcon2024_bgc_20pct.geojson]
        [--sigmap-bin target/release/sigmap] [--points 1000000] [--repeat 3]

The CLI is $SIGMAP_BIN or --sigmap-bin (a release build); without one the report
comparison is skipped, and said so.
"""
import argparse
import copy
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

import numpy as np

import sigmap

SEED = 20261126
PETITION = "data/petitions/petition_241584.json"
# the UK's bounding box (the shipped 2024 layer's, rounded out)
ENVELOPE = (-8.65, 49.86, 1.77, 60.87)


def best(f, repeat):
    f()  # warm-up: imports, caches, page cache
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        f()
        times.append(time.perf_counter() - t)
    return min(times)


def code_column(columns):
    codes = [c for c in columns if re.fullmatch(r"[A-Z0-9]+CD", c)]
    if len(codes) != 1:
        sys.exit(f"cannot tell the code column among {list(columns)}")
    return codes[0]


def bench_join(layer, n, repeat):
    import geopandas as gpd

    rng = np.random.default_rng(SEED)
    lon = rng.uniform(ENVELOPE[0], ENVELOPE[2], n)
    lat = rng.uniform(ENVELOPE[1], ENVELOPE[3], n)

    def ours():
        return sigmap.join_points(lon, lat, areas=layer)

    def theirs():
        areas = gpd.read_file(layer)
        points = gpd.GeoDataFrame(geometry=gpd.points_from_xy(lon, lat), crs="EPSG:4326")
        joined = gpd.sjoin(points, areas, predicate="within", how="inner")
        code = code_column(areas.columns)
        counts = joined[code].value_counts()
        return {c: int(counts.get(c, 0)) for c in areas[code]}

    a, b = ours(), theirs()
    got = dict(zip(a["code"], a["count"].tolist()))
    if got != b:
        differ = [c for c in b if got.get(c) != b[c]]
        sys.exit(f"join: the counts differ on {len(differ)} seats, e.g. {differ[:5]}")
    return {
        "points": n,
        "matched": int(a.attrs["matched"]),
        "sigmap_s": best(ours, repeat),
        "geopandas_s": best(theirs, repeat),
    }


def bench_stats(layer, repeat):
    import geopandas as gpd

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import esda
        import libpysal

    gdf = gpd.read_file(layer)
    code = code_column(gdf.columns)
    table = sigmap.report(PETITION, to=2024, permutations=0).to_pandas()
    table = table[["code", "signatures", "valid_votes"]].astype({"code": object})
    gdf = gdf.merge(table, left_on=code, right_on="code", how="left", validate="one_to_one")
    if gdf["signatures"].isna().any():
        sys.exit(f"{layer}: not the 2024 seats (petition 241584 on --to 2024 does not cover it)")
    y = gdf["signatures"].to_numpy(dtype=float) / gdf["valid_votes"].to_numpy(dtype=float)

    def ours():
        return sigmap.stats(gdf, gdf, id=code, count="signatures", population="valid_votes",
                            permutations=999, seed=12345)

    def theirs():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            w = libpysal.weights.Queen.from_dataframe(gdf, use_index=False, silence_warnings=True)
            wb = copy.deepcopy(w)
            moran = esda.Moran(y, w, transformation="r", permutations=999)
            local = esda.Moran_Local(y, w, transformation="r", permutations=999, seed=12345)
            gi = esda.G_Local(y, wb, transform="B", star=True, permutations=999, seed=12345)
        return moran, local, gi

    s = ours()
    moran, local, gi = theirs()
    if not np.isclose(s["moran"]["I"], moran.I, rtol=1e-9, atol=1e-9):
        sys.exit(f"stats: Moran's I differs: {s['moran']['I']} vs {moran.I}")
    if not np.allclose([r["gi_star_z"] for r in s["local"]], gi.Zs, rtol=1e-9, atol=1e-9):
        sys.exit("stats: Gi* z differs")
    try:
        import numba

        numba_version = numba.__version__
    except ImportError:
        numba_version = None
    return {
        "areas": len(gdf),
        "esda": esda.__version__,
        "libpysal": libpysal.__version__,
        "numba": numba_version,
        "sigmap_s": best(ours, repeat),
        "pysal_s": best(theirs, repeat),
    }


def bench_report(binary, repeat):
    tmp = Path(tempfile.mkdtemp(prefix="bench_python_"))
    try:
        def ours():
            sigmap.report(PETITION).write(tmp / "py")

        def theirs():
            done = subprocess.run([binary, "report", PETITION, "--out", str(tmp / "cli")],
                                  capture_output=True)
            if done.returncode != 0:
                sys.exit(f"{binary} report failed: {done.stderr.decode(errors='replace')}")

        ours(), theirs()
        for name in ["areas.csv", "summary.json", "map.svg", "areas.geojson"]:
            if (tmp / "py" / name).read_bytes() != (tmp / "cli" / name).read_bytes():
                sys.exit(f"report: {name} differs between Python and the CLI")
        bare = best(lambda: sigmap.report(PETITION), repeat)
        return {
            "cli": binary,
            "python_s": best(ours, repeat),
            "python_without_files_s": bare,
            "cli_s": best(theirs, repeat),
        }
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


# one configuration of a batch in a fresh process, so that its peak RSS is its own
BATCH_CHILD = """
import json, resource, sys, time, warnings
import sigmap
corpus, permutations, rank_draws = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
t = time.perf_counter()
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    long = sigmap.batch(corpus, permutations=permutations, rank_draws=rank_draws)
seconds = time.perf_counter() - t
petitions = len(long.attrs["petitions"])
failed = sum(1 for p in long.attrs["petitions"] if p.get("error"))
print(json.dumps({"seconds": seconds, "petitions": petitions, "failed": failed, "rows": len(long),
                  "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""

CLI_CHILD = """
import json, resource, subprocess, sys, time
t = time.perf_counter()
done = subprocess.run(sys.argv[1:], capture_output=True)
seconds = time.perf_counter() - t
if done.returncode not in (0, 2):
    sys.exit(done.stderr.decode(errors="replace"))
print(json.dumps({"seconds": seconds,
                  "peak_rss_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}))
"""


def bench_batch(corpus, binary):
    """sigmap.batch over a folder of petitions, with the default statistics (999
    permutations, 1,000 rank draws) and without (0 and 0); the CLI's `sigmap batch`
    beside it when there is one. Each in its own process, once."""
    out = {"corpus": corpus}
    tmp = Path(tempfile.mkdtemp(prefix="bench_batch_"))
    try:
        for name, perms, draws in [("default", 999, 1000), ("no_permutations", 0, 0)]:
            done = subprocess.run([sys.executable, "-c", BATCH_CHILD, corpus, str(perms), str(draws)],
                                  capture_output=True, text=True)
            if done.returncode != 0:
                sys.exit(f"batch: {done.stderr}")
            r = json.loads(done.stdout.strip().splitlines()[-1])
            r["petitions_per_s"] = r["petitions"] / r["seconds"]
            out[f"python_{name}"] = r
            if binary:
                # long.csv, as sigmap.batch makes CSV text (any build; Parquet needs polars)
                args = [binary, "batch", corpus, "--out", str(tmp / name), "-q",
                        "--permutations", str(perms), "--rank-draws", str(draws)]
                done = subprocess.run([sys.executable, "-c", CLI_CHILD, *args], capture_output=True, text=True)
                if done.returncode != 0:
                    sys.exit(f"sigmap batch: {done.stderr}")
                c = json.loads(done.stdout.strip().splitlines()[-1])
                c["petitions_per_s"] = r["petitions"] / c["seconds"]
                out[f"cli_{name}"] = c
        return out
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def machine():
    cpu = platform.processor() or ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "load_1min": os.getloadavg()[0],
        "python": platform.python_version(),
        "sigmap": sigmap.__version__,
        "date": time.strftime("%Y-%m-%d %H:%M %Z"),
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--layer", default="data/boundaries/pcon2024_bgc_20pct.geojson")
    ap.add_argument("--points", type=int, default=1_000_000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--sigmap-bin", default=os.environ.get("SIGMAP_BIN"))
    ap.add_argument("--corpus", default="../shared/data/petitions" if Path("../shared/data/petitions").is_dir()
                    else "data/petitions", help="the folder of petitions for the batch timing")
    ap.add_argument("--only", choices=["join", "stats", "report", "batch"], action="append")
    ap.add_argument("--json", action="store_true", help="print the results as JSON")
    args = ap.parse_args()
    if not Path(PETITION).exists():
        sys.exit(f"{PETITION} not found: run from the repository root")
    only = set(args.only or ["join", "stats", "report", "batch"])
    out = {"machine": machine(), "layer": args.layer, "repeat": args.repeat}
    if "join" in only:
        out["join"] = bench_join(args.layer, args.points, args.repeat)
    if "stats" in only:
        out["stats"] = bench_stats(args.layer, args.repeat)
    if "report" in only:
        if args.sigmap_bin:
            out["report"] = bench_report(args.sigmap_bin, args.repeat)
        else:
            print("report: skipped (no CLI: set SIGMAP_BIN or --sigmap-bin)", file=sys.stderr)
    if "batch" in only:
        out["batch"] = bench_batch(args.corpus, args.sigmap_bin)
    if args.json:
        print(json.dumps(out, indent=1))
        return
    m = out["machine"]
    print(f"{m['date']}, {m['cpu']}, {m['cores']} cores (load {m['load_1min']:.1f}), "
          f"Python {m['python']}, sigmap {m['sigmap']}; layer {args.layer}; best of {args.repeat}")
    if "join" in out:
        j = out["join"]
        print(f"join_points, {j['points']:,} points ({j['matched']:,} in a seat), incl. reading the layer: "
              f"sigmap {j['sigmap_s']:.3f} s, geopandas sjoin {j['geopandas_s']:.3f} s: "
              f"{j['geopandas_s'] / j['sigmap_s']:.1f}x (target 10x)")
    if "stats" in out:
        s = out["stats"]
        numba_note = f"numba {s['numba']}" if s["numba"] else "no numba"
        print(f"stats, queen + Moran + local Moran + Gi*, 999 permutations, {s['areas']} areas: "
              f"sigmap {s['sigmap_s']:.3f} s, libpysal {s['libpysal']} + esda {s['esda']} ({numba_note}) "
              f"{s['pysal_s']:.3f} s: {s['pysal_s'] / s['sigmap_s']:.1f}x (target 10x)")
    if "report" in out:
        r = out["report"]
        print(f"report 241584 with its four files: Python {r['python_s']:.3f} s "
              f"(without the files {r['python_without_files_s']:.3f} s), CLI process {r['cli_s']:.3f} s: "
              f"Python costs {100 * (r['python_s'] / r['cli_s'] - 1):+.1f}% (target under +10%)")
    if "batch" in out:
        b = out["batch"]
        for name, what in [("default", "999 permutations, 1,000 rank draws"), ("no_permutations", "no permutations")]:
            p = b[f"python_{name}"]
            line = (f"batch of {p['petitions']} petitions ({b['corpus']}), {what}: sigmap.batch "
                    f"{p['seconds']:.1f} s, {p['petitions_per_s']:.1f} a second, peak {p['peak_rss_mb']:.0f} MB")
            if f"cli_{name}" in b:
                c = b[f"cli_{name}"]
                line += (f"; CLI {c['seconds']:.1f} s, {c['petitions_per_s']:.1f} a second, "
                         f"peak {c['peak_rss_mb']:.0f} MB")
            print(line)


if __name__ == "__main__":
    main()
