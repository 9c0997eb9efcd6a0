"""sigmap.report against the CLI: `sigmap report` run on the same petition with the same
options (SIGMAP_BIN: a built `sigmap` binary; python/ci.sh builds one), compared value by
value and byte by byte; the frames' dtypes; GeoPandas, polars, pyarrow; maps."""

import csv
import html
import io
import json
import math
import os
import re
import subprocess
import xml.etree.ElementTree as ET

import numpy
import pandas
import pytest

import sigmap
from conftest import DATA

PETITIONS = sorted(DATA.glob("petitions/petition_*.json"))
# every shipped petition on its own seats, and one moved onto the 2024 seats
CASES = [(p, None) for p in PETITIONS] + [(DATA / "petitions" / "petition_241584.json", 2024)]
CASE_IDS = [f"{p.stem}{'_to2024' if to else ''}" for p, to in CASES]


def cli_binary():
    binary = os.environ.get("SIGMAP_BIN")
    if not binary:
        pytest.skip("SIGMAP_BIN not set (python/ci.sh builds the CLI and sets it)")
    return binary


def run_cli(args, cwd):
    out = subprocess.run([cli_binary(), *map(str, args)], cwd=cwd, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    return out.stdout


@pytest.fixture(scope="module")
def cli_reports(tmp_path_factory):
    """The CLI's report directory per case, made once."""
    made = {}

    def get(path, to=None, *extra):
        key = (str(path), to, extra)
        if key not in made:
            out = tmp_path_factory.mktemp("cli")
            args = ["report", path, "--out", out, "--format", "json", *extra]
            if to:
                args += ["--to", to]
            run_cli(args, out)
            made[key] = out
        return made[key]

    return get


@pytest.fixture(scope="module")
def reports():
    made = {}

    def get(path, to=None, **options):
        key = (str(path), to, tuple(sorted(options.items())))
        if key not in made:
            made[key] = sigmap.report(str(path), to=to, **options)
        return made[key]

    return get


def read_csv(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def assert_frame_equals_csv(df, rows, header):
    """Every value of the frame against the CLI's CSV text: ints exactly, floats to 1e-12,
    NA where the field is empty."""
    assert list(df.columns) == header
    assert len(df) == len(rows)
    for column in header:
        series = df[column]
        for i, row in enumerate(rows):
            text, value = row[column], series.iloc[i]
            where = f"{column}, row {i + 1} ({row['code']})"
            if text == "":
                assert pandas.isna(value), f"{where}: expected NA, found {value!r}"
                continue
            assert not pandas.isna(value), f"{where}: expected {text}, found NA"
            if pandas.api.types.is_bool_dtype(series.dtype):
                assert text in ("true", "false")
                assert bool(value) == (text == "true"), where
            elif pandas.api.types.is_integer_dtype(series.dtype):
                assert int(value) == int(text), where
            elif pandas.api.types.is_float_dtype(series.dtype):
                expected = float(text)
                assert math.isclose(value, expected, rel_tol=1e-12, abs_tol=1e-12), f"{where}: {value!r} != {text}"
            else:
                assert value == text, where


@pytest.mark.parametrize("path,to", CASES, ids=CASE_IDS)
def test_to_pandas_equals_cli_areas_csv(path, to, cli_reports, reports):
    out = cli_reports(path, to)
    with open(out / "areas.csv", newline="", encoding="utf-8") as f:
        header = next(csv.reader(f))
    rows = read_csv(out / "areas.csv")
    report = reports(path, to)
    df = report.to_pandas()
    assert_frame_equals_csv(df, rows, header)
    assert report.columns == header
    assert len(report) == len(rows)


@pytest.mark.parametrize("path,to", CASES, ids=CASE_IDS)
def test_summary_equals_cli_summary_json(path, to, cli_reports, reports):
    out = cli_reports(path, to)
    assert reports(path, to).summary == json.loads((out / "summary.json").read_text())


@pytest.mark.parametrize("path,to", CASES[2:3] + CASES[-1:], ids=CASE_IDS[2:3] + CASE_IDS[-1:])
def test_written_files_are_the_cli_bytes(path, to, cli_reports, reports, tmp_path):
    out = cli_reports(path, to)
    written = reports(path, to).write(tmp_path)
    names = sorted(os.path.basename(p) for p in written)
    assert names == ["areas.csv", "areas.geojson", "map.svg", "summary.json"]
    for name in names:
        assert (tmp_path / name).read_bytes() == (out / name).read_bytes(), name
    assert reports(path, to).to_csv() == (out / "areas.csv").read_text(encoding="utf-8")


def test_options_reach_the_report_as_on_the_cli(cli_reports, tmp_path):
    """Weights, islands, permutations, seed, rank draws, engine, --areas and
    --denominators: the CLI's numbers for the same options."""
    path = DATA / "petitions" / "petition_619781.json"
    options = ["--weights", "knn:6", "--islands", "attach:1", "--permutations", "99", "--seed", "7",
               "--rank-draws", "50", "--rank-method", "fast", "--engine", "independent",
               "--areas", DATA / "boundaries" / "pcon2024_bgc_20pct.geojson",
               "--denominators", DATA / "elections" / "ge2024_results.csv"]
    out = cli_reports(path, 2024, *options)
    report = sigmap.report(
        path, to=2024, weights="knn:6", islands="attach:1", permutations=99, seed=7, rank_draws=50,
        rank_method="fast", engine="independent", areas=DATA / "boundaries" / "pcon2024_bgc_20pct.geojson",
        denominators=DATA / "elections" / "ge2024_results.csv",
    )
    assert report.summary == json.loads((out / "summary.json").read_text())
    assert report.to_csv() == (out / "areas.csv").read_text(encoding="utf-8")
    weights = report.summary["clustering"]["weights"]
    assert (weights["kind"], weights["island_policy"]) == ({"knn": 6}, {"attach": 1})


def test_petition_object_path_and_pathlike_agree(reports):
    path = DATA / "petitions" / "petition_105991.json"
    a = sigmap.report(sigmap.read_petition(str(path)), permutations=0)
    b = sigmap.report(path, permutations=0)
    assert a.to_csv() == b.to_csv()


def test_dtypes(reports):
    df = reports(DATA / "petitions" / "petition_241584.json").to_pandas()
    for column in ("code", "name", "mp", "unusual", "lisa_label"):
        assert df[column].dtype == "string", column
    for column in ("signatures", "electorate", "valid_votes", "rank_signatures", "rank_per_1k_voters"):
        assert df[column].dtype == "int64", column
    for column in ("rank_density_per_km2", "rank_best_per_1k_voters", "lisa_q"):
        assert df[column].dtype == "Int64", column
    for column in ("turnout", "per_1k_voters", "lisa_i", "lisa_p_sim", "gi_star_z"):
        assert df[column].dtype == "float64", column
    assert df["zero_filled"].dtype == "bool"
    # missing is NA: the 'unusual' flag is empty for most seats
    assert df["unusual"].isna().any() and df["unusual"].notna().any()
    assert df["signatures"].sum() == reports(DATA / "petitions" / "petition_241584.json").summary["completeness"]["constituency_sum"]


def test_seats_the_petition_does_not_list_are_zero_filled(reports):
    report = reports(DATA / "petitions" / "petition_601415.json")  # 435 of 650 seats listed
    df = report.to_pandas()
    assert len(df) == 650
    assert df["zero_filled"].sum() == 650 - 435
    assert (df.loc[df["zero_filled"], "signatures"] == 0).all()


# -- arrow, polars, geopandas -------------------------------------------------------------


def assert_same_as_pandas(df, columns):
    """`columns`: name -> list of Python values (None for null)."""
    assert list(columns) == list(df.columns)
    for name, values in columns.items():
        expected = [None if pandas.isna(v) else v for v in df[name].tolist()]
        assert values == expected, name


def test_to_arrow_equals_to_pandas(reports):
    import pyarrow

    report = reports(DATA / "petitions" / "petition_241584.json", 2024)
    table = report.to_arrow()
    assert table.schema.field("code").type == pyarrow.string()
    assert table.schema.field("signatures").type == pyarrow.int64()
    assert table.schema.field("lisa_q").type == pyarrow.int64()
    assert table.schema.field("per_1k_voters").type == pyarrow.float64()
    assert table.schema.field("zero_filled").type == pyarrow.bool_()
    assert_same_as_pandas(report.to_pandas(), table.to_pydict())
    # nulls, not NaN
    assert table.column("unusual").null_count == report.to_pandas()["unusual"].isna().sum()


def test_arrow_c_stream_is_read_by_pyarrow_and_polars(reports):
    import polars
    import pyarrow

    report = reports(DATA / "petitions" / "petition_241584.json", 2024)
    assert pyarrow.table(report).equals(report.to_arrow())
    assert polars.DataFrame(report).equals(report.to_polars())


def test_to_polars_equals_to_pandas(reports):
    import polars

    report = reports(DATA / "petitions" / "petition_601415.json")
    df = report.to_polars()
    assert df.schema["code"] == polars.String
    assert df.schema["signatures"] == polars.Int64
    assert df.schema["rank_density_per_km2"] == polars.Int64
    assert df.schema["per_1k_voters"] == polars.Float64
    assert df.schema["zero_filled"] == polars.Boolean
    assert_same_as_pandas(report.to_pandas(), df.to_dict(as_series=False))


def test_to_geopandas_is_lonlat_and_round_trips(reports, tmp_path):
    import geopandas

    report = reports(DATA / "petitions" / "petition_241584.json", 2024)
    gdf = report.to_geopandas()
    assert gdf.crs.to_epsg() == 4326
    assert len(gdf) == 650 and gdf["code"].str.startswith(("E14", "W07", "S14", "N05")).all()
    assert gdf.geometry.geom_type.isin(["Polygon", "MultiPolygon"]).all()
    # longitude then latitude: the UK's box
    minx, miny, maxx, maxy = gdf.total_bounds
    assert -9 < minx < maxx < 2 and 49 < miny < maxy < 61
    # a seat's polygon holds the point sigmap locates in it
    seat = sigmap.locate(-0.1281, 51.5080)
    from shapely.geometry import Point

    assert gdf.set_index("code").geometry[seat.code].contains(Point(-0.1281, 51.5080))
    # the layer's own polygons, as the shipped file has them
    layer = geopandas.read_file(DATA / "boundaries" / "pcon2024_bgc_20pct.geojson")
    import shapely

    for ours, theirs in zip(gdf.geometry.values, layer.geometry.values):
        assert shapely.get_num_geometries(ours) == shapely.get_num_geometries(theirs)
        assert math.isclose(shapely.area(ours), shapely.area(theirs), rel_tol=1e-12)
    # the attributes are to_pandas()
    pandas.testing.assert_frame_equal(pandas.DataFrame(gdf.drop(columns="geometry")), report.to_pandas())
    for name in ("round.gpkg", "round.geojson"):
        gdf.to_file(tmp_path / name)
        back = geopandas.read_file(tmp_path / name)
        assert back.crs.to_epsg() == 4326
        assert back["code"].tolist() == gdf["code"].tolist()
        assert back["signatures"].tolist() == gdf["signatures"].tolist()
        assert numpy.allclose(back["per_1k_voters"], gdf["per_1k_voters"], rtol=1e-12)
        # GPKG stores the doubles (Polygons become MultiPolygons); GeoJSON writes 15 digits
        tolerance = 0 if name.endswith("gpkg") else 1e-9
        for a, b in zip(back.geometry.values, gdf.geometry.values):
            ca, cb = shapely.get_coordinates(a), shapely.get_coordinates(b)
            assert ca.shape == cb.shape and numpy.abs(ca - cb).max() <= tolerance, name


# -- summary and display ------------------------------------------------------------------


def test_repr_html_escapes_and_lists_top_seats(tmp_path):
    source = json.loads((DATA / "petitions" / "petition_105991.json").read_text())
    source["data"]["attributes"]["action"] = "Stop <script>alert(1)</script> & go"
    path = tmp_path / "petition.json"
    path.write_text(json.dumps(source))
    report = sigmap.report(path, permutations=0)
    text = report._repr_html_()
    assert "<script>" not in text
    assert "Stop &lt;script&gt;alert(1)&lt;/script&gt; &amp; go" in text
    top = report.summary["top_per_1k_voters"]
    assert len(top) == 10
    for seat in top:
        assert seat["code"] in text
    ET.fromstring(text)  # well-formed
    assert repr(report).startswith("Report(petition=105991")


# -- maps ---------------------------------------------------------------------------------


def seat_paths(svg):
    """The seats' paths: each carries a <title> "Name (CODE): value"."""
    root = ET.fromstring(svg)
    ns = "{http://www.w3.org/2000/svg}"
    codes = []
    for path in root.iter(f"{ns}path"):
        title = path.find(f"{ns}title")
        if title is not None:
            m = re.search(r"\(([A-Z]\d{8})\)", title.text or "")
            if m:
                codes.append(m.group(1))
    return codes


def test_map_svg_is_xml_with_a_path_per_seat(reports):
    report = reports(DATA / "petitions" / "petition_241584.json", 2024)
    m = report.map(insets=[])
    assert m._repr_svg_() == m.svg
    codes = seat_paths(m.svg)
    assert len(codes) == 650
    assert sorted(codes) == sorted(report.to_pandas()["code"].tolist())
    # the default has the London and Shetland insets: London's seats drawn twice
    assert len(seat_paths(report.map().svg)) > 650


@pytest.mark.parametrize(
    "options,cli",
    [
        (dict(metric="lq", classes="jenks:5", palette="RdBu", insets=[]),
         ["--metric", "lq", "--classes", "jenks:5", "--palette", "RdBu"]),
        (dict(metric="lisa", insets=["london"]), ["--metric", "lisa", "--inset", "london"]),
        (dict(metric="gi_star", hex=True, labels=5), ["--metric", "gi_star", "--hex", "--labels", "5"]),
        (dict(metric="density_per_km2", classes="breaks:100,1000,5000", palette="viridis_r", title="Density", insets=[]),
         ["--metric", "density_per_km2", "--classes", "breaks:100,1000,5000", "--palette", "viridis_r", "--title", "Density"]),
    ],
    ids=["lq-jenks", "lisa", "gi-hex", "breaks"],
)
def test_map_equals_cli_map(options, cli, reports, tmp_path):
    path = DATA / "petitions" / "petition_241584.json"
    run_cli(["map", path, "--to", "2024", "-o", tmp_path / "cli.svg", *cli], tmp_path)
    svg = reports(path, 2024).map(**options).svg
    assert svg == (tmp_path / "cli.svg").read_text(encoding="utf-8")


def test_map_default_is_the_reports_map_svg(reports, cli_reports):
    path = DATA / "petitions" / "petition_241584.json"
    assert reports(path).map().svg == (cli_reports(path) / "map.svg").read_text(encoding="utf-8")


def test_map_hex_has_a_hexagon_per_seat(reports):
    report = reports(DATA / "petitions" / "petition_241584.json", 2024)
    assert len(seat_paths(report.map(hex=True).svg)) == 650


@pytest.mark.parametrize(
    "options,word",
    [
        (dict(metric="nope"), "metric"),
        (dict(classes="quantile:99"), "classes"),
        (dict(palette="Rainbow"), "palette"),
        (dict(centre="middle"), "centre"),
        (dict(insets=["mars"]), "insets"),
        (dict(labels=-1), "labels"),
        (dict(metric=5), "metric"),
    ],
)
def test_map_bad_options_are_option_errors(options, word, reports):
    with pytest.raises(sigmap.OptionError, match=word):
        reports(DATA / "petitions" / "petition_105991.json").map(**options)


def test_map_save(reports, tmp_path):
    m = reports(DATA / "petitions" / "petition_105991.json").map()
    m.save(tmp_path / "m.svg")
    assert (tmp_path / "m.svg").read_text(encoding="utf-8") == m.svg
    if sigmap.HAS_PNG:
        m.save(tmp_path / "m.png")
        assert (tmp_path / "m.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert m._repr_png_()[:4] == b"\x89PNG"
    else:
        with pytest.raises(sigmap.OptionError, match="png"):
            m.save(tmp_path / "m.png")
        assert not (tmp_path / "m.png").exists()
        assert m._repr_png_() is None
    with pytest.raises(sigmap.OptionError, match=r"\.svg or \.png"):
        m.save(tmp_path / "m.pdf")
    with pytest.raises(sigmap.OutputError):
        m.save(tmp_path / "no" / "such" / "dir" / "m.svg")


@pytest.mark.parametrize(
    "options,cli",
    [
        (dict(), []),
        (dict(metric="lisa", palette="YlOrRd", title="Hot spots"),
         ["--metric", "lisa", "--palette", "YlOrRd", "--title", "Hot spots"]),
        (dict(metric="lq", classes="jenks:4"), ["--metric", "lq", "--classes", "jenks:4"]),
    ],
    ids=["default", "lisa", "lq-jenks"],
)
def test_explore_equals_cli_html_map(options, cli, reports, tmp_path):
    path = DATA / "petitions" / "petition_241584.json"
    run_cli(["map", path, "--to", "2024", "-o", tmp_path / "cli.html", *cli], tmp_path)
    page = reports(path, 2024).explore(**options).html
    assert page == (tmp_path / "cli.html").read_text(encoding="utf-8")
    assert page.count('data-code="') >= 650


def test_explore_in_a_notebook_and_saved(reports, tmp_path):
    m = reports(DATA / "petitions" / "petition_105991.json").explore(height=480)
    shown = m._repr_html_()
    # the page goes whole into the frame's srcdoc, escaped, and comes back unchanged
    match = re.fullmatch(r'<iframe srcdoc="([^"]*)" style="width:100%;height:480px;border:0" .*</iframe>', shown, re.S)
    assert match and html.unescape(match.group(1)) == m.html
    m.save(tmp_path / "m.html")
    assert (tmp_path / "m.html").read_text(encoding="utf-8") == m.html
    with pytest.raises(sigmap.OptionError, match=r"\.html or \.htm"):
        m.save(tmp_path / "m.svg")
    assert not (tmp_path / "m.svg").exists()
    with pytest.raises(sigmap.OutputError):
        m.save(tmp_path / "no" / "such" / "m.html")


@pytest.mark.parametrize(
    "options,word",
    [(dict(metric="votes"), "metric"), (dict(classes="jenks:0"), "classes"),
     (dict(palette="rainbow"), "palette"), (dict(height=-1), "height")],
)
def test_explore_bad_options(options, word, reports):
    with pytest.raises(sigmap.OptionError, match=word):
        reports(DATA / "petitions" / "petition_105991.json").explore(**options)


# -- bad options and inputs ---------------------------------------------------------------


@pytest.mark.parametrize(
    "options,error,word",
    [
        (dict(weights="hexagonal"), sigmap.OptionError, "weights"),
        (dict(islands="drop"), sigmap.OptionError, "islands"),
        (dict(engine="gpu"), sigmap.OptionError, "engine"),
        (dict(permutations=-1), sigmap.OptionError, "permutations"),
        (dict(permutations=True), sigmap.OptionError, "permutations"),
        (dict(seed="7"), sigmap.OptionError, "seed"),
        (dict(rank_draws=1.5), sigmap.OptionError, "rank_draws"),
        (dict(rank_method="exact"), sigmap.OptionError, "rank_method"),
        (dict(rank_method=1), sigmap.OptionError, "rank_method"),
        (dict(to=2030), sigmap.OptionError, "to"),
        (dict(to=2024, crosswalk="nearest"), sigmap.OptionError, "crosswalk"),
        (dict(area_id="PCON24CD"), sigmap.OptionError, "area_id"),
        (dict(engine="esda", seed=2**40), sigmap.OptionError, "seed"),
    ],
)
def test_bad_options(options, error, word):
    with pytest.raises(error, match=word):
        sigmap.report(DATA / "petitions" / "petition_105991.json", **options)


def test_to_2010_from_a_2024_petition_is_refused(tmp_path):
    path = tmp_path / "p.csv"
    path.write_text("code,count\nE14001063,120\nE14001064,80\n")
    with pytest.raises(sigmap.OptionError, match="to"):
        sigmap.report(path, to=2010)


def test_missing_and_bad_inputs(tmp_path):
    with pytest.raises(sigmap.InputError) as e:
        sigmap.report(tmp_path / "missing.json")
    assert e.value.path == str(tmp_path / "missing.json")
    bad = tmp_path / "denominators.csv"
    bad.write_text("code,electorate,valid_votes\nE14001063,lots,3\n")
    with pytest.raises(sigmap.InputError) as e:
        sigmap.report(DATA / "petitions" / "petition_241584.json", to=2024, denominators=bad)
    assert e.value.path == str(bad)
    with pytest.raises(sigmap.InputError, match="expected a path or a petition number"):
        sigmap.report(["data/petitions/petition_241584.json"])
    with pytest.raises(sigmap.InputError, match="areas"):
        sigmap.report(DATA / "petitions" / "petition_241584.json", areas=42)


def test_reports_run_in_threads():
    """The GIL is released while Rust computes: reports in threads give the sequential
    answers."""
    import threading

    paths = [DATA / "petitions" / "petition_105991.json", DATA / "petitions" / "petition_619781.json"]
    expected = [sigmap.report(p, permutations=99).to_csv() for p in paths]
    got = [None] * len(paths)

    def work(i):
        got[i] = sigmap.report(paths[i], permutations=99).to_csv()

    threads = [threading.Thread(target=work, args=(i,)) for i in range(len(paths))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert got == expected


# -- compare ------------------------------------------------------------------------------


def test_compare_equals_the_cli(tmp_path):
    a, b = DATA / "petitions" / "petition_241584.json", DATA / "petitions" / "petition_619781.json"
    cli = json.loads(run_cli(["compare", a, b, "--format", "json", "--permutations", "199", "--seed", "3"], tmp_path))
    c = sigmap.compare(a, b, permutations=199, seed=3)
    assert c.summary == cli
    assert c.headline == cli["headline"]
    df = c.to_pandas()
    assert len(df) == 650 and list(df.columns)[:2] == ["code", "name"]
    # the CLI's seats ranking higher for A are the frame's largest gaps
    assert [s["b_rank"] - s["a_rank"] for s in cli["more_for_a"]] == df["rank_gap"].nlargest(len(cli["more_for_a"])).tolist()
    for seat in cli["more_for_a"]:
        row = df.set_index("code").loc[seat["code"]]
        assert (row["a_rank"], row["b_rank"]) == (seat["a_rank"], seat["b_rank"])
        assert row["rank_gap"] == seat["b_rank"] - seat["a_rank"] > 0
    assert (df["a_signatures"] == c.a.to_pandas()["signatures"]).all()
    assert "<table>" in c._repr_html_()


def test_compare_moves_a_2010_petition_to_the_2024_seats(tmp_path):
    mine = tmp_path / "mine.csv"
    rows = sigmap.report(DATA / "petitions" / "petition_105991.json", to=2024, permutations=0).to_pandas()
    mine.write_text("code,count\n" + "".join(f"{c},{n}\n" for c, n in zip(rows["code"], rows["signatures"])))
    a = DATA / "petitions" / "petition_241584.json"
    cli = json.loads(run_cli(["compare", a, mine, "--format", "json", "--permutations", "0"], tmp_path))
    c = sigmap.compare(a, mine, permutations=0)
    assert c.summary == cli
    assert c.a.vintage == c.b.vintage == 2024


def test_compare_bad_input():
    with pytest.raises(sigmap.InputError):
        sigmap.compare(DATA / "petitions" / "nope.json", DATA / "petitions" / "petition_241584.json")
    with pytest.raises(sigmap.OptionError, match="permutations"):
        sigmap.compare(DATA / "petitions" / "petition_241584.json", DATA / "petitions" / "petition_619781.json", permutations=-1)
