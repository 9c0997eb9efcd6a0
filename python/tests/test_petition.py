"""read_petition against the petitions' own JSON (the numbers the CLI reports)."""

import json
import os
import subprocess
import sys
import time

import pandas
import pytest

import sigmap
from conftest import DATA

PETITIONS = sorted(DATA.glob("petitions/petition_*.json"))


def published(path):
    attributes = json.loads(path.read_text())["data"]["attributes"]
    counts = {c["ons_code"]: c["signature_count"] for c in attributes["signatures_by_constituency"]}
    return attributes, counts


@pytest.mark.parametrize("path", PETITIONS, ids=lambda p: p.stem)
def test_read_petition_equals_the_json(path):
    attributes, counts = published(path)
    p = sigmap.read_petition(path)
    assert p.id == int(path.stem.split("_")[1])
    assert p.title == attributes["action"]
    assert p.state == attributes["state"]
    assert p.total == attributes["signature_count"]
    assert p.counts == counts
    assert len(p) == len(counts)
    assert p.constituency_sum == sum(counts.values())
    assert p.source.endswith(path.name)
    assert p.vintage in (2010, 2024)
    df = pandas.DataFrame(p.to_dict())
    assert list(df.columns) == ["code", "name", "mp", "count"]
    assert df["count"].sum() == sum(counts.values())
    assert repr(p).startswith(f"Petition(id={p.id}, ")


def test_str_path_and_pathlike_agree(data):
    path = data / "petitions" / "petition_241584.json"
    a, b = sigmap.read_petition(str(path)), sigmap.read_petition(path)
    assert (a.id, a.total, a.uk_total, a.counts) == (b.id, b.total, b.uk_total, b.counts)
    assert (a.total, a.uk_total, a.vintage) == (5156603, 4948111, 2010)


def test_csv_petition(tmp_path):
    path = tmp_path / "mine.csv"
    path.write_text("code,count\nE14001063,120\nE14001064,80\n")
    p = sigmap.read_petition(path)
    assert p.id is None and p.schema == "csv"
    assert p.counts == {"E14001063": 120, "E14001064": 80}
    assert p.vintage == 2024


@pytest.mark.parametrize("path", PETITIONS, ids=lambda p: p.stem)
def test_cli_agrees_if_built(path, tmp_path):
    """With SIGMAP_BIN (a built `sigmap` binary), `sigmap report --format json` has the same
    petition and totals."""
    binary = os.environ.get("SIGMAP_BIN")
    if not binary:
        pytest.skip("SIGMAP_BIN not set")
    out = subprocess.run(
        [binary, "report", str(path), "--format", "json"], cwd=tmp_path, capture_output=True, check=True
    )
    cli = json.loads(out.stdout)
    p = sigmap.read_petition(path)
    assert cli["petition"]["id"] == p.id
    assert cli["petition"]["title"] == p.title
    assert cli["petition"]["state"] == p.state
    assert cli["petition"]["schema"] == p.schema
    totals = cli["completeness"]
    assert (totals["total"], totals["uk_total"], totals["constituency_sum"]) == (
        p.total,
        p.uk_total,
        p.constituency_sum,
    )


# -- errors ------------------------------------------------------------------------------

def test_missing_file_is_an_input_error(tmp_path):
    missing = tmp_path / "nope.json"
    with pytest.raises(sigmap.InputError) as e:
        sigmap.read_petition(missing)
    assert e.value.path == str(missing)
    assert "nope.json" in str(e.value) and "cannot read" in str(e.value)
    assert isinstance(e.value, sigmap.SigmapError)


def test_bad_count_names_record_and_field(tmp_path):
    path = tmp_path / "p.csv"
    path.write_text("code,count\nE14001063,120\nE14001064,many\n")
    with pytest.raises(sigmap.InputError) as e:
        sigmap.read_petition(path)
    assert e.value.path == str(path)
    assert e.value.record == 2
    assert e.value.field == "count"


def test_bad_json_names_the_file(tmp_path):
    path = tmp_path / "p.json"
    path.write_text('{"data": {"id": 1, "attributes": {"signature_count": "x"')
    with pytest.raises(sigmap.InputError) as e:
        sigmap.read_petition(path)
    assert e.value.path == str(path)


@pytest.mark.parametrize("bad", [None, 1.5, True, ["data/p.json"]])
def test_not_a_path_or_number(bad):
    with pytest.raises(sigmap.InputError, match="expected a path or a petition number"):
        sigmap.read_petition(bad)


def test_unknown_number_offline_raises_fast():
    """A refused connection (nothing listens on port 9 here) is a NetworkError, not a hang."""
    clock = time.monotonic()
    with pytest.raises(sigmap.NetworkError, match="cannot fetch petition 999999999"):
        sigmap.read_petition(999999999, api="http://127.0.0.1:9", timeout=5)
    assert time.monotonic() - clock < 15


def test_number_as_string_is_fetched():
    with pytest.raises(sigmap.NetworkError):
        sigmap.read_petition("999999999", api="http://127.0.0.1:9", timeout=5)


def test_default_api_offline_does_not_hang():
    """Offline (CI reaches the package registries only): a sigmap error within the timeout."""
    clock = time.monotonic()
    with pytest.raises(sigmap.SigmapError) as e:
        sigmap.read_petition(999999999, timeout=5)
    if isinstance(e.value, sigmap.NetworkError):
        assert "cannot fetch petition 999999999" in str(e.value)
        assert "pass the file instead of the number" in str(e.value)
    assert time.monotonic() - clock < 20


def test_bad_timeout_is_an_option_error():
    with pytest.raises(sigmap.OptionError, match="timeout"):
        sigmap.read_petition(1, timeout=-1)


def test_shipped_data_needs_no_file(tmp_path):
    """The boundaries are inside the extension: run from an empty folder, without data/."""
    code = "import sigmap; print(sigmap.locate(-0.1281, 51.5080).code, sigmap.locate(-0.1281, 51.5080, vintage=2010).code)"
    out = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["E14001172", "E14000639"]
