#!/usr/bin/env python3
"""Write golden per-constituency values for the sigmap Rust tests.

The values are computed with the standard scientific Python stack (numpy, scipy,
pyproj, shapely) so that the Rust implementation can be checked against an
independent reference at 1e-9 relative tolerance.

Outputs (under --out-dir, default tests/golden/metrics):

  petition_<ID>.json   one row per seat of the 2010 layer (pcon2010_bgc_20pct,
                       650 seats, codes in PCON19CD) in the layer's feature order,
                       with GE2019 electorate and valid votes as denominators.
  areas_pcon2024.json  one row per seat of the 2024 layer (PCON24CD) in feature
                       order: geodesic WGS84 area and planar British National
                       Grid area.

Every file is {"header": {...}, "rows": [...]}, written with the header on one
line and one row per line. Floats are written with Python's repr (shortest
round-trip form), so nothing is lost. The output is deterministic: no
timestamps, paths are relative to the repository root, key order is fixed.

Polygon areas and ring orientation
----------------------------------
Some rings in these layers self-intersect (they came from quantised TopoJSON)
and some are degenerate spikes. They are NOT repaired, buffered or re-oriented.
Areas are computed ring by ring on the coordinates exactly as given:

  area(polygon part) = |A(exterior)| - sum(|A(hole)|)
  area(feature)      = sum over parts

where A(ring) is the signed area of the ring (geodesic: pyproj
Geod.geometry_area_perimeter on the shapely LinearRing, counter-clockwise
positive; planar: the shoelace area of the ring in BNG metres). Taking the
absolute value per ring makes the result independent of ring orientation.
This is the same convention as GEOS/shapely's planar Polygon.area.

Why not just abs(Geod.geometry_area_perimeter(feature))? pyproj adds the
*signed* ring areas: that is only right if every exterior is counter-clockwise
and every hole clockwise. A MultiPolygon with one clockwise part would have that
part subtracted. In the current data this naive form happens to agree with the
per-ring form for every feature (checked below, a warning is printed otherwise),
but the per-ring form is the one written. Note also that shapely's
LinearRing.is_ccw is not a safe orientation test for self-intersecting or
spike rings (it looks at the orientation at one vertex, not the signed area):
two parts in the 2010 layer report is_ccw == False yet have positive signed
area. Nothing here depends on is_ccw.

Run (from the repository root):

  python3 -m venv scripts/.venv
  scripts/.venv/bin/pip install -r scripts/golden/requirements.txt
  scripts/.venv/bin/python scripts/golden/make_golden_metrics.py
"""

import argparse
import csv
import hashlib
import json
import platform
import sys
import warnings
from pathlib import Path

import numpy as np
import pyproj
import scipy
import scipy.stats
import shapely
from shapely.geometry import shape

REPO_ROOT = Path(__file__).resolve().parents[2]

BOUNDARIES_2010 = "data/boundaries/pcon2010_bgc_20pct.geojson"
BOUNDARIES_2024 = "data/boundaries/pcon2024_bgc_20pct.geojson"
GE2019 = "data/elections/ge2019_results.csv"
DEFAULT_PETITIONS = ["241584", "105868"]

# One geodesic calculator for the whole run: WGS84 ellipsoid (a = 6378137 m,
# f = 1/298.257223563), Karney's algorithm (GeographicLib, inside PROJ).
GEOD = pyproj.Geod(ellps="WGS84")

# The transformation PROJ picks for EPSG:4326 -> EPSG:27700 when the OSTN15 grid
# is not installed: the 7-parameter Helmert "OSGB36 to WGS 84 (6)" (inverse),
# then the BNG transverse Mercator on the Airy 1830 ellipsoid. The script
# checks, vertex by vertex, that the EPSG-based transformer gives exactly the
# same numbers as this explicit pipeline, so a different PROJ set-up (e.g. with
# the OSTN15 grid available, or a different operation picked for some area)
# fails loudly instead of silently changing the golden values.
EXPECTED_BNG_PIPELINE = (
    "proj=pipeline step proj=unitconvert xy_in=deg xy_out=rad "
    "step proj=push v_3 step proj=cart ellps=WGS84 "
    "step inv proj=helmert x=446.448 y=-125.157 z=542.06 rx=0.15 ry=0.247 "
    "rz=0.842 s=-20.489 convention=position_vector "
    "step inv proj=cart ellps=airy step proj=pop v_3 "
    "step proj=tmerc lat_0=49 lon_0=-2 k=0.9996012717 x_0=400000 y_0=-100000 "
    "ellps=airy"
)

FORMULAS = {
    "signatures": "s = signature_count from data.attributes.signatures_by_constituency, "
    "matched on ons_code; seats absent from the petition are zero-filled",
    "electorate": "E = GE2019 'Electorate' for the seat (ge2019_results.csv, matched on 'ONS ID')",
    "valid_votes": "V = GE2019 'Valid votes' for the seat",
    "per_1k_electors": "1000 * s / E",
    "per_1k_voters": "1000 * s / V",
    "share_pct": "100 * s / sum(s)  (sum over the 650 seats)",
    "lq": "location quotient (s / sum(s)) / (E / sum(E))",
    "ci95_low_per_1k_electors": "exact Garwood Poisson 95% lower bound on s, per 1000 electors: "
    "scipy.stats.chi2.ppf(0.025, 2*s) / 2 * 1000 / E; 0 when s == 0",
    "ci95_high_per_1k_electors": "exact Garwood Poisson 95% upper bound on s, per 1000 electors: "
    "scipy.stats.chi2.ppf(0.975, 2*s + 2) / 2 * 1000 / E",
    "rank_*": "scipy.stats.rankdata(-x, method='min') over the 650 seats "
    "(1 = largest x; ties share the lowest rank); x is per_1k_voters, "
    "per_1k_electors, signatures or density_per_km2",
    "percentile_*": "scipy.stats.percentileofscore(x, x_i, kind='weak') "
    "= 100 * #{j : x_j <= x_i} / 650, same four metrics as rank_*",
    "area_km2": "geodesic area on the WGS84 ellipsoid / 1e6: per polygon part "
    "|A(exterior)| - sum |A(hole)|, summed over parts, where A(ring) is the signed "
    "area from pyproj.Geod(ellps='WGS84').geometry_area_perimeter(ring); geometry "
    "used as given (self-intersecting rings are not repaired)",
    "density_per_km2": "s / area_km2",
    "bng_area_km2": "planar area / 1e6 after transforming every vertex with "
    "pyproj.Transformer.from_crs('EPSG:4326', 'EPSG:27700', always_xy=True) "
    "(Helmert 'OSGB36 to WGS 84 (6)', no OSTN15 grid); per part |A(exterior)| - "
    "sum |A(hole)| of the shoelace area (shapely Polygon.area), summed over parts",
}


# --------------------------------------------------------------------------
# Input helpers
# --------------------------------------------------------------------------

def sha256_of(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def load_layer(path, code_prop):
    """Return (codes, shapely geometries) in the file's feature order."""
    with open(path, encoding="utf-8") as f:
        features = json.load(f)["features"]
    codes = [feat["properties"][code_prop] for feat in features]
    if len(set(codes)) != len(codes):
        raise SystemExit(f"{path}: duplicate {code_prop} codes")
    geoms = [shape(feat["geometry"]) for feat in features]
    for code, geom in zip(codes, geoms):
        if geom.geom_type not in ("Polygon", "MultiPolygon"):
            raise SystemExit(f"{path}: {code} has unsupported geometry {geom.geom_type}")
    return codes, geoms


def load_ge2019(path):
    """GE2019 results: plain header on line 1, plain integers. Returns {code: (E, V)}."""
    out = {}
    with open(path, newline="", encoding="utf-8-sig") as f:
        for row in csv.DictReader(f):
            out[row["ONS ID"]] = (int(row["Electorate"]), int(row["Valid votes"]))
    return out


def load_petition(path):
    """Return (petition attributes, {ons_code: signature_count})."""
    with open(path, encoding="utf-8") as f:
        attrs = json.load(f)["data"]["attributes"]
    counts = {}
    for entry in attrs["signatures_by_constituency"]:
        code = entry["ons_code"]
        if code in counts:
            raise SystemExit(f"{path}: {code} listed twice")
        counts[code] = int(entry["signature_count"])
    return attrs, counts


# --------------------------------------------------------------------------
# Areas
# --------------------------------------------------------------------------

def polygon_parts(geom):
    return [geom] if geom.geom_type == "Polygon" else list(geom.geoms)


def geodesic_ring_area(ring):
    """Signed geodesic area (m^2) of a shapely LinearRing, CCW positive."""
    area, _perimeter = GEOD.geometry_area_perimeter(ring)
    return area


def geodesic_area_m2(geom):
    """|exterior| - sum |holes| per part, summed over parts (orientation-free)."""
    total = 0.0
    for part in polygon_parts(geom):
        total += abs(geodesic_ring_area(part.exterior))
        for hole in part.interiors:
            total -= abs(geodesic_ring_area(hole))
    return total


def naive_geodesic_area_m2(geom):
    """abs of pyproj's whole-geometry result (signed ring areas added); check only."""
    return abs(GEOD.geometry_area_perimeter(geom)[0])


def make_bng_transformer():
    """EPSG:4326 -> EPSG:27700 transformer, plus the explicit pipeline to check it."""
    # Never fetch grids from the PROJ CDN: the result must not depend on the network.
    pyproj.network.set_network_enabled(False)
    with warnings.catch_warnings():
        # pyproj warns that the best (OSTN15 grid) transformation is unavailable;
        # that is expected, the Helmert one is what the golden values are built on.
        warnings.filterwarnings("ignore", message="Best transformation is not available")
        transformer = pyproj.Transformer.from_crs("EPSG:4326", "EPSG:27700", always_xy=True)
    check = pyproj.Transformer.from_pipeline(EXPECTED_BNG_PIPELINE)
    return transformer, check


def bng_ring_coords(ring, transformer, check):
    lon, lat = (np.asarray(a, dtype=float) for a in ring.xy)
    x, y = transformer.transform(lon, lat)
    x_chk, y_chk = check.transform(lon, lat)
    if not (np.array_equal(x, x_chk) and np.array_equal(y, y_chk)):
        raise SystemExit(
            "EPSG:4326 -> EPSG:27700 did not use the expected Helmert pipeline; "
            "PROJ set-up differs (OSTN15 grid installed? PROJ_DATA?)"
        )
    return np.column_stack([x, y])


def bng_area_m2(geom, transformer, check):
    """Planar BNG area: shapely Polygon.area (|shell| - sum |holes|) summed over parts."""
    total = 0.0
    for part in polygon_parts(geom):
        shell = bng_ring_coords(part.exterior, transformer, check)
        holes = [bng_ring_coords(h, transformer, check) for h in part.interiors]
        # Build the polygon directly from the transformed coordinates; no repair.
        total += shapely.Polygon(shell, holes).area
    return total


def layer_areas_km2(codes, geoms, label):
    areas = []
    for code, geom in zip(codes, geoms):
        a = geodesic_area_m2(geom)
        naive = naive_geodesic_area_m2(geom)
        if abs(naive - a) > 1e-9 * a:
            print(
                f"warning: {label} {code}: per-ring area {a / 1e6!r} km2 differs from "
                f"abs(geometry_area_perimeter) {naive / 1e6!r} km2 (mixed ring orientation)",
                file=sys.stderr,
            )
        if not a > 0:
            raise SystemExit(f"{label} {code}: non-positive area {a!r}")
        areas.append(a / 1e6)
    return areas


# --------------------------------------------------------------------------
# Metrics
# --------------------------------------------------------------------------

def garwood_ci(k, electorate):
    """Exact Poisson 95% interval on count k, scaled to per 1000 electors."""
    low = 0.0 if k == 0 else float(scipy.stats.chi2.ppf(0.025, 2 * k)) / 2.0
    high = float(scipy.stats.chi2.ppf(0.975, 2 * k + 2)) / 2.0
    scale = 1000.0 / electorate
    return low * scale, high * scale


def ranks_desc(x):
    """1 = largest; ties get the minimum rank."""
    return [int(r) for r in scipy.stats.rankdata(-np.asarray(x, dtype=float), method="min")]


def percentiles(x):
    arr = np.asarray(x, dtype=float)
    return [float(scipy.stats.percentileofscore(arr, v, kind="weak")) for v in arr]


def petition_rows(codes, areas_km2, results, counts):
    missing = [c for c in codes if c not in results]
    if missing:
        raise SystemExit(f"GE2019 results missing seats: {missing[:5]}")
    unknown = sorted(set(counts) - set(codes))
    if unknown:
        raise SystemExit(f"petition has codes not in the 2010 layer: {unknown[:5]}")

    # Plain Python ints for the counts: sums are exact.
    s = [counts.get(c, 0) for c in codes]  # zero-fill seats with no signatures
    electorate = [results[c][0] for c in codes]
    valid = [results[c][1] for c in codes]
    s_total = sum(s)
    e_total = sum(electorate)
    if s_total == 0:
        raise SystemExit("petition has no constituency signatures")

    per_1k_electors = [1000.0 * k / e for k, e in zip(s, electorate)]
    per_1k_voters = [1000.0 * k / v for k, v in zip(s, valid)]
    share_pct = [100.0 * k / s_total for k in s]
    lq = [(k / s_total) / (e / e_total) for k, e in zip(s, electorate)]
    density = [k / a for k, a in zip(s, areas_km2)]
    ci = [garwood_ci(k, e) for k, e in zip(s, electorate)]

    metrics = {
        "per_1k_voters": per_1k_voters,
        "per_1k_electors": per_1k_electors,
        "signatures": s,
        "density_per_km2": density,
    }
    ranks = {name: ranks_desc(x) for name, x in metrics.items()}
    pcts = {name: percentiles(x) for name, x in metrics.items()}

    rows = []
    for i, code in enumerate(codes):
        row = {
            "code": code,
            "signatures": s[i],
            "electorate": electorate[i],
            "valid_votes": valid[i],
            "per_1k_electors": per_1k_electors[i],
            "per_1k_voters": per_1k_voters[i],
            "share_pct": share_pct[i],
            "lq": lq[i],
            "ci95_low_per_1k_electors": ci[i][0],
            "ci95_high_per_1k_electors": ci[i][1],
        }
        for name in metrics:
            row[f"rank_{name}"] = ranks[name][i]
        for name in metrics:
            row[f"percentile_{name}"] = pcts[name][i]
        row["area_km2"] = areas_km2[i]
        row["density_per_km2"] = density[i]
        rows.append(row)
    return rows, s_total, e_total


# --------------------------------------------------------------------------
# Output
# --------------------------------------------------------------------------

def versions():
    return {
        "python": platform.python_version(),
        "numpy": np.__version__,
        "scipy": scipy.__version__,
        "pyproj": pyproj.__version__,
        "proj": pyproj.proj_version_str,
        "shapely": shapely.__version__,
        "geos": shapely.geos_version_string,
    }


def source_entry(repo_root, rel):
    return {"path": rel, "sha256": sha256_of(repo_root / rel)}


def write_golden(path, header, rows):
    """Header on one line, one row per line; floats in repr form; no NaN/inf."""
    dump = lambda obj: json.dumps(obj, allow_nan=False, ensure_ascii=True)
    lines = ['{"header": ' + dump(header) + ",", '"rows": [']
    lines.append(",\n".join(dump(r) for r in rows))
    lines.append("]}")
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write("\n".join(lines) + "\n")


def main():
    parser = argparse.ArgumentParser(
        description="Write golden per-constituency metrics and areas for the sigmap tests."
    )
    parser.add_argument(
        "--repo-root", type=Path, default=REPO_ROOT,
        help="repository root; inputs are read relative to it (default: %(default)s)",
    )
    parser.add_argument(
        "--out-dir", type=Path, default=None,
        help="output directory (default: <repo-root>/tests/golden/metrics)",
    )
    parser.add_argument(
        "--petitions", nargs="+", default=DEFAULT_PETITIONS, metavar="ID",
        help="petition ids, read from data/petitions/petition_<ID>.json (default: %(default)s)",
    )
    args = parser.parse_args()
    root = args.repo_root.resolve()
    out_dir = args.out_dir if args.out_dir is not None else root / "tests/golden/metrics"

    # ---- 2010 layer + GE2019: per-petition metrics --------------------------
    codes10, geoms10 = load_layer(root / BOUNDARIES_2010, "PCON19CD")
    areas10 = layer_areas_km2(codes10, geoms10, "pcon2010")
    ge2019 = load_ge2019(root / GE2019)

    for pid in args.petitions:
        rel = f"data/petitions/petition_{pid}.json"
        attrs, counts = load_petition(root / rel)
        rows, s_total, e_total = petition_rows(codes10, areas10, ge2019, counts)
        header = {
            "description": f"Golden per-constituency metrics for petition {pid}: "
            "2010 constituency layer (PCON19CD, feature order), GE2019 denominators",
            "generator": "scripts/golden/make_golden_metrics.py",
            "petition_id": int(pid),
            "sources": {
                "petition": source_entry(root, rel),
                "boundaries": source_entry(root, BOUNDARIES_2010),
                "election": source_entry(root, GE2019),
            },
            "versions": versions(),
            "n_seats": len(rows),
            "n_seats_in_petition": len(counts),
            "n_zero_filled": len(rows) - len(counts),
            "signatures_total": s_total,
            "electorate_total": e_total,
            "petition_signature_count": int(attrs["signature_count"]),
            "formulas": {k: v for k, v in FORMULAS.items() if k != "bng_area_km2"},
        }
        out = out_dir / f"petition_{pid}.json"
        write_golden(out, header, rows)
        print(f"wrote {out}: {len(rows)} seats, {s_total} signatures, "
              f"{len(rows) - len(counts)} zero-filled")

    # ---- 2024 layer: geodesic and BNG areas ---------------------------------
    codes24, geoms24 = load_layer(root / BOUNDARIES_2024, "PCON24CD")
    areas24 = layer_areas_km2(codes24, geoms24, "pcon2024")
    transformer, check = make_bng_transformer()
    rows24 = [
        {"code": code, "area_km2": area, "bng_area_km2": bng_area_m2(geom, transformer, check) / 1e6}
        for code, geom, area in zip(codes24, geoms24, areas24)
    ]
    header24 = {
        "description": "Golden areas for the 2024 constituency layer (PCON24CD, feature order)",
        "generator": "scripts/golden/make_golden_metrics.py",
        "sources": {"boundaries": source_entry(root, BOUNDARIES_2024)},
        "versions": versions(),
        "n_seats": len(rows24),
        "bng_pipeline": EXPECTED_BNG_PIPELINE,
        "formulas": {k: FORMULAS[k] for k in ("area_km2", "bng_area_km2")},
    }
    out = out_dir / "areas_pcon2024.json"
    write_golden(out, header24, rows24)
    print(f"wrote {out}: {len(rows24)} seats")


if __name__ == "__main__":
    main()
