"""`sigmap.batch` and `sigmap.mp_profile`: the same numbers as `sigmap.report` petition by
petition and as the CLI's `sigmap batch` (long.csv) and `sigmap mp --format json`
(SIGMAP_BIN: a built `sigmap` binary; python/ci.sh sets it)."""

import json
import math
import os
import subprocess
import sys
import textwrap

import pandas
import pytest

import sigmap
from conftest import DATA

FAST = dict(permutations=99, rank_draws=50, seed=7)


def cli(*args, cwd):
    binary = os.environ.get("SIGMAP_BIN")
    if not binary:
        pytest.skip("SIGMAP_BIN not set (python/ci.sh builds the CLI and sets it)")
    out = subprocess.run([binary, *map(str, args)], cwd=cwd, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    return out.stdout


def assert_frames_equal(got, want):
    assert list(got.columns) == list(want.columns)
    assert len(got) == len(want)
    for name in want.columns:
        g, w = got[name], want[name]
        for i, (a, b) in enumerate(zip(g, w)):
            if (a is pandas.NA or (isinstance(a, float) and math.isnan(a))) and (
                b is pandas.NA or (isinstance(b, float) and math.isnan(b))
            ):
                continue
            if isinstance(b, float):
                assert a == pytest.approx(b, rel=1e-12, abs=1e-12), (name, i, a, b)
            else:
                assert a == b, (name, i, a, b)


@pytest.fixture(scope="module")
def long():
    return sigmap.batch(DATA / "petitions", **FAST)


def test_batch_is_report_by_report(long, data):
    """Each petition's rows are its report's table, with the same dtypes."""
    ids = sorted(long["petition_id"].unique())
    assert len(ids) == 5
    for path in sorted((data / "petitions").glob("*.json")):
        want = sigmap.report(str(path), **FAST).to_pandas()
        got = long[long["source"] == str(path)].drop(columns=["petition_id", "source", "vintage"])
        got = got.reset_index(drop=True)
        assert_frames_equal(got, want)
        assert dict(got.dtypes) == dict(want.dtypes)


def test_batch_rows_per_petition(long):
    petitions = long.attrs["petitions"]
    assert [p["error"] for p in petitions] == [None] * 5
    sizes = long.groupby("petition_id").size()
    assert set(sizes) == {650}
    assert str(long["code"].dtype) == "string"


def test_batch_equals_the_cli(long, data, tmp_path):
    cli("batch", data / "petitions", "--out", tmp_path, "--quiet", "--permutations", 99,
        "--rank-draws", 50, "--seed", 7, cwd=tmp_path)
    want = pandas.read_csv(tmp_path / "long.csv", keep_default_na=False, na_values=[""])
    got = long.copy()
    got["source"] = got["source"].astype(object)
    want["source"] = want["source"].astype(str)
    assert list(got.columns) == list(want.columns)
    for name in want.columns:
        for i, (a, b) in enumerate(zip(got[name], want[name])):
            if pandas.isna(b):
                assert pandas.isna(a), (name, i, a)
            elif isinstance(b, float):
                assert float(a) == pytest.approx(b, rel=1e-12, abs=1e-12), (name, i)
            else:
                assert str(a) == str(b), (name, i, a, b)


def test_batch_to_2024(data):
    df = sigmap.batch([data / "petitions" / "petition_241584.json"], to=2024,
                      permutations=0, rank_draws=0)
    assert set(df["vintage"]) == {"2024"}
    assert len(df) == 650


def test_a_bad_file_is_reported_not_dropped(data, tmp_path):
    bad = tmp_path / "broken.json"
    bad.write_text("{ not json")
    with pytest.warns(UserWarning, match="1 of 2 petition"):
        df = sigmap.batch([bad, data / "petitions" / "petition_241584.json"],
                          permutations=0, rank_draws=0)
    assert len(df) == 650
    rows = df.attrs["petitions"]
    assert rows[0]["error"] and "broken.json" in rows[0]["source"]


def test_batch_bad_arguments(data):
    with pytest.raises(sigmap.InputError, match="item 0"):
        sigmap.batch([42])
    with pytest.raises(sigmap.OptionError):
        sigmap.batch([data / "petitions"], to=2010)
    with pytest.raises(sigmap.OptionError):
        sigmap.batch([data / "petitions"], weights="nonsense")


def test_ctrl_c_stops_a_batch(tmp_path, data):
    """A KeyboardInterrupt during a long batch stops it (checked between chunks of petitions)."""
    src = (data / "petitions" / "petition_241584.json").read_text()
    for i in range(400):
        (tmp_path / f"p{i:03}.json").write_text(src)
    code = textwrap.dedent(f"""
        import _thread, threading, time, sigmap
        threading.Timer(1.0, _thread.interrupt_main).start()
        t = time.monotonic()
        try:
            sigmap.batch({str(tmp_path)!r}, permutations=999)
        except KeyboardInterrupt:
            print("interrupted", round(time.monotonic() - t, 1))
    """)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert out.stdout.startswith("interrupted"), out.stdout + out.stderr
    assert float(out.stdout.split()[1]) < 30


def test_mp_profile_equals_the_cli(data, tmp_path):
    paths = [data / "petitions" / "petition_241584.json", data / "petitions" / "petition_619781.json"]
    got = sigmap.mp_profile("ynys mon", paths, **FAST)
    assert got.constituency["code"] == "W07000112"
    out = cli("mp", "ynys mon", *paths, "--out", tmp_path, "--format", "json",
              "--permutations", 99, "--rank-draws", 50, "--seed", 7, cwd=tmp_path)
    assert got.to_dict() == json.loads(out)


def test_mp_profile_is_the_report_row(data):
    path = data / "petitions" / "petition_241584.json"
    profile = sigmap.mp_profile("E14000639", str(path), **FAST)
    row = sigmap.report(str(path), **FAST).to_pandas().set_index("code").loc["E14000639"]
    entry = profile.petitions[0]
    assert entry["signatures"] == row["signatures"]
    assert entry["per_1k_voters"] == row["per_1k_voters"]
    assert entry["rank"] == row["rank_per_1k_voters"]
    assert entry["rank_best"] == row["rank_best_per_1k_voters"]
    assert entry["rank_worst"] == row["rank_worst_per_1k_voters"]
    frame = profile.to_pandas()
    assert list(frame["petition_id"]) == [241584]


def test_mp_profile_errors(data):
    path = str(data / "petitions" / "petition_241584.json")
    with pytest.raises(sigmap.SigmapError, match="Cambridge"):
        sigmap.mp_profile("Cambrige", [path])
    with pytest.raises(sigmap.OptionError):
        sigmap.mp_profile(42, [path])
