#!/usr/bin/env python3
"""The geopandas side of scripts/bench_vs_geopandas.sh: a 10^6-point join.

Subcommands (run from the repository root with the golden-file venv):

  gen OUT.csv [--set uk]
      Writes the seeded points of scripts/golden/make_golden_points.py (set "uk":
      seed 20261126, 1,000,000 points) as CSV "lon,lat" with every float in
      Python repr form (shortest round-trip). Any correctly rounded parser,
      such as Rust's str::parse::<f64>, reads back the same bits. The command
      reads the file back with pandas and checks that.

  join POINTS.csv --areas LAYER -o COUNTS.csv [--timings T.json]
      The benchmarked process. It reads the layer (geopandas.read_file), reads
      the CSV (pandas.read_csv) and builds the points (points_from_xy, EPSG:4326).
      Then it runs geopandas.sjoin(points, layer, predicate="within", how="inner")
      and counts the points per code. It writes COUNTS.csv with the columns
      code,name,count: every seat of the layer in layer order, zero-filled. It
      writes the in-process phase times to T.json (or prints them). Run it
      under /usr/bin/time -v to get the whole-process wall time and peak RSS.

  report --gp-time F.. --gp-timings F.. --gp-counts F [--sm-time F.. --sm-timings F.. --sm-counts F]
      Takes one /usr/bin/time -v file per run (best wall time, largest peak RSS)
      and one phase-timings file per geopandas run (best of each phase). Compares the two count tables. Codes missing from either table count as 0.
      Prints the wall times, peak RSS and ratios. Exits 1 if the tables differ.
"""
import argparse
import csv
import json
import re
import sys
import time
from pathlib import Path

T_START = time.perf_counter()  # before the heavy imports, which count as a phase


def code_name_columns(columns):
    codes = [c for c in columns if re.fullmatch(r"[A-Z0-9]+CD", c)]
    names = [c for c in columns if re.fullmatch(r"[A-Z0-9]+NM", c)]
    if len(codes) != 1:
        sys.exit(f"cannot tell the code property among {list(columns)}")
    return codes[0], (names[0] if len(names) == 1 else None)


def cmd_gen(args):
    import numpy as np
    import pandas as pd

    sys.path.insert(0, str(Path(__file__).resolve().parent / "golden"))
    from make_golden_points import SETS, check_generator, generate_points

    check_generator()
    spec = SETS[args.set]
    lon, lat = generate_points(spec["seed"], spec["n"], spec["envelope"])
    with open(args.out, "w") as f:
        f.write("lon,lat\n")
        f.write("".join(f"{a!r},{b!r}\n" for a, b in zip(lon.tolist(), lat.tolist())))
    back = pd.read_csv(args.out)
    if not (np.array_equal(back["lon"].to_numpy(), lon) and np.array_equal(back["lat"].to_numpy(), lat)):
        sys.exit(f"{args.out}: pandas does not read back the exact floats")
    print(f"wrote {spec['n']} points (set {args.set}, seed {spec['seed']}) to {args.out}", file=sys.stderr)


def cmd_join(args):
    import geopandas as gpd
    import pandas as pd

    t_import = time.perf_counter()
    layer = gpd.read_file(args.areas)
    code_col, name_col = code_name_columns(layer.columns)
    t_layer = time.perf_counter()
    df = pd.read_csv(args.points)
    t_csv = time.perf_counter()
    points = gpd.GeoDataFrame(geometry=gpd.points_from_xy(df["lon"], df["lat"]), crs="EPSG:4326")
    t_points = time.perf_counter()
    joined = gpd.sjoin(points, layer, predicate="within", how="inner")
    t_sjoin = time.perf_counter()
    counts = joined[code_col].value_counts()
    table = [
        (code, name, int(counts.get(code, 0)))
        for code, name in zip(layer[code_col], layer[name_col] if name_col else [""] * len(layer))
    ]
    t_counts = time.perf_counter()
    with open(args.out, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["code", "name", "count"])
        w.writerows(table)
    t_write = time.perf_counter()
    timings = {
        "import_s": t_import - T_START,
        "read_layer_s": t_layer - t_import,
        "read_csv_s": t_csv - t_layer,
        "build_points_s": t_points - t_csv,
        "sjoin_s": t_sjoin - t_points,
        "counts_s": t_counts - t_sjoin,
        "write_s": t_write - t_counts,
        "total_in_process_s": t_write - T_START,
        "n_points": len(points),
        "n_areas": len(layer),
        "matched_pairs": len(joined),
        "unmatched": len(points) - joined.index.nunique(),
        "geopandas": gpd.__version__,
    }
    text = json.dumps(timings, indent=1)
    if args.timings:
        Path(args.timings).write_text(text + "\n")
    else:
        print(text)


def read_counts(path):
    with open(path, newline="") as f:
        rows = list(csv.DictReader(f))
    if not rows or not {"code", "count"} <= set(rows[0]):
        sys.exit(f"{path}: expected CSV columns code,name,count")
    out = {}
    for r in rows:
        if not r["code"].strip():  # an "in no area" row, if the tool writes one
            print(f"{path}: ignoring a row without a code (count {r['count']})", file=sys.stderr)
            continue
        if r["code"] in out:
            sys.exit(f"{path}: code {r['code']} appears twice")
        out[r["code"]] = int(r["count"])
    return out


def read_gnu_time(path):
    """Wall seconds and peak RSS (KiB) from `/usr/bin/time -v -o path`."""
    text = Path(path).read_text()
    m = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (?:(\d+):)?(\d+):([\d.]+)", text)
    rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", text)
    if not m or not rss:
        sys.exit(f"{path}: not /usr/bin/time -v output")
    wall = int(m.group(1) or 0) * 3600 + int(m.group(2)) * 60 + float(m.group(3))
    return wall, int(rss.group(1))


def best_of(time_files):
    """Best (minimum) wall time and the largest peak RSS over repeated runs."""
    runs = [read_gnu_time(p) for p in time_files]
    return min(w for w, _ in runs), max(r for _, r in runs), [w for w, _ in runs]


def cmd_report(args):
    gp_wall, gp_rss, gp_runs = best_of(args.gp_time)
    all_phases = [json.loads(Path(p).read_text()) for p in args.gp_timings]
    phases = {k: (min(p[k] for p in all_phases) if k.endswith("_s") else all_phases[0][k]) for k in all_phases[0]}
    gp = read_counts(args.gp_counts)
    print(f"points: {phases['n_points']}, areas: {phases['n_areas']} ({args.layer or 'layer'}), "
          f"matched: {phases['matched_pairs']}, unmatched: {phases['unmatched']}")
    print(f"runs: {len(gp_runs)}; times are the best run (phases: best of each), RSS the largest")
    print("geopandas in-process phases (s): " + ", ".join(
        f"{k[:-2]} {phases[k]:.3f}" for k in
        ["import_s", "read_layer_s", "read_csv_s", "build_points_s", "sjoin_s", "counts_s", "write_s"]))
    if not args.sm_time:
        print(f"{'':24} {'geopandas':>12}")
        print(f"{'process wall time':24} {gp_wall:11.2f}s")
        print(f"{'sjoin phase':24} {phases['sjoin_s']:11.3f}s")
        print(f"{'peak RSS':24} {gp_rss / 1024:9.1f}MiB")
        return 0
    sm_wall, sm_rss, sm_runs = best_of(args.sm_time)
    sm = read_counts(args.sm_counts)
    codes = sorted(set(gp) | set(sm))
    diff = [(c, gp.get(c, 0), sm.get(c, 0)) for c in codes if gp.get(c, 0) != sm.get(c, 0)]
    ratio = lambda a, b: f"{a / b:8.2f}x" if b > 0 else "       -"
    print(f"{'':24} {'geopandas':>12} {'sigmap':>12} {'gp/sigmap':>10}")
    print(f"{'process wall time':24} {gp_wall:11.2f}s {sm_wall:11.2f}s {ratio(gp_wall, sm_wall):>10}")
    sm_phases = [json.loads(Path(p).read_text().strip().splitlines()[-1]) for p in args.sm_timings or []]
    if sm_phases:
        best = {k: min(p[k] for p in sm_phases) for k in sm_phases[0]}
        print("sigmap phases (s): " + ", ".join(f"{k[:-2]} {v:.3f}" for k, v in best.items()))
        print(f"{'join phase':24} {phases['sjoin_s']:11.3f}s {best['locate_s']:11.3f}s "
              f"{ratio(phases['sjoin_s'], best['locate_s']):>10}  (sjoin vs locating and counting)")
    print(f"{'sjoin vs whole sigmap':24} {phases['sjoin_s']:11.3f}s {sm_wall:11.2f}s "
          f"{ratio(phases['sjoin_s'], sm_wall):>10}  (gp sjoin alone vs whole sigmap process)")
    print(f"{'peak RSS':24} {gp_rss / 1024:9.1f}MiB {sm_rss / 1024:9.1f}MiB {ratio(gp_rss, sm_rss):>10}")
    print(f"counts: geopandas total {sum(gp.values())}, sigmap total {sum(sm.values())}, "
          f"codes {len(gp)} / {len(sm)} (missing codes count as 0)")
    if diff:
        print(f"COUNT TABLES DIFFER on {len(diff)} codes (code: geopandas vs sigmap):", file=sys.stderr)
        for c, a, b in diff[:50]:
            print(f"  {c}: {a} vs {b}", file=sys.stderr)
        return 1
    print("count tables identical")
    return 0


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    g = sub.add_parser("gen")
    g.add_argument("out")
    g.add_argument("--set", default="uk", choices=["uk", "london"])
    j = sub.add_parser("join")
    j.add_argument("points")
    j.add_argument("--areas", required=True)
    j.add_argument("-o", "--out", required=True)
    j.add_argument("--timings")
    r = sub.add_parser("report")
    r.add_argument("--gp-time", required=True, nargs="+")
    r.add_argument("--gp-timings", required=True, nargs="+")
    r.add_argument("--gp-counts", required=True)
    r.add_argument("--sm-time", nargs="+")
    r.add_argument("--sm-timings", nargs="*", default=[])
    r.add_argument("--sm-counts")
    r.add_argument("--layer")
    args = ap.parse_args()
    if args.cmd == "gen":
        cmd_gen(args)
    elif args.cmd == "join":
        cmd_join(args)
    else:
        sys.exit(cmd_report(args))


if __name__ == "__main__":
    main()
