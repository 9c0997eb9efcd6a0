"""Shared fixtures: the repository's data/ (the tests read the shipped petitions and
boundaries from it; the package itself needs none of it)."""

from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parents[2] / "data"
SEED = 12345


@pytest.fixture
def data() -> Path:
    return DATA
