#!/usr/bin/env python3
"""Write golden point-in-constituency counts for sigmap's point join.

geopandas (GEOS) puts seeded pseudo-random points in the constituency layers.
sigmap (R-tree + exact point-in-polygon) regenerates the same points in Rust and
must return the same counts per seat.

Point generator (used by Rust and Python, so the floats are bit-identical)
--------------------------------------------------------------------------
SplitMix64 with state s = seed, all arithmetic mod 2^64:

    next():  s = s + 0x9E3779B97F4A7C15
             z = s
             z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9
             z = (z ^ (z >> 27)) * 0x94D049BB133111EB
             return z ^ (z >> 31)
    uniform: u = (next() >> 11) * 2**-53          (float64 in [0, 1), exact)
    point i: u1 = uniform(), then u2 = uniform()
             lon = lon_min + (u1 * (lon_max - lon_min))
             lat = lat_min + (u2 * (lat_max - lat_min))   (float64, this order)

The k-th output (k = 1, 2, ...) uses state seed + k * 0x9E3779B97F4A7C15, so
the script computes every output at once with numpy uint64 (which wraps mod
2^64). A plain-Python scalar SplitMix64 checks the first outputs.

Sets:
  uk      seed 20261126, n = 1,000,000, lon -8.7..1.8,   lat 49.8..60.9
  london  seed 20261127, n =   200,000, lon -0.52..0.34, lat 51.28..51.70

Layers: data/boundaries/pcon2024_bgc_20pct.geojson (PCON24CD),
data/boundaries/pcon2010_bgc_20pct.geojson (PCON19CD), and the full-resolution
2024 layer (default ../shared/data/pcon2024_bgc.geojson, skipped if missing).

The join
--------
points = GeoDataFrame(geometry=points_from_xy(lon, lat), crs="EPSG:4326")
joined = geopandas.sjoin(points, layer, predicate="within", how="inner")

"within" is GEOS's predicate: a point on a seat boundary is in no seat. Polygons
are used exactly as stored. Nothing is repaired. Some seats have self-intersecting
rings. GEOS's prepared point-in-area test counts ray crossings over all rings of
the feature (even-odd). As a check, the script joins again with
shapely.make_valid(layer) and with predicate="intersects". The `checks` field in
each file records both differences. The layer is read with
geopandas.read_file. The script checks that it gives coordinates bit-identical
to Python's json module (correctly rounded) + shapely.shape.

Outputs (under --out-dir, default tests/golden/points)
------------------------------------------------------
<layer>_<set>.json for layer in pcon2024_20pct, pcon2010_20pct, pcon2024_full
and set in uk, london. Each file holds one top-level key per line:
  layer, layer_path, layer_sha256, code_property, set, seed, n, envelope,
  generator, first_u64 (first 4 raw SplitMix64 outputs, hex), first_points
  (the first 5 points: lon/lat as JSON numbers in Python repr form, plus the
  IEEE-754 bits as hex, because the default float parsing in serde_json is not
  correctly rounded; use the bits or serde_json's float_roundtrip feature),
  counts ({code: number of points within it} for every code of the layer,
  zero-filled, sorted by code), unmatched (points within no seat), matched_pairs
  (= sum of counts), multi (points within more than one seat: count, how they
  were counted, and their indices and codes), checks, versions, and sjoin_seconds.
  sjoin_seconds is the best of 3 timings of the sjoin call (each on a fresh
  points frame, so it includes building the STRtree) for the 2024 layers and
  set uk. It is null everywhere else, and null in every file with
  --no-timings.

postcodes_cb_pcon2024_20pct.json: the 10,970 CB-area Code-Point Open postcodes
(../shared/data/postcodes_cb_codepo.csv) joined to the shipped 2024 layer. One
route uses the file's lon/lat. The other uses Eastings/Northings (EPSG:27700)
transformed to EPSG:4326 by pyproj. The file holds the code per row by lon/lat
in file order, the disagreements between the two routes, and for each
disagreement the distance in metres (EPSG:27700) from the postcode's grid point
to the nearest seat boundary.

Everything except sjoin_seconds is deterministic: with --no-timings, a second
run writes identical bytes.

Run from the repository root:
  scripts/.venv/bin/python scripts/golden/make_golden_points.py [--no-timings]
"""

import argparse
import csv
import hashlib
import json
import struct
import sys
import time
import warnings
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj
import shapely
from shapely.geometry import shape

REPO_ROOT = Path(__file__).resolve().parents[2]

GAMMA = 0x9E3779B97F4A7C15
MUL1 = 0xBF58476D1CE4E5B9
MUL2 = 0x94D049BB133111EB
MASK64 = (1 << 64) - 1

SETS = {
    "uk": {"seed": 20261126, "n": 1_000_000, "envelope": (-8.7, 1.8, 49.8, 60.9)},
    "london": {"seed": 20261127, "n": 200_000, "envelope": (-0.52, 0.34, 51.28, 51.70)},
}

GENERATOR_TEXT = (
    "SplitMix64, state s = seed, mod 2^64: s += 0x9E3779B97F4A7C15; z = s; "
    "z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9; z = (z ^ (z >> 27)) * 0x94D049BB133111EB; "
    "return z ^ (z >> 31). uniform = (next() >> 11) * 2^-53. point i: u1 = uniform(), "
    "u2 = uniform(); lon = lon_min + (u1 * (lon_max - lon_min)); "
    "lat = lat_min + (u2 * (lat_max - lat_min)), float64"
)

MULTI_COUNTING = (
    "sjoin(how='inner') gives one row per (point, seat) pair, so a point within k seats "
    "adds 1 to each of those k seats' counts: sum(counts) = matched_pairs = "
    "n - unmatched + sum(k - 1 over multi points)"
)

TIMING_REPEATS = 3
POSTCODES = "postcodes_cb_codepo.csv"


# --------------------------------------------------------------------------- points


def splitmix64(seed, count):
    """The first `count` outputs of SplitMix64(seed) as a uint64 array."""
    k = np.arange(1, count + 1, dtype=np.uint64)
    z = np.uint64(seed) + k * np.uint64(GAMMA)  # state after k calls (wraps mod 2^64)
    z = (z ^ (z >> np.uint64(30))) * np.uint64(MUL1)
    z = (z ^ (z >> np.uint64(27))) * np.uint64(MUL2)
    return z ^ (z >> np.uint64(31))


def splitmix64_scalar(seed, count):
    """Plain-Python reference, used only to check splitmix64()."""
    s, out = seed, []
    for _ in range(count):
        s = (s + GAMMA) & MASK64
        z = s
        z = ((z ^ (z >> 30)) * MUL1) & MASK64
        z = ((z ^ (z >> 27)) * MUL2) & MASK64
        out.append(z ^ (z >> 31))
    return out


def generate_points(seed, n, envelope):
    """(lon, lat) float64 arrays of the n seeded points; see the module docstring."""
    lon_min, lon_max, lat_min, lat_max = envelope
    raw = splitmix64(seed, 2 * n)
    u = (raw >> np.uint64(11)).astype(np.float64) * (2.0**-53)  # exact: < 2^53
    u1, u2 = u[0::2], u[1::2]
    lon = lon_min + (u1 * (lon_max - lon_min))
    lat = lat_min + (u2 * (lat_max - lat_min))
    return lon, lat


def check_generator():
    for seed in (0, 1, SETS["uk"]["seed"], SETS["london"]["seed"], MASK64):
        got = [int(x) for x in splitmix64(seed, 64)]
        if got != splitmix64_scalar(seed, 64):
            sys.exit(f"vectorised SplitMix64 disagrees with the scalar reference for seed {seed}")
    # Scalar check of the float arithmetic for the first points of each set.
    for spec in SETS.values():
        lon, lat = generate_points(spec["seed"], 5, spec["envelope"])
        raw = splitmix64_scalar(spec["seed"], 10)
        lon_min, lon_max, lat_min, lat_max = spec["envelope"]
        for i in range(5):
            u1 = (raw[2 * i] >> 11) * 2.0**-53
            u2 = (raw[2 * i + 1] >> 11) * 2.0**-53
            if (lon[i], lat[i]) != (lon_min + (u1 * (lon_max - lon_min)), lat_min + (u2 * (lat_max - lat_min))):
                sys.exit("vectorised point arithmetic disagrees with the scalar reference")


def f64_bits(x):
    return "0x%016x" % struct.unpack("<Q", struct.pack("<d", float(x)))[0]


def point_record(i, lon, lat):
    return {"i": i, "lon": float(lon), "lat": float(lat), "lon_bits": f64_bits(lon), "lat_bits": f64_bits(lat)}


# --------------------------------------------------------------------------- layers


def sha256_of(path):
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def rel_path(path):
    path = Path(path).resolve()
    try:
        return str(path.relative_to(REPO_ROOT))
    except ValueError:
        try:
            return str(Path("..") / path.relative_to(REPO_ROOT.parent))
        except ValueError:
            return str(path)


def load_layer(path, code_prop):
    """geopandas.read_file, checked bit-for-bit against json + shapely.shape."""
    gdf = gpd.read_file(path)
    with open(path) as f:
        features = json.load(f)["features"]
    if len(features) != len(gdf) or [ft["properties"][code_prop] for ft in features] != list(gdf[code_prop]):
        sys.exit(f"{path}: geopandas and json disagree on the features")
    ref = shapely.get_coordinates(np.array([shape(ft["geometry"]) for ft in features], dtype=object))
    got = shapely.get_coordinates(gdf.geometry.values)
    if ref.shape != got.shape or not np.array_equal(ref.view(np.uint64), got.view(np.uint64)):
        sys.exit(f"{path}: geopandas.read_file coordinates are not bit-identical to json parsing")
    codes = list(gdf[code_prop])
    if len(set(codes)) != len(codes):
        sys.exit(f"{path}: duplicate codes in {code_prop}")
    if gdf.crs is None or gdf.crs.to_epsg() != 4326:
        sys.exit(f"{path}: expected EPSG:4326, got {gdf.crs}")
    return gdf[[code_prop, "geometry"]]


def points_frame(lon, lat):
    return gpd.GeoDataFrame(geometry=gpd.points_from_xy(lon, lat), crs="EPSG:4326")


def pairs_of(joined, code_prop):
    """(point index, code) pairs of an inner sjoin, sorted."""
    return sorted(zip(joined.index.to_numpy().tolist(), joined[code_prop].tolist()))


def join_counts(lon, lat, layer, code_prop, timed):
    """Run the sjoin (timed if asked) and return the summary dict plus the pairs.

    Each run gets a fresh points frame: with predicate="within" geopandas queries
    the STRtree of the *points* (left) with "contains", and caches that tree on
    the frame, so a reused frame would leave the tree build out of the timing.
    """
    times = []
    for _ in range(TIMING_REPEATS if timed else 1):
        points = points_frame(lon, lat)
        t = time.perf_counter()
        joined = gpd.sjoin(points, layer, predicate="within", how="inner")
        times.append(time.perf_counter() - t)
    pairs = pairs_of(joined, code_prop)
    counts = dict.fromkeys(sorted(layer[code_prop]), 0)
    by_point = {}
    for i, code in pairs:
        counts[code] += 1
        by_point.setdefault(i, []).append(code)
    multi = [{"i": i, "codes": sorted(c)} for i, c in sorted(by_point.items()) if len(c) > 1]
    return {
        "counts": counts,
        "unmatched": len(points) - len(by_point),
        "matched_pairs": len(pairs),
        "multi": {"count": len(multi), "counting": MULTI_COUNTING, "points": multi},
        "times": times,
        "pairs": pairs,
    }


def join_checks(points, layer, code_prop, pairs):
    """How much the answer depends on geometry validity and on boundary points."""
    valid = layer.copy()
    valid["geometry"] = shapely.make_valid(layer.geometry.values)
    mv = set(pairs_of(gpd.sjoin(points, valid, predicate="within", how="inner"), code_prop))
    inter = set(pairs_of(gpd.sjoin(points, layer, predicate="intersects", how="inner"), code_prop))
    raw = set(pairs)
    invalid = ~layer.is_valid
    return {
        "invalid_features": int(invalid.sum()),
        "invalid_codes": sorted(layer.loc[invalid, code_prop]),
        "make_valid_pairs_lost": len(raw - mv),
        "make_valid_pairs_gained": len(mv - raw),
        "make_valid_diff": [[i, c, "lost" if (i, c) in raw else "gained"] for i, c in sorted(raw ^ mv)][:50],
        "intersects_not_within_pairs": len(inter - raw),
        "intersects_not_within": [[i, c] for i, c in sorted(inter - raw)][:50],
        "note": "make_valid_*: (point, code) pairs that change when the layer is repaired with "
        "shapely.make_valid (first 50 listed); intersects_not_within: pairs where the point "
        "touches the seat's boundary without being inside it (first 50 listed)",
    }


# --------------------------------------------------------------------------- output


def write_json(path, obj):
    """One top-level key per line, compact values, floats in repr form."""
    dump = lambda v: json.dumps(v, allow_nan=False, ensure_ascii=True, separators=(",", ":"))
    lines = [f"{dump(k)}:{dump(v)}" for k, v in obj.items()]
    text = "{\n" + ",\n".join(lines) + "\n}\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists() and path.read_text() == text:
        return "unchanged"
    path.write_text(text)
    return "written"


def versions():
    return {
        "python": sys.version.split()[0],
        "geopandas": gpd.__version__,
        "shapely": shapely.__version__,
        "geos": shapely.geos_version_string,
        "numpy": np.__version__,
        "pandas": pd.__version__,
        "pyproj": pyproj.__version__,
        "proj": pyproj.proj_version_str,
    }


# --------------------------------------------------------------------------- postcodes


def bng_to_wgs84_transformer():
    """The transformation pyproj uses for EPSG:27700 -> EPSG:4326 here.

    Transformer.from_crs gives a pipeline whose operation is picked at run time and
    whose description reads "unavailable until proj_trans is called", so the
    operation is taken from TransformerGroup: the first available one is the one
    from_crs uses (checked on the data by the caller). Returns the transformer,
    whether it uses the OSTN15 grid, and the names of operations that PROJ could
    not use (missing grids).
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "Best transformation is not available ... OSTN15"
        group = pyproj.transformer.TransformerGroup("EPSG:27700", "EPSG:4326", always_xy=True)
        default = pyproj.Transformer.from_crs("EPSG:27700", "EPSG:4326", always_xy=True)
    tr = group.transformers[0]
    unavailable = [
        f"{op.name} (grids: {', '.join(g.short_name for g in op.grids)})" for op in group.unavailable_operations
    ]
    return tr, default, "OSTN15" in tr.definition, unavailable


def postcodes(layer_path, code_prop, postcodes_path, out_dir):
    layer = load_layer(layer_path, code_prop)
    # csv + float(): correctly rounded parsing of the 6-decimal lon/lat, as Rust's str::parse.
    with open(postcodes_path, newline="") as f:
        df = pd.DataFrame(list(csv.DictReader(f)))
    for col in ("lon", "lat"):
        df[col] = [float(v) for v in df[col]]
    for col in ("Eastings", "Northings"):
        df[col] = [int(v) for v in df[col]]
    n = len(df)

    def join(lon, lat):
        j = gpd.sjoin(points_frame(lon, lat), layer, predicate="within", how="inner")
        per_row = [[] for _ in range(n)]
        for i, code in pairs_of(j, code_prop):
            per_row[i].append(code)
        return [None if not c else c[0] if len(c) == 1 else c for c in per_row]

    lon = df["lon"].to_numpy(np.float64)
    lat = df["lat"].to_numpy(np.float64)
    east = df["Eastings"].to_numpy(np.float64)
    north = df["Northings"].to_numpy(np.float64)
    tr, default, uses_ostn15, unavailable_ops = bng_to_wgs84_transformer()
    blon, blat = tr.transform(east, north)
    dlon, dlat = default.transform(east, north)
    if not (np.array_equal(blon, dlon) and np.array_equal(blat, dlat)):
        sys.exit("Transformer.from_crs and the first TransformerGroup operation disagree")
    by_lonlat = join(lon, lat)
    by_bng = join(blon, blat)

    # Distances in EPSG:27700: the layer is projected with the reverse of the same
    # transformation pyproj picks (always_xy), so the grid points are used unchanged.
    to_bng = pyproj.Transformer.from_crs("EPSG:4326", "EPSG:27700", always_xy=True)
    layer_bng = shapely.transform(layer.geometry.values, lambda xy: np.column_stack(to_bng.transform(xy[:, 0], xy[:, 1])))
    boundaries = shapely.boundary(layer_bng)
    tree = shapely.STRtree(boundaries)
    grid_pts = shapely.points(east, north)
    plon_x, plon_y = to_bng.transform(lon, lat)
    route_gap = np.hypot(plon_x - east, plon_y - north)  # file lon/lat vs grid point, metres

    _, nearest = tree.query_nearest(grid_pts, return_distance=True, all_matches=False)
    closest = np.argsort(nearest, kind="stable")[:10]

    disagreements = []
    for i in range(n):
        if by_lonlat[i] != by_bng[i]:
            _, dist = tree.query_nearest(grid_pts[i], return_distance=True)
            disagreements.append(
                {
                    "row": i,
                    "postcode": df["Postcode"].iat[i],
                    "code_lonlat": by_lonlat[i],
                    "code_bng": by_bng[i],
                    "eastings": int(east[i]),
                    "northings": int(north[i]),
                    "lon": float(lon[i]),
                    "lat": float(lat[i]),
                    "bng_lon": float(blon[i]),
                    "bng_lat": float(blat[i]),
                    "boundary_distance_m": round(float(dist[0]), 3),
                    "route_gap_m": round(float(route_gap[i]), 3),
                }
            )

    # Postcodes on a boundary (lon/lat route): intersect a seat but within none.
    inter = gpd.sjoin(points_frame(lon, lat), layer, predicate="intersects", how="inner")
    on_boundary = sorted(set(inter.index.tolist()) - {i for i, c in enumerate(by_lonlat) if c is not None})

    def tally(codes):
        out = {}
        for c in codes:
            key = "null" if c is None else c if isinstance(c, str) else "+".join(c)
            out[key] = out.get(key, 0) + 1
        return dict(sorted(out.items(), key=lambda kv: (-kv[1], kv[0])))

    obj = {
        "layer": Path(layer_path).name,
        "layer_path": rel_path(layer_path),
        "layer_sha256": sha256_of(layer_path),
        "code_property": code_prop,
        "postcodes": Path(postcodes_path).name,
        "postcodes_path": rel_path(postcodes_path),
        "postcodes_sha256": sha256_of(postcodes_path),
        "n": n,
        "predicate": "within",
        "codes_lonlat_note": "code per row of the postcode file, in file order, by sjoin(within) on the "
        "file's lon/lat columns; null = in no seat; a list would mean within several seats",
        "codes_lonlat": by_lonlat,
        "counts_lonlat": tally(by_lonlat),
        "counts_bng": tally(by_bng),
        "bng_transform": tr.description,
        "bng_transform_definition": tr.definition,
        "bng_uses_ostn15": uses_ostn15,
        "bng_unavailable_operations": unavailable_ops,
        "bng_note": "route 2: Eastings/Northings (EPSG:27700) -> EPSG:4326 with "
        "pyproj.Transformer.from_crs('EPSG:27700', 'EPSG:4326', always_xy=True), full float64, "
        "then the same sjoin. boundary_distance_m: distance in EPSG:27700 from (Eastings, Northings) "
        "to the nearest seat boundary (layer projected with the inverse transform). route_gap_m: "
        "distance in EPSG:27700 between the file's lon/lat and (Eastings, Northings)",
        "route_gap_m_max": round(float(route_gap.max()), 3),
        "on_boundary_lonlat": [[i, df["Postcode"].iat[i]] for i in on_boundary],
        "boundary_distance_m_min": round(float(nearest.min()), 3),
        "within_5m_of_boundary": int((nearest < 5).sum()),
        "within_1m_of_boundary": int((nearest < 1).sum()),
        "closest_to_boundary": [
            {"row": int(i), "postcode": df["Postcode"].iat[i], "code_lonlat": by_lonlat[i], "code_bng": by_bng[i],
             "boundary_distance_m": round(float(nearest[i]), 3)}
            for i in closest
        ],
        "disagreements_count": len(disagreements),
        "disagreements": disagreements,
        "versions": versions(),
    }
    status = write_json(out_dir / f"postcodes_cb_{layer_name_of(layer_path)}.json", obj)
    return obj, status


def layer_name_of(path):
    name = Path(path).name
    return {
        "pcon2024_bgc_20pct.geojson": "pcon2024_20pct",
        "pcon2010_bgc_20pct.geojson": "pcon2010_20pct",
        "pcon2024_bgc.geojson": "pcon2024_full",
    }[name]


# --------------------------------------------------------------------------- main


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out-dir", type=Path, default=REPO_ROOT / "tests/golden/points")
    ap.add_argument("--shared-data", type=Path, default=REPO_ROOT.parent / "shared/data",
                    help="folder with pcon2024_bgc.geojson and postcodes_cb_codepo.csv (default ../shared/data)")
    ap.add_argument("--no-timings", action="store_true", help="write sjoin_seconds as null (byte-identical reruns)")
    ap.add_argument("--sets", default="uk,london", help="comma-separated subset of: uk,london")
    args = ap.parse_args()

    check_generator()
    layers = [
        (REPO_ROOT / "data/boundaries/pcon2024_bgc_20pct.geojson", "PCON24CD"),
        (REPO_ROOT / "data/boundaries/pcon2010_bgc_20pct.geojson", "PCON19CD"),
    ]
    full = args.shared_data / "pcon2024_bgc.geojson"
    if full.exists():
        layers.append((full, "PCON24CD"))
    else:
        print(f"skipping the full-resolution layer: {full} not found")

    set_names = [s for s in args.sets.split(",") if s]
    points = {}
    for s in set_names:
        spec = SETS[s]
        lon, lat = generate_points(spec["seed"], spec["n"], spec["envelope"])
        points[s] = (lon, lat, points_frame(lon, lat))

    print(f"{'file':32} {'n':>8} {'matched':>8} {'unmatched':>9} {'multi':>5} {'invalid':>7} "
          f"{'mv±':>7} {'bdry':>4} {'sjoin s':>8}  status")
    for path, code_prop in layers:
        layer = load_layer(path, code_prop)
        lname = layer_name_of(path)
        sha = sha256_of(path)
        for s in set_names:
            spec = SETS[s]
            lon, lat, pts = points[s]
            timed = lname.startswith("pcon2024") and s == "uk" and not args.no_timings
            res = join_counts(lon, lat, layer, code_prop, timed)
            checks = join_checks(pts, layer, code_prop, res["pairs"])
            raw = splitmix64(spec["seed"], 4)
            obj = {
                "layer": path.name,
                "layer_path": rel_path(path),
                "layer_sha256": sha,
                "code_property": code_prop,
                "set": s,
                "seed": spec["seed"],
                "n": spec["n"],
                "envelope": dict(zip(["lon_min", "lon_max", "lat_min", "lat_max"], spec["envelope"])),
                "generator": GENERATOR_TEXT,
                "first_u64": ["0x%016x" % int(x) for x in raw],
                "first_points": [point_record(i, lon[i], lat[i]) for i in range(5)],
                "predicate": "geopandas.sjoin(points, layer, predicate='within', how='inner'); "
                "points EPSG:4326; layer as stored (not repaired)",
                "counts": res["counts"],
                "unmatched": res["unmatched"],
                "matched_pairs": res["matched_pairs"],
                "multi": res["multi"],
                "checks": checks,
                "versions": versions(),
                "sjoin_seconds": (
                    {"best": round(min(res["times"]), 4), "runs": [round(t, 4) for t in res["times"]]}
                    if timed else None
                ),
            }
            status = write_json(args.out_dir / f"{lname}_{s}.json", obj)
            t = f"{min(res['times']):8.3f}" if timed else f"{res['times'][0]:7.3f}*"
            mv = checks["make_valid_pairs_lost"] + checks["make_valid_pairs_gained"]
            print(f"{lname + '_' + s + '.json':32} {spec['n']:8d} {res['matched_pairs']:8d} {res['unmatched']:9d} "
                  f"{res['multi']['count']:5d} {checks['invalid_features']:7d} {mv:7d} "
                  f"{checks['intersects_not_within_pairs']:4d} {t}  {status}")
            print(f"    first point: lon={float(lon[0])!r} lat={float(lat[0])!r}")
    print("sjoin s: best of 3 for the 2024 layers x uk (recorded); '*' = one run, not recorded")

    pc_path = args.shared_data / POSTCODES
    if pc_path.exists():
        obj, status = postcodes(REPO_ROOT / "data/boundaries/pcon2024_bgc_20pct.geojson", "PCON24CD", pc_path, args.out_dir)
        print(f"postcodes_cb_pcon2024_20pct.json: {obj['n']} postcodes, "
              f"in no seat by lon/lat: {obj['counts_lonlat'].get('null', 0)}, by BNG: {obj['counts_bng'].get('null', 0)}, "
              f"on a boundary (lon/lat): {len(obj['on_boundary_lonlat'])}, "
              f"disagreements lon/lat vs BNG: {obj['disagreements_count']}, "
              f"max gap between the routes {obj['route_gap_m_max']} m  {status}")
        print(f"  nearest to a seat boundary: {obj['boundary_distance_m_min']} m; "
              f"within 5 m: {obj['within_5m_of_boundary']}, within 1 m: {obj['within_1m_of_boundary']}")
        print(f"  BNG transform: {obj['bng_transform']} (OSTN15 used: {obj['bng_uses_ostn15']})")
        for d in obj["disagreements"]:
            print(f"    {d['postcode']:8} lon/lat {d['code_lonlat']} vs BNG {d['code_bng']}: "
                  f"{d['boundary_distance_m']} m from a boundary, routes {d['route_gap_m']} m apart")
    else:
        print(f"skipping postcodes: {pc_path} not found")


if __name__ == "__main__":
    main()
