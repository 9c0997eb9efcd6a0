"""sigmap.stats against esda/libpysal run here on the same GeoDataFrame (deterministic
parts to 1e-9), against `sigmap stats` (SIGMAP_BIN), and its refusals of bad input."""

import copy
import json
import math
import warnings

import numpy
import pandas
import pytest

import sigmap
from conftest import DATA, SEED
from test_report import run_cli

BOUNDARIES = DATA / "boundaries" / "pcon2024_bgc_20pct.geojson"
TOLERANCE = 1e-9


@pytest.fixture(scope="module")
def layer():
    """The shipped 2024 layer with petition 241584's signatures moved onto it and the
    GE2024 valid votes (from sigmap.report), as a GeoDataFrame in file order."""
    import geopandas

    gdf = geopandas.read_file(BOUNDARIES)
    table = sigmap.report(DATA / "petitions" / "petition_241584.json", to=2024, permutations=0).to_pandas()
    table = table[["code", "signatures", "valid_votes"]].astype({"code": object})
    gdf = gdf.merge(table, left_on="PCON24CD", right_on="code", how="left", validate="one_to_one")
    assert gdf["signatures"].notna().all()
    return gdf


def close(a, b):
    return math.isclose(a, b, rel_tol=TOLERANCE, abs_tol=TOLERANCE)


def assert_all_close(ours, theirs, what):
    ours, theirs = numpy.asarray(ours, dtype=float), numpy.asarray(theirs, dtype=float)
    assert ours.shape == theirs.shape, what
    assert numpy.allclose(ours, theirs, rtol=TOLERANCE, atol=TOLERANCE), (
        f"{what}: largest difference {numpy.nanmax(numpy.abs(ours - theirs))}"
    )


@pytest.mark.parametrize("population", [None, "valid_votes"])
def test_stats_equals_esda(layer, population):
    """esda.Moran, Moran_Local and G_Local(star=True) with libpysal Queen weights built
    from the same GeoDataFrame: the deterministic values agree to 1e-9."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import esda
        import libpysal

        w = libpysal.weights.Queen.from_dataframe(layer, use_index=False, silence_warnings=True)
        y = layer["signatures"].to_numpy(dtype=float)
        if population:
            y = y / layer[population].to_numpy(dtype=float)
        moran = esda.Moran(y, copy.deepcopy(w), transformation="r", permutations=0)
        local = esda.Moran_Local(y, copy.deepcopy(w), transformation="r", permutations=0)
        gi = esda.G_Local(y, copy.deepcopy(w), transform="B", star=True, permutations=0)
        geary = esda.Geary(y, copy.deepcopy(w), transformation="r", permutations=0)
    s = sigmap.stats(layer, layer, id="PCON24CD", count="signatures", population=population, permutations=99, seed=SEED)
    assert len(s["local"]) == len(layer)
    assert [row["id"] for row in s["local"]] == layer["PCON24CD"].tolist()
    for ours, theirs in [("I", moran.I), ("EI", moran.EI), ("VI_norm", moran.VI_norm), ("z_norm", moran.z_norm)]:
        assert close(s["moran"][ours], theirs), (ours, s["moran"][ours], theirs)
    assert close(s["geary"]["C"], geary.C)
    assert sorted(s["weights"]["islands"]) == sorted(layer["PCON24CD"].iloc[list(w.islands)].tolist())
    assert_all_close([r["lisa_i"] for r in s["local"]], local.Is, "local Moran I")
    assert [r["lisa_q"] for r in s["local"]] == local.q.tolist()
    assert_all_close([r["gi_star_z"] for r in s["local"]], gi.Zs, "Gi* z")
    # permutations ran: pseudo p-values in (0, 1] except for islands
    assert all((r["lisa_p_sim"] is None) == (r["id"] in s["weights"]["islands"]) for r in s["local"])
    assert s["moran"]["permutations"] == {"count": 99, "seed": SEED, "engine": "shared"}


def test_stats_equals_the_cli(layer, tmp_path):
    """The same values through `sigmap stats --format json`: everything equal (the layer's
    name and hash aside for a GeoDataFrame)."""
    values = tmp_path / "values.csv"
    layer[["PCON24CD", "signatures", "valid_votes"]].to_csv(values, index=False)
    cli = json.loads(run_cli(
        ["stats", "--areas", BOUNDARIES, "--values", values, "--id", "PCON24CD", "--count", "signatures",
         "--population", "valid_votes", "--format", "json", "--permutations", "199", "--seed", "7"],
        tmp_path,
    ))
    options = dict(id="PCON24CD", count="signatures", population="valid_votes", permutations=199, seed=7)
    from_path = sigmap.stats(str(BOUNDARIES), values=layer, **options)
    from_frame = sigmap.stats(layer, layer, **options)
    assert from_path == cli
    assert {k: v for k, v in from_frame.items() if k != "layer"} == {k: v for k, v in cli.items() if k != "layer"}
    assert from_frame["layer"]["code_property"] == "PCON24CD"


def test_values_as_a_dict_and_in_another_order(layer):
    expected = sigmap.stats(layer, layer, id="PCON24CD", count="signatures", permutations=0)
    shuffled = layer[["PCON24CD", "signatures"]].sample(frac=1, random_state=SEED)
    columns = {"seat": shuffled["PCON24CD"].tolist(), "n": shuffled["signatures"].to_numpy()}
    got = sigmap.stats(layer, columns, id="seat", count="n", area_id="PCON24CD", permutations=0)
    assert got["moran"] == expected["moran"]
    assert got["local"] == expected["local"]


def test_british_national_grid_is_read_as_the_cli_reads_it(layer):
    """EPSG:27700 is one of sigmap's own CRSs: converted by sigmap (OSTN15), the same
    contiguity, so the same statistics."""
    bng = layer.to_crs(27700)
    a = sigmap.stats(layer, layer, id="PCON24CD", count="signatures", permutations=0)
    b = sigmap.stats(bng, bng, id="PCON24CD", count="signatures", permutations=0)
    assert b["weights"]["s0"] == a["weights"]["s0"]
    assert close(b["moran"]["I"], a["moran"]["I"])


# -- bad input ----------------------------------------------------------------------------


def test_a_list_is_not_a_dataframe(layer):
    with pytest.raises(sigmap.InputError, match="expected a pandas DataFrame or a dict of columns, found list"):
        sigmap.stats(layer, [1, 2, 3], id="PCON24CD", count="signatures")
    with pytest.raises(sigmap.InputError, match="expected a GeoDataFrame or a path, found list"):
        sigmap.stats([1, 2, 3], layer, id="PCON24CD", count="signatures")
    with pytest.raises(sigmap.InputError, match="expected a GeoDataFrame or a path, found DataFrame"):
        sigmap.stats(pandas.DataFrame(layer.drop(columns="geometry")), layer, id="PCON24CD", count="signatures")


def test_missing_id_column(layer):
    values = pandas.DataFrame({"code": layer["PCON24CD"], "n": layer["signatures"]})
    with pytest.raises(sigmap.InputError, match="no column `seat` \\(the id column\\)") as e:
        sigmap.stats(layer, values, id="seat", count="n")
    assert e.value.field == "seat"
    with pytest.raises(sigmap.InputError, match="no column `count`") as e:
        sigmap.stats(layer, values, id="code", count="count", area_id="PCON24CD")
    with pytest.raises(sigmap.InputError, match="no column `CODE` \\(the area ids\\)"):
        sigmap.stats(layer, values, id="code", count="n", area_id="CODE")


def test_nan_in_values_names_the_row_and_column(layer):
    values = pandas.DataFrame({"code": layer["PCON24CD"], "n": layer["signatures"].astype(float)})
    values.loc[4, "n"] = numpy.nan
    with pytest.raises(sigmap.InputError, match="finite number") as e:
        sigmap.stats(layer, values, id="code", count="n", area_id="PCON24CD")
    assert (e.value.record, e.value.field, e.value.path) == (5, "n", None)
    values.loc[4, "n"] = numpy.inf
    with pytest.raises(sigmap.InputError, match="finite number"):
        sigmap.stats(layer, values, id="code", count="n", area_id="PCON24CD")
    values.loc[4, "n"] = 1
    values["text"] = "many"
    with pytest.raises(sigmap.InputError, match="column `text`: expected numbers"):
        sigmap.stats(layer, values, id="code", count="text", area_id="PCON24CD")


def test_ids_that_do_not_match(layer):
    values = pandas.DataFrame({"code": layer["PCON24CD"], "n": layer["signatures"]})
    values.loc[0, "code"] = "X99999999"
    with pytest.raises(sigmap.InputError, match="X99999999"):
        sigmap.stats(layer, values, id="code", count="n", area_id="PCON24CD")
    with pytest.raises(sigmap.InputError):
        sigmap.stats(layer, values.iloc[:600], id="code", count="n", area_id="PCON24CD")


def test_projected_crs_is_refused(layer):
    mercator = layer.to_crs(3857)
    with pytest.raises(sigmap.InputError, match="projected CRS .*EPSG:3857.*to_crs\\(4326\\)"):
        sigmap.stats(mercator, mercator, id="PCON24CD", count="signatures")
    no_crs = layer.set_crs(None, allow_override=True)
    with pytest.raises(sigmap.InputError, match="no CRS"):
        sigmap.stats(no_crs, no_crs, id="PCON24CD", count="signatures")


def test_bad_options(layer):
    with pytest.raises(sigmap.OptionError, match="weights"):
        sigmap.stats(layer, layer, id="PCON24CD", count="signatures", weights="nope")
    with pytest.raises(sigmap.OptionError, match="permutations"):
        sigmap.stats(layer, layer, id="PCON24CD", count="signatures", permutations=-5)
    with pytest.raises(sigmap.OptionError, match="id"):
        sigmap.stats(layer, layer, id=3, count="signatures")


def test_constant_values_are_an_input_error(layer):
    values = pandas.DataFrame({"code": layer["PCON24CD"], "n": 1.0})
    with pytest.raises(sigmap.InputError):
        sigmap.stats(layer, values, id="code", count="n", area_id="PCON24CD")
