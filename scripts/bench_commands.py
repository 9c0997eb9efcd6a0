#!/usr/bin/env python3
"""Whole commands, timed as a user feels them: sigmap against the Python stack (issue 18).

Each command runs as a whole process, from start to exit: wall time (best of --repeat runs)
and peak RSS (the largest over the runs). Peak RSS is GNU time's %M when /usr/bin/time
exists; else it is os.wait4's ru_maxrss, which is at least this driver's own RSS (about
10-15 MiB: Linux keeps the peak of the memory a child had before its exec, and a child
spawned from Python starts with the driver's). sigmap and the Python reference run in
the same invocation, interleaved (sigmap, Python, sigmap, Python, ...), so both see the
same machine load. Python's time includes its imports (a script pays them); the notes
under the table give the ratio without them as well.

Rows (ids for --only; `--only stats` selects both stats rows, and so on):

  stats-shipped, stats-full
      sigmap stats --areas LAYER --values V.csv --id code --count signatures
        --population electorate --permutations 999 --format json
      against `PYTHON scripts/bench_commands.py reference-stats ...`: geopandas.read_file,
      pandas.read_csv, libpysal Queen.from_dataframe, esda.Moran, esda.Geary and esda.G
      (analytic, as sigmap computes them), esda.Moran_Local and
      esda.G_Local(star=True), 999 permutations, esda's defaults otherwise (n_jobs=1).
      Both compute the rate signatures / electorate of petition 241584 on the 2024
      seats: V.csv is made once per run from
      `sigmap report data/petitions/petition_241584.json --to 2024` (its areas.csv).
      Moran's I, Geary's C, General G, every local I and every Gi* z are compared.
      LAYER: the shipped data/boundaries/pcon2024_bgc_20pct.geojson, and the
      full-resolution ../shared/data/pcon2024_bgc.geojson (skipped when missing).
      Target: sigmap at least 15x faster.
  join-shipped, join-full, join-full-cold, join-full-nogaps
      sigmap join-points POINTS.csv --areas LAYER -q -o OUT.csv (join-full-nogaps: with
      --no-gaps, which does not look for gaps between seats, as sjoin does not) against
      `PYTHON scripts/bench_geopandas.py join` (geopandas.read_file, pandas.read_csv,
      points_from_xy, sjoin within, counts per code) on 10^6 seeded points. The two count
      tables must be identical. --points land (the default): 10^6 points on land, the
      first 10^6 of the seeded stream of `scripts/bench_geopandas.py gen` (SplitMix64,
      seed 20261126, the UK's box) that are within a seat of the shipped layer, made once
      per run by `PYTHON scripts/bench_commands.py land-points OUT.csv` (about 20 s);
      --points uk: that script's own 10^6 points in the box, about 29% of them in a seat.
      Targets: at least 12x faster, and sigmap's peak RSS at most 1/4 of geopandas'.
      sigmap keeps the gaps of a layer it has checked (SIGMAP_CACHE_DIR, here a folder of
      this run, empty at its start): the first run of join-full checks the layer, the later
      ones read the check, and best-of takes those. join-full-cold keeps none
      (SIGMAP_CACHE_DIR=""), so every run checks the layer, as a first run does.
  report
      sigmap report data/petitions/petition_241584.json --out DIR (the shipped data, the
      default statistics). Target: under 0.15 s. No Python reference.
  locate-full, locate-shipped
      sigmap locate -1.5 53.4 --areas ../shared/data/pcon2024_bgc.geojson (target: under
      0.08 s), and on the shipped layer (no --areas; for information).

Run from anywhere (it changes to the repository root), with an interpreter that has
geopandas, libpysal and esda (scripts/golden/README.md makes such a venv), after
`cargo build --release`:

    scripts/.venv/bin/python scripts/bench_commands.py [--repeat 5] [--only stats]
        [--sigmap target/release/sigmap] [--python PYTHON] [--points land|uk]
        [--full-layer ../shared/data/pcon2024_bgc.geojson] [--json]

The table gives, per row, the best wall time of each side, their ratio (Python / sigmap),
the target and whether this run met it, and peak RSS. --json prints the same (and every
run's time, CPU time and RSS, the machine, the versions) as JSON on stdout instead.
Progress goes to stderr. Exit status: 0 when every selected row ran and its check passed
(a missed target does not change it), 1 when a command failed or two results differ,
2 for bad usage (no sigmap binary, no full-resolution layer for a row that needs only it).
Numbers on a busy machine are noisy: the best of several interleaved runs is the honest
figure, and the load average is printed with the machine.
"""
import argparse
import csv
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHIPPED_LAYER = "data/boundaries/pcon2024_bgc_20pct.geojson"
FULL_LAYER = "../shared/data/pcon2024_bgc.geojson"
PETITION = "data/petitions/petition_241584.json"
POINT = ("-1.5", "53.4")  # Sheffield
GNU_TIME = "/usr/bin/time"
PERMUTATIONS = 999
SEED = 12345  # esda's local statistics; sigmap's default seed is the same number
PACKAGES = ["geopandas", "libpysal", "esda", "shapely", "pyogrio", "pandas", "numpy", "numba"]


# --------------------------------------------------------------------------------------
# The Python reference of `sigmap stats` (a separate process, timed from start to exit).
# --------------------------------------------------------------------------------------

def reference_stats(argv):
    """geopandas + libpysal + esda doing what `sigmap stats` does; prints a JSON summary."""
    ap = argparse.ArgumentParser(prog="bench_commands.py reference-stats")
    ap.add_argument("layer")
    ap.add_argument("values")
    ap.add_argument("--id", required=True)
    ap.add_argument("--count", required=True)
    ap.add_argument("--population", required=True)
    ap.add_argument("--permutations", type=int, default=PERMUTATIONS)
    ap.add_argument("--seed", type=int, default=SEED)
    args = ap.parse_args(argv)
    clock = [time.perf_counter()]

    def lap():
        clock.append(time.perf_counter())
        return clock[-1] - clock[-2]

    import warnings

    import esda
    import geopandas
    import libpysal
    import pandas as pd

    warnings.filterwarnings("ignore")  # islands, and esda's notes on them
    phases = {"import_s": lap()}
    gdf = geopandas.read_file(args.layer)
    phases["read_layer_s"] = lap()
    codes = [c for c in gdf.columns if re.fullmatch(r"[A-Z0-9]+CD", c)]
    if len(codes) != 1:
        sys.exit(f"cannot tell the code property among {list(gdf.columns)}")
    table = pd.read_csv(args.values, dtype={args.id: str}).set_index(args.id)
    table = table.reindex(gdf[codes[0]])
    if table[[args.count, args.population]].isna().any().any():
        sys.exit(f"{args.values}: no values for some areas of {args.layer}")
    y = (table[args.count] / table[args.population]).to_numpy(dtype=float)
    phases["read_values_s"] = lap()
    w = libpysal.weights.Queen.from_dataframe(gdf, use_index=False, silence_warnings=True)
    w.transform = "r"
    phases["weights_s"] = lap()
    n = args.permutations
    moran = esda.Moran(y, w, transformation="r", permutations=n)
    geary = esda.Geary(y, w, transformation="r", permutations=0)
    lisa = esda.Moran_Local(y, w, transformation="r", permutations=n, seed=args.seed, n_jobs=1)
    gi = esda.G_Local(y, w, transform="B", star=True, permutations=n, seed=args.seed, n_jobs=1)
    general_g = esda.G(y, w, permutations=0)  # sets w to binary: last
    phases["statistics_s"] = lap()
    print(json.dumps({
        "phases": phases,
        "n": int(w.n),
        "islands": len(w.islands),
        "moran_i": float(moran.I),
        "moran_p_sim": float(moran.p_sim) if n else None,
        "geary_c": float(geary.C),
        "general_g": float(general_g.G),
        "lisa_i": [float(v) for v in lisa.Is],
        "gi_star_z": [float(v) for v in gi.Zs],
    }))


def make_land_points(argv):
    """The first N points of the seeded "uk" stream of scripts/golden/make_golden_points.py
    that are within a seat of LAYER (GEOS `within`, as geopandas.sjoin), as CSV lon,lat
    with every float in repr form (shortest round-trip)."""
    ap = argparse.ArgumentParser(prog="bench_commands.py land-points")
    ap.add_argument("out")
    ap.add_argument("--layer", default=SHIPPED_LAYER)
    ap.add_argument("-n", type=int, default=1_000_000)
    args = ap.parse_args(argv)

    import geopandas
    import numpy as np
    import shapely

    sys.dont_write_bytecode = True
    sys.path.insert(0, str(ROOT / "scripts" / "golden"))
    from make_golden_points import SETS, check_generator, generate_points

    check_generator()
    spec = SETS["uk"]
    tree = shapely.STRtree(geopandas.read_file(args.layer).geometry.values)
    m = 4 * args.n  # about 29% of the box is in a seat
    while True:
        lon, lat = generate_points(spec["seed"], m, spec["envelope"])
        hits = tree.query(shapely.points(lon, lat), predicate="within")[0]
        inside = np.zeros(m, dtype=bool)
        inside[hits] = True
        if inside.sum() >= args.n:
            break
        m *= 2
    keep = np.flatnonzero(inside)[: args.n]
    with open(args.out, "w") as f:
        f.write("lon,lat\n")
        f.write("".join(f"{a!r},{b!r}\n" for a, b in zip(lon[keep].tolist(), lat[keep].tolist())))
    print(f"wrote the first {args.n} points within a seat of {args.layer} (of the first "
          f"{keep[-1] + 1} of set uk, seed {spec['seed']}) to {args.out}", file=sys.stderr)


# --------------------------------------------------------------------------------------
# Timing whole processes.
# --------------------------------------------------------------------------------------

class Runner:
    def __init__(self, workdir, use_gnu_time):
        self.workdir = workdir
        self.use_gnu_time = use_gnu_time
        self.count = 0

    def run(self, cmd, stdout=None, env=None):
        """Runs cmd to its exit: (wall s, cpu s, peak RSS KiB, exit code, stderr text).
        stdout goes to the file `stdout` (else is discarded); `env` adds to the environment."""
        self.count += 1
        rss_file = self.workdir / f"rss{self.count}.txt"
        err_file = self.workdir / f"stderr{self.count}.txt"
        full = ([GNU_TIME, "-f", "%M", "-o", str(rss_file)] if self.use_gnu_time else []) + cmd
        with open(stdout or os.devnull, "wb") as out, open(err_file, "wb") as err:
            t0 = time.perf_counter()
            p = subprocess.Popen(full, stdin=subprocess.DEVNULL, stdout=out, stderr=err,
                                 env={**os.environ, **(env or {})})
            _, status, usage = os.wait4(p.pid, 0)
            wall = time.perf_counter() - t0
        p.returncode = code = os.waitstatus_to_exitcode(status)  # reaped: Popen must not wait
        rss = usage.ru_maxrss  # KiB on Linux
        if self.use_gnu_time:
            # GNU time adds "Command exited with non-zero status N" lines before %M
            lines = rss_file.read_text().split() if rss_file.exists() else []
            rss = int(lines[-1]) if lines and lines[-1].isdigit() else None
        stderr = err_file.read_text(errors="replace")
        for f in (rss_file, err_file):
            f.unlink(missing_ok=True)
        return wall, usage.ru_utime + usage.ru_stime, rss, code, stderr


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def short(cmd):
    return " ".join(cmd)


class Side:
    """The runs of one side (sigmap or the reference) of one row."""

    def __init__(self, name, cmd, out, env=None):
        self.name, self.cmd, self.out, self.env = name, cmd, out, env
        self.walls, self.cpus, self.rss = [], [], []
        self.error = None

    def run(self, runner):
        if self.error:
            return
        wall, cpu, rss, code, stderr = runner.run(self.cmd, self.out, self.env)
        if code != 0:
            tail = "\n".join(stderr.strip().splitlines()[-8:])
            self.error = f"{self.name} exited with {code}: {short(self.cmd)}\n{tail}"
            log(f"error: {self.error}")
            return
        self.walls.append(wall)
        self.cpus.append(cpu)
        if rss is not None:
            self.rss.append(rss)

    @property
    def best(self):
        return min(self.walls) if self.walls and not self.error else None

    @property
    def peak_rss(self):
        return max(self.rss) if self.rss and not self.error else None

    def to_json(self):
        return {
            "command": self.cmd,
            "error": self.error,
            "wall_s": self.walls,
            "cpu_s": self.cpus,
            "peak_rss_kib": self.rss,
            "best_wall_s": self.best,
            "max_peak_rss_kib": self.peak_rss,
        }


class Row:
    def __init__(self, id, label, sigmap, reference=None, min_ratio=None, max_seconds=None,
                 max_rss_fraction=None, check=None):
        self.id, self.label = id, label
        self.sigmap, self.reference = sigmap, reference
        self.min_ratio, self.max_seconds, self.max_rss_fraction = min_ratio, max_seconds, max_rss_fraction
        self.check = check
        self.notes = []
        self.check_ok = None

    @property
    def failed(self):
        return bool(self.sigmap.error or (self.reference and self.reference.error) or self.check_ok is False)

    @property
    def ratio(self):
        if self.reference and self.sigmap.best and self.reference.best:
            return self.reference.best / self.sigmap.best
        return None

    @property
    def rss_fraction(self):
        if self.reference and self.sigmap.peak_rss and self.reference.peak_rss:
            return self.sigmap.peak_rss / self.reference.peak_rss
        return None

    def targets(self):
        """[(description, met or None)]."""
        out = []
        if self.min_ratio is not None:
            r = self.ratio
            out.append((f">= {self.min_ratio:g}x", None if r is None else r >= self.min_ratio))
        if self.max_seconds is not None:
            b = self.sigmap.best
            out.append((f"< {self.max_seconds:g} s", None if b is None else b < self.max_seconds))
        if self.max_rss_fraction is not None:
            f = self.rss_fraction
            out.append((f"RSS <= 1/{1 / self.max_rss_fraction:g}",
                        None if f is None else f <= self.max_rss_fraction))
        return out

    def to_json(self):
        return {
            "id": self.id,
            "label": self.label,
            "sigmap": self.sigmap.to_json(),
            "reference": self.reference.to_json() if self.reference else None,
            "ratio": self.ratio,
            "sigmap_rss_fraction": self.rss_fraction,
            "targets": [{"target": t, "met": m} for t, m in self.targets()],
            "check_passed": self.check_ok,
            "notes": self.notes,
        }


# --------------------------------------------------------------------------------------
# Inputs made once per run, and the checks of the results.
# --------------------------------------------------------------------------------------

def make_values(runner, sigmap, tmp):
    """code,signatures,electorate of petition 241584 on the 2024 seats, from sigmap report."""
    out = tmp / "values_report"
    cmd = [sigmap, "report", PETITION, "--to", "2024", "--out", str(out),
           "--permutations", "0", "--rank-draws", "0"]
    _, _, _, code, stderr = runner.run(cmd)
    if code != 0:
        raise RuntimeError(f"making the values failed: {short(cmd)}\n{stderr.strip()}")
    path = tmp / "values.csv"
    with open(out / "areas.csv", newline="") as f, open(path, "w", newline="") as g:
        w = csv.writer(g, lineterminator="\n")
        w.writerow(["code", "signatures", "electorate"])
        for r in csv.DictReader(f):
            w.writerow([r["code"], r["signatures"], r["electorate"]])
    return path


def make_points(runner, python, tmp, kind):
    path = tmp / "points.csv"
    if kind == "land":
        cmd = [python, "scripts/bench_commands.py", "land-points", str(path)]
    else:
        cmd = [python, "scripts/bench_geopandas.py", "gen", str(path)]
    _, _, _, code, stderr = runner.run(cmd)
    if code != 0:
        raise RuntimeError(f"making the points failed: {short(cmd)}\n{stderr.strip()}")
    return path


def without_imports(row, import_s):
    """The ratio if Python's imports were free (its best run less the last run's imports)."""
    rest = row.reference.best - import_s
    if rest <= 0 or not row.sigmap.best:
        return ""
    return f"; without the imports python would take {rest:.2f} s, {rest / row.sigmap.best:.1f}x sigmap"


def check_stats(row):
    sm = json.loads(Path(row.sigmap.out).read_text())
    ref = json.loads(Path(row.reference.out).read_text().strip().splitlines()[-1])
    codes = [r["id"] for r in sm["local"]]
    if len(codes) != ref["n"]:
        row.notes.append(f"sigmap has {len(codes)} areas, the reference {ref['n']}")
        return False

    def rel(a, b):
        return abs(a - b) / max(abs(a), abs(b), 1e-300)

    pairs = [
        ("Moran's I", sm["moran"]["I"], ref["moran_i"]),
        ("Geary's C", sm["geary"]["C"], ref["geary_c"]),
    ]
    if sm.get("getis_ord"):
        pairs.append(("General G", sm["getis_ord"]["G"], ref["general_g"]))
    worst = {name: rel(a, b) for name, a, b in pairs}
    local_i = max(abs(r["lisa_i"] - v) for r, v in zip(sm["local"], ref["lisa_i"]))
    gi = [(r["gi_star_z"], v) for r, v in zip(sm["local"], ref["gi_star_z"]) if r["gi_star_z"] is not None]
    gi_z = max((abs(a - b) for a, b in gi), default=0.0)
    p = ref["phases"]
    row.notes.append("python phases of its last run: " + ", ".join(
        f"{k[:-2].replace('_', ' ')} {v:.2f} s" for k, v in p.items()) + without_imports(row, p["import_s"]))
    ok = all(v < 1e-9 for v in worst.values()) and local_i < 1e-9 and gi_z < 1e-9 and len(gi) == len(codes)
    row.notes.append(
        f"{'same results' if ok else 'RESULTS DIFFER'}: Moran's I {sm['moran']['I']:.6f} "
        f"(esda {ref['moran_i']:.6f}), largest differences: "
        + ", ".join(f"{k} {v:.1e} (rel.)" for k, v in worst.items())
        + f", local I {local_i:.1e}, Gi* z {gi_z:.1e} over {len(codes)} areas; "
        f"{ref['islands']} islands")
    return ok


def read_counts(path):
    out = {}
    with open(path, newline="") as f:
        for r in csv.DictReader(f):
            if r.get("code", "").strip():  # sigmap may add a row for points in no area
                out[r["code"]] = out.get(r["code"], 0) + int(r["count"])
    return out


def check_join(row):
    sm, gp = read_counts(row.sigmap.out_file), read_counts(row.reference.out_file)
    diff = [c for c in sorted(set(sm) | set(gp)) if sm.get(c, 0) != gp.get(c, 0)]
    if diff:
        row.notes.append(f"COUNT TABLES DIFFER on {len(diff)} codes, e.g. " + ", ".join(
            f"{c}: sigmap {sm.get(c, 0)}, geopandas {gp.get(c, 0)}" for c in diff[:5]))
    else:
        row.notes.append(f"count tables identical ({len(sm)} areas, {sum(sm.values()):,} points in areas)")
    timings = row.reference.timings_file
    if timings.exists():
        t = json.loads(timings.read_text())
        row.notes.append(f"geopandas phases of its last run: import {t['import_s']:.2f} s, read layer "
                         f"{t['read_layer_s']:.2f} s, read CSV {t['read_csv_s']:.2f} s, sjoin {t['sjoin_s']:.2f} s"
                         + without_imports(row, t["import_s"]))
    return not diff


def check_locate(row):
    text = Path(row.sigmap.out).read_text().strip()
    row.notes.append(f"({POINT[0]}, {POINT[1]}) is in: " + " ".join(text.split())[:100])
    return True


def check_report(row):
    missing = [f for f in ("areas.csv", "summary.json") if not (row.out_dir / f).exists()]
    if missing:
        row.notes.append(f"report wrote no {', '.join(missing)}")
    return not missing


# --------------------------------------------------------------------------------------
# The benchmark.
# --------------------------------------------------------------------------------------

def machine():
    model = None
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = None
    try:
        m = re.search(r"MemTotal:\s+(\d+) kB", Path("/proc/meminfo").read_text())
        mem = int(m.group(1)) if m else None
    except OSError:
        pass
    return {
        "cpus": os.cpu_count(),
        "cpus_usable": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None,
        "cpu_model": model or platform.processor() or platform.machine(),
        "mem_total_kib": mem,
        "load_average": list(os.getloadavg()) if hasattr(os, "getloadavg") else None,
        "system": platform.platform(),
    }


def versions(python, sigmap):
    code = ("import importlib.metadata as m, json, sys\n"
            "v = {'python': sys.version.split()[0]}\n"
            f"for p in {PACKAGES!r}:\n"
            "    try: v[p] = m.version(p)\n"
            "    except m.PackageNotFoundError: v[p] = None\n"
            "print(json.dumps(v))")
    try:
        out = json.loads(subprocess.run([python, "-c", code], capture_output=True, text=True, check=True).stdout)
    except (subprocess.CalledProcessError, OSError, ValueError) as e:
        out = {"error": f"{python}: {e}"}
    try:
        out["sigmap"] = subprocess.run([sigmap, "--version"], capture_output=True, text=True,
                                       check=True).stdout.strip()
        st = os.stat(sigmap)
        out["sigmap_binary"] = f"{sigmap} ({time.strftime('%Y-%m-%d %H:%M:%S', time.localtime(st.st_mtime))})"
    except (subprocess.CalledProcessError, OSError) as e:
        out["sigmap"] = f"error: {e}"
    return out


ROW_IDS = ["stats-shipped", "stats-full", "join-shipped", "join-full", "join-full-cold", "join-full-nogaps", "report",
           "locate-full", "locate-shipped"]


def selected(only):
    if not only:
        return list(ROW_IDS)
    wanted = [w.strip() for o in only for w in o.split(",") if w.strip()]
    out = []
    for row in ROW_IDS:
        if any(w == row or row.startswith(w + "-") for w in wanted):
            out.append(row)
    unknown = [w for w in wanted if not any(w == r or r.startswith(w + "-") for r in ROW_IDS)]
    if unknown:
        print(f"error: unknown row {', '.join(unknown)}: choose from {', '.join(ROW_IDS)} "
              "(or stats, join, locate)", file=sys.stderr)
        sys.exit(2)
    return out


def build_rows(ids, args, runner, tmp):
    sigmap, python, full = args.sigmap, args.python, args.full_layer
    layers = {"shipped": SHIPPED_LAYER, "full": full}
    rows, skipped = [], []
    values = points = None
    for rid in ids:
        kind, _, which = rid.partition("-")
        which, _, variant = which.partition("-")
        layer = layers.get(which)
        if which == "full" and not Path(full).is_file():
            skipped.append(f"{rid}: skipped, the full-resolution layer {full} is missing")
            continue
        extra = {"nogaps": ", --no-gaps", "cold": ", no cache"}.get(variant, "")
        name = f"{kind} ({which}{extra})" if which else kind
        d = tmp / rid
        d.mkdir()
        if kind == "stats":
            if values is None:
                log("making the values: sigmap report of petition 241584 on the 2024 seats")
                values = make_values(runner, sigmap, tmp)
            common = ["--id", "code", "--count", "signatures", "--population", "electorate"]
            sm = Side("sigmap", [sigmap, "stats", "--areas", layer, "--values", str(values), *common,
                                 "--permutations", str(PERMUTATIONS), "--format", "json"], d / "sigmap.json")
            ref = Side("python", [python, "scripts/bench_commands.py", "reference-stats", layer, str(values),
                                  *common, "--permutations", str(PERMUTATIONS)], d / "python.json")
            rows.append(Row(rid, name, sm, ref, min_ratio=15, check=check_stats))
        elif kind == "join":
            if points is None:
                log("making the points: " + (
                    "bench_commands.py land-points (10^6 seeded points in a seat; about 20 s)"
                    if args.points == "land" else "bench_geopandas.py gen (10^6 seeded points in the UK's box)"))
                points = make_points(runner, python, tmp, args.points)
            # sigmap keeps a layer's gaps for the next run (this run's own folder, empty at
            # the start, so the first run finds them); the cold row keeps none
            cache = "" if variant == "cold" else str(tmp / "layer-checks")
            sm = Side("sigmap", [sigmap, "join-points", str(points), "--areas", layer, "-q",
                                 "-o", str(d / "sigmap.csv"), *(["--no-gaps"] if variant == "nogaps" else [])],
                      d / "sigmap.out", env={"SIGMAP_CACHE_DIR": cache})
            sm.out_file = d / "sigmap.csv"
            ref = Side("python", [python, "scripts/bench_geopandas.py", "join", str(points), "--areas", layer,
                                  "-o", str(d / "geopandas.csv"), "--timings", str(d / "gp.json")],
                       d / "python.out")
            ref.out_file, ref.timings_file = d / "geopandas.csv", d / "gp.json"
            rows.append(Row(rid, name, sm, ref, min_ratio=12, max_rss_fraction=0.25, check=check_join))
        elif kind == "report":
            sm = Side("sigmap", [sigmap, "report", PETITION, "--out", str(d / "out")], d / "sigmap.out")
            row = Row(rid, "report (shipped)", sm, max_seconds=0.15, check=check_report)
            row.out_dir = d / "out"
            rows.append(row)
        elif kind == "locate":
            extra = ["--areas", layer] if which == "full" else []
            sm = Side("sigmap", [sigmap, "locate", *POINT, *extra], d / "sigmap.out")
            rows.append(Row(rid, name, sm, max_seconds=0.08 if which == "full" else None,
                            check=check_locate))
    return rows, skipped


def fmt_s(v):
    if v is None:
        return "-"
    return f"{v:.3f} s" if v < 10 else f"{v:.1f} s"


def fmt_mib(kib):
    return "-" if kib is None else f"{kib / 1024:.0f} MiB"


def print_table(result, rows, skipped):
    m, v = result["machine"], result["versions"]
    load = m["load_average"]
    print(f"machine: {m['cpus']} CPUs ({m['cpus_usable']} usable), {m['cpu_model']}, "
          f"{(m['mem_total_kib'] or 0) / 1048576:.1f} GiB; load average "
          + ("/".join(f"{x:.2f}" for x in load) if load else "?") + " at the start")
    print(f"sigmap: {v.get('sigmap')}, {v.get('sigmap_binary', '')}")
    print("python: " + ", ".join(f"{k} {v.get(k)}" for k in ["python"] + PACKAGES if k in v)
          + f" ({result['python']})")
    print(f"each process timed from start to exit, best wall time of {result['repeat']} run(s), interleaved; "
          f"peak RSS the largest of the runs ({result['rss_source']}); join points: {result['points']}")
    print()
    header = ["command", "sigmap", "python", "ratio", "target", "met", "sigmap RSS", "python RSS"]
    lines = []
    for r in rows:
        targets = r.targets()
        cells = [
            r.label,
            fmt_s(r.sigmap.best) if not r.sigmap.error else "FAILED",
            ("-" if not r.reference else fmt_s(r.reference.best) if not r.reference.error else "FAILED"),
            f"{r.ratio:.1f}x" if r.ratio else "-",
            targets[0][0] if targets else "(info)",
            {True: "yes", False: "NO", None: "-"}[targets[0][1]] if targets else "",
            fmt_mib(r.sigmap.peak_rss),
            fmt_mib(r.reference.peak_rss) if r.reference else "-",
        ]
        lines.append(cells)
        for t, met in targets[1:]:
            frac = r.rss_fraction
            lines.append(["  peak memory", fmt_mib(r.sigmap.peak_rss),
                          fmt_mib(r.reference.peak_rss) if r.reference else "-",
                          f"1/{1 / frac:.1f}" if frac else "-", t,
                          {True: "yes", False: "NO", None: "-"}[met], "", ""])
    widths = [max(len(str(c[i])) for c in lines + [header]) for i in range(len(header))]
    right = {1, 2, 3, 6, 7}
    for cells in [header] + lines:
        print("  ".join(str(c).rjust(w) if i in right else str(c).ljust(w)
                        for i, (c, w) in enumerate(zip(cells, widths))).rstrip())
    print("ratio: python's best wall time / sigmap's; memory: sigmap's peak RSS / python's")
    for r in rows:
        for n in r.notes:
            print(f"{r.id}: {n}")
        for side in [r.sigmap] + ([r.reference] if r.reference else []):
            if side.error:
                print(f"{r.id}: {side.error}")
    for s in skipped:
        print(s)


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "reference-stats":
        return reference_stats(sys.argv[2:])
    if len(sys.argv) > 1 and sys.argv[1] == "land-points":
        return make_land_points(sys.argv[2:])
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sigmap",
                    help="the sigmap binary (default: target/release/sigmap of the repository)")
    ap.add_argument("--python", default=sys.executable,
                    help="interpreter with geopandas, libpysal and esda for the references "
                         "(default: the one running this script)")
    ap.add_argument("--repeat", type=int, default=5, help="runs of each process (default 5): best wall time")
    ap.add_argument("--only", action="append", metavar="ROW",
                    help=f"rows to run, repeatable or comma-separated: {', '.join(ROW_IDS)}, "
                         "or stats, join, locate for both layers")
    ap.add_argument("--full-layer",
                    help=f"the full-resolution 2024 layer (default {FULL_LAYER}, from the repository root)")
    ap.add_argument("--points", choices=["land", "uk"], default="land",
                    help="the join's 10^6 points: land (default), the first 10^6 of the seeded stream "
                         "of `scripts/bench_geopandas.py gen` that are in a seat of the shipped layer; "
                         "uk, that script's own 10^6 points in the UK's box (about 29%% in a seat)")
    ap.add_argument("--json", action="store_true", help="print the results as JSON instead of a table")
    args = ap.parse_args()
    if args.repeat < 1:
        ap.error("--repeat must be at least 1")
    ids = selected(args.only)

    # the defaults are relative to the repository root, paths given by the user to the cwd
    args.sigmap = os.path.abspath(args.sigmap or ROOT / "target/release/sigmap")
    args.full_layer = os.path.abspath(args.full_layer or ROOT / FULL_LAYER)
    if os.sep in args.python:
        args.python = os.path.abspath(args.python)
    os.chdir(ROOT)
    if not (os.path.isfile(args.sigmap) and os.access(args.sigmap, os.X_OK)):
        print(f"error: no sigmap binary at {args.sigmap}: run `cargo build --release` or give --sigmap",
              file=sys.stderr)
        sys.exit(2)
    if not shutil.which(args.python):
        print(f"error: no Python interpreter {args.python}", file=sys.stderr)
        sys.exit(2)
    if all(i.endswith("-full") for i in ids) and not Path(args.full_layer).is_file():
        print(f"error: the full-resolution layer {args.full_layer} is missing", file=sys.stderr)
        sys.exit(2)

    use_gnu_time = os.access(GNU_TIME, os.X_OK)
    result = {
        "machine": machine(),
        "versions": versions(args.python, args.sigmap),
        "python": args.python,
        "repeat": args.repeat,
        "points": args.points,
        "rss_source": "GNU time %M" if use_gnu_time else
        "os.wait4; includes this driver's RSS at the fork (no /usr/bin/time)",
    }
    exit_code = 0
    with tempfile.TemporaryDirectory(prefix="bench_commands.") as t:
        tmp = Path(t)
        runner = Runner(tmp, use_gnu_time)
        try:
            rows, skipped = build_rows(ids, args, runner, tmp)
        except RuntimeError as e:
            print(f"error: {e}", file=sys.stderr)
            sys.exit(1)
        for s in skipped:
            log(s)
        for row in rows:
            log(f"{row.id}: {args.repeat} runs of: {short(row.sigmap.cmd)}"
                + (f"\n{' ' * len(row.id)}  against: {short(row.reference.cmd)}" if row.reference else ""))
            for i in range(args.repeat):
                row.sigmap.run(runner)
                if row.reference:
                    row.reference.run(runner)
                if row.sigmap.error or (row.reference and row.reference.error):
                    break
            if not (row.sigmap.error or (row.reference and row.reference.error)) and row.check:
                try:
                    row.check_ok = row.check(row)
                except (OSError, ValueError, KeyError, IndexError, TypeError) as e:
                    row.notes.append(f"CHECK FAILED: {type(e).__name__}: {e}")
                    row.check_ok = False
            if row.failed:
                exit_code = 1
            log(f"{row.id}: sigmap {fmt_s(row.sigmap.best)}"
                + (f", python {fmt_s(row.reference.best)}" if row.reference else "")
                + (f", ratio {row.ratio:.1f}x" if row.ratio else ""))
        result["rows"] = [r.to_json() for r in rows]
        result["skipped"] = skipped
    if args.json:
        json.dump(result, sys.stdout, indent=1)
        print()
    else:
        print_table(result, rows, skipped)
    sys.exit(exit_code)


if __name__ == "__main__":
    main()
