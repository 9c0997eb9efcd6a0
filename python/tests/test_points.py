"""locate and join_points: known seats, geopandas.sjoin on random points, bad inputs."""

import json
import os
import threading

import numpy as np
import pandas
import pytest

import sigmap
from conftest import DATA, SEED


def test_locate_known_points():
    assert sigmap.locate(-0.1281, 51.5080) == ("E14001172", "Cities of London and Westminster")
    assert sigmap.locate(-0.1281, 51.5080, vintage=2010).code == "E14000639"
    assert sigmap.locate(-0.1281, 51.5080, vintage="pcon2010").code == "E14000639"
    assert sigmap.locate(2.5, 54.0) is None  # the North Sea
    assert sigmap.locate(-0.1372, 50.8100) is None  # offshore from Brighton
    seat = sigmap.locate(-0.1281, 51.5080)
    assert seat.name == "Cities of London and Westminster"


def test_locate_with_a_layer_file(data):
    layer = data / "boundaries" / "pcon2024_bgc_20pct.geojson"
    assert sigmap.locate(-0.1281, 51.5080, areas=layer).code == "E14001172"


def test_locate_agrees_with_join_points_on_the_cb_sample(data):
    pts = pandas.read_csv(data / "points" / "postcodes_cb_sample.csv")
    df = sigmap.join_points(pts["lon"], pts["lat"])
    by_locate = pandas.Series([sigmap.locate(x, y) for x, y in zip(pts["lon"], pts["lat"])])
    located = by_locate.dropna().map(lambda s: s.code).value_counts()
    joined = df.set_index("code")["count"]
    assert joined[joined > 0].sort_index().to_dict() == located.sort_index().to_dict()
    # the same points in National Grid metres land in the same seats
    bng = sigmap.join_points(pts["easting"], pts["northing"], crs=27700)
    assert (bng["count"] == df["count"]).all()


@pytest.mark.parametrize("n", [10_000, 100_000])
def test_join_points_equals_geopandas_sjoin(n):
    geopandas = pytest.importorskip("geopandas")
    rng = np.random.default_rng(SEED)
    lon = rng.uniform(-6.5, 1.8, n)
    lat = rng.uniform(49.9, 58.7, n)
    df = sigmap.join_points(lon, lat)
    layer = geopandas.read_file(DATA / "boundaries" / "pcon2024_bgc_20pct.geojson")
    code = [c for c in layer.columns if c.upper().startswith("PCON") and c.upper().endswith("CD")][0]
    points = geopandas.GeoDataFrame(geometry=geopandas.points_from_xy(lon, lat), crs=layer.crs)
    joined = geopandas.sjoin(points, layer[[code, "geometry"]], predicate="within")
    expected = joined.groupby(code).size()
    got = df.set_index("code")["count"]
    expected = expected.reindex(got.index, fill_value=0)
    assert len(df) == 650
    assert df.attrs["points"] == n
    # a point inside two polygons of an overlapping layer is counted once, in the first
    assert int((got - expected).abs().sum()) <= df.attrs["overlaps"]
    assert int(got.sum()) == df.attrs["matched"] == joined.index.nunique()


def test_join_points_reads_series_and_int_arrays():
    lon = pandas.Series([-0.1281, -0.1290])
    lat = pandas.Series([51.5080, 51.5010])
    df = sigmap.join_points(lon, lat)
    assert df.set_index("code").loc["E14001172", "count"] == 2
    e = sigmap.join_points(np.array([530041, 530000]), np.array([180358, 180300]), crs=27700)
    assert e.set_index("code").loc["E14001172", "count"] == 2
    # strided views are read in place too
    both = np.array([[-0.1281, 51.5080], [-0.1290, 51.5010]])
    s = sigmap.join_points(both[:, 0], both[:, 1])
    assert s.set_index("code").loc["E14001172", "count"] == 2


def test_join_points_on_2010_seats():
    df = sigmap.join_points(np.array([-0.1281]), np.array([51.5080]), vintage=2010)
    assert df.set_index("code").loc["E14000639", "count"] == 1
    assert len(df) == 650


def gappy_layer(tmp_path):
    """A 3 x 3 grid of 0.1-degree squares less the middle one (a gap), from (-1, 52)."""
    def square(i):
        x, y = -1.0 + (i % 3) * 0.1, 52.0 + (i // 3) * 0.1
        ring = [[x, y], [x + 0.1, y], [x + 0.1, y + 0.1], [x, y + 0.1], [x, y]]
        return {"type": "Feature", "properties": {"code": f"E0600000{i}", "name": f"Seat {i}"},
                "geometry": {"type": "Polygon", "coordinates": [ring]}}
    layer = tmp_path / "gappy.geojson"
    layer.write_text(json.dumps({"type": "FeatureCollection",
                                 "features": [square(i) for i in range(9) if i != 4]}))
    return layer


def test_points_in_a_gap_are_found_unless_gaps_is_false(tmp_path):
    """Two points in the grid's gap, one beyond the grid."""
    layer = gappy_layer(tmp_path)
    lon, lat = np.array([-0.85, -0.86, -0.5, -0.75]), np.array([52.15, 52.16, 52.5, 52.25])
    looked = sigmap.join_points(lon, lat, areas=layer)
    skipped = sigmap.join_points(lon, lat, areas=layer, gaps=False)
    assert looked.attrs["in_gaps"] == 2 and looked.attrs["unmatched"] == 3
    assert skipped.attrs["in_gaps"] is None and skipped.attrs["unmatched"] == 3
    assert looked.equals(skipped)


def test_a_layer_is_checked_once_and_its_checks_kept(tmp_path):
    """The gaps of a layer are kept by the first call and read by the next: the same answer."""
    layer = gappy_layer(tmp_path)
    lon, lat = np.array([-0.85, -0.5]), np.array([52.15, 52.5])
    cache = tmp_path / "cache"
    # the folder of this run that conftest.py names
    assert sigmap.default_cache_dir() == os.environ["SIGMAP_CACHE_DIR"]
    try:
        sigmap.set_cache_dir(cache)
        first = sigmap.join_points(lon, lat, areas=layer)
        kept = sorted(p.name for p in cache.iterdir())
        assert len(kept) == 1 and kept[0].endswith(".gaps.json"), kept
        again = sigmap.join_points(lon, lat, areas=layer)
        assert again.equals(first) and again.attrs == first.attrs
        assert first.attrs["in_gaps"] == 1
        # what is read is what is kept: an entry of no gaps, and the point is in none
        entry = cache / kept[0]
        text = entry.read_text()
        entry.write_text(json.dumps({"key": kept[0].removesuffix(".gaps.json"), "found": []}))
        assert sigmap.join_points(lon, lat, areas=layer).attrs["in_gaps"] == 0
        entry.write_text(text)
        # nothing kept when told so
        sigmap.set_cache_dir(None)
        other = tmp_path / "other.geojson"
        other.write_text(layer.read_text().replace("Seat 0", "Seat zero"))
        assert sigmap.join_points(lon, lat, areas=other).attrs["in_gaps"] == 1
        assert sorted(p.name for p in cache.iterdir()) == kept
    finally:
        sigmap.set_cache_dir(sigmap.default_cache_dir())


def test_empty_arrays():
    df = sigmap.join_points(np.array([]), np.array([]))
    assert len(df) == 650 and df["count"].sum() == 0 and df.attrs["points"] == 0


def test_join_points_runs_in_threads():
    """The GIL is released while Rust computes: threads finish with the same answer."""
    rng = np.random.default_rng(SEED)
    lon, lat = rng.uniform(-3, 0, 200_000), rng.uniform(51, 54, 200_000)
    results = [None] * 4

    def work(i):
        results[i] = sigmap.join_points(lon, lat)["count"].to_numpy()

    threads = [threading.Thread(target=work, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for r in results[1:]:
        assert (r == results[0]).all()


# -- errors ------------------------------------------------------------------------------

def test_a_list_is_refused_with_a_message():
    with pytest.raises(sigmap.InputError, match="argument lon: expected a 1-D numpy array.*found list"):
        sigmap.join_points([-0.1281], [51.5080])


def test_nan_coordinate_names_its_position():
    lon = np.array([-0.1281, np.nan, -0.1290])
    lat = np.array([51.5080, 51.5, 51.5010])
    with pytest.raises(sigmap.InputError) as e:
        sigmap.join_points(lon, lat)
    assert e.value.record == 2 and e.value.field == "x"
    assert e.value.path is None
    assert "record 2" in str(e.value) and "finite number" in str(e.value)


def test_nan_in_locate():
    with pytest.raises(sigmap.InputError, match="finite number"):
        sigmap.locate(float("nan"), 51.5)


def test_swapped_coordinates():
    with pytest.raises(sigmap.InputError):
        sigmap.locate(51.5080, -0.1281)


@pytest.mark.parametrize("bad", ["-0.12", [1.0], None])
def test_locate_wants_numbers(bad):
    with pytest.raises(sigmap.InputError, match="argument lon: expected a number"):
        sigmap.locate(bad, 51.5)


def test_lengths_differ():
    with pytest.raises(sigmap.InputError, match="one length, found 2 and 1"):
        sigmap.join_points(np.array([0.0, 0.1]), np.array([51.0]))


def test_two_dimensional_and_object_arrays():
    with pytest.raises(sigmap.InputError, match="1-D"):
        sigmap.join_points(np.zeros((2, 2)), np.zeros((2, 2)))
    with pytest.raises(sigmap.InputError, match="dtype"):
        sigmap.join_points(np.array(["a"], dtype=object), np.array([1.0]))


def test_options():
    with pytest.raises(sigmap.OptionError, match="vintage"):
        sigmap.locate(-0.1281, 51.5080, vintage=2019)
    with pytest.raises(sigmap.OptionError, match="crs"):
        sigmap.join_points(np.array([0.0]), np.array([51.0]), crs=1234)
    with pytest.raises(sigmap.OptionError, match="snap_km"):
        sigmap.join_points(np.array([0.0]), np.array([51.0]), snap_km=-1)


def test_missing_layer_file(tmp_path):
    with pytest.raises(sigmap.InputError) as e:
        sigmap.locate(-0.1281, 51.5080, areas=tmp_path / "none.geojson")
    assert e.value.path == str(tmp_path / "none.geojson")
