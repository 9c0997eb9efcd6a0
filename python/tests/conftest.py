"""Shared fixtures: the repository's data/ (the tests read the shipped petitions and
boundaries from it; the package itself needs none of it)."""

import os
import tempfile
from pathlib import Path

import pytest

# layer checks are kept in a folder of this run, not the user's cache (read at import)
os.environ["SIGMAP_CACHE_DIR"] = tempfile.mkdtemp(prefix="sigmap-test-checks-")

DATA = Path(__file__).resolve().parents[2] / "data"
SEED = 12345


@pytest.fixture
def data() -> Path:
    return DATA
