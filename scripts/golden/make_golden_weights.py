#!/usr/bin/env python3
"""Write libpysal reference files for sigmap's distance-band weights, island attachment
and GAL / GWT weights files.

A sibling of make_golden_pysal.py (it reuses that script's readers and JSON writer, and
does not touch its outputs). Everything here is computed and written by libpysal itself:
the script loads the layer, calls libpysal, and writes what libpysal returns.

Outputs (under --out-dir, default tests/golden/pysal):

  pcon2024_queen.gal      libpysal.io.open(..., "w").write(Queen.from_dataframe(gdf, ids="code"))
                          for the shipped 2024 layer: ids are PCON24CD codes, each line of
                          neighbours in layer order (Queen's own order comes from a set and
                          changes from run to run); libpysal's GAL header is the line "650".
  pcon2024_knn5.gwt       the same for KNN.from_dataframe(gdf, k=5, ids="code"); libpysal's
                          GWT header is "0 650 Unknown Unknown", weights written "%.6G".
  columbus.gal            a copy of libpysal's bundled columbus.gal (GeoDa's Columbus queen
                          weights, ids = POLYID), read by the tests with
                          tests/fixtures/columbus.geojson.
  weights_pcon2024.json   distance bands, their islands and libpysal's warnings, the
                          smallest threshold without islands, attach_islands results, and
                          the sha256 of the three files above.

Distance bands
--------------
Centroids are shapely's planar `geometry.centroid` of each lon/lat polygon (the same
points as make_golden_pysal.py's knn5, and sigmap's Area::centroid), projected with
geopandas `GeoSeries(centroids, crs="EPSG:4326").to_crs(27700)`. PROJ has no OSTN15 grid
here, so that is the 7-parameter Helmert "OSGB36 to WGS 84 (6)" + Airy transverse
Mercator; the script checks the numbers against that explicit pipeline (from
make_golden_metrics.py). sigmap uses OSTN15, which moves the centroids by a few metres
and the distances between them by less: the JSON lists every pair whose distance is within
25 m of a threshold (at 10 km one pair is 6 mm inside it). The tests compare sigmap's
distance band on these very points exactly; on its own OSTN15 centroids (at most 4 m
from these) a link could only flip for such a pair, and none does.
Weights: libpysal.weights.DistanceBand.from_dataframe(points, threshold=metres,
use_index=False) (binary, d <= threshold, zero distances dropped) and
libpysal.weights.util.min_threshold_distance(points).

Island attachment
-----------------
libpysal.weights.util.attach_islands(w, KNN.from_dataframe(gdf, k=1, use_index=False)):
each island is linked, both ways, to its nearest area by lon/lat centroid (sigmap's
attach:1). For queen weights and the 30 km band. libpysal processes islands in order and
overwrites an island's list with its own nearest, dropping the links that islands
processed before it had made to it; sigmap keeps every link both ways. The JSON lists
the islands whose nearest area is itself an island, where the two differ (none for
queen; 13 of the 28 islands of the 30 km band).

Run (from the repository root), with the venv of scripts/golden/README.md:

  scripts/.venv/bin/python scripts/golden/make_golden_weights.py
"""

import argparse
import hashlib
import shutil
import sys
import warnings
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import make_golden_pysal as base  # noqa: E402  (sets up warning capture, imports libpysal)
from make_golden_metrics import EXPECTED_BNG_PIPELINE  # noqa: E402

import geopandas as gpd  # noqa: E402
import libpysal  # noqa: E402
import pyproj  # noqa: E402
from libpysal.weights import KNN, DistanceBand, Queen, W  # noqa: E402
from libpysal.weights.util import attach_islands, min_threshold_distance  # noqa: E402

REPO_ROOT = base.REPO_ROOT
THRESHOLDS_KM = [10, 30]
NEAR_M = 25.0
GAL_2024 = "pcon2024_queen.gal"
GWT_2024 = "pcon2024_knn5.gwt"
COLUMBUS_GAL = "columbus.gal"

KEY_DOCS = {
    "ids": "PCON24CD codes in layer (feature) order; every index below refers to this order",
    "centroids_bng": "[easting, northing] in metres: shapely planar centroid of the lon/lat geometry, projected by geopandas to_crs(27700) (Helmert, see header.bng_transformation)",
    "distance_band.<km>": "libpysal.weights.DistanceBand.from_dataframe(points, threshold=1000*km, use_index=False): binary weights, neighbours at distance <= threshold, zero distances dropped",
    "distance_band.<km>.neighbours": "sorted 0-based neighbour indices of each area",
    "distance_band.<km>.islands": "0-based indices of areas with no neighbour (libpysal keeps them and warns)",
    "distance_band.<km>.libpysal_warnings": "the warnings libpysal raised while building the W (its report of islands and components)",
    "distance_band.<km>.near_threshold_pairs": "[i, j, distance_m] for i < j with |distance - threshold| < 25 m: links a metre-level change of projection could flip",
    "min_threshold": "libpysal.weights.util.min_threshold_distance(points) in metres (the largest nearest-neighbour distance), and the area it belongs to",
    "attach_islands.<w>": "libpysal.weights.util.attach_islands(w, KNN.from_dataframe(gdf, k=1, use_index=False)): neighbours (sorted, de-duplicated) after attaching, the islands before, their nearest area, and the islands whose nearest area is itself an island (where libpysal's in-order overwrite departs from a symmetric union)",
    "files": "sha256 of the GAL / GWT files written next to this one",
}


def sha256_of(path):
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def built(make):
    """Calls make() and returns (result, the distinct warning messages it raised)."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        w = make()
    messages = []
    for c in caught:
        text = f"{c.category.__name__}: {c.message}"
        if text not in messages:
            messages.append(text)
    return w, messages


def neighbour_lists(w):
    return [sorted({int(j) for j in w.neighbors[i]}) for i in range(w.n)]


def bng_centroids(gdf):
    centroids = gpd.GeoSeries(gdf.geometry.centroid, crs="EPSG:4326")
    pyproj.network.set_network_enabled(False)
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Best transformation is not available")
        projected = centroids.to_crs(27700)
    lon = np.array([p.x for p in centroids])
    lat = np.array([p.y for p in centroids])
    x, y = pyproj.Transformer.from_pipeline(EXPECTED_BNG_PIPELINE).transform(lon, lat)
    pts = np.column_stack([[p.x for p in projected], [p.y for p in projected]])
    if not (np.array_equal(pts[:, 0], x) and np.array_equal(pts[:, 1], y)):
        raise SystemExit("to_crs(27700) did not use the expected Helmert pipeline (OSTN15 grid installed?)")
    return projected, pts


def distance_band(projected, pts, km):
    threshold = 1000.0 * km
    w, messages = built(lambda: DistanceBand.from_dataframe(
        gpd.GeoDataFrame(geometry=projected.reset_index(drop=True)), threshold=threshold,
        use_index=False))
    if [int(i) for i in w.id_order] != list(range(len(pts))):
        raise SystemExit("DistanceBand id_order is not the layer order")
    d = np.sqrt(((pts[:, None, :] - pts[None, :, :]) ** 2).sum(-1))
    i, j = np.nonzero(np.triu(np.abs(d - threshold) < NEAR_M, k=1))
    near = [[int(a), int(b), float(d[a, b])] for a, b in zip(i, j)]
    nb = neighbour_lists(w)
    return w, {
        "threshold_m": threshold,
        "neighbours": nb,
        "n_links": sum(len(x) for x in nb),
        "islands": sorted(int(x) for x in w.islands),
        "n_components": int(w.n_components),
        "libpysal_warnings": messages,
        "near_threshold_pairs": near,
    }


def attached(w, knn1):
    islands = sorted(int(x) for x in w.islands)
    nearest = {i: int(knn1.neighbors[i][0]) for i in islands}
    a, messages = built(lambda: attach_islands(w, knn1))
    return {
        "islands": islands,
        "nearest": [nearest[i] for i in islands],
        "islands_whose_nearest_is_an_island": [i for i in islands if nearest[i] in nearest],
        "neighbours": neighbour_lists(a),
        "islands_after": sorted(int(x) for x in a.islands),
        "n_components_after": int(a.n_components),
        "libpysal_warnings": messages,
    }


def write_weights_file(w, path):
    f = libpysal.io.open(str(path), "w")
    f.write(w)
    f.close()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out-dir", default="tests/golden/pysal",
                    help="output folder, relative to the repository root (default %(default)s)")
    args = ap.parse_args()
    out = REPO_ROOT / args.out_dir
    out.mkdir(parents=True, exist_ok=True)

    gdf = base.load_geojson_gdf(base.BOUNDARIES_2024, "PCON24CD")
    codes = list(gdf["code"])

    # GAL / GWT written by libpysal, ids = codes
    queen_ids, _ = built(lambda: Queen.from_dataframe(gdf, ids="code"))
    knn_ids, _ = built(lambda: KNN.from_dataframe(gdf, k=base.KNN_K, ids="code"))
    for name, w in [("queen", queen_ids), ("knn5", knn_ids)]:
        if [str(i) for i in w.id_order] != codes:
            raise SystemExit(f"{name}: id_order is not the layer's codes in order")
    # Queen's neighbour lists come out of Python sets, in an order that changes from run
    # to run (string hashing): write them in layer order, so the file's bytes are stable.
    pos = {c: i for i, c in enumerate(codes)}
    queen_ids, _ = built(lambda: W(
        {c: sorted(queen_ids.neighbors[c], key=pos.__getitem__) for c in codes}, id_order=codes))
    write_weights_file(queen_ids, out / GAL_2024)
    write_weights_file(knn_ids, out / GWT_2024)
    # libpysal reads its own files back to the same neighbours
    for name, w, path in [("queen", queen_ids, GAL_2024), ("knn5", knn_ids, GWT_2024)]:
        back, _ = built(lambda p=path: libpysal.io.open(str(out / p)).read())
        if any(sorted(map(str, back.neighbors[c])) != sorted(map(str, w.neighbors[c])) for c in codes):
            raise SystemExit(f"{path}: libpysal does not read back its own {name} file")
    columbus_src = Path(libpysal.examples.get_path("columbus.gal"))
    shutil.copyfile(columbus_src, out / COLUMBUS_GAL)

    # distance bands on BNG centroids
    queen, _ = built(lambda: Queen.from_dataframe(gdf, use_index=False))
    knn1, _ = built(lambda: KNN.from_dataframe(gdf, k=1, use_index=False))
    projected, pts = bng_centroids(gdf)
    bands, band_ws = {}, {}
    for km in THRESHOLDS_KM:
        band_ws[km], bands[str(km)] = distance_band(projected, pts, km)
    min_t = float(min_threshold_distance(pts))
    d = np.sqrt(((pts[:, None, :] - pts[None, :, :]) ** 2).sum(-1))
    np.fill_diagonal(d, np.inf)
    worst = int(np.argmax(d.min(axis=1)))

    doc = {
        "header": {
            "description": "libpysal distance-band weights, island attachment and GAL/GWT files on the shipped 2024 layer",
            "generator": "scripts/golden/make_golden_weights.py",
            "versions": base.versions() | {"pyproj": pyproj.__version__, "proj": pyproj.proj_version_str},
            "sources": [
                base.source_entry(base.BOUNDARIES_2024, "polygons, property PCON24CD, WGS84 lon/lat"),
                {"path": "libpysal/examples/columbus/columbus.gal", "sha256": sha256_of(columbus_src),
                 "what": f"bundled with libpysal {libpysal.__version__}, copied to {COLUMBUS_GAL}"},
            ],
            "n": len(codes),
            "bng_transformation": "geopandas to_crs(27700) = PROJ " + EXPECTED_BNG_PIPELINE
                                  + " (Helmert; no OSTN15 grid, network disabled); checked number for number",
            "keys": KEY_DOCS,
        },
        "ids": codes,
        "centroids_bng": [[float(x), float(y)] for x, y in pts],
        "distance_band": bands,
        "min_threshold": {"metres": min_t, "index": worst, "id": codes[worst]},
        "attach_islands": {
            "queen": attached(queen, knn1),
            "distance_band_30": attached(band_ws[30], knn1),
        },
        "files": {name: sha256_of(out / name) for name in [GAL_2024, GWT_2024, COLUMBUS_GAL]},
    }
    nulls = []
    base.write_json(out / "weights_pcon2024.json", base.sanitize(doc, "", nulls))
    if nulls:
        raise SystemExit(f"unexpected NaN/inf: {nulls}")
    for km in THRESHOLDS_KM:
        b = bands[str(km)]
        print(f"distance band {km} km: {b['n_links']} links, {len(b['islands'])} islands, "
              f"{b['n_components']} components, {len(b['near_threshold_pairs'])} pairs within {NEAR_M} m")
    print(f"min threshold {min_t:.3f} m ({codes[worst]})")
    print(f"wrote {out}: weights_pcon2024.json, {GAL_2024}, {GWT_2024}, {COLUMBUS_GAL}")


if __name__ == "__main__":
    main()
