#!/usr/bin/env python3
"""Write PySAL reference values for sigmap's spatial weights and clustering statistics.

The Rust tests compare sigmap's contiguity / KNN weights, global and local
spatial autocorrelation statistics, permutation p-values and rate smoothing
against these files at 1e-9 relative tolerance (DESIGN.md section 5).
Everything here is computed by libpysal / esda themselves: this script only
loads the inputs, calls the library, and writes what the library returns.
It never patches or re-implements esda's behaviour; where esda does something
surprising (islands, float32 p-values, one-tailed Geary p) the raw esda value
is written and the surprise is described in the header.

Outputs (under --out-dir, default tests/golden/pysal):

  pcon2024_turnout.json          2024 layer (PCON24CD, 650 seats), y = GE2024
                                 turnout = valid votes / electorate; smoothing with
                                 e = valid votes, b = electorate.
  pcon2010_petition_241584.json  2010 layer (PCON19CD, 650 seats), y = per_1k_voters
                                 of petition 241584 from tests/golden/metrics;
                                 smoothing with e = signatures, b = electorate.
  pcon2024_petition_241584.json  2024 layer (PCON24CD, 650 seats), y = per_1k_voters
                                 of petition 241584 moved to the 2024 seats by
                                 sigmap's shipped population-weighted crosswalk
                                 (the committed input pcon2024_petition_241584.csv,
                                 see below); smoothing with e = signatures,
                                 b = GE2024 electorate.
  columbus.json                  libpysal's bundled Columbus example (49 polygons),
                                 y = CRIME; no smoothing.

and the fixture tests/fixtures/columbus.geojson (the Columbus polygons in their
own planar "arbitrary digitising units", properties POLYID, CRIME, HOVAL, INC).
columbus.json is computed from that fixture as read back, and the script checks
that it is coordinate-for-coordinate identical to libpysal's shapefile.

No petition in data/ uses the 2024 codes, so the 2024 petition input is sigmap's
own output: tests/golden/pysal/pcon2024_petition_241584.csv holds the columns
code, name, signatures, electorate, valid_votes, per_1k_voters of areas.csv from
`sigmap report data/petitions/petition_241584.json --to 2024 --out DIR`
(largest-remainder shares of each 2010 seat's count, so signatures are integers
and sum to the 2010 total; GE2024 denominators). Only the crosswalk and the rates
come from sigmap: every statistic is esda's, computed here from that file. The
Rust tests check that sigmap's crosswalk still gives exactly these rows.

How each input is read
----------------------
GeoJSON layers are parsed with Python's json module (correctly rounded float
parsing) and shapely.geometry.shape, then put in a GeoDataFrame in feature
order (index 0..n-1). Geometries are used exactly as stored: nothing is
repaired, snapped or re-oriented. The script checks that geopandas.read_file
(pyogrio / GDAL) yields bit-identical coordinates.

Weights (libpysal, all in layer order, ids 0..n-1)
--------------------------------------------------
  queen  libpysal.weights.Queen.from_dataframe(gdf, use_index=False): i and j are
         neighbours when they share at least one vertex with bit-identical
         coordinates (hash of the (x, y) tuple).
  rook   libpysal.weights.Rook.from_dataframe(gdf, use_index=False): i and j share
         at least one edge = unordered pair of consecutive boundary vertices with
         bit-identical coordinates. (libpysal chains the rings of a feature, so it
         also forms one pseudo-edge from the last vertex of each ring to the first
         vertex of the next ring; the header records whether that changes any
         link compared to per-ring edges.)
  knn5   libpysal.weights.KNN.from_dataframe(gdf, k=5, use_index=False): points are
         shapely `geometry.centroid` (GEOS planar, area-weighted centroid of the
         geometry in the layer's own coordinates: degrees of lon/lat for the UK
         layers, i.e. NOT a projected or geodesic centroid), neighbours from a
         scipy KD-tree with Euclidean distance in those same units. KNN is not
         symmetric.
n_components is libpysal's W.n_components (scipy connected_components on the
sparse matrix, directed=True, connection="weak").

Statistics (esda; queen weights unless stated)
----------------------------------------------
Each statistic gets its own deep copy of the W, because esda changes a W's
transform in place and crand zeroes the diagonal of the cached sparse matrix.

  moran.*        esda.Moran(y, w, transformation="r"). For queen it is called with
                 permutations=9999 right after np.random.seed(12345) (esda's global
                 Moran takes no seed argument and draws np.random.permutation(z)
                 from numpy's global legacy MT19937 stream); the analytical values
                 are checked to be identical to a permutations=0 call.
  geary.queen    esda.Geary(y, w, transformation="r", permutations=0).
  getis_ord      esda.G(y, w, permutations=0); esda sets w.transform = "B".
  local_moran    esda.Moran_Local(y, w, transformation="r", permutations=9999 and 999,
                 seed=12345, n_jobs=1, keep_simulations=True).
  g_local_star   esda.G_Local(y, w, transform="B", star=True, permutations=9999,
                 seed=12345, n_jobs=1, keep_simulations=True) = classic Gi*
                 (binary weights with w_ii = 1).
  fdr            esda.fdr(p, 0.05) on local Moran p_sim.
  smoothing      esda.smoothing.Empirical_Bayes(e, b).r and
                 esda.smoothing.Spatial_Empirical_Bayes(e, b, w).r with the queen W
                 (binary, id_order set explicitly to 0..n-1 because esda requires
                 it). Spatial_Rate inside SEB sets w.transform = "b" and then "o"
                 (original = binary), so SEB uses the binary queen neighbours plus
                 the area itself. The rates are raw (events / base), not per 1000.

Conditional permutations run through esda.crand WITHOUT numba (numba is not in
this venv): esda's permutation matrix is vec_permutations(max_card, n, perms,
seed) = np.random.seed(seed) then perms x np.random.choice(n - 1, max_card,
replace=False) (legacy MT19937, i.e. permutation(n-1)[:max_card]), shared by all
areas. n_jobs=1 is passed so no joblib worker is involved; the matrix does not
depend on n_jobs. esda's `alternative` is left at its default (None), which
means "directed" (folded one-tailed pseudo p) with a DeprecationWarning.

Output format
-------------
{"header": ..., "ids": ..., ...}: one top-level key per line. Floats use
Python's repr (shortest round-trip). NaN / inf are not valid JSON: any such value
would be written as null and its location listed in header.null_values (the
current inputs produce none). Key order is fixed, paths are repository-relative,
and the output is deterministic apart from header.timings_s (run with
--no-timings to get byte-identical files on every run).

Timings (informational, 2024 layer): best of 5 time.perf_counter() runs of
Queen.from_dataframe, Moran_Local(999) and G_Local(star, 999), both without numba
(this process) and, when --numba-python names an interpreter whose environment
has numba, with numba after a warm-up call (run as a subprocess of this script).

Run (from the repository root):

  python3 -m venv scripts/.venv
  scripts/.venv/bin/pip install -r scripts/golden/requirements.txt
  scripts/.venv/bin/python scripts/golden/make_golden_pysal.py
"""

import argparse
import contextlib
import copy
import csv
import hashlib
import io
import json
import math
import os
import platform
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

import numpy as np

REPO_ROOT = Path(__file__).resolve().parents[2]

BOUNDARIES_2024 = "data/boundaries/pcon2024_bgc_20pct.geojson"
BOUNDARIES_2010 = "data/boundaries/pcon2010_bgc_20pct.geojson"
GE2024 = "data/elections/ge2024_results.csv"
METRICS_241584 = "tests/golden/metrics/petition_241584.json"
CROSSWALKED_241584 = "tests/golden/pysal/pcon2024_petition_241584.csv"
COLUMBUS_FIXTURE = "tests/fixtures/columbus.geojson"

SEED = 12345
KNN_K = 5
FDR_ALPHA = 0.05
TIMING_REPEATS = 5


# ---------------------------------------------------------------------------
# Library imports. Warnings raised while importing / computing are recorded
# (deduplicated, in first-seen order) and written to the header.
# ---------------------------------------------------------------------------
RECORDED_WARNINGS = []


def _record_warning(message, category, filename, lineno, file=None, line=None):
    # Absolute paths (venv location) would make the output machine-dependent.
    text = f"{category.__name__}: {message}".replace(sys.prefix, "<venv>")
    # Drop the absolute site-packages path: keep the output machine-independent.
    where = Path(filename).name
    entry = f"{text} [{where}]"
    if entry not in RECORDED_WARNINGS:
        RECORDED_WARNINGS.append(entry)


warnings.showwarning = _record_warning
warnings.simplefilter("always")

import esda  # noqa: E402
import esda.smoothing  # noqa: E402
import geopandas as gpd  # noqa: E402
import libpysal  # noqa: E402
import pandas as pd  # noqa: E402
import pyogrio  # noqa: E402
import scipy  # noqa: E402
import shapely  # noqa: E402
from libpysal.weights import KNN, Queen, Rook  # noqa: E402
from shapely.geometry import mapping, shape  # noqa: E402

# Warnings raised while importing the libraries (the same for every output).
IMPORT_WARNINGS = list(RECORDED_WARNINGS)

try:  # numba must NOT be importable here: the golden values are the pure-numpy path.
    import numba  # noqa: F401

    HAVE_NUMBA = True
except ImportError:
    HAVE_NUMBA = False


# ---------------------------------------------------------------------------
# Small helpers
# ---------------------------------------------------------------------------
def sha256_of(path):
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def source_entry(rel, what):
    return {"path": rel, "sha256": sha256_of(REPO_ROOT / rel), "what": what}


def versions():
    out = {
        "python": platform.python_version(),
        "numpy": np.__version__,
        "scipy": scipy.__version__,
        "pandas": pd.__version__,
        "libpysal": libpysal.__version__,
        "esda": esda.__version__,
        "geopandas": gpd.__version__,
        "shapely": shapely.__version__,
        "geos": shapely.geos_version_string,
        "pyogrio": pyogrio.__version__,
        "gdal": pyogrio.__gdal_version_string__,
        "numba": None,
    }
    if HAVE_NUMBA:
        import numba as _nb

        out["numba"] = _nb.__version__
    return out


def floats(a):
    """numpy array -> list of Python floats (float32 values are widened exactly)."""
    return [float(v) for v in np.asarray(a, dtype=np.float64).ravel()]


def ints(a):
    return [int(v) for v in np.asarray(a).ravel()]


def sanitize(obj, path, nulls):
    """Convert numpy scalars/arrays to JSON types; NaN/inf -> None, path recorded."""
    if isinstance(obj, dict):
        return {k: sanitize(v, f"{path}.{k}" if path else k, nulls) for k, v in obj.items()}
    if isinstance(obj, (list, tuple, np.ndarray)):
        return [sanitize(v, f"{path}[{i}]", nulls) for i, v in enumerate(obj)]
    if isinstance(obj, (bool, np.bool_)):
        return bool(obj)
    if isinstance(obj, (int, np.integer)):
        return int(obj)
    if isinstance(obj, (float, np.floating)):
        v = float(obj)
        if not math.isfinite(v):
            nulls.append({"path": path, "value": repr(v)})
            return None
        return v
    return obj


@contextlib.contextmanager
def capture_prints(sink):
    """libpysal print()s "('WARNING: ', i, ' is an island (no neighbors)')" on every
    row-standardisation of a W with islands. Keep stdout readable: collect the
    distinct lines into `sink` instead."""
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        yield
    for line in buf.getvalue().splitlines():
        if line not in sink:
            sink.append(line)


def write_json(path, doc):
    """One top-level key per line; floats as repr; NaN forbidden (already nulls)."""
    dump = lambda o: json.dumps(o, allow_nan=False, ensure_ascii=True)  # noqa: E731
    lines = [f"{json.dumps(k)}: {dump(v)}" for k, v in doc.items()]
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write("{" + ",\n".join(lines) + "}\n")


# ---------------------------------------------------------------------------
# Inputs
# ---------------------------------------------------------------------------
def load_geojson_gdf(rel, code_prop):
    """GeoJSON -> GeoDataFrame in feature order (index 0..n-1), via json + shapely.

    Also checks that geopandas.read_file (GDAL) reads bit-identical coordinates,
    so the choice of reader cannot change exact-vertex contiguity.
    """
    path = REPO_ROOT / rel
    with open(path, encoding="utf-8") as f:
        features = json.load(f)["features"]
    codes = [feat["properties"][code_prop] for feat in features]
    if len(set(codes)) != len(codes):
        raise SystemExit(f"{rel}: duplicate {code_prop}")
    geoms = [shape(feat["geometry"]) for feat in features]
    gdf = gpd.GeoDataFrame({"code": codes}, geometry=geoms)
    via_gdal = gpd.read_file(path)
    same = bool(
        list(via_gdal[code_prop]) == codes
        and all(
            np.array_equal(shapely.get_coordinates(a), shapely.get_coordinates(b))
            for a, b in zip(via_gdal.geometry, gdf.geometry)
        )
    )
    if not same:
        raise SystemExit(f"{rel}: geopandas.read_file and json+shapely disagree")
    return gdf


def _int(s):
    return int(s.replace(",", ""))


def load_ge2024(rel):
    """GE2024 results. Header on line 3; numbers quoted with thousands separators."""
    out = {}
    with open(REPO_ROOT / rel, newline="", encoding="utf-8-sig") as f:
        rows = list(csv.reader(f))
    header = rows[2]
    ic, ie, iv = header.index("ONS ID"), header.index("Electorate"), header.index("Valid votes")
    for row in rows[3:]:
        if not row or not row[ic].strip():
            continue
        code = row[ic].strip()
        if code in out:
            raise SystemExit(f"{rel}: {code} twice")
        out[code] = (_int(row[ie]), _int(row[iv]))
    return out


def input_2024():
    gdf = load_geojson_gdf(BOUNDARIES_2024, "PCON24CD")
    res = load_ge2024(GE2024)
    missing = [c for c in gdf["code"] if c not in res]
    if missing or len(res) != len(gdf):
        raise SystemExit(f"GE2024 / layer mismatch: missing {missing}, {len(res)} rows")
    electorate = np.array([res[c][0] for c in gdf["code"]], dtype=np.float64)
    valid = np.array([res[c][1] for c in gdf["code"]], dtype=np.float64)
    y = valid / electorate
    return {
        "name": "pcon2024_turnout",
        "gdf": gdf,
        "ids": list(gdf["code"]),
        "y": y,
        "e": valid,
        "b": electorate,
        "description": "2024 Westminster constituencies (BGC 20%), y = GE2024 turnout",
        "y_formula": "y = valid votes / electorate (GE2024, ge2024_results.csv matched on 'ONS ID' = PCON24CD), float64 division",
        "smoothing_inputs": "e = GE2024 valid votes, b = GE2024 electorate",
        "sources": [
            source_entry(BOUNDARIES_2024, "polygons, property PCON24CD, WGS84 lon/lat"),
            source_entry(GE2024, "GE2024 results: 'ONS ID', 'Electorate', 'Valid votes' (header on line 3)"),
        ],
    }


def input_2010():
    gdf = load_geojson_gdf(BOUNDARIES_2010, "PCON19CD")
    with open(REPO_ROOT / METRICS_241584, encoding="utf-8") as f:
        rows = json.load(f)["rows"]
    codes = [r["code"] for r in rows]
    if codes != list(gdf["code"]):
        raise SystemExit(f"{METRICS_241584}: rows are not in the 2010 layer order")
    return {
        "name": "pcon2010_petition_241584",
        "gdf": gdf,
        "ids": codes,
        "y": np.array([r["per_1k_voters"] for r in rows], dtype=np.float64),
        "e": np.array([r["signatures"] for r in rows], dtype=np.float64),
        "b": np.array([r["electorate"] for r in rows], dtype=np.float64),
        "description": "2010-2024 Westminster constituencies (BGC 20%), y = petition 241584 signatures per 1000 GE2019 voters",
        "y_formula": "y = per_1k_voters of tests/golden/metrics/petition_241584.json (1000 * signatures / GE2019 valid votes), taken as written there",
        "smoothing_inputs": "e = signatures, b = GE2019 electorate (both from petition_241584.json)",
        "sources": [
            source_entry(BOUNDARIES_2010, "polygons, property PCON19CD, WGS84 lon/lat"),
            source_entry(METRICS_241584, "rows in layer order: code, signatures, electorate, per_1k_voters"),
        ],
    }


def input_2024_petition():
    gdf = load_geojson_gdf(BOUNDARIES_2024, "PCON24CD")
    with open(REPO_ROOT / CROSSWALKED_241584, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    codes = [r["code"] for r in rows]
    if codes != list(gdf["code"]):
        raise SystemExit(f"{CROSSWALKED_241584}: rows are not in the 2024 layer order")
    signatures = np.array([int(r["signatures"]) for r in rows], dtype=np.float64)
    electorate = np.array([int(r["electorate"]) for r in rows], dtype=np.float64)
    valid = np.array([int(r["valid_votes"]) for r in rows], dtype=np.float64)
    y = np.array([float(r["per_1k_voters"]) for r in rows], dtype=np.float64)
    # sigmap's rates are 1000 * signatures / valid votes: check, then use them as written
    if not np.allclose(y, 1000.0 * signatures / valid, rtol=1e-12, atol=0.0):
        raise SystemExit(f"{CROSSWALKED_241584}: per_1k_voters is not 1000 * signatures / valid_votes")
    ge = load_ge2024(GE2024)
    if any(ge[c] != (int(r["electorate"]), int(r["valid_votes"])) for c, r in zip(codes, rows)):
        raise SystemExit(f"{CROSSWALKED_241584}: electorate / valid_votes are not GE2024's")
    return {
        "name": "pcon2024_petition_241584",
        "gdf": gdf,
        "ids": codes,
        "y": y,
        "e": signatures,
        "b": electorate,
        "description": "2024 Westminster constituencies (BGC 20%), y = petition 241584 signatures per 1000 GE2024 voters, "
                       "the 2010 counts moved to the 2024 seats by sigmap's population-weighted crosswalk",
        "y_formula": "y = per_1k_voters of pcon2024_petition_241584.csv (sigmap report --to 2024: 1000 * signatures / "
                     "GE2024 valid votes), taken as written there; checked against 1000 * signatures / valid_votes "
                     "to 1e-12 relative",
        "smoothing_inputs": "e = crosswalked signatures, b = GE2024 electorate (both from pcon2024_petition_241584.csv)",
        "sources": [
            source_entry(BOUNDARIES_2024, "polygons, property PCON24CD, WGS84 lon/lat"),
            source_entry(CROSSWALKED_241584,
                         "sigmap's output, the input here: columns code, name, signatures, electorate, valid_votes, "
                         "per_1k_voters of areas.csv from `sigmap report data/petitions/petition_241584.json --to 2024` "
                         "(crosswalk/pcon2010_pcon2024.csv, mySociety geographic_overlaps, population-weighted; "
                         "largest-remainder integer shares), in 2024 layer order"),
            source_entry("data/petitions/petition_241584.json", "the petition's 2010 counts (OGL v3)"),
            source_entry(GE2024, "checked: electorate and valid votes are GE2024's"),
        ],
    }


def write_columbus_fixture():
    """Copy libpysal's Columbus shapefile to tests/fixtures/columbus.geojson.

    Coordinates are kept in the shapefile's own planar units, written with
    Python's repr, so they round-trip to the identical doubles. Ring order and
    orientation are as in the shapefile (exteriors clockwise, the shapefile
    convention; not re-oriented to RFC 7946). One feature per line.
    Returns the shapefile GeoDataFrame, or None if the example is not bundled.
    """
    try:
        shp = libpysal.examples.get_path("columbus.shp")
    except Exception as exc:  # pragma: no cover - depends on the install
        print(f"Columbus example not available offline ({exc}); skipped", file=sys.stderr)
        return None, None
    src = gpd.read_file(shp)
    feats = []
    for _, row in src.iterrows():
        geom = mapping(row.geometry)
        feats.append(
            {
                "type": "Feature",
                "properties": {
                    "POLYID": int(row["POLYID"]),
                    "CRIME": float(row["CRIME"]),
                    "HOVAL": float(row["HOVAL"]),
                    "INC": float(row["INC"]),
                },
                "geometry": json.loads(json.dumps(geom)),  # tuples -> lists
            }
        )
    dump = lambda o: json.dumps(o, allow_nan=False, ensure_ascii=True)  # noqa: E731
    text = (
        '{"type": "FeatureCollection", "name": "columbus", "features": [\n'
        + ",\n".join(dump(f) for f in feats)
        + "\n]}\n"
    )
    out = REPO_ROOT / COLUMBUS_FIXTURE
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8", newline="\n")
    return src, shp


def input_columbus(src, shp):
    gdf = load_geojson_gdf(COLUMBUS_FIXTURE, "POLYID")
    # The fixture must hold exactly the shapefile's doubles.
    for a, b in zip(src.geometry, gdf.geometry):
        if not np.array_equal(shapely.get_coordinates(a), shapely.get_coordinates(b)):
            raise SystemExit("columbus.geojson does not round-trip the shapefile coordinates")
    with open(REPO_ROOT / COLUMBUS_FIXTURE, encoding="utf-8") as f:
        props = [ft["properties"] for ft in json.load(f)["features"]]
    y = np.array([p["CRIME"] for p in props], dtype=np.float64)
    if not np.array_equal(y, src["CRIME"].to_numpy(dtype=np.float64)):
        raise SystemExit("CRIME does not round-trip")
    shp = Path(shp)
    lib_root = Path(libpysal.__file__).resolve().parent
    return {
        "name": "columbus",
        "gdf": gdf,
        "ids": [int(p["POLYID"]) for p in props],
        "y": y,
        "e": None,
        "b": None,
        "description": "libpysal example 'columbus' (Anselin 1988, 49 Columbus OH neighbourhoods, 1980), y = CRIME",
        "y_formula": "y = CRIME (residential burglaries and vehicle thefts per 1000 households) as read from columbus.dbf",
        "smoothing_inputs": None,
        "sources": [
            source_entry(COLUMBUS_FIXTURE, "written by this script from the shapefile below; planar arbitrary units"),
            {
                "path": "libpysal/" + str(shp.relative_to(lib_root)),
                "sha256": sha256_of(shp),
                "what": f"bundled with libpysal {libpysal.__version__}",
            },
            {
                "path": "libpysal/" + str(shp.with_suffix(".dbf").relative_to(lib_root)),
                "sha256": sha256_of(shp.with_suffix(".dbf")),
                "what": "attributes (POLYID, CRIME, HOVAL, INC)",
            },
        ],
    }


# ---------------------------------------------------------------------------
# Weights
# ---------------------------------------------------------------------------
def build_weights(gdf):
    n = len(gdf)
    ws = {
        "queen": Queen.from_dataframe(gdf, use_index=False),
        "rook": Rook.from_dataframe(gdf, use_index=False),
        "knn5": KNN.from_dataframe(gdf, k=KNN_K, use_index=False),
    }
    for name, w in ws.items():
        if [int(i) for i in w.id_order] != list(range(n)):
            raise SystemExit(f"{name}: id_order is not the layer order")
    return ws


def weights_summary(w, ids):
    n = w.n
    neighbours = [sorted(int(j) for j in w.neighbors[i]) for i in range(n)]
    wb = copy.deepcopy(w)
    wb.transform = "B"
    wr = copy.deepcopy(w)
    wr.transform = "R"
    symmetric = all(i in neighbours[j] for i in range(n) for j in neighbours[i])
    islands = sorted(int(i) for i in w.islands)
    labels = w.component_labels
    return {
        "neighbours": neighbours,
        "cardinalities": [len(nb) for nb in neighbours],
        "n_links": sum(len(nb) for nb in neighbours),
        "symmetric": symmetric,
        "islands": islands,
        "island_ids": [ids[i] for i in islands],
        "n_components": int(w.n_components),
        "component_labels": ints(labels),
        "component_sizes": sorted((int(c) for c in np.bincount(labels)), reverse=True),
        "s0_binary": wb.s0,
        "s1_binary": wb.s1,
        "s2_binary": wb.s2,
        "s0_row_standardised": wr.s0,
        "s1_row_standardised": wr.s1,
        "s2_row_standardised": wr.s2,
    }


def rook_per_ring(gdf):
    """Rook links from edges within each ring only (no cross-ring pseudo-edges)."""
    edges = {}
    for idx, geom in enumerate(gdf.geometry):
        parts = geom.geoms if geom.geom_type == "MultiPolygon" else [geom]
        for part in parts:
            for ring in [part.exterior, *part.interiors]:
                c = [tuple(p) for p in ring.coords]
                for a, b in zip(c[:-1], c[1:]):
                    edges.setdefault(tuple(sorted((a, b))), set()).add(idx)
    nb = [set() for _ in range(len(gdf))]
    for owners in edges.values():
        for i in owners:
            nb[i] |= owners - {i}
    return [sorted(s) for s in nb]


def knn_ties(gdf, k):
    """Areas whose k-th and (k+1)-th nearest centroid distances tie (relative 1e-12)."""
    pts = np.array([g.centroid.coords[0] for g in gdf.geometry])
    d = np.sqrt(((pts[:, None, :] - pts[None, :, :]) ** 2).sum(-1))
    np.fill_diagonal(d, np.inf)
    s = np.sort(d, axis=1)
    close = np.abs(s[:, k] - s[:, k - 1]) <= 1e-12 * s[:, k]
    return [int(i) for i in np.nonzero(close)[0]]


# ---------------------------------------------------------------------------
# Statistics (each call gets a fresh deep copy of the W)
# ---------------------------------------------------------------------------
MORAN_KEYS = ["I", "EI", "VI_norm", "seI_norm", "z_norm", "p_norm",
              "VI_rand", "seI_rand", "z_rand", "p_rand"]
GEARY_KEYS = ["C", "EC", "VC_norm", "seC_norm", "z_norm", "p_norm",
              "VC_rand", "seC_rand", "z_rand", "p_rand"]


def moran(y, w, permutations):
    m0 = esda.Moran(y, copy.deepcopy(w), transformation="r", permutations=0)
    out = {k: float(getattr(m0, k)) for k in MORAN_KEYS}
    if permutations:
        np.random.seed(SEED)  # esda's global Moran has no seed argument
        m = esda.Moran(y, copy.deepcopy(w), transformation="r", permutations=permutations)
        for k in MORAN_KEYS:  # same analytical values with or without permutations
            if float(getattr(m, k)) != out[k]:
                raise SystemExit(f"Moran {k} differs between permutations=0 and {permutations}")
        out[f"p_sim_{permutations}"] = float(m.p_sim)
        out[f"EI_sim_{permutations}"] = float(m.EI_sim)
        out[f"seI_sim_{permutations}"] = float(m.seI_sim)
        out[f"z_sim_{permutations}"] = float(m.z_sim)
        out[f"p_z_sim_{permutations}"] = float(m.p_z_sim)
    return out


def geary(y, w):
    g = esda.Geary(y, copy.deepcopy(w), transformation="r", permutations=0)
    return {k: float(getattr(g, k)) for k in GEARY_KEYS}


def general_g(y, w):
    g = esda.G(y, copy.deepcopy(w), permutations=0)
    return {
        "G": float(g.G),
        "EG": float(g.EG),
        "VG": float(g.VG),
        "seG": float(np.sqrt(g.VG)),  # esda has no seG attribute; its z uses np.sqrt(VG)
        "z_norm": float(g.z_norm),
        "p_norm": float(g.p_norm),
    }


def moran_local(y, w, permutations, seed=SEED):
    return esda.Moran_Local(
        y, copy.deepcopy(w), transformation="r", permutations=permutations,
        n_jobs=1, keep_simulations=True, seed=seed,
    )


def g_local_star(y, w, permutations, seed=SEED):
    return esda.G_Local(
        y, copy.deepcopy(w), transform="B", star=True, permutations=permutations,
        n_jobs=1, keep_simulations=True, seed=seed,
    )


def folded_p(sims, observed, permutations):
    """esda's 'directed' pseudo p in float64 from kept simulations (rows = areas)."""
    larger = (sims >= observed[:, None]).sum(axis=1)
    low = (permutations - larger) < larger
    larger[low] = permutations - larger[low]
    return (larger + 1.0) / (permutations + 1.0)


def local_stats(inp, ws):
    y = inp["y"]
    w = ws["queen"]
    lm9999 = moran_local(y, w, 9999)
    lm999 = moran_local(y, w, 999)
    if not np.array_equal(lm9999.Is, lm999.Is) or not np.array_equal(lm9999.q, lm999.q):
        raise SystemExit("Moran_Local Is/q depend on the number of permutations")
    lm_rook = esda.Moran_Local(y, copy.deepcopy(ws["rook"]), transformation="r", permutations=0)
    lm_knn = esda.Moran_Local(y, copy.deepcopy(ws["knn5"]), transformation="r", permutations=0)

    gl = g_local_star(y, w, 9999)
    # esda.crand keeps p-values in a float32 array; recompute the float64 value
    # from esda's own simulations and check it rounds to esda's float32.
    gl_p64 = folded_p(gl.rGs, gl.Gs, 9999)
    if not np.array_equal(gl_p64.astype(np.float32), np.asarray(gl.p_sim, dtype=np.float32)):
        raise SystemExit("G_Local float64 p_sim does not round to esda's float32 p_sim")

    islands = sorted(int(i) for i in w.islands)

    def ties(sims, observed):
        """[index, n_equal, n_near] for areas (islands excluded) where simulated
        values equal the observed one exactly (n_equal), or differ from it by at most
        1e-12 relative without being equal (n_near: mathematically equal sums that
        rounded differently). esda counts a tie as 'larger' (sim >= observed), so a
        reimplementation must follow esda's floating-point order to match p_sim."""
        eq = (sims == observed[:, None]).sum(axis=1)
        near = (np.abs(sims - observed[:, None]) <= 1e-12 * np.abs(observed)[:, None]).sum(axis=1) - eq
        return [[int(i), int(eq[i]), int(near[i])]
                for i in np.nonzero(eq + near)[0] if int(i) not in islands]

    tie_report = {
        "local_moran_queen_9999": ties(lm9999.sim.T, lm9999.Is),
        "local_moran_queen_999": ties(lm999.sim.T, lm999.Is),
        "g_local_star_queen_9999": ties(gl.rGs, gl.Gs),
    }
    keep = np.ones(len(y), dtype=bool)
    keep[islands] = False

    def fdr_entry(p):
        thr = float(esda.fdr(p, FDR_ALPHA))
        thr_ni = float(esda.fdr(p[keep], FDR_ALPHA))
        return {
            "threshold": thr,
            "n_significant": int((p <= thr).sum()),
            "threshold_excluding_islands": thr_ni,
            "n_significant_excluding_islands": int((p[keep] <= thr_ni).sum()),
        }

    island_report = [
        {
            "index": i,
            "id": inp["ids"][i],
            "local_moran_Is": float(lm9999.Is[i]),
            "local_moran_q": int(lm9999.q[i]),
            "local_moran_p_sim_9999": float(lm9999.p_sim[i]),
            "local_moran_p_sim_999": float(lm999.p_sim[i]),
            "g_local_star_Gs": float(gl.Gs[i]),
            "g_local_star_Zs": float(gl.Zs[i]),
            "g_local_star_p_sim_9999": float(gl_p64[i]),
        }
        for i in islands
    ]

    return {
        "local_moran": {
            "queen": {
                "Is": floats(lm9999.Is),
                "q": ints(lm9999.q),
                "p_sim_9999": floats(lm9999.p_sim),
                "p_sim_999": floats(lm999.p_sim),
                "EI": floats(lm9999.EI),
                "VI": floats(lm9999.VI),
            },
            "rook": {"Is": floats(lm_rook.Is)},
            "knn5": {"Is": floats(lm_knn.Is)},
        },
        "g_local_star": {
            "queen": {
                "Gs": floats(gl.Gs),
                "EGs": floats(gl.EGs),
                "VGs": floats(gl.VGs),
                "Zs": floats(gl.Zs),
                "p_norm": floats(gl.p_norm),
                "p_sim_9999": floats(gl_p64),
                "p_sim_9999_esda_float32": floats(gl.p_sim),
            }
        },
        "fdr": {
            "alpha": FDR_ALPHA,
            "local_moran_queen_p_sim_999": fdr_entry(np.asarray(lm999.p_sim, dtype=np.float64)),
            "local_moran_queen_p_sim_9999": fdr_entry(np.asarray(lm9999.p_sim, dtype=np.float64)),
        },
        "islands": island_report,
        "permutation_ties": tie_report,
    }


def smoothing(inp, ws):
    e, b = inp["e"], inp["b"]
    eb = esda.smoothing.Empirical_Bayes(e, b).r
    wq = copy.deepcopy(ws["queen"])
    wq.id_order = list(range(wq.n))  # SEB refuses a W whose id_order was not set
    seb = esda.smoothing.Spatial_Empirical_Bayes(e, b, wq).r
    return {"eb": floats(eb), "spatial_eb": floats(seb)}


# ---------------------------------------------------------------------------
# Timings (2024 layer)
# ---------------------------------------------------------------------------
def best_of(fn, repeats=TIMING_REPEATS):
    best = math.inf
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def run_timings(gdf, y, warm):
    """Best-of-5 wall times. `warm`: one untimed call of each first (numba JIT)."""
    w = Queen.from_dataframe(gdf, use_index=False)
    lm = lambda: moran_local(y, w, 999)  # noqa: E731
    gl = lambda: g_local_star(y, w, 999)  # noqa: E731
    if warm:
        lm()
        gl()
    t = {
        "queen_from_dataframe": best_of(lambda: Queen.from_dataframe(gdf, use_index=False)),
        "moran_local_999": best_of(lm),
        "g_local_star_999": best_of(gl),
        "moran_local_999_plus_g_local_star_999": best_of(lambda: (lm(), gl())),
    }
    return t, {"moran_local_p_sim_999": floats(lm().p_sim), "g_local_star_p_sim_999": floats(gl().p_sim)}


def timings_worker(out_path):
    """Entry point for --timings-worker (run under an interpreter with numba)."""
    import esda.crand

    inp = input_2024()
    jit = type(esda.crand.compute_chunk).__name__
    with capture_prints([]):
        t, p = run_timings(inp["gdf"], inp["y"], warm=True)
    Path(out_path).write_text(json.dumps(
        {"timings": t, "p": p, "numba": versions()["numba"], "compute_chunk_type": jit}))


def timings(inp_2024, numba_python):
    with capture_prints([]):
        t_plain, p_plain = run_timings(inp_2024["gdf"], inp_2024["y"], warm=False)
    result = {
        "what": "best of 5 time.perf_counter() runs, seconds, 2024 layer; n_jobs=1; "
                "informational only, machine-dependent, not part of the golden values",
        "machine": f"{platform.machine()}, {os.cpu_count()} logical CPUs",
        "without_numba": t_plain,
        "with_numba_warm": None,
    }
    if not numba_python:
        result["with_numba_warm"] = "not run: no --numba-python interpreter given"
        return result
    with tempfile.TemporaryDirectory() as td:
        out = Path(td) / "t.json"
        proc = subprocess.run(
            [numba_python, str(Path(__file__).resolve()), "--timings-worker", str(out)],
            capture_output=True, text=True,
        )
        if proc.returncode != 0 or not out.exists():
            result["with_numba_warm"] = f"failed: {proc.stderr.strip().splitlines()[-1:]}"
            return result
        got = json.loads(out.read_text())
    t = got["timings"]
    t["numba"] = got["numba"]
    t["esda_compute_chunk"] = got["compute_chunk_type"]
    # esda's numba kernels use fastmath, which can break exact permutation ties
    # (see header.keys.permutation_ties) differently: list the areas affected.
    t["p_sim_areas_differing_from_without_numba"] = {
        k: [i for i, (a, b) in enumerate(zip(got["p"][k], p_plain[k])) if a != b]
        for k in sorted(p_plain)
    }
    result["with_numba_warm"] = t
    return result


# ---------------------------------------------------------------------------
# Header: descriptions of every key
# ---------------------------------------------------------------------------
KEY_DOCS = {
    "ids": "area identifiers in layer (feature) order: PCON24CD / PCON19CD codes, or Columbus POLYID; index i of every array refers to ids[i]",
    "y": "the analysed variable, one value per area (see header.y_formula)",
    "weights.<w>": "w in {queen, rook, knn5}; libpysal weights in layer order",
    "weights.<w>.neighbours": "sorted 0-based neighbour indices of each area (knn5: the 5 nearest, asymmetric)",
    "weights.<w>.cardinalities": "number of neighbours of each area",
    "weights.<w>.n_links": "sum of cardinalities (directed links; each symmetric pair counts twice)",
    "weights.<w>.symmetric": "whether j in N(i) implies i in N(j)",
    "weights.<w>.islands": "0-based indices of areas with no neighbours (libpysal W.islands)",
    "weights.<w>.island_ids": "ids of those areas",
    "weights.<w>.n_components": "libpysal W.n_components: scipy connected_components (weak connectivity for knn5)",
    "weights.<w>.component_labels": "scipy component label of each area",
    "weights.<w>.component_sizes": "component sizes, largest first",
    "weights.<w>.s0_binary / s1_binary / s2_binary": "libpysal s0 = sum w_ij, s1 = 1/2 sum (w_ij + w_ji)^2, s2 = sum_i (w_i. + w_.i)^2 with binary weights",
    "weights.<w>.s0_row_standardised / s1_ / s2_": "the same with row-standardised weights (transform 'R'; island rows are all zero, so s0 = n - n_islands)",
    "moran.<w>": "esda.Moran(y, w, transformation='r'): I, EI = -1/(n-1), VI_norm/seI_norm/z_norm (normality), VI_rand/seI_rand/z_rand (randomisation, kurtosis term); p_norm and p_rand are TWO-tailed (esda two_tailed=True: 2 * sf(|z|))",
    "moran.queen.p_sim_9999": "esda global Moran pseudo p with 9999 permutations, (min(larger, 9999-larger)+1)/10000 where larger = #(sim >= I); np.random.seed(12345) is called immediately before esda.Moran because it takes no seed; each permutation is np.random.permutation(z)",
    "moran.queen.EI_sim_9999 / seI_sim_9999 / z_sim_9999 / p_z_sim_9999": "esda's moments of those 9999 simulated I (seI_sim is the population std, ddof=0); p_z_sim is ONE-tailed",
    "geary.queen": "esda.Geary(y, w, transformation='r', permutations=0): C, EC = 1, VC_norm/seC_norm/z_norm, VC_rand/seC_rand/z_rand; NOTE esda's Geary p_norm and p_rand are ONE-tailed (sf(z) if C > 1 else cdf(z)), unlike Moran's",
    "getis_ord.queen": "esda.G(y, w, permutations=0): General G with binary weights (esda forces transform 'B'); G, EG = s0/(n(n-1)), VG, seG = sqrt(VG) (computed here: esda has no seG attribute), z_norm = (G-EG)/sqrt(VG), p_norm = esda's literal 1 - norm.cdf(|z|) (one-tailed, loses precision for large |z|)",
    "local_moran.queen.Is": "esda.Moran_Local(y, w, transformation='r') I_i = (n-1) z_i (Wz)_i / sum z^2 with z = (y - mean)/std(ddof=0); islands get I_i = 0 (may be -0.0)",
    "local_moran.queen.q": "quadrant: 1 HH, 2 LH, 3 LL, 4 HL (esda default, geoda_quads=False); z > 0 and lag > 0 strictly, so z = 0 or lag = 0 counts as low; islands (lag 0) are 3 or 4",
    "local_moran.queen.p_sim_9999 / p_sim_999": "esda conditional-permutation pseudo p with 9999 / 999 permutations, seed=12345, n_jobs=1, keep_simulations=True (p recomputed by Moran_Local in float64 from the kept simulations, folded 'directed' rule). Islands: all simulated values are 0 >= I_i = 0, so larger = perms, folded to 0, and p = 1/(perms+1): a spurious minimum p",
    "local_moran.queen.EI / VI": "esda analytical moments under total randomisation (Sokal et al. 1998 eqs. A3/A4*): EI_i = -w_i/(n-1), VI_i as in esda",
    "local_moran.rook.Is / knn5.Is": "Moran_Local Is with rook / knn5 weights (row-standardised), permutations=0",
    "g_local_star.queen.Gs": "esda.G_Local(y, w, transform='B', star=True): Gi* = sum_j w_ij y_j / sum y with binary weights and w_ii = 1 (libpysal fill_diagonal(w, 1))",
    "g_local_star.queen.EGs / VGs / Zs / p_norm": "esda's analytical expectation, variance, z-score of Gi* and p_norm = norm.sf(|Zs|) (one-tailed of |z|)",
    "g_local_star.queen.p_sim_9999": "esda's Gi* pseudo p (9999 permutations, seed=12345, n_jobs=1, folded 'directed' rule) in float64, recomputed here from esda's own kept simulations (rGs); it rounds to exactly esda's float32 value",
    "g_local_star.queen.p_sim_9999_esda_float32": "the p_sim attribute exactly as esda returns it: esda.crand stores p-values in a float32 array, so e.g. 0.0001 comes back as 9.999999747378752e-05 (relative error up to ~6e-8, too coarse for a 1e-9 comparison)",
    "fdr": "esda.fdr(p, 0.05) (Benjamini-Hochberg cut-off: the largest i*alpha/n with p_(i) < i*alpha/n, else alpha/n) on local Moran queen p_sim; n_significant counts p <= threshold. *_excluding_islands applies esda.fdr to the n - n_islands non-island p-values only (sigmap gives islands no p-value)",
    "permutation_ties": "for each conditional-permutation run, [index, n_equal, n_near] for every non-island area where n_equal simulated values are exactly equal (==) to the observed statistic and n_near more are within 1e-12 relative of it without being equal. esda counts an exact tie as 'larger' (sim >= observed); a near one goes either way by 1 ulp. They arise structurally: an area with k neighbours gets the observed value back whenever the draw picks exactly its neighbours (likely for k = 1: about perms/(n-1) times), and then whether sim == observed depends on the floating-point order of the two sums (esda: observed from the scipy CSR mat-vec, simulated as zrand @ w_i (+ w_ii z_i)); esda with numba (fastmath) breaks some of these ties differently",
    "islands": "for each queen island: what esda returns for it (local Moran Is, q, p_sim; Gi* Gs, Zs, p_sim)",
    "smoothing.eb": "esda.smoothing.Empirical_Bayes(e, b).r: global empirical Bayes rate (raw rate, not per 1000)",
    "smoothing.spatial_eb": "esda.smoothing.Spatial_Empirical_Bayes(e, b, w_queen).r: local EB with the binary queen neighbours plus the area itself (Spatial_Rate sets transform 'b', then 'o' = original binary); islands: the neighbourhood is the area alone, the local variance is clipped to 0 and r = e_i/b_i",
}


def make_header(inp, null_values, timing_block, extra):
    n = len(inp["ids"])
    h = {
        "description": inp["description"],
        "generator": "scripts/golden/make_golden_pysal.py",
        "versions": versions(),
        "sources": inp["sources"],
        "n": n,
        "y_formula": inp["y_formula"],
        "smoothing_inputs": inp["smoothing_inputs"],
        "seed": SEED,
        "seed_use": "esda seed=12345 for Moran_Local and G_Local (esda.crand vec_permutations: "
                    "np.random.seed(12345) then choice(n-1, max_card, replace=False) per permutation, "
                    "one matrix shared by all areas); np.random.seed(12345) immediately before the "
                    "9999-permutation global Moran (no seed argument there)",
        "permutation_engine": "esda.crand without numba (numba not installed in this venv), n_jobs=1, "
                              "alternative left at esda's default None -> 'directed' (DeprecationWarning)",
        "geometry_reading": "json + shapely.geometry.shape in feature order; checked bit-identical to geopandas.read_file",
        "weights_construction": {
            "queen": "libpysal.weights.Queen.from_dataframe(gdf, use_index=False): shared vertex with bit-identical coordinates",
            "rook": "libpysal.weights.Rook.from_dataframe(gdf, use_index=False): shared edge (unordered pair of consecutive boundary vertices, bit-identical)",
            "knn5": "libpysal.weights.KNN.from_dataframe(gdf, k=5, use_index=False): shapely/GEOS planar centroid of each geometry in the layer's own coordinates (lon/lat degrees for the UK layers), Euclidean distance in those units, scipy KD-tree",
        },
        "keys": KEY_DOCS,
        "islands_in_esda": "esda is run unchanged. For an island (no neighbours) esda gives local Moran "
                           "I_i = 0 (or -0.0), q = 4 if z_i > 0 else 3 (its lag is 0), and p_sim = "
                           "1/(perms+1) (every simulated value is 0, ties count as 'larger', and the "
                           "folding turns perms into 0): a spurious minimum p. Gi* of an island is "
                           "y_i/sum(y) with finite Zs, but esda.crand gives islands self-weight 0 in the "
                           "simulations, so every simulated value is 0 < Gs and p_sim = 1/(perms+1) too. "
                           "Not written here: esda's Moran_Local z_sim / p_z_sim are NaN for islands "
                           "(0/0, 'invalid value' RuntimeWarning) and G_Local z_sim is inf with p_z_sim 0 "
                           "('divide by zero' RuntimeWarning). Row-standardised island rows are zero, so "
                           "Moran's s0 is n - n_islands. Islands are included in esda.fdr's n.",
        "null_values": null_values,
        "timings_s": timing_block,
    }
    h.update(extra)
    h["warnings_on_import"] = IMPORT_WARNINGS
    return h


# ---------------------------------------------------------------------------
# Main
# ---------------------------------------------------------------------------
def compute(inp):
    """All golden values for one input, as an ordered dict (without header)."""
    gdf, y, ids = inp["gdf"], inp["y"], inp["ids"]
    ws = build_weights(gdf)
    weights = {name: weights_summary(w, ids) for name, w in ws.items()}

    extra = {}
    per_ring = rook_per_ring(gdf)
    diff = [i for i in range(len(ids)) if per_ring[i] != weights["rook"]["neighbours"][i]]
    extra["rook_cross_ring_pseudo_edges"] = (
        "libpysal's rook also hashes one pseudo-edge per ring junction (last vertex of a ring to "
        "first vertex of the next ring of the same feature); areas whose rook neighbours differ "
        f"from a per-ring edge test: {diff}"
    )
    ties = knn_ties(gdf, KNN_K)
    extra["knn5_distance_ties"] = (
        "areas whose 5th and 6th nearest centroid distances are equal within 1e-12 relative "
        f"(KD-tree tie order would then decide the neighbour set): {ties}"
    )

    doc = {
        "ids": ids,
        "y": floats(y),
        "weights": weights,
        "moran": {
            "queen": moran(y, ws["queen"], 9999),
            "rook": moran(y, ws["rook"], 0),
            "knn5": moran(y, ws["knn5"], 0),
        },
        "geary": {"queen": geary(y, ws["queen"])},
        "getis_ord": {"queen": general_g(y, ws["queen"])},
    }
    doc.update(local_stats(inp, ws))
    if inp["name"] == "columbus":
        # Cross-check: libpysal ships the Columbus queen weights as columbus.gal
        # (ids = POLYID as strings).
        gal_file = libpysal.io.open(libpysal.examples.get_path("columbus.gal"))
        gal = gal_file.read()
        gal_file.close()
        pos = {str(pid): i for i, pid in enumerate(ids)}
        gal_nb = [sorted(pos[j] for j in gal.neighbors[str(pid)]) for pid in ids]
        extra["queen_equals_libpysal_columbus_gal"] = gal_nb == weights["queen"]["neighbours"]
    if inp["e"] is not None:
        doc["smoothing"] = smoothing(inp, ws)
    return doc, extra


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out-dir", default="tests/golden/pysal",
                    help="output folder, relative to the repository root (default %(default)s)")
    ap.add_argument("--no-timings", action="store_true",
                    help="skip the timings; header.timings_s is then null and the files are byte-identical on every run")
    ap.add_argument("--numba-python", default=os.environ.get("SIGMAP_NUMBA_PYTHON"),
                    help="python interpreter of a separate venv with the same pins plus numba, "
                         "used only for the 'with numba' timings (default: $SIGMAP_NUMBA_PYTHON)")
    ap.add_argument("--only", action="append", metavar="NAME",
                    help="write only this output (e.g. pcon2024_petition_241584; repeatable); the "
                         "others are neither computed nor written. Timings run only with "
                         "pcon2024_turnout")
    ap.add_argument("--timings-worker", metavar="OUT", help=argparse.SUPPRESS)
    args = ap.parse_args()

    if args.timings_worker:
        timings_worker(args.timings_worker)
        return
    if HAVE_NUMBA:
        raise SystemExit("numba is importable in this environment: the golden values must come "
                         "from esda's pure-numpy path; use a venv without numba "
                         "(numba belongs only in the --numba-python venv)")

    out_dir = REPO_ROOT / args.out_dir
    makers = {
        "pcon2024_turnout": input_2024,
        "pcon2010_petition_241584": input_2010,
        "pcon2024_petition_241584": input_2024_petition,
        "columbus": None,
    }
    only = args.only or list(makers)
    unknown = [name for name in only if name not in makers]
    if unknown:
        raise SystemExit(f"--only: unknown output(s) {unknown}; known: {list(makers)}")
    inputs = [make() for name, make in makers.items() if make is not None and name in only]
    if "columbus" in only:
        src, shp = write_columbus_fixture()
        if src is not None:
            inputs.append(input_columbus(src, shp))

    results = []
    for inp in inputs:
        RECORDED_WARNINGS.clear()
        printed = []
        with capture_prints(printed):
            doc, extra = compute(inp)
        # every distinct warning raised while computing this input, first-seen order
        extra["warnings"] = list(RECORDED_WARNINGS)
        extra["libpysal_printed"] = printed
        results.append((inp, doc, extra))
        q = doc["weights"]["queen"]
        print(f"{inp['name']}: n={len(inp['ids'])} queen links={q['n_links']} islands={q['island_ids']} "
              f"components={q['n_components']} Moran I queen={doc['moran']['queen']['I']!r}")

    # Timings last, so they cannot disturb any random stream used above.
    timing_block = None
    if not args.no_timings and inputs[0]["name"] == "pcon2024_turnout":
        timing_block = timings(inputs[0], args.numba_python)
        print("timings_s:", json.dumps(timing_block, indent=1))

    for inp, doc, extra in results:
        nulls = []
        body = sanitize(doc, "", nulls)
        if inp["name"] == "pcon2024_turnout":
            timing_entry = timing_block
        else:
            timing_entry = None if args.no_timings else "see pcon2024_turnout.json"
        header = make_header(inp, nulls, timing_entry, extra)
        write_json(out_dir / f"{inp['name']}.json", sanitize({"header": header}, "", []) | body)
        print(f"wrote {out_dir / (inp['name'] + '.json')} (null values: {len(nulls)})")


if __name__ == "__main__":
    main()
