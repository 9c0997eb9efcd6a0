#!/usr/bin/env bash
# Times the same 10^6-point join with geopandas and with sigmap in the same run, checks
# that both give the same count table, and prints the ratios.
#
#   1. the seeded points of scripts/golden/make_golden_points.py (set "uk", 1,000,000
#      points, seed 20261126) are written as CSV lon,lat into a temp dir;
#   2. geopandas as a whole process (scripts/bench_geopandas.py join: read layer, read
#      CSV, build points, sjoin(within), counts per code) under /usr/bin/time -v: wall
#      time, peak RSS, plus the in-process phase times;
#   3. sigmap as a whole process: $SIGMAP join-points $CSV --areas $LAYER -q -o $OUT --timings
#      (its phase times, JSON on stderr, give the join phase against sjoin)
#      (CSV columns code,name,count) under /usr/bin/time -v;
#   4. the two count tables must be identical (exit 1 if not); prints both process
#      times, the ratio, geopandas' sjoin phase, and peak RSS of both with the ratio.
#
# Usage: scripts/bench_vs_geopandas.sh [--geopandas-only] [LAYER | full]
#   LAYER   default data/boundaries/pcon2024_bgc_20pct.geojson; "full" means the
#           full-resolution ../shared/data/pcon2024_bgc.geojson.
# Environment: SIGMAP (default target/release/sigmap, built with `cargo build --release`
#   if missing or older than src/, Cargo.toml or Cargo.lock; an explicit SIGMAP is never
#   built), PYTHON (default scripts/.venv/bin/python, see scripts/golden/README.md),
#   REPEAT (runs of each process, default 3: best wall time, largest peak RSS).
set -euo pipefail
cd "$(dirname "$0")/.."

gp_only=0
if [[ ${1:-} == --geopandas-only ]]; then gp_only=1; shift; fi
layer=${1:-data/boundaries/pcon2024_bgc_20pct.geojson}
[[ $layer == full ]] && layer=../shared/data/pcon2024_bgc.geojson
[[ -f $layer ]] || { echo "error: layer $layer not found" >&2; exit 2; }
py=${PYTHON:-scripts/.venv/bin/python}
[[ -x $py ]] || { echo "error: $py not found: create the venv (scripts/golden/README.md) or set PYTHON" >&2; exit 2; }
repeat=${REPEAT:-3}
sigmap=${SIGMAP:-target/release/sigmap}

if [[ ! -x /usr/bin/time ]]; then
  if [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null; then
    echo "installing GNU time (apt-get install time)" >&2
    apt-get update -qq && apt-get install -y -qq time >/dev/null
  else
    echo "error: /usr/bin/time (GNU time) is missing: apt-get install time" >&2; exit 2
  fi
fi

if [[ $gp_only == 0 ]]; then
  # Default binary: build it when missing or older than the sources.
  if [[ -z ${SIGMAP:-} ]] && { [[ ! -x $sigmap ]] ||
    [[ -n $(find src Cargo.toml Cargo.lock -newer "$sigmap" -print -quit 2>/dev/null) ]]; }; then
    echo "building sigmap (cargo build --release)" >&2
    cargo build --release >&2
  fi
  [[ -x $sigmap ]] || { echo "error: sigmap binary $sigmap not found" >&2; exit 2; }
  if ! "$sigmap" join-points --help >/dev/null 2>&1; then
    echo "error: $sigmap has no 'join-points' subcommand (expected:" \
      "sigmap join-points POINTS.csv --areas LAYER --format csv -o OUT.csv)." \
      "Rebuild a sigmap that has it, point SIGMAP at one, or use --geopandas-only." >&2
    exit 2
  fi
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$py" scripts/bench_geopandas.py gen "$tmp/points.csv"

gp_time=() gp_phase=() sm_time=() sm_phase=()
for i in $(seq 1 "$repeat"); do
  /usr/bin/time -v -o "$tmp/gp$i.time" \
    "$py" scripts/bench_geopandas.py join "$tmp/points.csv" --areas "$layer" \
    -o "$tmp/gp.csv" --timings "$tmp/gp$i.json"
  gp_time+=("$tmp/gp$i.time") gp_phase+=("$tmp/gp$i.json")
  if [[ $gp_only == 0 ]]; then
    rm -f "$tmp/sm.csv"
    if ! /usr/bin/time -v -o "$tmp/sm$i.time" \
      "$sigmap" join-points "$tmp/points.csv" --areas "$layer" -q -o "$tmp/sm.csv" \
      --timings >"$tmp/sm$i.out" 2>"$tmp/sm$i.json"; then
      echo "error: sigmap join-points failed (see above)" >&2; exit 1
    fi
    sm_time+=("$tmp/sm$i.time") sm_phase+=("$tmp/sm$i.json")
  fi
done

echo "layer: $layer; geopandas: $py; sigmap: $([[ $gp_only == 0 ]] && echo "$sigmap" || echo skipped)"
if [[ $gp_only == 1 ]]; then
  "$py" scripts/bench_geopandas.py report --layer "$layer" --gp-time "${gp_time[@]}" \
    --gp-timings "${gp_phase[@]}" --gp-counts "$tmp/gp.csv"
else
  "$py" scripts/bench_geopandas.py report --layer "$layer" --gp-time "${gp_time[@]}" \
    --gp-timings "${gp_phase[@]}" --gp-counts "$tmp/gp.csv" \
    --sm-time "${sm_time[@]}" --sm-timings "${sm_phase[@]}" --sm-counts "$tmp/sm.csv"
fi
