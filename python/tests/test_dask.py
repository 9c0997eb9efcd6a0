"""The Dask recipe of python/README.md ("Beyond one machine"), run as written on a
LocalCluster of two worker processes: its Hive-partitioned dataset equals sigmap.batch run
in-process and, with SIGMAP_BIN set, the dataset of `sigmap batch --partition-by
petition_id`."""

import os
import re
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.dataset as ds
import pytest
from dask.distributed import Client, LocalCluster

import sigmap
from conftest import DATA, SEED

README = Path(__file__).resolve().parents[1] / "README.md"
# small: the test is about the plumbing; the numbers are those of sigmap.batch
OPTIONS = dict(permutations=99, rank_draws=50, seed=SEED)


def recipe() -> dict:
    """The README's recipe, executed as a module that is not __main__."""
    blocks = re.findall(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), re.S)
    code = [b for b in blocks if "def batch_on_dask" in b]
    assert len(code) == 1, "the README has one Dask recipe"
    namespace = {"__name__": "sigmap_dask_recipe"}
    exec(compile(code[0], str(README), "exec"), namespace)
    return namespace


def dataset(folder: Path) -> pd.DataFrame:
    """A Hive-partitioned dataset read as one table, as a user reads it; the rows of each
    file in their order, files by petition and source."""
    table = ds.dataset(folder, format="parquet", partitioning="hive").to_table()
    frame = table.to_pandas()
    # the partition column comes last from the reader: first, as in the long table
    frame = frame[["petition_id"] + [c for c in frame.columns if c != "petition_id"]]
    frame["petition_id"] = frame["petition_id"].astype("int64")
    frame = frame.sort_values(["petition_id", "source"], kind="stable").reset_index(drop=True)
    return frame


def assert_same_table(expected: pd.DataFrame, got: pd.DataFrame, what: str) -> None:
    """Same columns in the same order and equal values (missing where missing); the dtypes
    may differ (the CLI writes u64 and u32, pandas Int64 and int64)."""
    assert list(got.columns) == list(expected.columns), what
    assert len(got) == len(expected), what
    for name in expected.columns:
        a, b = expected[name], got[name]
        missing = a.isna().to_numpy()
        assert (missing == b.isna().to_numpy()).all(), f"{what}: {name}: missing values differ"
        a, b = a[~missing], b[~missing]
        if pd.api.types.is_numeric_dtype(a) and not pd.api.types.is_bool_dtype(a):
            x, y = a.to_numpy(dtype="float64"), b.to_numpy(dtype="float64")
            bad = np.flatnonzero(x != y)
            assert bad.size == 0, f"{what}: {name}: {bad.size} values differ, first at row {bad[0]}: {x[bad[0]]!r} vs {y[bad[0]]!r}"
        else:
            x, y = a.astype(object).tolist(), b.astype(object).tolist()
            assert x == y, f"{what}: {name}: values differ"


@pytest.fixture(scope="module")
def inputs(tmp_path_factory) -> list:
    """The five shipped petitions, and a copy of one under another name (two files of one
    petition go to one folder as two parts)."""
    files = sorted(str(p) for p in (DATA / "petitions").glob("*.json"))
    copy = tmp_path_factory.mktemp("in") / "copy_of_241584.json"
    shutil.copy(DATA / "petitions" / "petition_241584.json", copy)
    return files + [str(copy)]


@pytest.fixture(scope="module")
def on_dask(inputs, tmp_path_factory):
    out = tmp_path_factory.mktemp("dask") / "out"
    r = recipe()
    with LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster, Client(cluster) as client:
        petitions = r["batch_on_dask"](inputs, out, chunk=2, **OPTIONS)
        # three tasks of two files on two worker processes
        assert len(client.scheduler_info()["workers"]) == 2
    return out, petitions


def test_recipe_writes_hive_partitioned_dataset(on_dask, inputs):
    out, petitions = on_dask
    parts = sorted(str(p.relative_to(out)) for p in out.rglob("*.parquet"))
    assert parts == [
        "long/petition_id=105868/part-0.parquet",
        "long/petition_id=105991/part-1.parquet",
        "long/petition_id=241584/part-2.parquet",
        "long/petition_id=241584/part-5.parquet",
        "long/petition_id=601415/part-3.parquet",
        "long/petition_id=619781/part-4.parquet",
    ]
    assert list(petitions["source"]) == inputs
    assert petitions["error"].isna().all()
    on_disk = pd.read_csv(out / "petitions.csv")
    assert list(on_disk["petition_id"]) == list(petitions["petition_id"])
    # pandas reads the folder as one table, petition_id from the folder names
    frame = pd.read_parquet(out / "long")
    assert frame.groupby("petition_id", observed=True).size().to_dict() == {
        105868: 650, 105991: 650, 241584: 1300, 601415: 650, 619781: 650
    }
    # a dataset is written once: a second run into the same folder is refused
    with pytest.raises(FileExistsError, match="already there"):
        recipe()["batch_on_dask"](inputs, out, **OPTIONS)


def test_recipe_equals_batch_in_process(on_dask, inputs):
    out, _ = on_dask
    expected = sigmap.batch(inputs, **OPTIONS)
    expected = expected.sort_values(["petition_id", "source"], kind="stable").reset_index(drop=True)
    assert_same_table(expected, dataset(out / "long"), "dask recipe vs sigmap.batch")


def test_recipe_equals_cli_partitioned_dataset(on_dask, inputs, tmp_path):
    binary = os.environ.get("SIGMAP_BIN")
    if not binary:
        pytest.skip("SIGMAP_BIN is not set (a sigmap CLI built with the polars feature)")
    out, _ = on_dask
    cli = tmp_path / "cli"
    args = [binary, "batch", *inputs, "--out", str(cli), "--partition-by", "petition_id", "-q"]
    args += ["--permutations", "99", "--rank-draws", "50", "--seed", str(SEED)]
    done = subprocess.run(args, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    # the CLI's part numbers count the files of one petition (part-0, part-1)
    parts = sorted(str(p.relative_to(cli)) for p in (cli / "long").rglob("*.parquet"))
    assert "long/petition_id=241584/part-1.parquet" in parts and len(parts) == 6
    assert_same_table(dataset(cli / "long"), dataset(out / "long"), "dask recipe vs CLI")
    # and the petitions' rows: the same petitions, in the same order
    assert list(pd.read_csv(cli / "petitions.csv")["petition_id"]) == list(
        pd.read_csv(out / "petitions.csv")["petition_id"]
    )
