#!/usr/bin/env bash
# Makes the generalised boundary layers shipped in data/ from the full BGC layers.
#
# mapshaper builds a topology from the shared vertices, so simplifying an arc simplifies it
# once for both neighbours: shared edges stay shared and queen/rook neighbours are kept
# (checked by check_topology.py, which this script runs).
#
# Usage: scripts/simplify_boundaries.sh [SHARED_DATA_DIR]   (default ../shared/data)
# Needs node + npm (mapshaper 0.7.70 is installed into a temporary folder) and python3.
set -euo pipefail
src=${1:-../shared/data}
here=$(cd "$(dirname "$0")" && pwd)
out="$here/../data"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm install --silent --no-audit --no-fund mapshaper@0.7.70 >/dev/null)
ms="$tmp/node_modules/.bin/mapshaper"
# 20% of the vertices (Visvalingam, weighted), every seat keeps its main shape,
# RFC 7946 output: WGS84, counter-clockwise exterior rings, 6 decimals.
"$ms" -i "$src/pcon2024_bgc.geojson" -simplify 20% keep-shapes \
  -o "$out/boundaries/pcon2024_bgc_20pct.geojson" format=geojson rfc7946
"$ms" -i "$src/pcon2010_bgc.geojson" -simplify 20% keep-shapes \
  -o "$out/boundaries/pcon2010_bgc_20pct.geojson" format=geojson rfc7946
python3 "$here/check_topology.py" "$src/pcon2024_bgc.geojson" "$out/boundaries/pcon2024_bgc_20pct.geojson"
python3 "$here/check_topology.py" "$src/pcon2010_bgc.geojson" "$out/boundaries/pcon2010_bgc_20pct.geojson" \
  --expect-lost E14000603-E14000864
