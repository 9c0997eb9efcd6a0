#!/usr/bin/env python3
"""Writes tests/fixtures/layers/: one small subset of the shipped 2024 constituency layer in
every format sigmap reads (GeoJSON, Shapefile in WGS84 and in British National Grid, a zipped
Shapefile, a Shapefile whose .dbf is Windows-1252, GeoPackages), plus a few malformed layers.

    python3 -m venv /work/venv-fixtures
    /work/venv-fixtures/bin/pip install geopandas pyogrio convertbng
    /work/venv-fixtures/bin/python scripts/make_layer_fixtures.py

GDAL (in pyogrio's wheel) writes every file, so the files are what GIS users get from QGIS or
ogr2ogr. The British National Grid coordinates are converted with OSTN15 by convertbng 2.0.0,
which wraps lonlat_bng 0.9.0, the crate sigmap converts BNG with: reading the BNG files back
gives the WGS84 vertices to the millimetre rounding of the conversion (see
tests/integration/layers.rs for the tolerance this implies). pyproj is not used for that: without
the OSTN15 grid (not shipped in its wheel, and not downloadable here) it falls back to a
7-parameter Helmert transformation, 1-4 m off OSTN15.

Data: ONS boundaries (Westminster Parliamentary Constituencies, July 2024, BGC), Open
Government Licence v3.0; contains OS data © Crown copyright and database right 2024.
"""

import shutil
import zipfile
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely
from convertbng.cutil import convert_to_osgb36

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "data/boundaries/pcon2024_bgc_20pct.geojson"
OUT = ROOT / "tests/fixtures/layers"

# All 32 Welsh seats (Ynys Môn, W07000112: four parts and an accent), and English seats with
# holes (York Outer around York Central, Kenilworth and Southam around Warwick and Leamington)
# or many island parts (North West Norfolk has 33 parts and a hole; Clacton, Sittingbourne and
# Sheppey, Rochester and Strood), with the seats that fill the holes.
WALES = [f"W07000{n:03}" for n in range(81, 113)]
ENGLAND = {
    "York Outer": "E14001605",
    "York Central": "E14001604",
    "Kenilworth and Southam": "E14001309",
    "Warwick and Leamington": "E14001566",
    "North West Norfolk": "E14001405",
    "Clacton": "E14001174",
    "Sittingbourne and Sheppey": "E14001474",
    "Rochester and Strood": "E14001447",
}


def bng(geometry):
    """WGS84 lon/lat -> British National Grid metres with OSTN15 (lonlat_bng)."""

    def convert(coords):
        e, n = convert_to_osgb36(coords[:, 0].tolist(), coords[:, 1].tolist())
        e, n = np.asarray(e), np.asarray(n)
        if np.isnan(e).any() or np.isnan(n).any():
            raise SystemExit("a vertex is outside OSTN15")
        return np.column_stack([e, n])

    return shapely.transform(geometry, convert)


def write_shapefile(frame, stem, encoding):
    frame.to_file(OUT / f"{stem}.shp", driver="ESRI Shapefile", engine="pyogrio",
                  encoding=encoding)


def main():
    layer = gpd.read_file(SOURCE, engine="pyogrio")
    codes = WALES + list(ENGLAND.values())
    subset = layer[layer.PCON24CD.isin(codes)].reset_index(drop=True)
    names = dict(zip(subset.PCON24CD, subset.PCON24NM))
    for name, code in ENGLAND.items():
        assert names.get(code) == name, (code, names.get(code), name)
    assert len(subset) == len(codes) == 40, len(subset)
    assert names["W07000112"] == "Ynys Môn"
    # a number and a logical column too, for the .dbf types
    subset["SEAT_NO"] = range(1, len(subset) + 1)
    subset["WALES"] = subset.PCON24CD.str.startswith("W")

    if OUT.exists():
        shutil.rmtree(OUT)
    OUT.mkdir(parents=True)

    subset.to_file(OUT / "pcon24_subset.geojson", driver="GeoJSON", engine="pyogrio")
    write_shapefile(subset, "pcon24_wgs84", "UTF-8")
    write_shapefile(subset, "pcon24_cp1252", "CP1252")
    subset.to_file(OUT / "pcon24_wgs84.gpkg", driver="GPKG", layer="pcon24", engine="pyogrio")

    in_bng = subset.copy()
    in_bng["geometry"] = bng(subset.geometry.values)
    in_bng = in_bng.set_crs(27700, allow_override=True)
    write_shapefile(in_bng, "pcon24_bng", "UTF-8")
    in_bng.to_file(OUT / "pcon24_bng.gpkg", driver="GPKG", layer="pcon24", engine="pyogrio")

    with zipfile.ZipFile(OUT / "pcon24_wgs84.zip", "w", zipfile.ZIP_DEFLATED) as z:
        for part in sorted(OUT.glob("pcon24_wgs84.*")):
            if part.suffix in {".shp", ".shx", ".dbf", ".prj", ".cpg"}:
                # inside a folder, as portals often zip them
                z.write(part, f"pcon24/{part.name}")

    # malformed or ambiguous inputs, each refused with a message that names the file
    two = OUT / "two_shapefiles"
    two.mkdir()
    write_shapefile(subset.iloc[:2], "two_shapefiles/a", "UTF-8")
    write_shapefile(subset.iloc[2:4], "two_shapefiles/b", "UTF-8")
    with zipfile.ZipFile(OUT / "two_shapefiles.zip", "w", zipfile.ZIP_DEFLATED) as z:
        for part in sorted(two.iterdir()):
            z.write(part, part.name)
    shutil.rmtree(two)

    wales = subset[subset.WALES]
    england = subset[~subset.WALES]
    wales.to_file(OUT / "two_tables.gpkg", driver="GPKG", layer="wales", engine="pyogrio")
    england.to_file(OUT / "two_tables.gpkg", driver="GPKG", layer="england", engine="pyogrio",
                    mode="a")
    points = subset[["PCON24CD", "PCON24NM"]].copy()
    points = gpd.GeoDataFrame(points, geometry=subset.geometry.representative_point(),
                              crs=subset.crs)
    points.to_file(OUT / "points.gpkg", driver="GPKG", layer="seat_points", engine="pyogrio")

    for f in sorted(OUT.iterdir()):
        print(f"{f.stat().st_size:>9} {f.name}")


if __name__ == "__main__":
    main()
